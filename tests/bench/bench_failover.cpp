// SPDX-License-Identifier: MIT
// DSSDA's fail-over repair against the full re-plan (core/optimizer/DSSDA.md "Fail-over"): what
// a repair costs and how much worse its decisions are. The scenario of bench_churn (default.json
// made 8 clusters x 6 devices, dssda, cost only, Rayleigh fading, queues running); every round
// of a churn-free run, each device that holds blocks in a cluster's plan is dropped in turn, and
// that cluster is decided over the devices left twice: repaired from the round's plan
// (PolicyState::aborted) and planned in full. Prints the ratio of the two exact objectives
// (V·latency + Σ Q·E + Z·Φ, repair / full: ≥ 1 means the full plan is better) over every dropout
// and the CPU time of each. Run: cmake --build <dir> --target bench_failover &&
// <dir>/tests/bench/bench_failover [rounds=40] [scenario.json (else the 8 x 6 scenario)].
// BENCH_ONLY=repair: the repairs alone (for perf record; no ratio).
#include "../optimizer/round_loop.h"
#include "core/optimizer/dssda_policy.h"
#include "core/scenario/scenario_generator.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/churn_round.h"
#include "tests/bench/process_cpu_time.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace collapipe;

namespace {

/// The cluster's objective when `policy` decides the view (aborted: the plan to repair, or null).
double decideOne(DssdaPolicy &policy, const PresentView &view, int round, bool repair, double *cpuS,
    ClusterDecision *out)
{
    PolicyState observed;
    observed.round = round;
    observed.scenario = &view.scenario;
    observed.channel = &view.channel;
    observed.energyQueues = &view.energyQueues;
    observed.convergenceQueues = &view.convergenceQueues;
    observed.previous = &view.previous;
    observed.aborted = repair ? &view.aborted : nullptr;
    Decision decision;
    QString error;
    const double start = bench::processCpuSeconds();
    const bool ok = policy.decide(observed, &decision, &error);
    *cpuS += bench::processCpuSeconds() - start;
    if (!ok) {
        return std::nan("");
    }
    *out = decision.clusters[0];
    return policy.lastObjectives()[0];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(1, atoi(argv[1])) : 40;
    Scenario s;
    std::vector<ScenarioProblem> problems;
    const QString path = argc > 2
        ? QString::fromLocal8Bit(argv[2])
        : QDir(bundledScenarioDir()).filePath(QStringLiteral("default.json"));
    if (!loadScenarioFile(path, &s, &problems)) {
        std::fprintf(stderr, "%s\n", qPrintable(problems.front().toString()));
        return 2;
    }
    if (argc <= 2) {
        GeneratorRecipe recipe;
        recipe.clusters = 8;
        recipe.devicesPerCluster = 6;
        for (const Device &preset : devicePresetsOf(s)) {
            recipe.mix.push_back({preset, 1.0});
        }
        s = generateScenario(s, recipe);
    }
    s.optimizer.policy = QStringLiteral("dssda");
    s.training.train = false;
    s.training.threads = 1;
    DssdaPolicy loopPolicy;
    testing::CostOnlyRounds loop(s, loopPolicy, s.training.seed);
    ChannelModel channels(s.topology, s.training.seed); // the loop's channel, asked again
    DssdaPolicy repairer;
    DssdaPolicy planner;
    std::vector<double> ratios;
    int repaired = 0;
    int sameSegments = 0;
    double repairCpuS = 0.0;
    double worstRatio = 0.0;
    QString worst; ///< the dropout with the largest ratio: where the repair loses most
    double planCpuS = 0.0;
    RoundRecord record;
    QString error;
    const bool repairOnly = std::getenv("BENCH_ONLY") != nullptr; // e.g. under perf record
    for (int t = 0; t < rounds; ++t) {
        const ChannelState channel = channels.stateForRound(t, loop.state.simTimeS);
        const RoundState before = loop.state;
        RoundOutcome outcome;
        if (!loop.step(&record, &error, &outcome)) {
            std::fprintf(stderr, "round %d: %s\n", t, qPrintable(error));
            return 1;
        }
        const Decision &plan = outcome.plan.decision;
        Presence present(s.topology.clusters.size());
        for (std::size_t n = 0; n < present.size(); ++n) {
            present[n].assign(s.topology.clusters[n].devices.size(), 1);
        }
        for (std::size_t n = 0; n < plan.clusters.size(); ++n) {
            for (const StageDecision &st : plan.clusters[n].stages) {
                Presence without = present;
                without[n][std::size_t(st.device)] = 0;
                const PresentView view = makePresentView(s, channel, before.queues.energy(),
                    before.queues.convergence(), before.hasPrevious ? &before.previous : nullptr,
                    without, {int(n)}, &plan);
                ClusterDecision fixed;
                ClusterDecision full;
                const double r = decideOne(repairer, view, t, true, &repairCpuS, &fixed);
                const double f
                    = repairOnly ? r : decideOne(planner, view, t, false, &planCpuS, &full);
                if (!std::isfinite(r) || !std::isfinite(f) || f <= 0.0) {
                    continue;
                }
                repaired += repairer.lastRepaired()[0] ? 1 : 0;
                sameSegments += fixed.stages.size() == full.stages.size()
                        && std::equal(fixed.stages.begin(), fixed.stages.end(), full.stages.begin(),
                            [](const StageDecision &a, const StageDecision &b) {
                                return a.device == b.device && a.firstBlock == b.firstBlock
                                    && a.lastBlock == b.lastBlock;
                            })
                        && fixed.microbatches == full.microbatches
                    ? 1
                    : 0;
                ratios.push_back(r / f);
                if (r / f > worstRatio) {
                    worstRatio = r / f;
                    auto text = [](const ClusterDecision &d) {
                        QString o = QStringLiteral("M %1 b %2:")
                                        .arg(d.microbatches)
                                        .arg(d.microbatchSize);
                        for (const StageDecision &x : d.stages) {
                            o += QStringLiteral(" d%1[%2-%3]")
                                     .arg(x.device)
                                     .arg(x.firstBlock)
                                     .arg(x.lastBlock);
                        }
                        return o;
                    };
                    worst = QStringLiteral(
                        "round %1 cluster %2, d%3 dropped: aborted %4 | repair %5 | full %6")
                                .arg(t)
                                .arg(n)
                                .arg(st.device)
                                .arg(text(plan.clusters[n]), text(fixed), text(full));
                }
            }
        }
    }
    if (ratios.empty()) {
        std::fprintf(stderr, "no dropout could be compared\n");
        return 1;
    }
    std::vector<double> sorted = ratios;
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) { return sorted[std::size_t(q * double(sorted.size() - 1))]; };
    double mean = 0.0;
    int worse = 0;
    for (double r : ratios) {
        mean += r / double(ratios.size());
        worse += r > 1.0 + 1e-12 ? 1 : 0;
    }
    const QString name = argc > 2 ? QFileInfo(path).fileName()
                                  : QStringLiteral("default.json as 8 clusters x 6 devices");
    std::printf("bench_failover: %s, %d rounds, %zu dropouts (%d repaired, the rest solved in "
                "full; %d with the full plan's segments and M)\n",
        qPrintable(name), rounds, ratios.size(), repaired, sameSegments);
    std::printf("  objective repair / full re-plan: mean %.4f, min %.4f, p50 %.4f, p90 %.4f, "
                "p99 %.4f, max %.4f; worse in %d (%.0f %%)\n",
        mean, sorted.front(), at(0.5), at(0.9), at(0.99), sorted.back(), worse,
        100.0 * worse / double(ratios.size()));
    std::printf("  worst: %s\n", qPrintable(worst));
    std::printf("  CPU per fail-over decision: repair %.1f us, full re-plan %.1f us (%.2fx)\n",
        1e6 * repairCpuS / double(ratios.size()), 1e6 * planCpuS / double(ratios.size()),
        planCpuS / std::max(1e-12, repairCpuS));
    return 0;
}
