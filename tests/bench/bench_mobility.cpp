// SPDX-License-Identifier: MIT
// Cost-only round rate with mobility on vs off (issue [6/7] "Benchmark": with mobility the rate
// stays >= 80 % of without). The engine's own round (stepRound, no trainer, no timeline) on the
// bundled mobile.json, once as shipped and once with every node's mobility set to none; the two
// alternate, each measured `repeats` times, best CPU time kept (the machine is shared).
// Run: cmake --build <dir> --target bench_mobility && <dir>/tests/bench/bench_mobility
//      [rounds=200] [repeats=5] [policy ...]   (default policies: uniform dssda)
// BENCH_ONLY=on (or off) times one side only, e.g. under perf record. Without it, each policy's
// line is followed by where the difference goes, per round in CPU µs at the mobile run's round
// times: the channel model's rounds alone (mobility off and on) and the Gauss–Markov walks alone
// with each lanes kind the CPU runs (NodeTrack::advanceTogether(); scalar = one by one).
// COLLAPIPE_MOBILITY_LANES=scalar|avx2|avx512vl picks the kind the rounds use.
#include "../optimizer/round_loop.h"
#include "core/channel/channel_model.h"
#include "core/scenario/scenario_json.h"
#include "tests/bench/process_cpu_time.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>

using namespace collapipe;

