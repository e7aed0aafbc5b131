// SPDX-License-Identifier: MIT
// Cost-only round rate with churn on vs off (issue [6/7] "A living edge"; goal: on ≥ 80 % of
// off). The bundled default scenario made 8 clusters × 6 devices (collapipe generate's
// generator, seed 1), DSSDA, no trainer, no timeline events, the engine's own round (Session).
// "On": every device a Markov device, a battery and a round deadline at the median latency of
// the "off" run, so presence changes, dropouts fail over and clusters miss the deadline; two
// churn levels: heavy (mean up 300 s, down 60 s: a device leaves every ~3 rounds) and moderate
// (mean up 3600 s, down 600 s). Each fail-over decides its cluster again (DSSDA repairs the
// aborted plan, optimizer.failover; core/optimizer/DSSDA.md "Fail-over"): that extra decision is
// most of the cost, and the policy's share of the time is printed. Run: cmake --build <dir> --target bench_churn &&
// <dir>/tests/bench/bench_churn [rounds]. BENCH_ONLY=off|heavy|moderate runs that case alone
// (the deadline then comes from a 1-round churn-off run). Each case prints a digest of every
// round's decisions and outcomes: a speed change that alters a decision shows as another digest.
#include "core/scenario/scenario_generator.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/session.h"
#include "tests/bench/process_cpu_time.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

using namespace collapipe;

