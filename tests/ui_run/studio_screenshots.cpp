// SPDX-License-Identifier: MIT
// Drives the Studio through a live run, the Gantt, a comparison and a replay and saves the
// screenshots of resources/screenshots/ (issue [6/6], [1/7]). Built on request only (target
// studio_screenshots); run at each screen size the Studio must read at a glance:
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/tests/ui_run/studio_screenshots OUT_DIR
//   xvfb-run -a -s "-screen 0 1280x800x24" build/tests/ui_run/studio_screenshots OUT_DIR 1280x800
// The second form writes studio-run-1280x800.png etc. A third argument "scale" writes only the
// Gantt and the decision table of a 100 × 10 run (issue [7/7]): studio-gantt-100x10*.png, …
#include "core/optimizer/policy.h"
#include "core/scenario/scenario_generator.h"
#include "tests/screenshot_tools.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/cluster_row_filter.h"
#include "ui/plots/decision_table_model.h"
#include "ui/plots/decision_table_view.h"
#include "ui/plots/decision_tree_model.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"
#include "ui/runs/replay_bar.h"
#include "ui/runs/replay_controller.h"
#include "ui/runs/runs_browser.h"
#include "ui/runs/runs_model.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cstdio>

using namespace collapipe;
using collapipe::test::save;
using collapipe::test::waitMs;

