// SPDX-License-Identifier: MIT
#include "core/optimizer/dssda_policy.h"

#include "core/optimizer/dssda_repair.h"
#include "core/optimizer/dssda_tracking.h"
#include "core/optimizer/uniform_policy.h"
#include "core/scenario/parallel_for.h"
#include "core/types/vector_state.h"

#include <QStringList>

#include <algorithm>
#include <limits>

namespace collapipe {

namespace {

QString defaultName(DssdaPolicy::Variant variant)
{
    switch (variant) {
    case DssdaPolicy::Variant::Full:
        return QStringLiteral("dssda");
    case DssdaPolicy::Variant::Myopic:
        return QStringLiteral("dssda-myopic");
    case DssdaPolicy::Variant::FixedM:
        return QStringLiteral("dssda-fixed-m");
    case DssdaPolicy::Variant::EqualBandwidth:
        return QStringLiteral("dssda-equal-bw");
    }
    return QStringLiteral("dssda");
}

} // namespace

DssdaPolicy::DssdaPolicy(Variant variant, const QString &name)
    : m_variant(variant)
    , m_name(name.isEmpty() ? defaultName(variant) : name)
{ }

DssdaOptions DssdaPolicy::optionsFor(Variant variant, const Scenario &scenario)
{
    DssdaOptions options;
    options.useQueues = variant != Variant::Myopic;
    if (variant == Variant::FixedM) {
        options.fixedMicrobatches = fixedMicrobatchCount(scenario.optimizer);
    }
    options.optimizeResources = variant != Variant::EqualBandwidth;
    // optimizer.warm_start (DSSDA.md "Warm start"): the rounds between full solves polish the
    // kept plan on the exact evaluator, from the tracked plan (track) or from last round's own
    // bandwidth and power (keep), instead of only re-allocating them: up to 2 passes of the polish's structural and block moves (the power and bandwidth moves
    // cost a third more for +0.01 % of objective on default.json). No 5 % re-plan trigger: the
    // polish's moves answer a kept plan that got worse (on campus-day.json the trigger re-solved
    // 35 % of cluster-rounds in full, 2.9× the decision time, for 0.01 % of latency).
    if (scenario.optimizer.warmStart != WarmStart::Off) {
        options.warmPasses = 2;
        options.warmTrack = scenario.optimizer.warmStart == WarmStart::Track;
        options.warmScope.power = false;
        options.warmScope.bandwidthSteps = 0;
        // Issue 17, second pass (DSSDA.md "Warm start"): the structural trials scored in the
        // order of their bound, and with `track` the tracked plan keeps last round's bandwidth
        // shares and searches each power around last round's (10 steps): ≈ 15 % less decision
        // time at F = 50 for +0.01 % of latency. A split stays tried with every unused device
        // (splitDevices 0): splitting only with the best replacing device saved another 6 µs a
        // round but made a campus-day.json solve 25 % worse than the full solve's (DSSDA.md
        // "Second pass").
        options.warmScope.boundOrder = true;
        options.warmScope.splitDevices = 0;
        options.warmKeepShares = true;
        options.warmPowerSteps = 10;
        options.replanGrowth = std::numeric_limits<double>::infinity();
    }
    return options;
}

int DssdaPolicy::solverThreads(const Scenario &scenario)
{
    const int clusters = int(scenario.topology.clusters.size());
    return clusters >= 4 ? std::min(clusters, resolveThreadCount(scenario.training.threads)) : 1;
}

void DssdaPolicy::setOptions(const DssdaOptions &options)
{
    m_options = options;
    m_hasOptions = true;
}

bool DssdaPolicy::decide(const PolicyState &state, Decision *out, QString *error)
{
    // `collapipe plan`, the Lab and direct calls reach here without stepRound(), which clears
    // the upper AVX state otherwise (core/types/vector_state.h: DSSDA 2.4× slower when dirty).
    clearUpperVectorState();
    if (!state.scenario || !state.channel || !out) {
        if (error) {
            *error = QStringLiteral("%1: policy state without scenario or channel").arg(m_name);
        }
        return false;
    }
    const Scenario &scenario = *state.scenario;
    DssdaOptions options = m_hasOptions ? m_options : optionsFor(m_variant, scenario);
    if (m_hasOptions && m_variant == Variant::FixedM && options.fixedMicrobatches <= 0) {
        options.fixedMicrobatches = fixedMicrobatchCount(scenario.optimizer);
    }
    options.cancelled = state.cancelled;
    const std::size_t n = scenario.topology.clusters.size();
    if (state.channel->clusters.size() < n) {
        if (error) {
            *error = QStringLiteral("%1: channel state has %2 clusters, scenario %3")
                         .arg(m_name)
                         .arg(state.channel->clusters.size())
                         .arg(n);
        }
        return false;
    }
    // Clusters are independent (spec §6: "clusters run in parallel"): solve them on the engine's
    // pool, as many threads as training.threads allows. Each cluster's result depends only on
    // its own inputs, so the decision is the same for any thread count.
    std::vector<ClusterSolution> solutions(n);
    std::vector<char> kept(n, 0); // not vector<bool>: the threads write neighbouring entries
    std::vector<char> repaired(n, 0);
    // The surrogate memos by cluster id, not by the view's index: a fail-over's view holds only
    // the clusters that lost a device, and by index it would hand cluster 0's tables to another
    // (a miss) and drop the others' (each memo checks its key, so only the time changes).
    // Hand-built scenarios may repeat an id (or leave it empty): those clusters get a memo per
    // index, never one shared by two threads.
    std::vector<SurrogateMemo *> memos(n);
    for (std::size_t c = 0; c < n; ++c) {
        const QString &id = scenario.topology.clusters[c].id;
        bool repeated = false;
        for (std::size_t o = 0; o < n && !repeated; ++o) {
            repeated = o != c && scenario.topology.clusters[o].id == id;
        }
        memos[c] = &m_memos[repeated ? QStringLiteral("\u0001%1").arg(c) : id];
    }
    // A mid-round fail-over under optimizer.failover = repair (DSSDA.md "Fail-over"): each
    // cluster's aborted plan is repaired, and solved in full only when the repair has no plan.
    const bool repair = state.aborted && scenario.optimizer.failover == FailoverRule::Repair;
    const std::optional<Scenario> oneFOneB = oneFOneBScenario(scenario); // once, not per cluster
    // Between re-plans (optimizer.replan_every, DSSDA.md "Re-planning period") each cluster keeps
    // last round's structure and only re-allocates resources; a plan that no longer applies is
    // re-planned at once. Round 0 and every F-th round plan.
    const int every = std::max(1, scenario.optimizer.replanEvery);
    const bool tracking = every > 1 && state.previous && state.round % every != 0;
    // A kept plan is also dropped when its objective grew by more than options.replanGrowth
    // (1.05) over the cluster's last round: a deep fade on one of its links, or energy queues
    // that started to bind, are what a re-plan answers (without it, F = 20 on default.json let
    // one fade stretch a cluster's makespan 15× and the queues ran away: DSSDA.md "Re-planning
    // period").
    const double replanGrowth = options.replanGrowth;
    parallelFor(int(n), solverThreads(scenario), [&](int c) {
        // Budgets off: no energy queues; the convergence queue still counts (spec §3, §5).
        const ClusterWeights w = clusterWeights(scenario, c,
            scenario.optimizer.energyBudgets ? state.energyQueues : nullptr,
            state.convergenceQueues, options.useQueues);
        const ClusterDecision *previous
            = state.previous && std::size_t(c) < state.previous->clusters.size()
            ? &state.previous->clusters[std::size_t(c)]
            : nullptr;
        if (repair && std::size_t(c) < state.aborted->clusters.size()) {
            ClusterSolution fixed
                = repairCluster(scenario, c, state.channel->clusters[std::size_t(c)], w, options,
                    state.aborted->clusters[std::size_t(c)], memos[std::size_t(c)],
                    oneFOneB ? &*oneFOneB : nullptr);
            if (fixed.feasible) {
                solutions[std::size_t(c)] = std::move(fixed);
                repaired[std::size_t(c)] = 1;
                return;
            }
        }
        if (tracking && previous) {
            // optimizer.warm_start: the tracked plan polished on the exact evaluator.
            ClusterSolution tracked = options.warmPasses > 0
                ? warmCluster(scenario, c, state.channel->clusters[std::size_t(c)], w, options,
                    *previous, memos[std::size_t(c)], oneFOneB ? &*oneFOneB : nullptr)
                : trackCluster(scenario, c, state.channel->clusters[std::size_t(c)], w, options,
                    *previous, memos[std::size_t(c)], oneFOneB ? &*oneFOneB : nullptr);
            const auto last
                = m_lastObjectiveById.find(scenario.topology.clusters[std::size_t(c)].id);
            if (tracked.feasible && last != m_lastObjectiveById.end()
                && tracked.objective <= replanGrowth * last->second) {
                solutions[std::size_t(c)] = std::move(tracked);
                kept[std::size_t(c)] = 1;
                return;
            }
        }
        solutions[std::size_t(c)]
            = solveCluster(scenario, c, state.channel->clusters[std::size_t(c)], w, options,
                previous, memos[std::size_t(c)], oneFOneB ? &*oneFOneB : nullptr);
    });
    Decision decision;
    std::vector<double> objectives;
    QStringList problems;
    if (options.cancelled && options.cancelled()) {
        if (error) {
            *error = QStringLiteral("%1: cancelled").arg(m_name);
        }
        return false;
    }
    for (ClusterSolution &solution : solutions) {
        if (!solution.feasible) {
            problems << solution.error;
            continue;
        }
        decision.clusters.push_back(std::move(solution.decision));
        objectives.push_back(solution.objective);
    }
    if (!problems.isEmpty()) {
        if (error) {
            *error = problems.join(QLatin1Char('\n'));
        }
        return false;
    }
    for (std::size_t c = 0; c < n; ++c) {
        m_lastObjectiveById[scenario.topology.clusters[c].id] = objectives[c];
    }
    *out = std::move(decision);
    m_lastObjectives = std::move(objectives);
    m_lastKeptPlan.assign(kept.begin(), kept.end());
    m_lastRepaired.assign(repaired.begin(), repaired.end());
    return true;
}

} // namespace collapipe
