// SPDX-License-Identifier: MIT
// The Studio keeps up with the engine (issue [7/7]): a live cost-only run started from the Studio's
// own run panel (the whole main window: canvas, plots, Gantt, decision table), timed from Start
// to the status line painted "completed", against `collapipe run --train off --events off|on`
// on the same file and rounds. Four cases by default: the timeline not stored (the run panel's
// "store the Gantt timeline" off, vs --events off) and stored (on, vs --events on), each in Fast
// and Watch mode (the Studio computes the timeline for its live Gantt either way). Each case is
// the median of K pairs of runs that alternate CLI and Studio (the machine is shared: its load
// weighs on both sides alike); a summary table gives the four ratios, the CPU times and the load.
// usage: bench_studio_run COLLAPIPE_CLI FILE [--rounds N] [--modes fast,watch] [--repeat K]
//                         [--profile 1] [--gantt shown|closed] [--events off|on|both]
//   FILE from `collapipe generate --clusters 100 --devices-per-cluster 10 -o FILE`.
//   Run under `xvfb-run -a -s "-screen 0 1600x1000x24"` (real X11 painting) or
//   QT_QPA_PLATFORM=offscreen.
// Watch mode paces its rounds on purpose (RunPanel's round delay before each round, so every
// round can be looked at): its fair figure is the Studio's wall time minus rounds x delay, which
// is printed as "beyond pacing" next to the raw one. Each Studio line also gives the engine's own
// span (the run row's created -> finished in the database), the process CPU time and the GUI
// thread's share of it (and how much of that ran while the engine computed a round, outside
// Watch's pauses: "GUI@engine", the part that takes the cores from the engine), the number of plot flushes, how often the Gantt laid its rows out and
// was drawn, the replots of the window's other plots (by name, "(hidden)" while not shown: the
// Gantt's time-axis strip used to replot ~120 times a second while hidden), and the rounds/s
// the status line showed while the run was going, the worker's CPU (the process's but the GUI
// thread's: the engine and its solver pool) and how many round timelines were built (with the
// timeline not stored: only the rounds the Gantt drew). The ratios "cpu/cli" and "wrk/cli"
// (process and worker CPU over the CLI's) weigh less on a loaded machine than wall time.
// --profile 1 then times, on the GUI thread,
// what one round costs each view of the main window (wall and CPU ms): the plots' append +
// flush + repaint, the Gantt, the decision table and the canvas overlay.
// --gantt closed closes the Gantt dock (the Gantt then waits until it shows again).
#include "core/cost/timeline.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "tests/bench/process_cpu_time.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/decision_table_model.h"
#include "ui/plots/decision_table_view.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/round_plot.h"
#include "ui/run/round_view_throttle.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"

#include <QApplication>
#include <QCheckBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLabel>
#include <QMap>
#include <QProcess>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <sys/resource.h>

using namespace collapipe;