namespace {

struct Result
{
    double roundsPerS = 0.0;
    int dropouts = 0;
    int satOut = 0;
    int missed = 0;
    double decisionS = 0.0; ///< the policy's share of the rounds (RoundRecord::decisionTimeS)
    double wallS = 0.0;     ///< decisionTimeS is wall time: compared with the rounds' wall time
    std::vector<double> latencies;
    /// FNV-1a over every round's decisions and outcomes (not the timing): two builds that
    /// print the same digest decided and simulated the same rounds.
    std::uint64_t digest = 1469598103934665603ULL;
};

void mixChurnDigest(std::uint64_t *digest, const void *data, std::size_t size)
{
    const auto *bytes = static_cast<const unsigned char *>(data);
    for (std::size_t i = 0; i < size; ++i) {
        *digest = (*digest ^ bytes[i]) * 1099511628211ULL;
    }
}

template <typename T> void mixChurnValue(std::uint64_t *digest, T value)
{
    mixChurnDigest(digest, &value, sizeof value);
}

/// The round's decision (every device's stage, blocks, M, share and power) and what it led to
/// (latencies, energies, queues, presence, dropouts, deadline misses), bit for bit.
void digestRound(const RoundRecord &record, std::uint64_t *digest)
{
    mixChurnValue(digest, record.latencyS);
    mixChurnValue(digest, record.energyJ);
    mixChurnValue(digest, record.objective);
    for (const ClusterRound &c : record.clusters) {
        mixChurnValue(digest, c.microbatches);
        mixChurnValue(digest, int(c.schedule));
        mixChurnValue(digest, c.latencyS);
        mixChurnValue(digest, c.dropouts);
        mixChurnValue(digest, c.satOut);
        mixChurnValue(digest, c.aggregated);
        mixChurnValue(digest, c.edgeFirstBlock);
    }
    for (const DeviceRound &d : record.devices) {
        mixChurnValue(digest, d.stage);
        mixChurnValue(digest, d.firstBlock);
        mixChurnValue(digest, d.lastBlock);
        mixChurnValue(digest, d.bandwidthShare);
        mixChurnValue(digest, d.powerW);
        mixChurnValue(digest, d.energyJ);
        mixChurnValue(digest, d.energyQueueJ);
        mixChurnValue(digest, d.present);
    }
}

Result measure(const Scenario &s, int rounds)
{
    Session session;
    QString error;
    SessionOptions options;
    options.recordEvents = false;
    if (!session.init(s, &error, options)) {
        std::fprintf(stderr, "init: %s\n", qPrintable(error));
        std::exit(2);
    }
    Result r;
    const double start = bench::processCpuSeconds();
    QElapsedTimer wall;
    wall.start();
    for (int t = 0; t < rounds; ++t) {
        RoundRecord record;
        if (!session.runRound(&record, &error)) {
            std::fprintf(stderr, "round %d: %s\n", t, qPrintable(error));
            std::exit(1);
        }
        r.latencies.push_back(record.latencyS);
        digestRound(record, &r.digest);
        r.decisionS += record.decisionTimeS;
        for (const ClusterRound &c : record.clusters) {
            r.dropouts += c.dropouts;
            r.satOut += c.satOut ? 1 : 0;
            r.missed += !c.aggregated && !c.satOut ? 1 : 0;
        }
    }
    r.wallS = double(wall.nsecsElapsed()) * 1e-9;
    r.roundsPerS = rounds / std::max(1e-9, bench::processCpuSeconds() - start);
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(1, atoi(argv[1])) : 200;
    Scenario base;
    std::vector<ScenarioProblem> problems;
    if (!loadScenarioFile(QDir(bundledScenarioDir()).filePath(QStringLiteral("default.json")),
            &base, &problems)) {
        std::fprintf(stderr, "default.json: %s\n", qPrintable(problems.front().toString()));
        return 2;
    }
    GeneratorRecipe recipe;
    recipe.clusters = 8;
    recipe.devicesPerCluster = 6;
    for (const Device &preset : devicePresetsOf(base)) {
        recipe.mix.push_back({preset, 1.0});
    }
    Scenario off = generateScenario(base, recipe);
    off.training.train = false;
    off.training.rounds = rounds;
    off.training.threads = 1;
    // BENCH_ONLY=off|heavy|moderate: that case alone (e.g. under perf record).
    const char *only = std::getenv("BENCH_ONLY");
    auto runs = [only](const char *name) { return !only || std::strstr(name, only) == name; };
    const Result calm = measure(off, runs("off") ? rounds : 1);

    std::vector<double> sorted = calm.latencies;
    std::sort(sorted.begin(), sorted.end());
    std::printf(
        "bench_churn: 8 clusters x 6 devices, dssda, cost-only, %d rounds, CPU time\n", rounds);
    std::printf(
        "  churn off          : %8.1f rounds/s; policy %.0f %% of the time; digest %016llx\n",
        calm.roundsPerS, 100.0 * calm.decisionS / calm.wallS, (unsigned long long)calm.digest);
    const struct
    {
        const char *name;
        double upS;
        double downS;
    } levels[] = {{"heavy (300 s/60 s)", 300.0, 60.0}, {"moderate (1 h/10 min)", 3600.0, 600.0}};
    for (const auto &level : levels) {
        if (!runs(level.name)) {
            continue;
        }
        Scenario on = off;
        on.training.deadlineS = sorted[sorted.size() / 2];
        for (Cluster &c : on.topology.clusters) {
            for (Device &d : c.devices) {
                d.availability.kind = AvailabilityKind::Markov;
                d.availability.meanUpS = level.upS;
                d.availability.meanDownS = level.downS;
                d.batteryJ = 1e6;
            }
        }
        const Result churn = measure(on, rounds);
        const double ratio = only ? std::nan("") : 100.0 * churn.roundsPerS / calm.roundsPerS;
        std::printf("  churn %-21s: %8.1f rounds/s  ratio %5.1f %% (goal >= 80 %%); %d dropouts, "
                    "%d cluster-rounds sat out, %d missed the %.3g s deadline; policy %.0f %% of "
                    "the time; digest %016llx\n",
            level.name, churn.roundsPerS, ratio, churn.dropouts, churn.satOut, churn.missed,
            on.training.deadlineS, 100.0 * churn.decisionS / churn.wallS,
            (unsigned long long)churn.digest);
    }
    return 0;
}
