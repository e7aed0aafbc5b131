// SPDX-License-Identifier: MIT
// Drives the Studio through a live run, the Gantt and a comparison and saves the screenshots of
// resources/screenshots/ (issue [6/6]). Built on request only (target studio_screenshots); run:
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/tests/ui_run/studio_screenshots OUT_DIR
#include "core/optimizer/policy.h"
#include "ui/main_window.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"
#include "ui/runs/runs_browser.h"
#include "ui/runs/runs_model.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QItemSelectionModel>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace collapipe;

namespace {

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool waitForRun(RunController *controller, int timeoutMs)
{
    QEventLoop loop;
    QObject::connect(controller, &RunController::runFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return !controller->isActive();
}

bool save(QWidget *w, const QString &path)
{
    const bool ok = w->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QApplication::setApplicationName(QStringLiteral("CollaPipe Studio screenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QDir::currentPath();
    QDir().mkpath(out);
    QTemporaryDir tmp;

    MainWindow window;
    RunWorkspace *ws = RunWorkspace::install(&window);
    window.openInitial(QString());
    window.resize(1600, 1000);
    window.show();
    waitMs(500);

    RunPanel *panel = ws->runPanel();
    panel->setDatabasePath(tmp.filePath(QStringLiteral("runs.sqlite")));
    ws->runsBrowser()->setDatabasePath(panel->databasePath());
    panel->setMode(RunPanel::Mode::Fast);
    panel->roundsBox()->setValue(24);
    panel->trainBox()->setChecked(true);

    // 1. A live run, grabbed while it runs with every panel filled.
    panel->startRun();
    QEventLoop live;
    QObject::connect(
        ws->controller(), &RunController::progressChanged, &live, [&live](const RunProgress &p) {
            if (p.roundsDone >= 18) {
                live.quit();
            }
        });
    QObject::connect(ws->controller(), &RunController::runFinished, &live, &QEventLoop::quit);
    QTimer::singleShot(300'000, &live, &QEventLoop::quit);
    live.exec();
    ws->plots()->hub()->flushNow();
    waitMs(400);
    bool ok = save(&window, out + QStringLiteral("/studio-run.png"));
    waitForRun(ws->controller(), 300'000);

    // 2. The Gantt of a round in the middle, floated large.
    ws->plots()->hub()->setSelectedRound(12);
    QDockWidget *gantt = ws->dock(QStringLiteral("ganttDock"));
    gantt->setFloating(true);
    gantt->resize(1500, 820);
    gantt->show();
    waitMs(500);
    ok = save(gantt, out + QStringLiteral("/studio-gantt.png")) && ok;
    gantt->setFloating(false);

    // 3. A second run with another policy, then both compared.
    const QStringList policies = policyNames();
    panel->policyBox()->setCurrentIndex(policies.indexOf(QStringLiteral("uniform")) >= 0
            ? int(policies.indexOf(QStringLiteral("uniform")))
            : 0);
    panel->startRun();
    waitForRun(ws->controller(), 300'000);
    RunsBrowser *browser = ws->runsBrowser();
    browser->refresh();
    browser->table()->selectAll();
    QDockWidget *compareDock = ws->dock(QStringLiteral("compareDock"));
    Q_EMIT browser->compareRequested(browser->databasePath(), browser->selectedRuns());
    compareDock->raise();
    ws->dock(QStringLiteral("ganttDock"))->hide(); // give the comparison the full width
    ws->dock(QStringLiteral("decisionDock"))->hide();
    window.resizeDocks({compareDock}, {720}, Qt::Vertical);
    waitMs(600);
    ok = save(&window, out + QStringLiteral("/studio-compare.png")) && ok;
    return ok ? 0 : 1;
}
