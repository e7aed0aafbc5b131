// SPDX-License-Identifier: MIT
// A campus-day run mid-dropout (issue [6/7] "A scenario that lives"): the Studio runs
// resources/scenarios/campus-day.json (trained, LoRA), then shows a round in which a device is
// away: its red cross and "away" chip on the canvas, the churn markers on every plot, the
// decision table's "away" row. Built on request only (target campus_screenshots):
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/tests/ui_run/campus_screenshots OUT_DIR
//   xvfb-run -a -s "-screen 0 1280x800x24" build/tests/ui_run/campus_screenshots OUT_DIR 1280x800
// writes studio-campus-day.png and the plots dock alone, studio-campus-day-plots.png (with
// "-1280x800" before ".png" at that size). A third argument caps the rounds. While the run
// streams (two thirds in), it also writes studio-campus-day-path.png: the walking phone
// selected, its waypoint path solid up to where the round has it, dashed beyond, its handles,
// and its path table in Properties.
#include "tests/screenshot_tools.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/docks/property_dock.h"
#include "ui/docks/waypoint_list_editor.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QScrollArea>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace collapipe;
using collapipe::test::save;
using collapipe::test::waitMs;

namespace {

/// The round to show: the middle of the run's longest stretch with a device away (so the canvas
/// has a cross to show and the plots markers on both sides), or −1.
int roundMidDropout(const RoundHistory &history, int lastRound)
{
    int bestStart = -1;
    int bestLength = 0;
    int start = -1;
    for (int t = 0; t <= lastRound + 1; ++t) {
        const RoundRecord *r = t <= lastRound ? history.find(t) : nullptr;
        bool away = false;
        if (r) {
            for (const DeviceRound &d : r->devices) {
                away = away || !d.present;
            }
        }
        if (away && start < 0) {
            start = t;
        } else if (!away && start >= 0) {
            if (t - start > bestLength) {
                bestLength = t - start;
                bestStart = start;
            }
            start = -1;
        }
    }
    return bestStart < 0 ? -1 : bestStart + bestLength / 2;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QApplication::setApplicationName(QStringLiteral("CollaPipe Studio screenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QDir::currentPath();
    const QString sizeArg = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    const int rounds = argc > 3 ? QString::fromLocal8Bit(argv[3]).toInt() : 0;
    const collapipe::test::ScreenshotSize shot = collapipe::test::screenshotSize(sizeArg);
    const QSize screenSize = shot.size;
    const QString &suffix = shot.suffix;
    QDir().mkpath(out);
    QTemporaryDir tmp;

    MainWindow window;
    RunWorkspace *ws = RunWorkspace::install(&window);
    window.openInitial(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/campus-day.json"));
    window.resize(screenSize);
    window.show();
    waitMs(500);

    RunPanel *panel = ws->runPanel();
    panel->setDatabasePath(tmp.filePath(QStringLiteral("runs.sqlite")));
    panel->setMode(RunPanel::Mode::Fast);
    if (rounds > 0) {
        panel->roundsBox()->setValue(rounds);
    }
    panel->trainBox()->setChecked(true);
    PlotHub *hub = ws->plots()->hub();
    const int pathRound = 2 * panel->roundsBox()->value() / 3;
    bool pathShot = false;
    bool pathOk = false;
    panel->startRun();
    {
        QEventLoop loop;
        QObject::connect(ws->controller(), &RunController::runFinished, &loop, &QEventLoop::quit);
        QTimer::singleShot(1'800'000, &loop, &QEventLoop::quit); // training under load: minutes
        // Mid-run, the walking phone's path shows where the streamed round has it.
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            const RoundRecord *latest = hub->history().latest();
            if (pathShot || !latest || latest->round < pathRound) {
                return;
            }
            pathShot = true;
            const ItemRef walker{ItemKind::Device, QStringLiteral("lib-walker")};
            window.scene()->selectRefs({walker});
            window.propertyDock()->raise();
            // Properties scrolled to the path table; the canvas zoomed onto the path.
            QPolygonF path{toScenePoint(window.document()->position(walker))};
            for (const Position &p : window.document()->waypoints(walker)) {
                path << toScenePoint(p);
            }
            const QRectF around = path.boundingRect().adjusted(-40, -40, 40, 40);
            TopologyView *view = window.view();
            for (int i = 0; i < 16; ++i) {
                const QRect shown = view->mapFromScene(around).boundingRect();
                if (shown.width() * 1.6 > view->viewport()->width()
                    || shown.height() * 1.6 > view->viewport()->height()) {
                    break;
                }
                view->zoomIn();
            }
            view->centerOn(around.center());
            waitMs(300); // Properties lays out the path table before it scrolls to it
            if (auto *scroll = qobject_cast<QScrollArea *>(window.propertyDock()->widget())) {
                scroll->ensureWidgetVisible(window.propertyDock()->waypoints(), 0, 0);
            }
            waitMs(400);
            std::printf("campus_screenshots: path at round %d\n", hub->history().latest()->round);
            pathOk
                = save(&window, out + QStringLiteral("/studio-campus-day-path%1.png").arg(suffix));
            window.scene()->selectRefs({});
            view->fitTopology();
        });
        poll.start(50);
        loop.exec();
    }
    if (!pathOk) {
        std::fprintf(stderr, "campus_screenshots: no path screenshot\n");
    }
    hub->flushNow();
    const int last = hub->history().latest() ? hub->history().latest()->round : -1;
    const int round = roundMidDropout(hub->history(), last);
    if (round < 0) {
        std::fprintf(stderr, "campus_screenshots: no round with a device away\n");
        return 1;
    }
    std::printf("campus_screenshots: round %d of %d\n", round, last + 1);
    hub->setSelectedRound(round);
    // The decision table over the Gantt: its "away" rows and late clusters are this round's churn.
    ws->dock(QStringLiteral("decisionDock"))->raise();
    waitMs(800);
    bool ok = save(&window, out + QStringLiteral("/studio-campus-day%1.png").arg(suffix));
    // The plots alone, at full resolution: the churn markers and their legend rows.
    ok = save(ws->dock(QStringLiteral("plotsDock")),
             out + QStringLiteral("/studio-campus-day-plots%1.png").arg(suffix))
        && ok;
    return ok && pathOk ? 0 : 1;
}
