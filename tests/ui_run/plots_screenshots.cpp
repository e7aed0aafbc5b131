// SPDX-License-Identifier: MIT
// The live plot panels alone, in the states a first hour of use meets them: empty (before a run
// and after the scenario changed), filled by a run of default.json, and the aggregate view of a
// 100 × 10 run with devices of some clusters picked. Built on request (target plots_screenshots):
//   xvfb-run -a -s "-screen 0 1280x800x24" build/tests/ui_run/plots_screenshots OUT_DIR 1280x800
// writes plots-*-1280x800.png (no suffix at 1600 x 1000).
#include "core/scenario/scenario_json.h"
#include "tests/screenshot_tools.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/energy_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/round_plot.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"
#include "ui_run_fixtures.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>

using namespace collapipe;
using collapipe::test::save;
using collapipe::test::waitMs;

namespace {

/// The dock and, whole (the dock scrolls at 1280 × 800), each of its panels: plots-<state>-<panel>.
bool savePlots(QDockWidget *dock, PlotsView *view, const QString &out, const QString &state,
    const QString &suffix)
{
    bool ok = save(dock, out + QStringLiteral("/plots-%1%2.png").arg(state, suffix));
    for (RoundPlot *panel : view->panels()) {
        ok = save(panel,
                 out + QStringLiteral("/plots-%1-%2%3.png").arg(state, panel->objectName(), suffix))
            && ok;
    }
    return ok;
}

bool runPlotsCostOnly(RunWorkspace *ws, int rounds)
{
    RunPanel *panel = ws->runPanel();
    panel->setMode(RunPanel::Mode::Fast);
    panel->roundsBox()->setValue(rounds);
    panel->trainBox()->setChecked(false);
    QEventLoop loop;
    QObject::connect(ws->controller(), &RunController::runFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(600'000, &loop, &QEventLoop::quit);
    panel->startRun();
    loop.exec();
    ws->plots()->hub()->flushNow();
    return !ws->controller()->isActive();
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QApplication::setApplicationName(QStringLiteral("CollaPipe Studio screenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QDir::currentPath();
    const collapipe::test::ScreenshotSize shot
        = collapipe::test::screenshotSize(argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString());
    const QString &suffix = shot.suffix;
    QDir().mkpath(out);
    QTemporaryDir tmp;

    MainWindow window;
    RunWorkspace *ws = RunWorkspace::install(&window);
    window.openInitial(QString());
    window.resize(shot.size);
    window.show();
    ws->runPanel()->setDatabasePath(tmp.filePath(QStringLiteral("runs.sqlite")));
    QDockWidget *plots = ws->dock(QStringLiteral("plotsDock"));
    plots->raise();
    waitMs(600);
    bool ok = save(&window, out + QStringLiteral("/plots-empty%1.png").arg(suffix));
    ok = savePlots(plots, ws->plots(), out, QStringLiteral("empty-dock"), suffix) && ok;

    {
        // Mid-run, as studio_screenshots grabs its live run.
        RunPanel *panel = ws->runPanel();
        panel->setMode(RunPanel::Mode::Fast);
        panel->roundsBox()->setValue(16);
        panel->trainBox()->setChecked(false);
        QEventLoop live;
        QObject::connect(ws->controller(), &RunController::progressChanged, &live,
            [&live](const RunProgress &p) {
                if (p.roundsDone >= 8) {
                    live.quit();
                }
            });
        QObject::connect(ws->controller(), &RunController::runFinished, &live, &QEventLoop::quit);
        panel->startRun();
        live.exec();
        ws->plots()->hub()->flushNow();
        waitMs(400);
        ok = savePlots(plots, ws->plots(), out, QStringLiteral("live"), suffix) && ok;
        QEventLoop done;
        QObject::connect(ws->controller(), &RunController::runFinished, &done, &QEventLoop::quit);
        if (ws->controller()->isActive()) {
            done.exec();
        }
    }
    ok = runPlotsCostOnly(ws, 12) && ok;
    waitMs(400);
    ok = savePlots(plots, ws->plots(), out, QStringLiteral("default"), suffix) && ok;

    const Scenario big = collapipe::testing::scaleScenario(window.document()->scenario(), 100);
    window.document()->reset(big, QString());
    waitMs(600);
    ok = savePlots(plots, ws->plots(), out, QStringLiteral("100x10-empty"), suffix) && ok;
    ok = runPlotsCostOnly(ws, 6) && ok;
    waitMs(400);
    ok = savePlots(plots, ws->plots(), out, QStringLiteral("100x10"), suffix) && ok;
    ws->plots()->pickClusters(QStringLiteral("c1-c2"));
    waitMs(400);
    ok = savePlots(plots, ws->plots(), out, QStringLiteral("100x10-pick"), suffix) && ok;
    // A token that names no cluster: the error beside the field, the pick as it was.
    ws->plots()->pickClusters(QStringLiteral("c1..c3, x9"));
    waitMs(300);
    ok = save(plots, out + QStringLiteral("/plots-100x10-pick-error%1.png").arg(suffix)) && ok;
    // The energy panel's y axis set to logarithmic from its menu.
    ws->plots()->energyPlot()->setValueScale(RoundPlot::ValueScale::Log);
    waitMs(300);
    ok = save(ws->plots()->energyPlot(),
             out + QStringLiteral("/plots-100x10-energy-log%1.png").arg(suffix))
        && ok;
    return ok ? 0 : 1;
}
