// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <QLabel>

namespace collapipe {

class RunController;

/// The run dock's line about clusters left out of FedAvg (core/MODEL.md "Churn", "Deadline"):
/// how many cluster-rounds sat out (no device present, or the present ones could carry no plan)
/// or missed the deadline in the current run, and the latest reason; the full reason is the
/// tooltip. Hidden while every cluster takes part. Follows `controller`'s rounds (cheap per
/// round: counts, and rewrites the text only when a count changes).
class ChurnStatusLabel : public QLabel
{
    Q_OBJECT

public:
    explicit ChurnStatusLabel(RunController *controller, QWidget *parent = nullptr);

    /// Empty and hidden, following the next run (the controller's runStarted calls it).
    void reset();
    /// Empty and hidden, and deaf to the current run's remaining rounds (it belongs to a
    /// scenario no longer open) until the next run starts.
    void forgetRun();
    void addRound(const RoundRecord &record);

    int satOutClusterRounds() const { return m_satOut; }
    int lateClusterRounds() const { return m_late; }
    int roundsWithoutAggregation() const { return m_nobody; }

private:
    void refresh();

    int m_satOut = 0;
    int m_late = 0;
    int m_nobody = 0; ///< rounds in which no cluster was aggregated
    int m_lastRound = -1;
    int m_lastCluster = -1;
    QString m_lastReason;
    bool m_ignoring = false; ///< forgetRun() until the next reset()
};

} // namespace collapipe
