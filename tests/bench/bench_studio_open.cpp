// SPDX-License-Identifier: MIT
// The Studio opens 100,000 devices (issue [7/7]): the whole main window as collapipe-studio
// builds it (canvas, docks, run workspace with plots, Gantt and decision table, experiments,
// Pipeline Lab), timed in phases, wall and process CPU: building the window, openInitial(FILE),
// show until the GUI thread is idle (a 20 ms timer fires on time twice in a row), optionally a
// few cost-only rounds from the run panel, and the exit (delete of the window).
// usage: bench_studio_open FILE [--reopen 1] [--rounds N] [--pick IDS] [--shot PNG] [--size WxH]
//   [--build-step MS] [--delete-limit N]
//   --reopen 1 opens FILE again from the shown window (File > Open's path: a big file is read
//   on a worker) and prints the GUI thread's longest stall meanwhile, and where: the longest
//   event dispatches of the GUI thread (receiver's class, its parent's, the event type).
//   --reopen OTHER (a path) opens that file instead (another scenario, other ids).
//   FILE from `collapipe generate --clusters C --devices-per-cluster K -o FILE`.
//   Run under `xvfb-run -a -s "-screen 0 1600x1000x24"` or QT_QPA_PLATFORM=offscreen.
//   --build-step MS sets the canvas's longest build step (TopologyScene::kBuildStepMs).
//   --delete-limit N sets TopologyScene::piecewiseDeleteLimit() (-1: nothing is reused, the
//   old items are deleted at once as before the reuse, even on a reopen of the same file).
//   --pick "c3, c17" types those cluster ids into the plots' bar after the rounds.
//   --shot saves the window (after the rounds, if any) at --size (default 1280x800).
// BENCH_SYNC_READ=1 reads the file on the GUI thread even when it is big (as before the worker).
#include "tests/bench/process_cpu_time.h"
#include "ui/canvas/topology_scene.h"
#include "ui/experiments/experiments_window.h"
#include "ui/file_controller.h"
#include "ui/lab/lab_workspace.h"
#include "ui/main_window.h"
#include "ui/plots/plots_view.h"
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

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <optional>

using namespace collapipe;

namespace {

struct Phase
{
    QElapsedTimer wall;
    double cpu0 = 0.0;

    Phase()
    {
        wall.start();
        cpu0 = bench::processCpuSeconds();
    }
    void print(const char *name) const
    {
        std::printf("%-22s wall %9.1f ms   cpu %9.1f ms\n", name, wall.nsecsElapsed() / 1e6,
            (bench::processCpuSeconds() - cpu0) * 1e3);
    }
};

/// Returns once a 20 ms timer fires less than 15 ms late twice in a row (nothing else queued
/// held the GUI thread), or after 10 minutes.
void waitIdle()
{
    int onTime = 0;
    QElapsedTimer total;
    total.start();
    while (onTime < 2 && total.elapsed() < 600'000) {
        QEventLoop loop;
        QElapsedTimer t;
        t.start();
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
        onTime = t.elapsed() < 35 ? onTime + 1 : 0;
    }
}

/// The GUI thread's longest event dispatches while tracing (the outermost ones: what a nested
/// dispatch costs is inside its parent's).
class TracingApplication : public QApplication
{
public:
    using QApplication::QApplication;

    struct Dispatch
    {
        qint64 ns = 0;
        qint64 cpuNs = 0; ///< the GUI thread's CPU meanwhile (wall is inflated under load)
        QByteArray where;
    };
    static qint64 threadCpuNs()
    {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
    }
    bool tracing = false;
    std::array<Dispatch, 5> longest{};

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!tracing || m_depth > 0) {
            return QApplication::notify(receiver, event);
        }
        ++m_depth;
        QElapsedTimer t;
        t.start();
        const qint64 cpu0 = threadCpuNs();
        if (m_between.isValid()) { // code run between two dispatches (e.g. openFile's own)
            record(m_between.nsecsElapsed() - t.nsecsElapsed(), cpu0 - m_betweenCpu,
                "between dispatches");
        }
        const QEvent::Type type = event->type(); // the event may be gone after notify()
        const QByteArray name = receiver->metaObject()->className();
        const QObject *parent = receiver->parent();
        const QByteArray parentName
            = parent ? QByteArray(parent->metaObject()->className()) : QByteArray();
        const bool ok = QApplication::notify(receiver, event);
        --m_depth;
        record(t.nsecsElapsed(), threadCpuNs() - cpu0,
            name + " (parent " + (parentName.isEmpty() ? "none" : parentName) + "), event "
                + QByteArray::number(int(type)));
        m_between.start();
        m_betweenCpu = threadCpuNs();
        return ok;
    }

private:
    void record(qint64 ns, qint64 cpuNs, const QByteArray &where)
    {
        if (ns > longest.back().ns) {
            longest.back() = Dispatch{ns, cpuNs, where};
            std::sort(longest.begin(), longest.end(),
                [](const Dispatch &a, const Dispatch &b) { return a.ns > b.ns; });
        }
    }

    int m_depth = 0;
    QElapsedTimer m_between; ///< since the last outermost dispatch ended
    qint64 m_betweenCpu = 0;
};