namespace {

/// Engine span of the newest run of `db`: its row's created -> finished, seconds (−1 unknown).
double engineSpanS(const QString &db)
{
    QString error;
    auto store = RunStore::open(db, &error);
    std::vector<RunInfo> runs;
    if (!store || !RunReader(store.get()).listRuns(&runs, &error) || runs.empty()) {
        return -1.0;
    }
    const RunInfo &run = *std::max_element(
        runs.begin(), runs.end(), [](const RunInfo &a, const RunInfo &b) { return a.id < b.id; });
    const QDateTime a = QDateTime::fromString(run.created, Qt::ISODateWithMs);
    const QDateTime b = QDateTime::fromString(run.finished, Qt::ISODateWithMs);
    return a.isValid() && b.isValid() ? a.msecsTo(b) / 1000.0 : -1.0;
}

double childCpuS()
{
    rusage u{};
    getrusage(RUSAGE_CHILDREN, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

struct Timing
{
    double wallS = -1.0;
    double cpuS = 0.0;
    double engineS = -1.0;
    double guiCpuS = 0.0; ///< of the GUI thread alone (the rest is the run worker's)
    int flushes = 0;
    int viewDeliveries = 0;       ///< rounds handed to the Gantt, decision table and canvas
    double longestViewGapS = 0.0; ///< the longest time without a delivery while rounds streamed
    int ganttRebuilds = 0;        ///< rows laid out again (GanttPlot::rowsChanged)
    int ganttReplots = 0; ///< the Gantt drawn again (its own replots, sweep frames included)
    double ganttReplotCpuS = 0.0; ///< GUI-thread CPU inside those replots
    int plotReplots = 0;          ///< replots of the plot panels (loss, latency, …)
    double plotReplotCpuS = 0.0;  ///< GUI-thread CPU inside those
    int otherReplots = 0; ///< every other plot of the window (the Gantt's time-axis strip, …)
    double otherReplotCpuS = 0.0;
    QStringList otherPlots; ///< their object names
    QMap<QString, int> otherCounts;
    double shownRate = 0.0; ///< the last rounds/s of the status line during the run
    /// GUI-thread CPU spent while the engine computed a round (outside Watch's pauses): the part
    /// that competes with the engine for the cores.
    double guiCpuEngineS = 0.0;
    /// Round timelines built in the process during the run (buildRoundTimelines(): the engine's
    /// for a stored or trained timeline, else only the rounds the Gantt drew).
    long long timelineBuilds = 0;
};

double threadCpuS()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

Timing runCli(
    const QString &cli, const QString &file, int rounds, const QString &db, bool storeEvents)
{
    Timing t;
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const double cpu0 = childCpuS();
    QElapsedTimer wall;
    wall.start();
    p.start(cli,
        {QStringLiteral("run"), file, QStringLiteral("--train"), QStringLiteral("off"),
            QStringLiteral("--events"), storeEvents ? QStringLiteral("on") : QStringLiteral("off"),
            QStringLiteral("--rounds"), QString::number(rounds), QStringLiteral("--quiet"),
            QStringLiteral("--db"), db});
    if (!p.waitForFinished(600'000) || p.exitCode() != 0) {
        std::fprintf(stderr, "bench_studio_run: %s failed: %s\n", qPrintable(cli),
            p.readAllStandardOutput().constData());
        return t;
    }
    t.wallS = wall.nsecsElapsed() / 1e9;
    t.cpuS = childCpuS() - cpu0;
    t.engineS = engineSpanS(db);
    return t;
}

/// Paint events of the status label: "completed" counts once it is on screen.
class PaintWatch : public QObject
{
public:
    using QObject::QObject;
    int paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            ++paints;
        }
        return QObject::eventFilter(watched, event);
    }
};

Timing runStudio(RunWorkspace *ws, QLabel *status, RunPanel::Mode mode, int rounds,
    const QString &db, bool storeEvents)
{
    Timing t;
    RunPanel *panel = ws->runPanel();
    panel->setDatabasePath(db);
    panel->setMode(mode);
    panel->trainBox()->setChecked(false);
    panel->storeEventsBox()->setChecked(storeEvents);
    panel->roundsBox()->setValue(rounds);
    PlotHub *hub = ws->plots()->hub();
    const int flushes0 = hub->flushCount();
    PaintWatch watch;
    status->installEventFilter(&watch);
    QEventLoop loop;
    QElapsedTimer wall;
    bool finished = false;
    int paintsAtFinish = 0;
    QObject::connect(
        ws->controller(), &RunController::progressChanged, &loop, [&t](const RunProgress &p) {
            if (p.roundsDone > 0 && !p.paused) {
                t.shownRate = p.roundsPerSecond;
            }
        });
    // Connected after the panel's own slot: the status line already says "completed" here.
    QObject::connect(ws->controller(), &RunController::runFinished, &loop, [&] {
        finished = true;
        paintsAtFinish = watch.paints;
        if (!status->text().startsWith(QLatin1String("completed"))) {
            std::fprintf(stderr, "bench_studio_run: run ended: %s\n", qPrintable(status->text()));
            loop.quit();
        }
    });
    QTimer poll; // ends the loop once the "completed" line has been painted
    poll.setInterval(1);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (finished && (watch.paints > paintsAtFinish || !status->isVisible())) {
            t.wallS = wall.nsecsElapsed() / 1e9;
            loop.quit();
        }
    });
    QObject::connect(ws->gantt(), &GanttPlot::rowsChanged, &loop, [&t] { ++t.ganttRebuilds; });
    double lastDeliveryS = 0.0;
    QObject::connect(ws->roundViewThrottle(), &RoundViewThrottle::recordChanged, &loop,
        [&t, &wall, &lastDeliveryS, &finished] {
            const double now = wall.nsecsElapsed() / 1e9;
            if (!finished) {
                t.longestViewGapS = std::max(t.longestViewGapS, now - lastDeliveryS);
            }
            lastDeliveryS = now;
            ++t.viewDeliveries;
        });
    // GUI-thread CPU inside the replots of the Gantt and of the plot panels.
    double replotStart = 0.0;
    const auto meter = [&loop, &replotStart](QCustomPlot *plot, int *count, double *cpuS) {
        QObject::connect(plot, &QCustomPlot::beforeReplot, &loop,
            [&replotStart] { replotStart = threadCpuS(); });
        QObject::connect(plot, &QCustomPlot::afterReplot, &loop, [&replotStart, count, cpuS] {
            ++*count;
            *cpuS += threadCpuS() - replotStart;
        });
    };
    meter(ws->gantt(), &t.ganttReplots, &t.ganttReplotCpuS);
    for (RoundPlot *p : ws->plots()->panels()) {
        meter(p, &t.plotReplots, &t.plotReplotCpuS);
    }
    for (QCustomPlot *p : ws->gantt()->window()->findChildren<QCustomPlot *>()) {
        const auto &panels = ws->plots()->panels();
        if (p != ws->gantt() && std::find(panels.begin(), panels.end(), p) == panels.end()) {
            meter(p, &t.otherReplots, &t.otherReplotCpuS);
            QObject::connect(p, &QCustomPlot::afterReplot, &loop, [&t, p] {
                t.otherCounts[p->objectName()
                    + (p->isVisible() ? QString() : QStringLiteral("(hidden)"))]++;
            });
        }
    }
    // Where the GUI thread's CPU goes in time: sampled every 2 ms (wall, thread CPU), then each
    // delta counted in Watch's pause after a round (its arrival + the round delay) or not.
    struct Sample
    {
        double wallS, cpuS;
    };
    std::vector<Sample> samples;
    std::vector<double> arrivals;
    samples.reserve(200'000);
    QTimer sampler;
    sampler.setTimerType(Qt::PreciseTimer);
    sampler.setInterval(2);
    QObject::connect(&sampler, &QTimer::timeout, &loop, [&] {
        samples.push_back({wall.nsecsElapsed() / 1e9, threadCpuS()});
    });
    QObject::connect(ws->controller(), &RunController::roundShared, &loop,
        [&] { arrivals.push_back(wall.nsecsElapsed() / 1e9); });
    const double pauseS
        = mode == RunPanel::Mode::Watch ? RunPanel::kWatchRoundDelayMs / 1000.0 : 0.0;
    QTimer::singleShot(600'000, &loop, &QEventLoop::quit);
    const double cpu0 = bench::processCpuSeconds();
    const double gui0 = threadCpuS();
    const long long builds0 = roundTimelineBuildCount();
    wall.start();
    panel->startRun();
    poll.start();
    sampler.start();
    loop.exec();
    sampler.stop();
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const double mid = 0.5 * (samples[i - 1].wallS + samples[i].wallS);
        const auto after = std::upper_bound(arrivals.begin(), arrivals.end(), mid);
        const bool inPause = after != arrivals.begin() && mid - *(after - 1) < pauseS;
        if (!inPause && (finished ? mid < t.wallS : true)) {
            t.guiCpuEngineS += samples[i].cpuS - samples[i - 1].cpuS;
        }
    }
    t.cpuS = bench::processCpuSeconds() - cpu0;
    t.guiCpuS = threadCpuS() - gui0;
    t.timelineBuilds = roundTimelineBuildCount() - builds0;
    status->removeEventFilter(&watch);
    t.engineS = engineSpanS(db);
    t.flushes = hub->flushCount() - flushes0;
    for (auto it = t.otherCounts.begin(); it != t.otherCounts.end(); ++it) {
        t.otherPlots << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    }
    return t;
}

/// One view's update for the last round, then a synchronous repaint of the widget: wall/CPU ms.
template <typename F> void profileView(const char *name, QWidget *widget, F &&update)
{
    QElapsedTimer wall;
    const double cpu0 = bench::processCpuSeconds();
    wall.start();
    update();
    const double updateMs = wall.nsecsElapsed() / 1e6;
    if (widget) {
        widget->repaint();
    }
    std::printf("profile %-22s update %8.1f ms, +paint %8.1f ms (cpu %8.1f ms)\n", name, updateMs,
        wall.nsecsElapsed() / 1e6, (bench::processCpuSeconds() - cpu0) * 1e3);
}

void profileViews(MainWindow *window, RunWorkspace *ws)
{
    const RoundRecord *last = ws->plots()->hub()->history().latest();
    if (!last) {
        return;
    }
    // A round whose events were left to be built on demand gets them as the Gantt would.
    const RoundRecord record
        = *ws->controller()->withTimeline(ws->plots()->hub()->history().findShared(last->round));
    std::printf("profile: round %d: %zu devices, %zu clusters, %zu timeline events\n", record.round,
        record.devices.size(), record.clusters.size(), record.events.size());
    profileView("record copy", nullptr, [&] {
        RoundRecord copy = record;
        (void)copy;
    });
    profileView("plots append+flush", ws->plots(), [&] {
        for (RoundPlot *p : ws->plots()->panels()) {
            p->appendRounds({record});
            p->flush();
        }
    });
    profileView("plots repaint only", ws->plots(), [] {});
    profileView("gantt setRecord", ws->gantt(), [&] { ws->gantt()->setRecord(record); });
    profileView("decision setRecord", ws->decisions(),
        [&] { ws->decisions()->model()->setRecord(record); });
    profileView("canvas showRound", window->view(), [&] { window->scene()->showRound(record); });
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? -1.0 : v[v.size() / 2];
}

double loadAverage()
{
    double load[1] = {0.0};
    return getloadavg(load, 1) == 1 ? load[0] : -1.0;
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // one line at a time, also into a file
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QApplication::setApplicationName(QStringLiteral("CollaPipe Studio bench"));
    const QStringList args = QApplication::arguments().mid(1);
    if (args.size() < 2) {
        std::fprintf(stderr,
            "usage: bench_studio_run COLLAPIPE_CLI FILE [--rounds N] [--modes fast,watch] "
            "[--repeat K] [--events off|on|both] [--profile 1] [--gantt shown|closed]\n");
        return 2;
    }
    const QString cli = args[0];
    const QString file = args[1];
    int rounds = 3;
    int repeat = 3;
    bool profile = false;
    bool ganttTabbed = false;
    std::vector<bool> eventCases{false, true};
    QStringList modes{QStringLiteral("fast"), QStringLiteral("watch")};
    for (int i = 2; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--rounds")) {
            rounds = args[i + 1].toInt();
        } else if (args[i] == QLatin1String("--modes")) {
            modes = args[i + 1].split(QLatin1Char(','));
        } else if (args[i] == QLatin1String("--events")) {
            const QString v = args[i + 1];
            eventCases = v == QLatin1String("on") ? std::vector<bool>{true}
                : v == QLatin1String("off")       ? std::vector<bool>{false}
                                                  : std::vector<bool>{false, true};
        } else if (args[i] == QLatin1String("--gantt")) {
            ganttTabbed = args[i + 1] == QLatin1String("closed");
        } else if (args[i] == QLatin1String("--profile")) {
            profile = args[i + 1].toInt() != 0;
        } else if (args[i] == QLatin1String("--repeat")) {
            repeat = std::max(1, args[i + 1].toInt());
        }
    }
    QTemporaryDir tmp;