namespace {

/// CPU seconds of `rounds` cost-only rounds of `s` (a fresh policy and channel), or < 0 on error.
double timeRounds(const Scenario &s, int rounds)
{
    QString error;
    std::unique_ptr<Policy> policy = makePolicy(s.optimizer.policy, &error);
    if (!policy) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return -1.0;
    }
    testing::CostOnlyRounds loop(s, *policy, s.training.seed);
    RoundRecord record;
    const double start = bench::processCpuSeconds();
    for (int t = 0; t < rounds; ++t) {
        if (!loop.step(&record, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return -1.0;
        }
    }
    return bench::processCpuSeconds() - start;
}

/// The round start times (simulated seconds) of `rounds` cost-only rounds of `s`.
std::vector<double> roundTimes(const Scenario &s, int rounds)
{
    std::vector<double> times;
    QString error;
    std::unique_ptr<Policy> policy = makePolicy(s.optimizer.policy, &error);
    if (!policy) {
        return times;
    }
    testing::CostOnlyRounds loop(s, *policy, s.training.seed);
    RoundRecord record;
    for (int t = 0; t < rounds; ++t) {
        times.push_back(loop.state.simTimeS);
        if (!loop.step(&record, &error)) {
            break;
        }
    }
    return times;
}

/// CPU seconds of the channel model's rounds alone (stateForRound at the run's times).
double timeChannel(const Scenario &s, const std::vector<double> &times)
{
    ChannelModel channel(s.topology, s.training.seed);
    double sink = 0.0;
    const double start = bench::processCpuSeconds();
    for (std::size_t t = 0; t < times.size(); ++t) {
        sink += channel.stateForRound(int(t), times[t]).clusters[0].d2eGain[0];
    }
    const double cpu = bench::processCpuSeconds() - start;
    return sink == -1.0 ? -1.0 : cpu;
}

/// CPU seconds of the Gauss–Markov nodes' walks alone: each node asked at the run's times, one
/// by one (scalar) or after advancing them together (NodeTrack::advanceTogether) with `lanes`.
double timeWalks(const Scenario &s, const std::vector<double> &times, NodeTrack::Lanes lanes)
{
    std::vector<NodeTrack> tracks;
    for (const Cluster &c : s.topology.clusters) {
        if (c.controlUnit.mobility.model == MobilityModel::GaussMarkov) {
            tracks.emplace_back(c.controlUnit.mobility, c.controlUnit.position, c.controlUnit.id);
        }
        for (const Device &d : c.devices) {
            if (d.mobility.model == MobilityModel::GaussMarkov) {
                tracks.emplace_back(d.mobility, d.position, d.id);
            }
        }
    }
    std::vector<NodeTrack *> all;
    for (NodeTrack &t : tracks) {
        all.push_back(&t);
    }
    double sink = 0.0;
    const double start = bench::processCpuSeconds();
    for (double timeS : times) {
        NodeTrack::advanceTogether(all, timeS, lanes);
        for (NodeTrack &t : tracks) {
            sink += t.at(timeS).xM;
        }
    }
    const double cpu = bench::processCpuSeconds() - start;
    return sink == -1.0 ? -1.0 : cpu;
}

Scenario withoutMobility(Scenario s)
{
    for (Cluster &c : s.topology.clusters) {
        c.controlUnit.mobility = Mobility{};
        for (Device &d : c.devices) {
            d.mobility = Mobility{};
        }
    }
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    const int rounds = args.size() > 0 ? args[0].toInt() : 200;
    const int repeats = args.size() > 1 ? args[1].toInt() : 5;
    QStringList policies = args.mid(2);
    if (policies.isEmpty()) {
        policies = {QStringLiteral("uniform"), QStringLiteral("dssda")};
    }
    Scenario mobile;
    std::vector<ScenarioProblem> problems;
    const QString path = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/mobile.json");
    if (!loadScenarioFile(path, &mobile, &problems)) {
        std::fprintf(stderr, "%s\n", qPrintable(problems.front().toString()));
        return 1;
    }
    mobile.training.train = false;
    mobile.training.rounds = rounds;
    mobile.training.threads = 1; // one core: the two cases compete for the same CPU
    std::printf(
        "cost-only rounds/s on mobile.json (%d rounds, best of %d, CPU time)\n", rounds, repeats);
    std::printf("%-10s %14s %14s %8s\n", "policy", "mobility off", "mobility on", "on/off");
    bool ok = true;
    for (const QString &name : policies) {
        mobile.optimizer.policy = name;
        const Scenario still = withoutMobility(mobile);
        double bestOn = std::numeric_limits<double>::infinity();
        double bestOff = bestOn;
        for (int r = 0; r < repeats; ++r) {
            const char *only = std::getenv("BENCH_ONLY");
            const double off = only && only[1] == 'n' ? 1.0 : timeRounds(still, rounds);
            const double on = only && only[1] == 'f' ? 1.0 : timeRounds(mobile, rounds);
            if (off < 0.0 || on < 0.0) {
                return 1;
            }
            bestOff = std::min(bestOff, off);
            bestOn = std::min(bestOn, on);
        }
        const double ratio = bestOff / bestOn; // rate on / rate off
        std::printf("%-10s %14.1f %14.1f %7.1f%%\n", qPrintable(name), rounds / bestOff,
            rounds / bestOn, 100.0 * ratio);
        ok = ok && ratio >= 0.8;

        // Where the difference goes: the channel model's rounds on and off, and the
        // Gauss–Markov walks alone, at the same round times as the mobile run.
        const std::vector<double> times
            = std::getenv("BENCH_ONLY") ? std::vector<double>{} : roundTimes(mobile, rounds);
        if (times.empty()) {
            continue;
        }
        double channelOn = std::numeric_limits<double>::infinity();
        double channelOff = channelOn;
        std::vector<double> walks(NodeTrack::supportedLanes().size(), channelOn);
        for (int r = 0; r < repeats; ++r) {
            channelOff = std::min(channelOff, timeChannel(still, times));
            channelOn = std::min(channelOn, timeChannel(mobile, times));
            for (std::size_t l = 0; l < walks.size(); ++l) {
                walks[l]
                    = std::min(walks[l], timeWalks(mobile, times, NodeTrack::supportedLanes()[l]));
            }
        }
        const double us = 1e6 / double(times.size());
        std::printf("  per round (us CPU, %.0f s simulated): channel off %.2f, on %.2f (+%.2f); "
                    "Gauss-Markov walks:",
            times.back() / double(times.size()), channelOff * us, channelOn * us,
            (channelOn - channelOff) * us);
        for (std::size_t l = 0; l < walks.size(); ++l) {
            std::printf(
                " %s %.2f", NodeTrack::lanesName(NodeTrack::supportedLanes()[l]), walks[l] * us);
        }
        std::printf("\n");
    }
    std::printf(ok ? "goal met: every ratio >= 80 %%\n" : "goal missed: a ratio < 80 %%\n");
    return ok ? 0 : 2;
}
