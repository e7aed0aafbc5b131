// SPDX-License-Identifier: MIT
// "The UI thread never blocks", the Gantt's part: how long the GUI thread is held per drawn
// round of the Gantt. The whole main window at 1280 x 800 runs FILE live from its run panel
// (Fast mode, the timeline not stored: each drawn round's timeline is built for the Gantt), then
// every round is picked in turn (as a replay scrub or a click in the plots does), then the
// cluster filter is changed a few times. Per drawn round it gives, in ms:
//   slot   the Gantt's part of the round hand-over on the GUI thread (RoundViewThrottle's
//          delivery: from its last recordChanged slot to the end of sharedChanged's, i.e.
//          RunWorkspace::showInGantt with the timeline build, the layout and the rects when
//          they are made there), in the GUI thread's CPU time (wall time on a loaded machine
//          also counts the other threads' turns);
//   apply  a built round taken in (the builder's result, on the GUI thread; 0 when none), CPU;
//   block  the longest of the two: the longest the Gantt alone holds the GUI thread at a time;
//   event  the longest GUI-thread event (any receiver, paints included) while the round was
//          drawn, wall (the load included): what a click waits for at worst;
//   replot the Gantt's replots (QCustomPlot::replotTime, rows in sight only).
// Each as median and max, with the load average.
// usage: bench_studio_gantt FILE [--rounds N] [--picks K]
//   Run under `xvfb-run -a -s "-screen 0 1600x1000x24"` or QT_QPA_PLATFORM=offscreen.
// The same source builds against a tree whose Gantt builds on the GUI thread (no builder
// object: apply is 0 there), for before/after figures.
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/cluster_row_filter.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/round_view_throttle.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

using namespace collapipe;

namespace {

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/// Times every GUI-thread event dispatched at the outermost level (nested ones are inside it).
class TimedApp : public QApplication
{
public:
    using QApplication::QApplication;
    QObject *applyReceiver = nullptr; ///< the Gantt's builder (its results arrive as events)
    double applyMs = 0.0;             ///< summed since reset
    double longestEventMs = 0.0;      ///< since reset

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth > 0 || QThread::currentThread() != thread()) {
            ++m_depth;
            const bool r = QApplication::notify(receiver, event);
            --m_depth;
            return r;
        }
        ++m_depth;
        QElapsedTimer t;
        t.start();
        const double cpu0 = threadCpuMs();
        const bool isApply = applyReceiver && receiver == applyReceiver;
        const bool r = QApplication::notify(receiver, event);
        const double ms = t.nsecsElapsed() / 1e6;
        --m_depth;
        longestEventMs = std::max(longestEventMs, ms);
        if (isApply) {
            applyMs += threadCpuMs() - cpu0;
        }
        return r;
    }
    void reset()
    {
        applyMs = 0.0;
        longestEventMs = 0.0;
    }

private:
    int m_depth = 0;
};

struct Drawn
{
    double slotMs = 0.0;
    double applyMs = 0.0;
    double eventMs = 0.0;
};

struct Stats
{
    std::vector<Drawn> rounds;
    std::vector<double> replotMs;
};

double median(std::vector<double> v)
{
    if (v.empty()) {
        return 0.0;
    }
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double maxOf(const std::vector<double> &v)
{
    return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
}

double loadAverage()
{
    double load[1] = {0.0};
    return getloadavg(load, 1) == 1 ? load[0] : -1.0;
}

void print(const char *what, const Stats &s)
{
    std::vector<double> slot, apply, block, event;
    for (const Drawn &d : s.rounds) {
        slot.push_back(d.slotMs);
        apply.push_back(d.applyMs);
        block.push_back(std::max(d.slotMs, d.applyMs));
        event.push_back(d.eventMs);
    }
    std::printf("%-8s %3zu drawn | slot med %7.1f max %7.1f | apply med %6.1f max %6.1f | block "
                "med %7.1f max %7.1f | event med %7.1f max %7.1f | replot med %5.1f max %5.1f "
                "(%zu) | load %.2f\n",
        what, s.rounds.size(), median(slot), maxOf(slot), median(apply), maxOf(apply),
        median(block), maxOf(block), median(event), maxOf(event), median(s.replotMs),
        maxOf(s.replotMs), s.replotMs.size(), loadAverage());
}

/// Runs the event loop until `done` or `ms` pass.
template <typename F> bool waitFor(F done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return done();
}

} // namespace