    MainWindow window;
    RunWorkspace *ws = RunWorkspace::install(&window);
    window.openInitial(file);
    window.resize(1600, 1000);
    window.show();
    QEventLoop settle;
    QTimer::singleShot(800, &settle, &QEventLoop::quit);
    settle.exec();
    if (ganttTabbed) {
        ws->dock(QStringLiteral("ganttDock"))->close();
        QTimer::singleShot(300, &settle, &QEventLoop::quit);
        settle.exec();
    }
    auto *status = ws->runPanel()->findChild<QLabel *>(QStringLiteral("runStatus"));
    if (!status || !window.document()->isValid()) {
        std::fprintf(
            stderr, "bench_studio_run: %s did not open as a valid scenario\n", qPrintable(file));
        return 2;
    }
    int devices = 0;
    for (const Cluster &c : window.document()->scenario().topology.clusters) {
        devices += int(c.devices.size());
    }
    std::printf("scenario %s: %zu clusters, %d devices; %d cost-only rounds; Gantt %s; load %.1f\n",
        qPrintable(file), window.document()->scenario().topology.clusters.size(), devices, rounds,
        ws->gantt()->isVisible() ? "shown" : "out of sight", loadAverage());

    // The four cases (timeline not stored / stored × Fast / Watch), each the median of `repeat`
    // pairs of runs that alternate CLI and Studio (which one goes first alternates too), so a
    // change of the machine's load weighs on both sides alike.
    struct Case
    {
        QString mode;
        bool events = false;
        double ratio = -1.0;
        double studioS = 0.0, cliS = 0.0, studioCpuS = 0.0, guiCpuS = 0.0, guiEngineS = 0.0,
               cliCpuS = 0.0;
        double workerCpuS = 0.0; ///< the process's CPU but the GUI thread's (engine + pool)
        double loadBefore = 0.0, loadAfter = 0.0;
    };
    std::vector<Case> cases;
    int run = 0;
    for (const bool events : eventCases) {
        for (const QString &name : modes) {
            const bool watch = name == QLatin1String("watch");
            const RunPanel::Mode mode = watch ? RunPanel::Mode::Watch : RunPanel::Mode::Fast;
            const double pacingS = watch ? rounds * RunPanel::kWatchRoundDelayMs / 1000.0 : 0.0;
            Case c{name, events};
            c.loadBefore = loadAverage();
            std::vector<double> wall, cliWall, cpu, guiCpu, guiEngine, cliCpu, workerCpu;
            for (int i = 0; i < repeat; ++i) {
                for (int side = 0; side < 2; ++side) {
                    const bool cliNow = (side == 0) == (i % 2 == 0);
                    const QString db = tmp.filePath(
                        QStringLiteral("%1%2.sqlite")
                            .arg(cliNow ? QStringLiteral("cli") : QStringLiteral("ui"))
                            .arg(run++));
                    if (cliNow) {
                        const Timing t = runCli(cli, file, rounds, db, events);
                        if (t.wallS < 0) {
                            return 1;
                        }
                        cliWall.push_back(t.wallS);
                        cliCpu.push_back(t.cpuS);
                        std::printf("cli    %-5s %d: wall %.3f s, cpu %.3f s, engine (db) %.3f s\n",
                            qPrintable(name), i, t.wallS, t.cpuS, t.engineS);
                        continue;
                    }
                    const Timing s = runStudio(ws, status, mode, rounds, db, events);
                    if (s.wallS < 0) {
                        return 1;
                    }
                    wall.push_back(s.wallS - pacingS);
                    cpu.push_back(s.cpuS);
                    guiCpu.push_back(s.guiCpuS);
                    workerCpu.push_back(s.cpuS - s.guiCpuS);
                    guiEngine.push_back(s.guiCpuEngineS);
                    std::printf("studio %-5s %d: start -> \"completed\" %.3f s (beyond pacing %.3f "
                                "s), cpu %.3f s (GUI thread %.3f s, %.3f s of it while the engine "
                                "computed), engine "
                                "(db) %.3f s, %d plot "
                                "flushes (%d replots, cpu %.3f s), %d view deliveries (longest "
                                "gap %.2f s), Gantt %d layouts %d replots (cpu %.3f s), other "
                                "plots (%s) %d replots (cpu %.3f s), shown %.2f rounds/s, "
                                "worker cpu %.3f s, %lld round timelines built\n",
                        qPrintable(name), i, s.wallS, s.wallS - pacingS, s.cpuS, s.guiCpuS,
                        s.guiCpuEngineS, s.engineS, s.flushes, s.plotReplots, s.plotReplotCpuS,
                        s.viewDeliveries, s.longestViewGapS, s.ganttRebuilds, s.ganttReplots,
                        s.ganttReplotCpuS, qPrintable(s.otherPlots.join(QLatin1Char(','))),
                        s.otherReplots, s.otherReplotCpuS, s.shownRate, s.cpuS - s.guiCpuS,
                        s.timelineBuilds);
                }
            }
            c.studioS = median(wall);
            c.cliS = median(cliWall);
            c.ratio = c.studioS / c.cliS;
            c.studioCpuS = median(cpu);
            c.guiCpuS = median(guiCpu);
            c.workerCpuS = median(workerCpu);
            c.guiEngineS = median(guiEngine);
            c.cliCpuS = median(cliCpu);
            c.loadAfter = loadAverage();
            std::printf("ratio  %-5s timeline %s: studio/cli %.2f (median wall%s %.3f s / %.3f s; "
                        "cpu %.3f s (GUI %.3f s) / %.3f s: process %.2f, worker %.2f) load %.1f -> "
                        "%.1f\n",
                qPrintable(name), events ? "stored" : "not stored", c.ratio,
                watch ? " beyond pacing" : "", c.studioS, c.cliS, c.studioCpuS, c.guiCpuS,
                c.cliCpuS, c.studioCpuS / c.cliCpuS, c.workerCpuS / c.cliCpuS, c.loadBefore,
                c.loadAfter);
            cases.push_back(c);
        }
    }
    std::printf("\nsummary: %d cost-only rounds of %zu x %d, median of %d alternated pairs\n",
        rounds, window.document()->scenario().topology.clusters.size(),
        devices / std::max<int>(1, int(window.document()->scenario().topology.clusters.size())),
        repeat);
    std::printf("%-6s %-11s %6s %9s %9s %9s %9s %11s %9s %9s %7s %7s  %s\n", "mode", "timeline",
        "ratio", "studio s", "cli s", "studio cpu", "GUI cpu", "GUI@engine", "wrk cpu", "cli cpu",
        "cpu/cli", "wrk/cli", "load");
    for (const Case &c : cases) {
        std::printf(
            "%-6s %-11s %6.2f %9.3f %9.3f %9.3f %9.3f %11.3f %9.3f %9.3f %7.2f %7.2f  %.1f-%.1f\n",
            qPrintable(c.mode), c.events ? "stored" : "not stored", c.ratio, c.studioS, c.cliS,
            c.studioCpuS, c.guiCpuS, c.guiEngineS, c.workerCpuS, c.cliCpuS,
            c.studioCpuS / c.cliCpuS, c.workerCpuS / c.cliCpuS, c.loadBefore, c.loadAfter);
    }
    if (profile) {
        profileViews(&window, ws);
    }
    return 0;
}
