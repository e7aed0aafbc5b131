// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QDockWidget;

namespace collapipe {

class CompareView;
class DecisionTableView;
class GanttPlot;
class MainWindow;
class PlotsView;
class ReplayController;
class RunController;
class RunPanel;
class RunsBrowser;

/// Everything of issue [6/6] "Run it live / Watch it / Compare and replay" as docks of the main
/// window: Run (panel), Plots, Pipeline Gantt, Decision, Runs, Compare. Creates the controllers
/// and wires them; the main window only calls install() (style.md anti-pattern 1).
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
    DecisionTableView *decisions() const { return m_decisions; }
    RunsBrowser *runsBrowser() const { return m_runs; }
    CompareView *compareView() const { return m_compare; }
    ReplayController *replay() const { return m_replay; }
    QDockWidget *dock(const QString &objectName) const;

private:
    explicit RunWorkspace(MainWindow *window);
    void openReplay(const QString &dbPath, qint64 runId);
    void openCompare(const QString &dbPath, const QList<qint64> &runIds);

    MainWindow *m_window;
    RunController *m_controller;
    RunPanel *m_panel;
    PlotsView *m_plots;
    GanttPlot *m_gantt;
    DecisionTableView *m_decisions;
    RunsBrowser *m_runs;
    CompareView *m_compare;
    ReplayController *m_replay;
};

} // namespace collapipe
