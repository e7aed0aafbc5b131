// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"
#include "core/types/shared_round.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>

namespace collapipe {

/// Hands the selected round to the views that redraw a whole round from it (Gantt, decision
/// table, canvas overlay) at a bounded rate while a run streams (issue [7/7] "The Studio keeps up
/// with the engine"; style.md rule 5). A round of 1,000 devices has ~75,000 timeline events:
/// rebuilding those views for every plot flush kept the GUI thread busy for seconds per round.
/// While throttling, setRecord() keeps only the newest record and delivers it at most once per
/// max(minInterval, idleFactor × the last delivery's cost), so these views take at most
/// 1 / (1 + idleFactor) of the GUI thread however costly they are (2: a third, Watch mode; Fast
/// mode asks for less, its engine wants both cores); the rounds skipped meanwhile are in the
/// plots and can be picked. Not throttling (no run streams: a pick, the replay slider, the run's last round),
/// a record is delivered at once. GUI thread only.
class RoundViewThrottle : public QObject
{
    Q_OBJECT

public:
    explicit RoundViewThrottle(QObject *parent = nullptr);

    void setThrottling(bool on);
    bool isThrottling() const { return m_throttling; }
    void setMinInterval(int ms) { m_minIntervalMs = ms; }
    /// The GUI thread's idle time after a throttled delivery, in multiples of its cost.
    void setIdleFactor(int factor) { m_idleFactor = std::max(factor, 0); }
    int idleFactor() const { return m_idleFactor; }
    /// Records handed on by recordChanged since construction.
    int deliveries() const { return m_deliveries; }
    bool hasPending() const { return m_hasPending; }

public Q_SLOTS:
    /// Takes a copy of `record`.
    void setRecord(const collapipe::RoundRecord &record);
    /// Takes `record` without a copy (PlotHub::selectedSharedChanged).
    void setShared(const collapipe::SharedRound &record);
    /// Forgets a record not delivered yet (the views were cleared, a new run starts).
    void dropPending();

Q_SIGNALS:
    void recordChanged(const collapipe::RoundRecord &record);
    /// The same record, shared (emitted right after recordChanged) for views that keep it.
    void sharedChanged(const collapipe::SharedRound &record);

private:
    void deliver();

    QTimer m_timer; ///< single shot: the next delivery of the pending record
    QElapsedTimer m_clock;
    SharedRound m_pending;
    qint64 m_nextAllowedMs = 0; ///< m_clock time before which no throttled delivery happens
    int m_minIntervalMs = 250;
    int m_idleFactor = 2;
    int m_deliveries = 0;
    bool m_hasPending = false;
    bool m_throttling = false;
};

} // namespace collapipe
