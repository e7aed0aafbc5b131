// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/types/round_record.h"
#include "core/types/shared_round.h"

#include <QObject>

class QDockWidget;
class QTimer;

namespace collapipe {

class CompareView;
class DecisionTableView;
class GanttPlot;
class GanttView;
class MainWindow;
class PlotsView;
class ReplayBar;
class ReplayController;
class RunController;
class RunPanel;
class RunsBrowser;
class RoundViewThrottle;

/// Everything of issue [6/6] "Run it live / Watch it / Compare and replay" as docks of the main
/// window: Run (panel), Plots, Pipeline Gantt, Decision, Runs, Compare, and the replay bar above
/// them. Creates the controllers and wires them; the main window only calls install() (style.md
/// anti-pattern 1). The run views always describe the scenario on the canvas (issue [1/7] #4):
/// opening a scenario (or New) clears every one of them (plots, Gantt, decision table, run
/// status, canvas overlay, replay); opening a stored run puts that run's own scenario on the
/// canvas, read-only, until "Edit a copy" makes it an editable untitled document.
class RunWorkspace : public QObject
{
    Q_OBJECT

public:
    /// Builds the docks and adds them to `window` (before it is first shown).
    static RunWorkspace *install(MainWindow *window);

    RunController *controller() const { return m_controller; }
    RunPanel *runPanel() const { return m_panel; }
    PlotsView *plots() const { return m_plots; }
    GanttPlot *gantt() const { return m_gantt; }
    /// The Gantt with its cluster filter bar (the Gantt dock's content).
    GanttView *ganttView() const { return m_ganttView; }
    DecisionTableView *decisions() const { return m_decisions; }
    RunsBrowser *runsBrowser() const { return m_runs; }
    CompareView *compareView() const { return m_compare; }
    ReplayController *replay() const { return m_replay; }
    ReplayBar *replayBar() const { return m_replayBar; }
    /// Between the plots' selected round and the Gantt, decision table and canvas overlay.
    RoundViewThrottle *roundViewThrottle() const { return m_roundViews; }
    /// While a run streams, a round with more timeline events than this is drawn in the Gantt at
    /// once even in Watch mode (no sweep): ~130 devices; default.json has ~1,200 events a round,
    /// 100 clusters x 10 devices ~76,000.
    static constexpr std::size_t kLiveSweepEventLimit = 10'000;
    /// RoundViewThrottle::setIdleFactor() per mode: Fast leaves the engine the CPU (views at
    /// most ~1/10 of the GUI thread), Watch shows more rounds (at most ~1/3).
    static constexpr int kFastViewIdleFactor = 9;
    static constexpr int kWatchViewIdleFactor = 2;
    /// Edits within this many ms refresh the empty plots once.
    static constexpr int kEmptyPlotsFollowMs = 150;
    QDockWidget *dock(const QString &objectName) const;

    /// Replays run `runId` of `dbPath` (the runs browser's Open): asks to save a modified
    /// scenario first, then starts reading the run off the UI thread; once read, its scenario
    /// shows read-only and its rounds in every view (replay()->opened()). False (and a message
    /// box unless `quiet`) when refused; an unreadable run gives the message box later.
    bool openReplay(const QString &dbPath, qint64 runId, bool quiet = false);
    /// The replayed scenario becomes an editable untitled document; the replay stays open.
    void editCopy();
    /// Closes the replay and empties every run view.
    void clearRunViews();

private:
    explicit RunWorkspace(MainWindow *window);
    void openCompare(const QString &dbPath, const QList<qint64> &runIds);
    void showReplay(qint64 runId);
    void applyReadOnly(bool readOnly, const QString &reason);
    /// The selected round into the Gantt, or kept for it while its dock is out of sight.
    void showInGantt(const SharedRound &record);
    /// Hands `record` to the Gantt, built off the GUI thread (a live round whose events were left
    /// to be built on demand gets them there: RunController::timelineInputs()); swept in Watch
    /// mode unless a run streams and the round is too large for the sweep
    /// (kLiveSweepEventLimit).
    void feedGantt(const SharedRound &record);
    /// Replaces the document's scenario without clearing the run views (they show its run).
    void resetKeepingRunViews(const Scenario &scenario);
    /// A replayed round's events arrived (ReplayController::eventsLoaded).
    void onReplayEventsLoaded(int round);
    /// Some cluster trained in the round (one where none did has no timeline anyway).
    static bool roundRan(const RoundRecord &record);
    /// The document changed: empty plots take its devices (no run or replay fills them).
    void followScenarioWhileEmpty();
    /// Why the replayed run has no timeline: the Run panel's switch or `--events off`, or for a
    /// run an experiment made, the experiment's "events" (off unless its file turns it on).
    static QString replayWithoutTimelineNote(int round, bool madeByExperiment);
    static QString replayEventsFailedNote(int round, const QString &error);

    MainWindow *m_window;
    RunController *m_controller;
    RunPanel *m_panel;
    PlotsView *m_plots;
    GanttView *m_ganttView;
    GanttPlot *m_gantt;
    DecisionTableView *m_decisions;
    RunsBrowser *m_runs;
    CompareView *m_compare;
    ReplayController *m_replay;
    ReplayBar *m_replayBar;
    RoundViewThrottle *m_roundViews;
    QTimer *m_emptyPlotsFollow; ///< single shot: the empty plots take the edited scenario
    QDockWidget *m_ganttDock = nullptr;
    /// The Gantt dock's last QDockWidget::visibilityChanged: tabbed behind another dock it
    /// still reports isVisible() (Qt 6.4), so this says whether it is really on screen.
    bool m_ganttOnScreen = true;
    SharedRound m_ganttRecord; ///< the round the Gantt missed while out of sight
    bool m_ganttStale = false;
    SharedRound m_ganttFed; ///< the round last handed to the Gantt (its events built if deferred)
    /// The replayed run was stored without its timeline (a round that ran had no events).
    bool m_replayWithoutTimeline = false;
    bool m_keepRunViews = false; ///< the document reset comes from the replay itself
    bool m_replayQuiet = false;  ///< the pending replay reports errors without a message box
};

} // namespace collapipe
