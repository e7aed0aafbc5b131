// SPDX-License-Identifier: MIT
#include "core/optimizer/dssda_policy.h"

#include "core/optimizer/uniform_policy.h"
#include "core/scenario/parallel_for.h"

#include <QStringList>

#include <algorithm>

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
    if (m_memos.size() != n) {
        m_memos.assign(n, SurrogateMemo{});
    }
    const std::optional<Scenario> oneFOneB = oneFOneBScenario(scenario); // once, not per cluster
    parallelFor(int(n), solverThreads(scenario), [&](int c) {
        // Budgets off: no energy queues; the convergence queue still counts (spec §3, §5).
        const ClusterWeights w = clusterWeights(scenario, c,
            scenario.optimizer.energyBudgets ? state.energyQueues : nullptr,
            state.convergenceQueues, options.useQueues);
        const ClusterDecision *previous
            = state.previous && std::size_t(c) < state.previous->clusters.size()
            ? &state.previous->clusters[std::size_t(c)]
            : nullptr;
        solutions[std::size_t(c)]
            = solveCluster(scenario, c, state.channel->clusters[std::size_t(c)], w, options,
                previous, &m_memos[std::size_t(c)], oneFOneB ? &*oneFOneB : nullptr);
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
    *out = std::move(decision);
    m_lastObjectives = std::move(objectives);
    return true;
}

} // namespace collapipe