double loadAverage()
{
    double load[1] = {0.0};
    return getloadavg(load, 1) == 1 ? load[0] : -1.0;
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Phase all;
    TracingApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CollaPipe"));
    QApplication::setApplicationName(QStringLiteral("CollaPipe Studio bench"));
    const QStringList args = QApplication::arguments().mid(1);
    if (args.isEmpty()) {
        std::fprintf(stderr,
            "usage: bench_studio_open FILE [--reopen 1] [--rounds N] [--pick IDS] [--shot PNG] "
            "[--size WxH] [--build-step MS] [--delete-limit N]\n");
        return 2;
    }
    const QString file = args[0];
    int rounds = 0;
    QString shot;
    QString pick;
    bool reopen = false;
    QString reopenFile;
    int buildStepMs = 0;
    std::optional<int> deleteLimit;
    QSize size(1280, 800);
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--rounds")) {
            rounds = args[i + 1].toInt();
        } else if (args[i] == QLatin1String("--reopen")) {
            bool number = false;
            reopen = args[i + 1].toInt(&number) != 0 || !number;
            reopenFile = number ? QString() : args[i + 1];
        } else if (args[i] == QLatin1String("--delete-limit")) {
            deleteLimit = args[i + 1].toInt();
        } else if (args[i] == QLatin1String("--build-step")) {
            buildStepMs = args[i + 1].toInt();
        } else if (args[i] == QLatin1String("--pick")) {
            pick = args[i + 1];
        } else if (args[i] == QLatin1String("--shot")) {
            shot = args[i + 1];
        } else if (args[i] == QLatin1String("--size")) {
            const QStringList wh = args[i + 1].split(QLatin1Char('x'));
            if (wh.size() == 2) {
                size = QSize(wh[0].toInt(), wh[1].toInt());
            }
        }
    }
    std::printf("bench_studio_open %s, load %.2f\n", qPrintable(file), loadAverage());
    QTemporaryDir tmp;

    Phase build;
    auto *window = new MainWindow;
    RunWorkspace *ws = RunWorkspace::install(window);
    installExperimentsWindow(window, ws);
    LabWorkspace::install(window);
    window->resize(size);
    if (buildStepMs > 0) {
        window->scene()->setBuildStepMs(buildStepMs);
    }
    if (deleteLimit) {
        window->scene()->setPiecewiseDeleteLimit(*deleteLimit);
    }
    if (qEnvironmentVariableIsSet("BENCH_SYNC_READ")) { // read on the GUI thread, as before
        window->fileController()->setWorkerReadBytes(std::numeric_limits<qint64>::max());
    }
    build.print("build window");

    Phase open;
    window->openInitial(file);
    open.print("openInitial");
    Phase shown;
    window->show();
    waitIdle();
    shown.print("show until idle");
    std::printf("canvas label passes so far: %d\n", window->scene()->labelPassCount());
    std::printf("%-22s wall %9.1f ms   cpu %9.1f ms\n", "OPEN (build..idle)",
        build.wall.nsecsElapsed() / 1e6, (bench::processCpuSeconds() - build.cpu0) * 1e3);

    if (reopen) {
        // File > Open of the same file from the shown window: the GUI thread's longest stall
        // (a 10 ms timer's largest gap) tells whether the window kept painting.
        QElapsedTimer tick;
        qint64 last = 0;
        qint64 longest = 0;
        QTimer probe;
        probe.setInterval(10);
        QObject::connect(&probe, &QTimer::timeout, [&] {
            const qint64 now = tick.elapsed();
            longest = std::max(longest, now - last);
            last = now;
        });
        tick.start();
        probe.start();
        app.tracing = true;
        Phase again;
        window->fileController()->openFile(reopenFile.isEmpty() ? file : reopenFile);
        const qint64 now = tick.elapsed();
        longest = std::max(longest, now - last);
        again.print("reopen (shown window)");
        waitIdle();
        std::printf("reopen: longest GUI-thread stall %lld ms (file read on a worker: %s, canvas "
                    "built in %d steps, %d old items reused)\n",
            static_cast<long long>(longest),
            window->fileController()->workerReads() > 0 ? "yes" : "no",
            window->scene()->buildSteps(), window->scene()->reusedItems());
        app.tracing = false;
        for (const TracingApplication::Dispatch &d : app.longest) {
            if (d.ns > 0) {
                std::printf("  dispatch %6.1f ms (GUI thread CPU %6.1f ms): %s\n", d.ns / 1e6,
                    d.cpuNs / 1e6, d.where.constData());
            }
        }
    }
    if (rounds > 0) {
        Phase run;
        RunPanel *panel = ws->runPanel();
        panel->setDatabasePath(tmp.filePath(QStringLiteral("runs.sqlite")));
        panel->setMode(RunPanel::Mode::Fast);
        panel->trainBox()->setChecked(false);
        panel->roundsBox()->setValue(rounds);
        QEventLoop loop;
        QObject::connect(ws->controller(), &RunController::runFinished, &loop, &QEventLoop::quit);
        QTimer::singleShot(600'000, &loop, &QEventLoop::quit);
        panel->startRun();
        if (ws->controller()->state() == RunController::State::Idle) {
            std::fprintf(stderr, "bench_studio_open: the run did not start (start button %s)\n",
                panel->canStart() ? "enabled" : "disabled");
            return 1;
        }
        loop.exec();
        waitIdle();
        run.print("cost-only rounds+idle");
    }
    if (!pick.isEmpty()) {
        std::printf("picked %d clusters\n", ws->plots()->pickClusters(pick));
        waitIdle();
    }
    if (!shot.isEmpty()) {
        window->grab().save(shot);
    }

    Phase exit;
    // Without close(): after a run the window asks whether to save the scenario (a modal box).
    delete window;
    exit.print("EXIT (delete window)");
    std::printf("%-22s wall %9.1f ms   cpu %9.1f ms   load %.2f\n", "process so far",
        all.wall.nsecsElapsed() / 1e6, bench::processCpuSeconds() * 1e3, loadAverage());
    return 0;
}
