// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/types/round_record.h"

#include <QObject>

#include <memory>
#include <vector>

namespace collapipe {

class PlotHub;
class RunStore;

/// Replays a stored run (issue [6/6] "Compare and replay"): loads its rounds (with clusters and
/// devices) into the PlotHub's panels, then a round index (the replay slider) selects that round
/// everywhere; the selected round's timeline is read from the store on demand for the Gantt.
/// The hub's selectedRecordChanged() is the signal the canvas uses to show segments per device.
class ReplayController : public QObject
{
    Q_OBJECT

public:
    explicit ReplayController(PlotHub *hub, QObject *parent = nullptr);
    ~ReplayController() override;

    /// Opens run `runId` of the database at `dbPath`. False + error (naming file and run).
    bool open(const QString &dbPath, qint64 runId, QString *error);
    void close();
    bool isOpen() const { return m_runId != 0; }
    qint64 runId() const { return m_runId; }
    int roundCount() const { return static_cast<int>(m_rounds.size()); }
    /// Position of the selected round in the stored run, −1 before the first selection.
    int currentIndex() const { return m_index; }
    /// The stored run's name.
    QString runName() const { return m_name; }
    /// False when the stored scenario JSON did not parse (the replay still shows the rounds);
    /// scenarioError() says why.
    bool scenarioValid() const { return m_scenarioError.isEmpty(); }
    QString scenarioError() const { return m_scenarioError; }
    const Scenario &scenario() const { return m_scenario; }

public Q_SLOTS:
    /// Selects round index `index` (0-based position in the stored run) in every panel.
    void setRoundIndex(int index);

Q_SIGNALS:
    void opened(qint64 runId, int rounds);
    void roundChanged(int round, int index);
    void closed();

private:
    bool recordAt(int round, RoundRecord *out);

    PlotHub *m_hub;
    std::unique_ptr<RunStore> m_store;
    std::vector<RoundRecord> m_rounds;
    Scenario m_scenario;
    qint64 m_runId = 0;
    int m_index = -1;
    QString m_name;
    QString m_scenarioError;
};

} // namespace collapipe
