// SPDX-License-Identifier: MIT
#include "ui/run/run_workspace.h"

#include "ui/canvas/topology_scene.h"
#include "ui/export/plot_export.h"
#include "ui/main_window.h"
#include "ui/plots/decision_table_model.h"
#include "ui/plots/decision_table_view.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/replay_controller.h"
#include "ui/runs/runs_browser.h"

#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

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
    , m_gantt(new GanttPlot)
    , m_decisions(new DecisionTableView)
    , m_runs(new RunsBrowser)
    , m_compare(new CompareView)
    , m_replay(new ReplayController(m_plots->hub(), this))
{
    PlotHub *hub = m_plots->hub();
    m_panel->attachDocument(window->document());
    m_panel->setPlotHub(hub, m_gantt);
    installPlotExportMenu(m_gantt);
    connect(hub, &PlotHub::selectedRecordChanged, m_gantt, &GanttPlot::setRecord);
    connect(
        hub, &PlotHub::selectedRecordChanged, m_decisions->model(), &DecisionTableModel::setRecord);
    // The canvas shows each device's segment, memory and link activity of the selected round.
    connect(hub, &PlotHub::selectedRecordChanged, window->scene(), &TopologyScene::showRound);
    connect(m_panel, &RunPanel::runStarted, this, [this] {
        m_replay->close();
        m_decisions->model()->clear();
    });
    connect(m_controller, &RunController::runFinished, this, [this] {
        if (m_runs->databasePath().isEmpty() || m_runs->databasePath() == m_panel->databasePath()) {
            m_runs->setDatabasePath(m_panel->databasePath());
        }
    });
    connect(m_runs, &RunsBrowser::openRequested, this, &RunWorkspace::openReplay);
    connect(m_runs, &RunsBrowser::compareRequested, this, &RunWorkspace::openCompare);
    connect(m_runs, &RunsBrowser::replayIndexChanged, m_replay, &ReplayController::setRoundIndex);
    connect(m_replay, &ReplayController::opened, m_runs, &RunsBrowser::setReplayRounds);
    connect(m_replay, &ReplayController::roundChanged, m_runs, &RunsBrowser::setReplayRound);
    m_runs->setDatabasePath(m_panel->databasePath());

    QDockWidget *run = makeDock(window, tr("Run"), QStringLiteral("runDock"), m_panel);
    QDockWidget *plots = makeDock(window, tr("Plots"), QStringLiteral("plotsDock"), m_plots);
    QDockWidget *gantt
        = makeDock(window, tr("Pipeline Gantt"), QStringLiteral("ganttDock"), m_gantt);
    QDockWidget *decisions
        = makeDock(window, tr("Decision"), QStringLiteral("decisionDock"), m_decisions);
    QDockWidget *runs = makeDock(window, tr("Runs"), QStringLiteral("runsDock"), m_runs);
    QDockWidget *compare
        = makeDock(window, tr("Compare"), QStringLiteral("compareDock"), m_compare);
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

QDockWidget *RunWorkspace::dock(const QString &objectName) const
{
    return m_window->findChild<QDockWidget *>(objectName);
}

void RunWorkspace::openReplay(const QString &dbPath, qint64 runId)
{
    if (m_controller->isActive()) {
        QMessageBox::information(
            m_window, tr("Replay"), tr("Stop the running run before replaying another."));
        return;
    }
    QString error;
    if (!m_replay->open(dbPath, runId, &error)) {
        QMessageBox::warning(m_window, tr("Replay"), error);
        return;
    }
    if (QDockWidget *d = dock(QStringLiteral("plotsDock"))) {
        d->raise();
    }
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
