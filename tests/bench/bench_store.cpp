// SPDX-License-Identifier: MIT
// Benchmarks of issue [5/6] (not a ctest): rows/s the run store writes and reads, cost-only
// Session rounds/s on the bundled default scenario (per policy, with and without timeline events
// and storage), and trained rounds/s. Usage: bench_store [--trained-rounds N] [--policies a,b]
// bench_store --store-share N [--repeats R]: only the store's CPU per round of N default.json rounds as
// `collapipe run --train off --events off` writes and summarises them (benchStoreShare).
#include "../store/synthetic_round.h"
#include "core/optimizer/policy.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/session.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"
#include "tests/bench/process_cpu_time.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

#include <ctime>

using namespace collapipe;

namespace {

QTextStream out(stdout);

RunMeta benchMeta(int rounds)
{
    RunMeta meta;
    meta.name = QStringLiteral("bench");
    meta.scenarioJson = QStringLiteral("{}");
    meta.policy = QStringLiteral("bench");
    meta.roundsPlanned = rounds;
    return meta;
}

void benchRows(const QString &dir)
{
    // Default-scenario shape: 3 clusters x 5 devices, ~100 events per cluster and round.
    const int rounds = 2000;
    std::vector<RoundRecord> records;
    for (int r = 0; r < rounds; ++r) {
        records.push_back(testing::syntheticRound(r, 3, 5, 20));
    }
    QString error;
    auto store = RunStore::open(dir + QStringLiteral("/rows.sqlite"), &error);
    if (!store) {
        out << "store: " << error << '\n';
        return;
    }
    for (const CommitPolicy &policy : {CommitPolicy{64, 250, true}, CommitPolicy{1, 0, true}}) {
        RunWriter writer(store.get(), policy);
        std::int64_t id = 0;
        writer.beginRun(benchMeta(rounds), &id, &error);
        QElapsedTimer timer;
        timer.start();
        const double cpuWrite = bench::processCpuSeconds();
        for (const RoundRecord &r : records) {
            if (!writer.appendRound(r, &error)) {
                out << error << '\n';
                return;
            }
        }
        writer.finish(RunStatus::Completed, {}, &error);
        const double s = double(timer.nsecsElapsed()) * 1e-9;
        const double cs = bench::processCpuSeconds() - cpuWrite;
        out << QStringLiteral("store write  batch %1 rounds: %2 rows in %3 s = %4 rows/s (%5 "
                              "rounds/s); CPU %6 s = %7 rows per CPU-s\n")
                   .arg(policy.maxRounds, 2)
                   .arg(writer.rowsWritten())
                   .arg(s, 0, 'f', 3)
                   .arg(double(writer.rowsWritten()) / s, 0, 'f', 0)
                   .arg(rounds / s, 0, 'f', 0)
                   .arg(cs, 0, 'f', 3)
                   .arg(double(writer.rowsWritten()) / cs, 0, 'f', 0);
        timer.restart();
        const double cpuRead = bench::processCpuSeconds();
        std::vector<RoundRecord> read;
        RunReader(store.get()).rounds(id, &read, &error, RoundEverything);
        const double rs = double(timer.nsecsElapsed()) * 1e-9;
        const double crs = bench::processCpuSeconds() - cpuRead;
        out << QStringLiteral("store read   all parts: %1 rows/s; %2 rows per CPU-s\n")
                   .arg(double(writer.rowsWritten()) / rs, 0, 'f', 0)
                   .arg(double(writer.rowsWritten()) / crs, 0, 'f', 0);
    }
}

void benchSession(
    const Scenario &base, const QString &policy, bool events, RunStore *store, int rounds)
{
    Scenario s = base;
    s.optimizer.policy = policy;
    s.training.rounds = rounds;
    Session session;
    QString error;
    if (!session.init(s, &error, SessionOptions{events})) {
        out << policy << ": " << error << '\n';
        return;
    }
    std::unique_ptr<RunWriter> writer;
    if (store) {
        writer = std::make_unique<RunWriter>(store, CommitPolicy{64, 250, events});
        std::int64_t id = 0;
        writer->beginRun(benchMeta(rounds), &id, &error);
    }
    RoundRecord record;
    QElapsedTimer timer;
    timer.start();
    for (int r = 0; r < rounds; ++r) {
        if (!session.runRound(&record, &error)) {
            out << policy << ": " << error << '\n';
            return;
        }
        if (writer && !writer->appendRound(record, &error)) {
            out << error << '\n';
            return;
        }
    }
    if (writer) {
        writer->finish(RunStatus::Completed, {}, &error);
    }
    const double sec = double(timer.nsecsElapsed()) * 1e-9;
    out << QStringLiteral("%1 %2 rounds, events %3, %4: %5 rounds/s%6\n")
               .arg(s.training.train ? QStringLiteral("trained  ") : QStringLiteral("cost-only"))
               .arg(rounds)
               .arg(events ? QStringLiteral("on ") : QStringLiteral("off"))
               .arg(store ? QStringLiteral("stored    ") : QStringLiteral("not stored"))
               .arg(rounds / sec, 0, 'f', s.training.train ? 2 : 0)
               .arg(QStringLiteral("  [%1]").arg(policy));
}

/// The store's share of `collapipe run default.json --train off --events off` (issue [5/7]
/// "Speed"): `rounds` real cost-only default.json rounds (DSSDA, re-planning period 50) computed
/// once, then written `repeats` times into fresh databases with the CLI's commit policy (64
/// rounds / 250 ms, no events), then summarised as the CLI's closing summary does. CPU µs per
/// round of the writes (beginRun to finish) and of the summary, each repeat.
void benchStoreShare(const Scenario &base, const QString &dir, int rounds, int repeats)
{
    Scenario s = base;
    s.optimizer.policy = QStringLiteral("dssda");
    s.optimizer.replanEvery = 50;
    s.training.rounds = rounds;
    Session session;
    QString error;
    if (!session.init(s, &error, SessionOptions{false})) {
        out << error << '\n';
        return;
    }
    std::vector<RoundRecord> records(static_cast<std::size_t>(rounds));
    for (RoundRecord &r : records) {
        if (!session.runRound(&r, &error)) {
            out << error << '\n';
            return;
        }
    }
    for (int rep = 0; rep < repeats; ++rep) {
        const QString path = dir + QStringLiteral("/share%1.sqlite").arg(rep);
        auto store = RunStore::open(path, &error);
        if (!store) {
            out << error << '\n';
            return;
        }
        const double cpu0 = bench::processCpuSeconds();
        std::int64_t id = 0;
        {
            RunWriter writer(store.get(), CommitPolicy{64, 250, false});
            if (!writer.beginRun(benchMeta(rounds), &id, &error)) {
                out << error << '\n';
                return;
            }
            for (const RoundRecord &r : records) {
                if (!writer.appendRound(r, &error)) {
                    out << error << '\n';
                    return;
                }
            }
            writer.finish(RunStatus::Completed, {}, &error);
        }
        const double cpu1 = bench::processCpuSeconds();
        RunSummary summary;
        RunReader(store.get()).summary(id, &summary, &error);
        const double cpu2 = bench::processCpuSeconds();
        RunSummary printed; // what `collapipe run` prints: no device aggregates
        RunReader(store.get()).summary(id, &printed, &error, false);
        const double cpu3 = bench::processCpuSeconds();
        out << QStringLiteral("store share  default.json %1 rounds (F=50), repeat %2: write %3 "
                              "us/round CPU, summary %4 (without device rows %5) us/round CPU "
                              "(mean latency %6)\n")
                   .arg(rounds)
                   .arg(rep + 1)
                   .arg(1e6 * (cpu1 - cpu0) / rounds, 0, 'f', 1)
                   .arg(1e6 * (cpu2 - cpu1) / rounds, 0, 'f', 1)
                   .arg(1e6 * (cpu3 - cpu2) / rounds, 0, 'f', 1)
                   .arg(summary.meanLatencyS, 0, 'g', 17);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    int trainedRounds = 5;
    int shareRounds = 0;
    int shareRepeats = 6;
    QStringList policies = policyNames();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--trained-rounds")) {
            trainedRounds = args[i + 1].toInt();
        } else if (args[i] == QLatin1String("--policies")) {
            policies = args[i + 1].split(QLatin1Char(','));
        } else if (args[i] == QLatin1String("--store-share")) {
            shareRounds = args[i + 1].toInt();
        } else if (args[i] == QLatin1String("--repeats")) {
            shareRepeats = args[i + 1].toInt();
        }
    }
    QTemporaryDir dir;
    if (shareRounds == 0) {
        benchRows(dir.path());
    }

    Scenario scenario;
    std::vector<ScenarioProblem> problems;
    const QString path = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");
    if (!loadScenarioFile(path, &scenario, &problems)) {
        out << path << ": " << problems.front().toString() << '\n';
        return 1;
    }
    scenario.training.train = false;
    if (shareRounds > 0) {
        benchStoreShare(scenario, dir.path(), shareRounds, shareRepeats);
        return 0;
    }
    QString error;
    auto store = RunStore::open(dir.filePath(QStringLiteral("session.sqlite")), &error);
    for (const QString &policy : policies) {
        if (policy == QLatin1String("oracle")) {
            continue; // exhaustive: for small instances only
        }
        benchSession(scenario, policy, false, nullptr, 20000);
        benchSession(scenario, policy, true, nullptr, 5000);
        benchSession(scenario, policy, false, store.get(), 20000);
        benchSession(scenario, policy, true, store.get(), 2000);
    }
    if (trainedRounds > 0) {
        scenario.training.train = true;
        for (const QString &policy : {QStringLiteral("uniform"), scenario.optimizer.policy}) {
            if (policies.contains(policy)) {
                benchSession(scenario, policy, true, nullptr, trainedRounds);
            }
        }
    }
    return 0;
}
