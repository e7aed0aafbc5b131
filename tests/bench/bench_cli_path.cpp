// SPDX-License-Identifier: MIT
// Cost-only rounds/s through the path `collapipe run FILE --train off --events off --db DB`
// takes (issue [5/7] "Speed"): Session + StoredRun (the run row, batched round commits, the
// final status) with a RunControl and an observer per round, as cli_run_engine.cpp wires them;
// only the argument parsing and the progress printing are left out. Each policy runs
// `--repeats` times into a fresh database; the median wall and CPU rounds/s are printed with a
// digest of every stored decision and metric (hex bits), so a speed change that alters a
// decision shows as a different digest. "loop cpu" is the CPU of the thread that computes the
// rounds alone (issue 17: the store's batches are committed on another thread). Not a ctest.
//
// usage: bench_cli_path [--scenario FILE] [--policies dssda,uniform] [--rounds N] [--repeats R]
#include "core/scenario/scenario_json.h"
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/sim/stored_run.h"
#include "core/store/run_store.h"
#include "tests/bench/process_cpu_time.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

using namespace collapipe;

namespace {

/// FNV-1a over the decisions and metrics of every round (decision time excluded: it is wall time).
class DigestObserver : public SessionObserver
{
public:
    void roundFinished(const RoundRecord &r) override
    {
        add(r.round);
        add(r.latencyS);
        add(r.energyJ);
        add(r.objective);
        for (const DeviceRound &d : r.devices) {
            add(d.cluster);
            add(d.device);
            add(d.stage);
            add(d.firstBlock);
            add(d.lastBlock);
            add(d.microbatches);
            add(d.bandwidthShare);
            add(d.powerW);
            add(d.energyQueueJ);
        }
    }
    std::uint64_t digest = 14695981039346656037ull;

private:
    template <typename T> void add(T value)
    {
        unsigned char bytes[sizeof(T)];
        std::memcpy(bytes, &value, sizeof(T));
        for (unsigned char b : bytes) {
            digest = (digest ^ b) * 1099511628211ull;
        }
    }
};

struct Timing
{
    double wallS = 0.0;
    double cpuS = 0.0;
    double loopCpuS = 0.0; ///< this (the round loop's) thread only
    std::uint64_t digest = 0;
};

bool runOnce(const Scenario &scenario, const QString &dbPath, Timing *timing, QString *error)
{
    const double cpu0 = bench::processCpuSeconds();
    const double loop0 = bench::threadCpuSeconds();
    QElapsedTimer wall;
    wall.start();
    Session session;
    if (!session.init(scenario, error, SessionOptions{false})) {
        return false;
    }
    StoreOptions storeOptions;
    storeOptions.create = true;
    auto store = RunStore::open(dbPath, error, storeOptions);
    if (!store) {
        return false;
    }
    RunControl control;
    StoredRun run(&session, store.get(), &control);
    StoredRunOptions options;
    options.name = storedRunName(QString(), scenario);
    options.storeEvents = false;
    if (!run.begin(options, error)) {
        return false;
    }
    DigestObserver observer;
    session.setObserver(&observer);
    const SessionStatus status = run.runRounds();
    session.setObserver(nullptr);
    timing->wallS = double(wall.nsecsElapsed()) * 1e-9;
    timing->cpuS = bench::processCpuSeconds() - cpu0;
    timing->loopCpuS = bench::threadCpuSeconds() - loop0;
    timing->digest = observer.digest;
    if (status != SessionStatus::Completed) {
        *error = run.message();
        return false;
    }
    return true;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QString path = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");
    QStringList policies{QStringLiteral("dssda"), QStringLiteral("uniform")};
    int rounds = 2000;
    int repeats = 3;
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--scenario")) {
            path = args[i + 1];
        } else if (args[i] == QLatin1String("--policies")) {
            policies = args[i + 1].split(QLatin1Char(','));
        } else if (args[i] == QLatin1String("--rounds")) {
            rounds = std::max(1, args[i + 1].toInt());
        } else if (args[i] == QLatin1String("--repeats")) {
            repeats = std::max(1, args[i + 1].toInt());
        } else {
            std::fprintf(stderr, "unknown option %s\n", qPrintable(args[i]));
            return 2;
        }
    }
    Scenario scenario;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(path, &scenario, &problems)) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(path),
            problems.empty() ? "unreadable" : qPrintable(problems.front().toString()));
        return 2;
    }
    scenario.training.train = false;
    scenario.training.rounds = rounds;
    QTemporaryDir dir;
    int failures = 0;
    for (const QString &policy : policies) {
        scenario.optimizer.policy = policy;
        std::vector<double> wall;
        std::vector<double> cpu;
        std::vector<double> loopCpu;
        std::uint64_t digest = 0;
        for (int r = 0; r < repeats; ++r) {
            Timing t;
            QString error;
            const QString db = dir.filePath(QStringLiteral("%1-%2.sqlite").arg(policy).arg(r));
            if (!runOnce(scenario, db, &t, &error)) {
                std::fprintf(stderr, "%s: %s\n", qPrintable(policy), qPrintable(error));
                ++failures;
                break;
            }
            if (r > 0 && t.digest != digest) {
                std::fprintf(
                    stderr, "%s: repeat %d stored other decisions\n", qPrintable(policy), r);
                ++failures;
            }
            digest = t.digest;
            wall.push_back(rounds / t.wallS);
            cpu.push_back(rounds / t.cpuS);
            loopCpu.push_back(1e6 * t.loopCpuS / rounds);
        }
        if (wall.empty()) {
            continue;
        }
        std::printf("%-14s %6d rounds, stored, events off: median of %d %9.0f rounds/s wall, "
                    "%9.0f rounds/s cpu (%.1f us/round on the loop's thread)  digest %016llx\n",
            qPrintable(policy), rounds, repeats, median(wall), median(cpu), median(loopCpu),
            static_cast<unsigned long long>(digest));
        std::fflush(stdout);
    }
    return failures == 0 ? 0 : 1;
}
