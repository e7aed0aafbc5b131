// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/types/round_record.h"
#include "core/types/shared_round.h"
#include "ui/plots/churn_markers.h"
#include "ui/plots/round_history.h"
#include "ui/plots/series_buffer.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <vector>

namespace collapipe {

class RoundPlot;
struct Scenario;

/// Where round reports land in the GUI (style.md rule 5, after PlotJuggler's dataReceived →
/// 40 ms timer → updateDataAndReplot). appendRound() only queues the record and arms a
/// single-shot timer if none is pending; the timeout hands the whole batch to every panel and
/// flushes each once. It also owns the linked cursor: a round picked in any panel (or by the
/// replay slider) becomes the selected round of every panel, and selectedRecordChanged() feeds
/// the Gantt and the decision table. GUI thread only.
class PlotHub : public QObject
{
    Q_OBJECT

public:
    explicit PlotHub(QObject *parent = nullptr);
    ~PlotHub() override;

    /// The hub does not own the panel (its widget parent does).
    void addPanel(RoundPlot *panel);
    const std::vector<RoundPlot *> &panels() const { return m_panels; }

    /// Minimum time between two flushes, ms (Watch: ~40, Fast: a few hundred).
    void setRefreshInterval(int ms);
    int refreshInterval() const { return m_intervalMs; }
    /// Leading edge (Watch mode, issue #16): a round queued at least refreshInterval() after
    /// the last flush is flushed on the next turn of the event loop instead of one interval
    /// later, so a paced round's views are drawn in the engine's pause after it, not while it
    /// computes the next one; rounds within the interval still wait and go in one flush.
    void setLeadingFlush(bool on) { m_leadingFlush = on; }
    bool leadingFlush() const { return m_leadingFlush; }
    /// When on, every flush selects the newest round (a live run); a pick turns it off until
    /// the next run starts.
    void setFollowLatest(bool follow) { m_followLatest = follow; }
    bool followLatest() const { return m_followLatest; }
    /// Looks up full records the history no longer holds (replay reads them from the store).
    void setRecordProvider(std::function<bool(int round, RoundRecord *out)> provider);

    void setScenario(const Scenario &scenario);
    void setXAxisMode(XAxisMode mode);
    XAxisMode xAxisMode() const { return m_mode; }
    int selectedRound() const { return m_selected; }
    const RoundHistory &history() const { return m_history; }
    /// The history's budget for whole timelines (RoundHistory: 64 MiB by default).
    void setTimelineBudget(std::size_t bytes) { m_history.setEventBudgetBytes(bytes); }
    /// True when `round` is held without its timeline (dropped to stay in budget) and no
    /// provider (a replay) can read it: a live run's old round.
    bool timelineDropped(int round) const
    {
        return !m_provider && m_history.find(round) && !m_history.hasTimeline(round);
    }
    int flushCount() const { return m_flushes; }
    bool hasPending() const { return !m_pending.empty(); }

public Q_SLOTS:
    /// Queues one record (a copy of it; tests and callers that keep theirs).
    void appendRound(const collapipe::RoundRecord &record);
    /// Queues one shared record without copying it (RunController::roundShared).
    void appendShared(const collapipe::SharedRound &record);
    /// Queues many at once (a replay loading a stored run).
    void appendRounds(const std::vector<collapipe::RoundRecord> &records);
    /// Hands everything queued to the panels now (also called by the timer).
    void flushNow();
    /// Selects `round` in every panel and emits the record if it can be found.
    void setSelectedRound(int round);
    /// Drops all data (new run / new replay).
    void clear();

Q_SIGNALS:
    /// The run's scenario (setScenario): views outside the hub (Gantt, decision table) take its
    /// cluster ids from here.
    void scenarioChanged(const collapipe::Scenario &scenario);
    void selectedRoundChanged(int round);
    /// The full record of the selected round (for the Gantt, the decision table, the canvas).
    void selectedRecordChanged(const collapipe::RoundRecord &record);
    /// The same record, shared (emitted right after selectedRecordChanged): views that keep it
    /// (RoundViewThrottle) hold it without a copy.
    void selectedSharedChanged(const collapipe::SharedRound &record);
    void flushed(int rounds);

private:
    void onPanelPicked(int round);
    void emitSelected(const SharedRound &record);

    std::vector<RoundPlot *> m_panels;
    std::vector<SharedRound> m_pending;
    /// Churn events found once per round for every panel (issue [7/7]).
    ChurnFeed m_churn;
    RoundHistory m_history;
    std::function<bool(int, RoundRecord *)> m_provider;
    QTimer m_timer;
    QElapsedTimer m_sinceFlush; ///< started by every flush
    int m_intervalMs = 40;
    bool m_leadingFlush = false;
    XAxisMode m_mode = XAxisMode::Round;
    int m_selected = -1;
    int m_flushes = 0;
    bool m_followLatest = true;
};

} // namespace collapipe
