// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/types/round_record.h"

#include <QObject>

#include <vector>

namespace collapipe {

class PlotHub;
struct ReplayData;

/// Replays a stored run (issue [6/6] "Compare and replay"): loads its rounds (with clusters and
/// devices) into the PlotHub's panels, then a round index (the replay slider) selects that round
/// everywhere; the selected round's timeline is read from the store on demand for the Gantt.
/// The hub's selectedRecordChanged() is the signal the canvas uses to show segments per device.
/// The store is read on the StoreLoader's thread, read-only (issue [3/7]): open() returns at
/// once and opened() or openFailed() follows; a round's timeline arrives after the round's
/// other data, and the hub shows the round again with it.
class ReplayController : public QObject
{
    Q_OBJECT

public:
    explicit ReplayController(PlotHub *hub, QObject *parent = nullptr);
    ~ReplayController() override;

    /// Starts opening run `runId` of the database at `dbPath`; opened() or openFailed() (the
    /// error naming file and run) follows. The run shown until then stays open.
    void open(const QString &dbPath, qint64 runId);
    void close();
    bool isOpen() const { return m_runId != 0; }
    qint64 runId() const { return m_runId; }
    int roundCount() const { return static_cast<int>(m_rounds.size()); }
    /// Position of the selected round in the stored run, −1 before the first selection.
    int currentIndex() const { return m_index; }
    /// The stored run's name.
    QString runName() const { return m_name; }
    /// The run was made by an experiment (RunInfo::point is set: core/experiment tags its runs).
    bool madeByExperiment() const { return m_byExperiment; }
    /// False when the stored scenario JSON did not parse (the replay still shows the rounds);
    /// scenarioError() says why.
    bool scenarioValid() const { return m_scenarioError.isEmpty(); }
    QString scenarioError() const { return m_scenarioError; }
    const Scenario &scenario() const { return m_scenario; }
    /// Why round `round`'s timeline could not be read from the store (empty when it was read,
    /// or not asked for yet): a failed read is not a run stored without its timeline.
    QString eventsError(int round) const
    {
        return round == m_eventsRound ? m_eventsError : QString();
    }

public Q_SLOTS:
    /// Selects round index `index` (0-based position in the stored run) in every panel.
    void setRoundIndex(int index);

Q_SIGNALS:
    void opened(qint64 runId, int rounds);
    void openFailed(qint64 runId, const QString &error);
    /// The selected round's timeline arrived (the Gantt has it now).
    void eventsLoaded(int round);
    void roundChanged(int round, int index);
    void closed();

private:
    bool recordAt(int round, RoundRecord *out);
    void showRun(ReplayData data);
    void requestEvents(int round);

    PlotHub *m_hub;
    QString m_dbPath;
    quint64 m_openRequest = 0; ///< the newest open(): older results are stale
    int m_eventsRound = -1;    ///< the round m_events belongs to
    int m_eventsRequested = -1;
    std::vector<TimelineEvent> m_events;
    QString m_eventsError; ///< the read of m_eventsRound's timeline failed: why
    std::vector<RoundRecord> m_rounds;
    Scenario m_scenario;
    qint64 m_runId = 0;
    int m_index = -1;
    QString m_name;
    bool m_byExperiment = false;
    QString m_scenarioError;
};

} // namespace collapipe