int main(int argc, char **argv)
{
    TimedApp app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_studio_gantt FILE [--rounds N] [--picks K]\n");
        return 2;
    }
    int rounds = 8;
    int picks = 8;
    for (int i = 2; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--rounds")) {
            rounds = args[i + 1].toInt();
        } else if (args[i] == QLatin1String("--picks")) {
            picks = args[i + 1].toInt();
        }
    }
    QTemporaryDir tmp;
    MainWindow window;
    RunWorkspace *ws = RunWorkspace::install(&window);
    window.resize(1280, 800);
    window.openInitial(args[1]);
    window.show();
    waitFor([&] { return window.isVisible(); }, 5000);
    GanttPlot *gantt = ws->gantt();
    for (QObject *child : gantt->children()) {
        if (QLatin1String(child->metaObject()->className())
            == QLatin1String("collapipe::GanttBuilder")) {
            app.applyReceiver = child;
        }
    }
    std::printf("bench_studio_gantt %s: %s GUI thread builds; %d rounds live, %d picks\n",
        qPrintable(args[1]), app.applyReceiver ? "a builder thread, not the" : "the", rounds,
        picks);

    // Per delivery of the round views: the Gantt's synchronous part.
    Stats *current = nullptr;
    double t0 = 0.0;
    int pendingRound = -1;
    Drawn drawing;
    bool inRound = false;
    bool finishing = false;
    // A request starts: the stats of a request still pending (superseded) are kept with it.
    const auto begin = [&](int round) {
        if (!inRound) {
            drawing = Drawn{};
            app.reset();
        }
        inRound = true;
        pendingRound = round;
        t0 = threadCpuMs();
    };
    RoundViewThrottle *views = ws->roundViewThrottle();
    QObject::connect(views, &RoundViewThrottle::recordChanged, &app,
        [&](const RoundRecord &record) { begin(record.round); });
    QObject::connect(views, &RoundViewThrottle::sharedChanged, &app,
        [&](const SharedRound &) { drawing.slotMs += threadCpuMs() - t0; });
    QObject::connect(gantt, &GanttPlot::rowsChanged, &app, [&] {
        if (current && inRound && !finishing && gantt->round() == pendingRound) {
            // Drawn (its replot queued): counted once the event loop is back.
            finishing = true;
            QTimer::singleShot(0, &app, [&] {
                drawing.applyMs = app.applyMs;
                drawing.eventMs = app.longestEventMs;
                current->rounds.push_back(drawing);
                inRound = false;
                finishing = false;
                pendingRound = -1;
            });
        }
    });
    QObject::connect(gantt, &QCustomPlot::afterReplot, &app, [&] {
        if (current) {
            current->replotMs.push_back(gantt->replotTime(false));
        }
    });

    // 1. Live: Fast mode, the timeline not stored (the Gantt's rounds are built for it).
    RunPanel *panel = ws->runPanel();
    panel->setDatabasePath(tmp.filePath(QStringLiteral("runs.sqlite")));
    panel->setMode(RunPanel::Mode::Fast);
    panel->roundsBox()->setValue(rounds);
    panel->trainBox()->setChecked(false);
    panel->storeEventsBox()->setChecked(false);
    window.document()->undoStack()->setClean();
    Stats live;
    current = &live;
    bool finished = false;
    QObject::connect(ws->controller(), &RunController::runFinished, &app, [&] { finished = true; });
    panel->startRun();
    if (!waitFor([&] { return finished; }, 600'000)) {
        std::fprintf(stderr, "the run did not finish\n");
        return 1;
    }
    waitFor([&] { return !inRound; }, 60'000);
    print("live", live);
    inRound = false;

    // 2. Picks: every round in turn (a replay scrub, a click in the plots).
    PlotHub *hub = ws->plots()->hub();
    Stats picked;
    current = &picked;
    const int last = int(hub->history().size()) - 1;
    for (int i = 0; i < picks; ++i) {
        const int round = (last - i % (last + 1) + last + 1) % (last + 1);
        hub->setSelectedRound(round);
        if (!waitFor([&] { return !inRound && gantt->round() == round; }, 60'000)) {
            std::fprintf(stderr, "round %d was not drawn\n", round);
            return 1;
        }
    }
    print("picks", picked);

    // 3. The cluster filter: picks and expansion of the shown round.
    Stats filtered;
    current = &filtered;
    ClusterRowFilter *filter = gantt->filter();
    const QList<QSet<int>> sets{{0, 1, 2}, {}, {3}, {}};
    for (const QSet<int> &set : sets) {
        begin(gantt->round());
        filter->setPickedClusters(set);
        drawing.slotMs += threadCpuMs() - t0;
        waitFor([&] { return !inRound; }, 60'000);
    }
    for (const bool expanded : {true, false}) {
        begin(gantt->round());
        filter->setAllExpanded(expanded);
        drawing.slotMs += threadCpuMs() - t0;
        waitFor([&] { return !inRound; }, 60'000);
    }
    print("filter", filtered);
    current = nullptr;
    return 0;
}
