// SPDX-License-Identifier: MIT
#include "ui/run/run_workspace.h"

#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/docks/property_dock.h"
#include "ui/docks/settings_dock.h"
#include "ui/export/plot_export.h"
#include "ui/file_controller.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/decision_table_model.h"
#include "ui/plots/decision_table_view.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/gantt_view.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/round_view_throttle.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/replay_bar.h"
#include "ui/runs/replay_controller.h"
#include "ui/runs/runs_browser.h"

#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>

namespace collapipe {

namespace {

QDockWidget *makeDock(
    MainWindow *window, const QString &title, const QString &name, QWidget *content)
{
    auto *dock = new QDockWidget(title, window);
    dock->setObjectName(name);
    dock->setWidget(content);
    return dock;
}

/// A dock whose content scrolls when the dock is smaller than the content's minimum (issue [1/7],
/// 1280 x 800: docks that forced their contents' minimum made the window taller than the screen).
/// The dock keeps a modest minimum of its own, so the first-run layout still gives it room.
QDockWidget *makeScrollingDock(
    MainWindow *window, const QString &title, const QString &name, QWidget *content)
{
    auto *scroll = new QScrollArea;
    scroll->setObjectName(name + QStringLiteral("Scroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumSize(content->minimumSizeHint().boundedTo(QSize(360, 220)));
    scroll->setWidget(content);
    return makeDock(window, title, name, scroll);
}

} // namespace

RunWorkspace *RunWorkspace::install(MainWindow *window)
{
    return new RunWorkspace(window);
}

RunWorkspace::RunWorkspace(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_controller(new RunController(this))
    , m_panel(new RunPanel(m_controller))
    , m_plots(new PlotsView)
    , m_ganttView(new GanttView)
    , m_gantt(m_ganttView->plot())
    , m_decisions(new DecisionTableView)
    , m_runs(new RunsBrowser)
    , m_compare(new CompareView)
    , m_replay(new ReplayController(m_plots->hub(), this))
    , m_replayBar(new ReplayBar(window))
    , m_roundViews(new RoundViewThrottle(this))
    , m_emptyPlotsFollow(new QTimer(this))
{
    PlotHub *hub = m_plots->hub();
    TopologyDocument *document = window->document();
    m_panel->attachDocument(document);
    m_panel->setPlotHub(hub, m_gantt);
    installPlotExportMenu(m_gantt);
    // The views that redraw a whole round get it at a bounded rate while a run streams.
    connect(hub, &PlotHub::selectedSharedChanged, m_roundViews, &RoundViewThrottle::setShared);
    connect(m_controller, &RunController::stateChanged, m_roundViews,
        [this](RunController::State state) {
            m_roundViews->setThrottling(state == RunController::State::Running);
        });
    connect(m_roundViews, &RoundViewThrottle::sharedChanged, this, &RunWorkspace::showInGantt);
    connect(m_roundViews, &RoundViewThrottle::recordChanged, m_decisions->model(),
        &DecisionTableModel::setRecord);
    // Clusters by the ids the canvas shows (issue [1/7] #7), from the run's own scenario; its
    // cluster and device names for the Gantt's and the decision table's search (issue [7/7]).
    connect(hub, &PlotHub::scenarioChanged, this, [this](const Scenario &scenario) {
        m_gantt->setScenario(scenario);
        m_decisions->setScenario(scenario);
    });
    // The canvas shows each device's segment, memory and link activity of the selected round.
    connect(m_roundViews, &RoundViewThrottle::recordChanged, window->scene(),
        &TopologyScene::showRound);
    connect(m_panel, &RunPanel::runStarted, this, [this, hub] {
        m_roundViews->dropPending();
        m_roundViews->setMinInterval(hub->refreshInterval()); // Watch: each round if cheap
        // Fast mode: the Gantt, table and canvas take at most ~10 % of the GUI thread (the
        // engine wants both cores; issue [7/7]: 1.25–1.70x the CLI at a third); Watch a third.
        m_roundViews->setIdleFactor(
            m_panel->mode() == RunPanel::Mode::Fast ? kFastViewIdleFactor : kWatchViewIdleFactor);
        m_replay->close();
        m_decisions->model()->clear();
        // clearRunViews() detaches a run it stops; a new run is followed again.
        connect(m_controller, &RunController::roundShared, hub, &PlotHub::appendShared,
            Qt::UniqueConnection);
    });
    connect(m_controller, &RunController::runFinished, this, [this] {
        if (m_runs->databasePath().isEmpty() || m_runs->databasePath() == m_panel->databasePath()) {
            m_runs->setDatabasePath(m_panel->databasePath());
        }
    });
    connect(m_runs, &RunsBrowser::openRequested, this,
        [this](const QString &db, qint64 id) { openReplay(db, id); });
    connect(m_runs, &RunsBrowser::compareRequested, this, &RunWorkspace::openCompare);
    connect(m_replay, &ReplayController::opened, this, &RunWorkspace::showReplay);
    connect(m_replay, &ReplayController::eventsLoaded, this, &RunWorkspace::onReplayEventsLoaded);
    connect(m_replay, &ReplayController::openFailed, this, [this](qint64, const QString &error) {
        if (!m_replayQuiet) {
            QMessageBox::warning(m_window, tr("Replay"), error);
        }
    });
    connect(m_compare, &CompareView::loaded, this, [this](bool ok, const QString &error) {
        if (!ok) {
            QMessageBox::warning(m_window, tr("Compare runs"), error);
        }
    });
    connect(m_replayBar, &ReplayBar::indexChanged, m_replay, &ReplayController::setRoundIndex);
    connect(m_replay, &ReplayController::roundChanged, m_replayBar, &ReplayBar::setRound);
    connect(m_replayBar, &ReplayBar::editCopyRequested, this, &RunWorkspace::editCopy);
    connect(m_replayBar, &ReplayBar::closeRequested, this, [this] {
        if (m_window->document()->isReadOnly()) {
            editCopy(); // the run's scenario stays on the canvas, editable
        }
        clearRunViews();
    });
    // Another scenario (Open, New, a recent file, a drop): no view may keep the old run.
    connect(document, &TopologyDocument::scenarioReset, this, [this] {
        if (!m_keepRunViews) {
            clearRunViews();
        }
    });
    connect(document, &TopologyDocument::readOnlyChanged, this, &RunWorkspace::applyReadOnly);
    // An empty panel names the scenario's devices (legend, budgets, capacities): it follows the
    // edits until a run or a replay fills it (a device added on the canvas was missing from the
    // queue legend, a deleted one stayed). Coalesced: a drag or a preset is one refresh.
    m_emptyPlotsFollow->setSingleShot(true);
    m_emptyPlotsFollow->setInterval(kEmptyPlotsFollowMs);
    connect(document, &TopologyDocument::changed, m_emptyPlotsFollow, qOverload<>(&QTimer::start));
    connect(m_emptyPlotsFollow, &QTimer::timeout, this, &RunWorkspace::followScenarioWhileEmpty);
    m_runs->setDatabasePath(m_panel->databasePath());
    window->addToolBarBreak(Qt::TopToolBarArea);
    window->addToolBar(Qt::TopToolBarArea, m_replayBar);

    QDockWidget *run = makeDock(window, tr("Run"), QStringLiteral("runDock"), m_panel);
    QDockWidget *plots
        = makeScrollingDock(window, tr("Plots"), QStringLiteral("plotsDock"), m_plots);
    // The Gantt scrolls inside its view, under a filter bar that stays in sight.
    QDockWidget *gantt
        = makeDock(window, tr("Pipeline Gantt"), QStringLiteral("ganttDock"), m_ganttView);
    m_ganttDock = gantt;
    connect(gantt, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        m_ganttOnScreen = visible;
        if (visible && m_ganttStale) {
            m_ganttStale = false;
            feedGantt(m_ganttRecord); // the round it missed while out of sight
        }
    });
    QDockWidget *decisions
        = makeScrollingDock(window, tr("Decision"), QStringLiteral("decisionDock"), m_decisions);
    // Tabbed behind the Gantt its columns wait; they fit the shown round when its tab is raised.
    connect(
        decisions, &QDockWidget::visibilityChanged, m_decisions, &DecisionTableView::setOnScreen);
    QDockWidget *runs = makeScrollingDock(window, tr("Runs"), QStringLiteral("runsDock"), m_runs);
    QDockWidget *compare
        = makeScrollingDock(window, tr("Compare"), QStringLiteral("compareDock"), m_compare);
    window->addDock(run, Qt::LeftDockWidgetArea);
    window->addDock(plots, Qt::BottomDockWidgetArea);
    window->addDock(gantt, Qt::BottomDockWidgetArea);
    window->addDock(runs, Qt::BottomDockWidgetArea);
    window->addDock(compare, Qt::BottomDockWidgetArea);
    window->addDock(decisions, Qt::BottomDockWidgetArea);
    // Plots | Gantt side by side first, then the others as tabs behind them.
    window->splitDockWidget(plots, gantt, Qt::Horizontal);
    window->tabifyDockWidget(plots, runs);
    window->tabifyDockWidget(plots, compare);
    window->tabifyDockWidget(gantt, decisions);
    plots->raise();
    gantt->raise();
    window->resizeDocks({plots}, {520}, Qt::Vertical);

    QMenu *menu = new QMenu(tr("&Run"), window);
    menu->addAction(
            tr("Start / Pause"), QKeySequence(Qt::Key_Space), m_panel, &RunPanel::startOrPause)
        ->setShortcutContext(Qt::WidgetShortcut); // the panel's own shortcut handles Space
    menu->addAction(tr("Step one round"), m_panel, &RunPanel::stepRun);
    menu->addAction(tr("Stop"), m_controller, &RunController::stop);
    window->menuBar()->insertMenu(window->helpMenu()->menuAction(), menu);
}

void RunWorkspace::showInGantt(const SharedRound &record)
{
    // A bar per timeline event makes the Gantt by far the costliest view (~75,000 bars for a
    // round of 1,000 devices): behind another tab it waits, and catches up when it shows.
    if (m_window->isVisible() && m_ganttDock && (!m_ganttDock->isVisible() || !m_ganttOnScreen)) {
        m_ganttRecord = record;
        m_ganttStale = true;
        return;
    }
    m_ganttStale = false;
    // Watch mode sweeps each new round over ~0.6 s, and every frame of the sweep redraws the whole
    // Gantt (~36 redraws a round, ~3.5 ms each at 100 clusters). A large round takes the engine
    // longer than Watch's pause, so the sweep ran whole beside the next round and took the CPU
    // from it (issue [7/7]: Watch 1.43 x the CLI with the timeline stored). While a run streams,
    // a large round is drawn at once (one redraw); a replay or a pick still sweeps.
    feedGantt(record);
}

void RunWorkspace::feedGantt(const SharedRound &record)
{
    if (!record) {
        return;
    }
    // A round of a live run whose timeline is not stored carries no events: the Gantt's builder
    // makes them off the GUI thread, for the Gantt alone (the engine skips them for the rounds
    // nobody draws; issue [7/7]).
    GanttRequest request;
    request.record = record;
    if (!m_replay->isOpen()) {
        request.timeline = m_controller->timelineInputs(*record);
    }
    request.animate = m_gantt->isAnimated();
    if (m_controller->isActive()) {
        request.sweepEventLimit = kLiveSweepEventLimit; // drawn at once (one redraw)
    }
    m_ganttFed = record;
    const bool building = request.timeline != nullptr;
    m_gantt->showRound(std::move(request));
    // An old round of a live run whose timeline RoundHistory let go: its lanes are empty, and
    // say why instead of looking like a round where nothing ran.
    if (!record->events.empty() || building) {
        return;
    }
    if (m_replay->isOpen()) {
        if (const QString error = m_replay->eventsError(record->round); !error.isEmpty()) {
            m_gantt->setTimelineNote(replayEventsFailedNote(record->round, error));
        } else if (m_replayWithoutTimeline && roundRan(*record)) {
            m_gantt->setTimelineNote(
                replayWithoutTimelineNote(record->round, m_replay->madeByExperiment()));
        }
    } else if (m_plots->hub()->timelineDropped(record->round)
        || m_controller->deferredTimelineDropped(record->round)) {
        m_gantt->setTimelineNote(tr("Timeline of round %1 not kept in memory (only the newest "
                                    "rounds' timelines are): store the run's timeline (\"store "
                                    "the Gantt timeline\") and replay the run to see it.")
                                     .arg(record->round));
    }
}

bool RunWorkspace::roundRan(const RoundRecord &record)
{
    return std::any_of(record.clusters.begin(), record.clusters.end(),
        [](const ClusterRound &c) { return !c.satOut; });
}

QString RunWorkspace::replayWithoutTimelineNote(int round, bool madeByExperiment)
{
    if (madeByExperiment) {
        // The experiment runner stores a timeline only when the experiment asks for it
        // (ExperimentSpec::events); the Studio's Experiments window never does.
        return tr("Round %1 has no timeline: this run was made by an experiment, and "
                  "experiments store none unless their file sets \"events\": true "
                  "(collapipe experiment).")
            .arg(round);
    }
    return tr("Round %1 has no timeline: this run was stored without it (\"store the Gantt "
              "timeline\" off, or collapipe run --events off).")
        .arg(round);
}

QString RunWorkspace::replayEventsFailedNote(int round, const QString &error)
{
    return tr("Round %1's timeline could not be read from the run database: %2")
        .arg(round)
        .arg(error);
}

void RunWorkspace::onReplayEventsLoaded(int round)
{
    // The events read for the round shown: none for a round where clusters ran means the run
    // was stored without its timeline; every round of it then says so.
    const SharedRound shown = m_ganttStale ? m_ganttRecord : m_ganttFed;
    if (!shown || shown->round != round || !shown->events.empty() || !roundRan(*shown)) {
        return;
    }
    // A read that failed says why; it does not mean the run has no timeline.
    if (const QString error = m_replay->eventsError(round); !error.isEmpty()) {
        if (!m_ganttStale) {
            m_gantt->setTimelineNote(replayEventsFailedNote(round, error));
        }
        return;
    }
    m_replayWithoutTimeline = true;
    if (!m_ganttStale) {
        m_gantt->setTimelineNote(replayWithoutTimelineNote(round, m_replay->madeByExperiment()));
    }
}

QDockWidget *RunWorkspace::dock(const QString &objectName) const
{
    return m_window->findChild<QDockWidget *>(objectName);
}

bool RunWorkspace::openReplay(const QString &dbPath, qint64 runId, bool quiet)
{
    const auto refuse = [this, quiet](const QString &message) {
        if (!quiet) {
            QMessageBox::warning(m_window, tr("Replay"), message);
        }
        return false;
    };
    if (m_controller->isActive()) {
        return refuse(tr("Stop the running run before replaying another."));
    }
    // The run's scenario replaces the canvas: never lose the user's edits for it.
    if (!quiet && !m_window->fileController()->maybeSave()) {
        return false;
    }
    // The rounds are read off the UI thread; showReplay() continues once they are here.
    m_replayQuiet = quiet;
    m_replay->open(dbPath, runId);
    return true;
}

void RunWorkspace::showReplay(qint64 runId)
{
    const QString reason = m_replay->scenarioValid()
        ? tr("Read-only: the scenario of run #%1, as it ran").arg(runId)
        : tr("Read-only: run #%1's stored scenario is damaged (%2)")
              .arg(runId)
              .arg(m_replay->scenarioError());
    m_replayWithoutTimeline = false;
    m_controller->forgetTimelines(); // the Gantt shows the replayed run's rounds now
    resetKeepingRunViews(m_replay->scenario());
    m_window->document()->setReadOnly(true, reason);
    m_replayBar->openRun(runId, m_replay->runName(), m_replay->roundCount());
    m_replayBar->setReadOnly(true, reason);
    m_panel->clearStatus();
    // The canvas was rebuilt for the run's scenario: show the selected round on it again.
    m_replay->setRoundIndex(0);
    if (QDockWidget *d = dock(QStringLiteral("plotsDock"))) {
        d->raise();
    }
}

void RunWorkspace::editCopy()
{
    if (!m_window->document()->isReadOnly()) {
        return;
    }
    resetKeepingRunViews(m_window->document()->scenario());
    m_window->statusBar()->showMessage(
        tr("The run's scenario is now an editable untitled copy; the stored run is unchanged."),
        8000);
}

void RunWorkspace::resetKeepingRunViews(const Scenario &scenario)
{
    m_keepRunViews = true;
    m_window->document()->reset(scenario, QString());
    m_keepRunViews = false;
    if (m_replay->isOpen() && m_replay->currentIndex() >= 0) {
        m_replay->setRoundIndex(m_replay->currentIndex()); // the canvas items are new
    }
}

void RunWorkspace::applyReadOnly(bool readOnly, const QString &reason)
{
    m_replayBar->setReadOnly(readOnly, reason);
    // No tool, drag or form may start an edit the document would refuse.
    m_window->view()->setInteractive(!readOnly);
    m_window->propertyDock()->widget()->setEnabled(!readOnly);
    m_window->settingsDock()->widget()->setEnabled(!readOnly);
}

void RunWorkspace::followScenarioWhileEmpty()
{
    PlotHub *hub = m_plots->hub();
    if (hub->history().size() == 0 && !hub->hasPending() && !m_controller->isActive()
        && !m_replay->isOpen()) {
        hub->setScenario(m_window->document()->scenario());
    }
}

void RunWorkspace::clearRunViews()
{
    PlotHub *hub = m_plots->hub();
    if (m_controller->isActive()) {
        // It ran on the previous scenario: stop it (its rounds stay stored) and stop following it.
        disconnect(m_controller, &RunController::roundShared, hub, &PlotHub::appendShared);
        m_controller->stop();
    }
    m_replay->close();
    m_replayBar->closeRun();
    m_roundViews->dropPending();
    m_ganttStale = false;
    m_ganttRecord.reset();
    m_ganttFed.reset();
    m_replayWithoutTimeline = false;
    m_controller->forgetTimelines();
    hub->clear();
    hub->setScenario(m_window->document()->scenario());
    m_gantt->clearRound();
    m_decisions->model()->clear();
    m_window->scene()->clearRound();
    m_panel->clearStatus();
}

void RunWorkspace::openCompare(const QString &dbPath, const QList<qint64> &runIds)
{
    QString error;
    if (!m_compare->load(dbPath, runIds, &error)) {
        QMessageBox::warning(m_window, tr("Compare runs"), error);
        return;
    }
    if (QDockWidget *d = dock(QStringLiteral("compareDock"))) {
        d->raise();
    }
}

} // namespace collapipe
