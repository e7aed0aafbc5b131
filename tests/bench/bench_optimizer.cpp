// SPDX-License-Identifier: MIT
// Decision time of DSSDA (issue [3/6]): one cluster with K = 4, 8, 16, 32 devices and
// L = 12, 24, 48 blocks, and 10 / 100 clusters of 10 devices. Targets: < 1 ms for K = 8,
// L = 12; < 100 ms for 100 × 10. Run: cmake --build <dir> --target bench_optimizer &&
// <dir>/tests/bench/bench_optimizer [rounds]
#include "../optimizer/optimizer_fixtures.h"
#include "core/channel/channel_model.h"
#include "core/optimizer/dssda_policy.h"
#include "core/optimizer/virtual_queues.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace collapipe;

namespace {

/// CPU time of this process in ms: on a shared, loaded machine it is a steadier measure of the
/// work than wall time (both are printed).
double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/// Median and max wall time of `rounds` decisions (ms); queues fed by a cost-only loop so the
/// energy terms are active as in a run.
void bench(int clusters, int devices, int blocks, int rounds, bool polish = true)
{
    Scenario s = testing::randomScenario(99, clusters, devices, blocks);
    s.topology.d2d.fading = FadingModel::Rayleigh;
    s.topology.d2e.fading = FadingModel::Rayleigh;
    ChannelModel channels(s.topology, 5);
    VirtualQueues queues(s);
    DssdaPolicy policy;
    if (!polish) {
        DssdaOptions options = DssdaPolicy::optionsFor(DssdaPolicy::Variant::Full, s);
        options.exactRefine = false;
        policy.setOptions(options);
    }
    std::vector<double> ms;
    std::vector<double> cpu;
    Decision previous;
    int failed = 0;
    for (int r = 0; r < rounds; ++r) {
        const ChannelState ch = channels.stateForRound(r);
        PolicyState state;
        state.round = r;
        state.scenario = &s;
        state.channel = &ch;
        state.energyQueues = &queues.energy();
        state.convergenceQueues = &queues.convergence();
        state.previous = r > 0 ? &previous : nullptr;
        Decision d;
        QString error;
        QElapsedTimer t;
        t.start();
        const double c0 = cpuMs();
        const bool ok = policy.decide(state, &d, &error);
        cpu.push_back(cpuMs() - c0);
        ms.push_back(t.nsecsElapsed() / 1e6);
        if (!ok) {
            ++failed;
            continue;
        }
        const RoundCost cost = evaluateRound(s, ch, d);
        std::vector<std::vector<double>> energy(s.topology.clusters.size());
        for (std::size_t n = 0; n < cost.clusters.size(); ++n) {
            energy[n].assign(s.topology.clusters[n].devices.size(), 0.0);
            for (const StageCost &st : cost.clusters[n].stages) {
                energy[n][std::size_t(st.device)] += st.energyJ;
            }
        }
        queues.update(s, energy, {});
        previous = d;
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    std::printf("clusters %3d  K %2d  L %2d  rounds %3d  wall median %9.3f max %9.3f ms  "
                "cpu median %9.3f max %9.3f ms%s\n",
        clusters, devices, blocks, rounds, ms[ms.size() / 2], ms.back(), cpu[cpu.size() / 2],
        cpu.back(),
        failed       ? "  (some rounds infeasible)"
            : polish ? ""
                     : "  (no exact polish)");
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(1, atoi(argv[1])) : 20;
    const bool clustersOnly = argc > 2 && QLatin1String(argv[2]) == QLatin1String("clusters");
    if (argc > 2 && QLatin1String(argv[2]) == QLatin1String("k8")) {
        bench(1, 8, 12, rounds); // the < 1 ms target case alone (for profiling)
        return 0;
    }
    std::printf("DSSDA decision time (default options, Rayleigh fading, queues active)\n");
    for (int K : {4, 8, 16, 32}) {
        if (clustersOnly) {
            break;
        }
        for (int L : {12, 24, 48}) {
            bench(1, K, L, K >= 32 && L >= 48 ? std::max(1, rounds / 4) : rounds);
        }
    }
    if (!clustersOnly) {
        bench(1, 8, 12, rounds, false);
    }
    bench(10, 10, 12, std::max(1, rounds / 2));
    bench(100, 10, 12, std::max(1, rounds / 10));
    return 0;
}