namespace {

bool waitForRun(RunController *controller, int timeoutMs)
{
    QEventLoop loop;
    QObject::connect(controller, &RunController::runFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return !controller->isActive();
}

/// Runs `rounds` cost-only rounds of the canvas' scenario (Fast) to the end.
bool runCostOnly(RunWorkspace *ws, int rounds)
{
    RunPanel *panel = ws->runPanel();
    panel->setMode(RunPanel::Mode::Fast);
    panel->roundsBox()->setValue(rounds);
    panel->trainBox()->setChecked(false);
    panel->startRun();
    const bool done = waitForRun(ws->controller(), 600'000);
    if (auto *status = panel->findChild<QLabel *>(QStringLiteral("runStatus"))) {
        std::printf("run: %s\n", qPrintable(status->text()));
    }
    ws->plots()->hub()->flushNow();
    return done;
}

/// The run chips (device segment chips) the canvas shows now, wholly inside its viewport.
int shownChips(const TopologyView *view)
{
    const QTransform vt = view->viewportTransform();
    const QRectF viewport = view->viewport()->rect();
    int shown = 0;
    for (const QGraphicsItem *item : view->scene()->items()) {
        const auto *badge = dynamic_cast<const DeviceRunBadge *>(item);
        shown += badge && badge->isVisible() && badge->isChipShown()
                && viewport.contains(badge->deviceTransform(vt).mapRect(badge->chipRect()))
            ? 1
            : 0;
    }
    return shown;
}

/// The canvas zoomed in from fit on the cluster with the most devices, to the first step that
/// shows the most run chips (at fit zoom the clusters are glyphs, without chips): where chips
/// crowd, and must not overlap.
void zoomToChips(MainWindow &window)
{
    TopologyView *view = window.view();
    const std::vector<Cluster> &clusters = window.document()->scenario().topology.clusters;
    const auto largest = std::max_element(clusters.begin(), clusters.end(),
        [](const Cluster &a, const Cluster &b) { return a.devices.size() < b.devices.size(); });
    const QGraphicsItem *hull
        = largest != clusters.end() ? window.scene()->hullItem(largest->id) : nullptr;
    const auto zoomTo = [&](int steps) {
        view->fitTopology();
        for (int step = 0; step < steps; ++step) {
            view->zoomIn();
        }
        if (hull) {
            view->centerOn(hull->sceneBoundingRect().center());
        }
        return shownChips(view);
    };
    int best = zoomTo(0);
    int bestStep = 0;
    for (int step = 1; step <= 8; ++step) {
        if (const int shown = zoomTo(step); shown > best) {
            best = shown;
            bestStep = step;
        }
    }
    zoomTo(bestStep);
    std::printf("canvas: %d run chips shown %d zoom steps in from fit\n", best, bestStep);
}

/// Issue [7/7]: the Gantt and the decision table of a 100 × 10 run (collapipe generate's recipe
/// from default.json), with a deadline that leaves the slowest clusters out and devices of three
/// clusters that come and go (dropouts, re-plans), so the summary rows show their marks.
bool scaleShots(MainWindow &window, RunWorkspace *ws, const QString &out, const QString &suffix,
    QSize screenSize)
{
    GeneratorRecipe recipe;
    recipe.clusters = 100;
    recipe.devicesPerCluster = 10;
    for (const Device &preset : devicePresetsOf(window.document()->scenario())) {
        recipe.mix.push_back(PresetShare{preset, 1.0});
    }
    Scenario big = generateScenario(window.document()->scenario(), recipe);
    window.document()->reset(big, QString());
    if (!runCostOnly(ws, 1) || !ws->plots()->hub()->history().latest()) {
        return false;
    }
    std::vector<double> latencies;
    for (const ClusterRound &c : ws->plots()->hub()->history().latest()->clusters) {
        latencies.push_back(c.latencyS);
    }
    std::sort(latencies.begin(), latencies.end());
    const double median = latencies[latencies.size() / 2];
    big.training.deadlineS = latencies[latencies.size() * 8 / 10];
    // One device of each of three clusters comes and goes (more leave some clusters unable to
    // hold the encoder: DSSDA then reports the round infeasible).
    for (int n : {2, 7, 14}) {
        Device &d = big.topology.clusters[std::size_t(n)].devices.front();
        d.availability.kind = AvailabilityKind::Markov;
        d.availability.meanUpS = 0.5 * median;
        d.availability.meanDownS = 2.0 * median;
    }
    window.document()->reset(big, QString());
    if (!runCostOnly(ws, 3)) {
        return false;
    }
    ws->plots()->hub()->setSelectedRound(2);
    std::printf("100 x 10 run: %d rounds, deadline %.3g s, Gantt round %d\n",
        int(ws->plots()->hub()->history().size()), big.training.deadlineS, ws->gantt()->round());
    bool ok = true;

    QDockWidget *gantt = ws->dock(QStringLiteral("ganttDock"));
    gantt->setFloating(true);
    gantt->resize(screenSize.width() - 100, screenSize.height() - 180);
    gantt->show();
    GanttPlot *plot = ws->gantt();
    plot->filter()->setExpanded(1, true); // c2 open among the collapsed others
    waitMs(500);
    ok = save(gantt, out + QStringLiteral("/studio-gantt-100x10%1.png").arg(suffix)) && ok;
    plot->filter()->setSearchText(QStringLiteral("Cluster 4"));
    plot->filter()->setExpanded(3, true);
    waitMs(500);
    ok = save(gantt, out + QStringLiteral("/studio-gantt-100x10-search%1.png").arg(suffix)) && ok;
    plot->filter()->setSearchText(QString());
    gantt->setFloating(false);

    QDockWidget *decision = ws->dock(QStringLiteral("decisionDock"));
    decision->setFloating(true);
    decision->resize(screenSize.width() - 100, screenSize.height() * 2 / 3);
    decision->show();
    DecisionTableView *table = ws->decisions();
    table->tree()->expand(table->treeModel()->index(2, 0)); // c3: devices came and went
    waitMs(500);
    ok = save(decision, out + QStringLiteral("/studio-decision-100x10%1.png").arg(suffix)) && ok;
    table->filter()->setSearchText(QStringLiteral("c1-d"));
    waitMs(500);
    ok = save(decision, out + QStringLiteral("/studio-decision-100x10-search%1.png").arg(suffix))
        && ok;
    decision->setFloating(false);
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QApplication::setApplicationName(QStringLiteral("CollaPipe Studio screenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QDir::currentPath();
    const QString sizeArg = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    // The README's size keeps the plain names; other sizes get theirs ("studio-run-1280x800.png").
    const collapipe::test::ScreenshotSize shot = collapipe::test::screenshotSize(sizeArg);
    const QSize screenSize = shot.size;
    const QString &suffix = shot.suffix;
    const bool scaleOnly = argc > 3 && QLatin1String(argv[3]) == QLatin1String("scale");
    QDir().mkpath(out);
    QTemporaryDir tmp;

    MainWindow window;
    RunWorkspace *ws = RunWorkspace::install(&window);
    window.openInitial(QString());
    window.resize(screenSize);
    window.show();
    waitMs(500);

    RunPanel *panel = ws->runPanel();
    panel->setDatabasePath(tmp.filePath(QStringLiteral("runs.sqlite")));
    ws->runsBrowser()->setDatabasePath(panel->databasePath());
    if (scaleOnly) {
        return scaleShots(window, ws, out, suffix, screenSize) ? 0 : 1;
    }
    panel->setMode(RunPanel::Mode::Fast);
    panel->roundsBox()->setValue(16);
    panel->trainBox()->setChecked(true);

    // 1. A live run, grabbed while it runs with every panel filled.
    panel->startRun();
    QEventLoop live;
    QObject::connect(
        ws->controller(), &RunController::progressChanged, &live, [&live](const RunProgress &p) {
            if (p.roundsDone >= 12) {
                live.quit();
            }
        });
    QObject::connect(ws->controller(), &RunController::runFinished, &live, &QEventLoop::quit);
    QTimer::singleShot(1'800'000, &live, &QEventLoop::quit);
    live.exec();
    ws->plots()->hub()->flushNow();
    waitMs(400);
    bool ok = save(&window, out + QStringLiteral("/studio-run%1.png").arg(suffix));
    waitForRun(ws->controller(), 1'800'000); // training under load can take minutes

    // 2. The Gantt of a round in the middle, floated large.
    ws->plots()->hub()->setSelectedRound(12);
    QDockWidget *gantt = ws->dock(QStringLiteral("ganttDock"));
    gantt->setFloating(true);
    gantt->resize(screenSize.width() - 100, screenSize.height() - 180);
    gantt->show();
    waitMs(500);
    ok = save(gantt, out + QStringLiteral("/studio-gantt%1.png").arg(suffix)) && ok;
    gantt->setFloating(false);

    // 2b. The decision table of that round, floated at a readable size.
    QDockWidget *decision = ws->dock(QStringLiteral("decisionDock"));
    decision->setFloating(true);
    decision->resize(screenSize.width() * 3 / 4, screenSize.height() / 2);
    decision->show();
    waitMs(500);
    ok = save(decision, out + QStringLiteral("/studio-decision%1.png").arg(suffix)) && ok;
    decision->setFloating(false);

    // 3. A second run with another policy, then both compared.
    const QStringList policies = policyNames();
    panel->policyBox()->setCurrentIndex(policies.indexOf(QStringLiteral("uniform")) >= 0
            ? int(policies.indexOf(QStringLiteral("uniform")))
            : 0);
    panel->startRun();
    waitForRun(ws->controller(), 1'800'000); // training under load can take minutes
    RunsBrowser *browser = ws->runsBrowser();
    {
        // The list is read off the UI thread: wait for it before selecting.
        QEventLoop loop;
        QObject::connect(browser, &RunsBrowser::refreshed, &loop, &QEventLoop::quit);
        QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
        browser->refresh();
        loop.exec();
    }
    browser->table()->selectAll();
    QDockWidget *compareDock = ws->dock(QStringLiteral("compareDock"));
    ws->dock(QStringLiteral("runsDock"))->raise();
    waitMs(400);
    ok = save(&window, out + QStringLiteral("/studio-runs%1.png").arg(suffix)) && ok;
    Q_EMIT browser->compareRequested(browser->databasePath(), browser->selectedRuns());
    compareDock->raise();
    ws->dock(QStringLiteral("ganttDock"))->hide(); // give the comparison the full width
    ws->dock(QStringLiteral("decisionDock"))->hide();
    window.resizeDocks({compareDock}, {screenSize.height() * 7 / 10}, Qt::Vertical);
    waitMs(600);
    ok = save(&window, out + QStringLiteral("/studio-compare%1.png").arg(suffix)) && ok;
    zoomToChips(window);
    waitMs(400);
    ok = save(&window, out + QStringLiteral("/studio-compare-zoomed%1.png").arg(suffix)) && ok;
    window.view()->fitTopology();

    // 4. The first run replayed: its scenario read-only on the canvas, scrubbed to the middle.
    ws->dock(QStringLiteral("ganttDock"))->show();
    ws->dock(QStringLiteral("plotsDock"))->raise();
    window.resizeDocks(
        {ws->dock(QStringLiteral("plotsDock"))}, {screenSize.height() / 2}, Qt::Vertical);
    const QList<qint64> runs = browser->selectedRuns();
    QEventLoop replayed;
    QObject::connect(ws->replay(), &ReplayController::opened, &replayed, &QEventLoop::quit);
    QTimer::singleShot(60'000, &replayed, &QEventLoop::quit);
    if (!runs.isEmpty() && ws->openReplay(browser->databasePath(), runs.last(), true)
        && (replayed.exec(), ws->replay()->isOpen())) {
        ws->replayBar()->slider()->setValue(ws->replayBar()->slider()->maximum() / 2);
        waitMs(600);
        ok = save(&window, out + QStringLiteral("/studio-replay%1.png").arg(suffix)) && ok;
        zoomToChips(window);
        waitMs(400);
        ok = save(&window, out + QStringLiteral("/studio-replay-zoomed%1.png").arg(suffix)) && ok;
    }
    return ok ? 0 : 1;
}
