// SPDX-License-Identifier: MIT
#include "core/optimizer/uniform_policy.h"

#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"

#include <algorithm>
#include <numeric>

namespace collapipe {

int fixedMicrobatchCount(const OptimizerSettings &optimizer)
{
    return std::clamp(optimizer.maxMicrobatches, 1, 4);
}

std::vector<int> equalBlockCounts(int blocks, int devices)
{
    std::vector<int> out(std::max(0, devices), 0);
    for (int k = 0; k < devices; ++k) {
        out[k] = blocks / devices + (k < blocks % devices ? 1 : 0);
    }
    return out;
}

ScheduleKind staticSchedule(const OptimizerSettings &optimizer)
{
    return optimizer.autoSchedule ? ScheduleKind::OneFOneB : optimizer.schedule;
}

ClusterDecision staticClusterDecision(const Scenario &scenario, int cluster,
    const std::vector<int> &order, const std::vector<int> &blocksPerDevice)
{
    const Cluster &cl = scenario.topology.clusters[cluster];
    ClusterDecision d;
    d.mode = ClusterDecision::Mode::Pipeline;
    d.schedule = staticSchedule(scenario.optimizer);
    d.interleave = d.schedule == ScheduleKind::Interleaved ? scenario.optimizer.interleave : 1;
    d.microbatches = fixedMicrobatchCount(scenario.optimizer);
    d.microbatchSize
        = microbatchSizeFor(scenario.training, scenario.optimizer.microbatchMode, d.microbatches);
    int next = 0;
    for (std::size_t i = 0; i < order.size() && i < blocksPerDevice.size(); ++i) {
        if (blocksPerDevice[i] <= 0) {
            continue;
        }
        StageDecision st;
        st.device = order[i];
        st.firstBlock = next;
        st.lastBlock = next + blocksPerDevice[i] - 1;
        st.powerW = cl.devices[order[i]].maxPowerW;
        next = st.lastBlock + 1;
        d.stages.push_back(st);
    }
    // Equal bandwidth over the D2D links that carry data: CU → stage 0 and stage j → j+1. The last
    // stage talks to the edge over D2E, so it takes no D2D share (core/MODEL.md "Links").
    // Interleaved also hops from the last stage back to the first (the wrap), on the last
    // stage's share.
    const bool wraps = d.schedule == ScheduleKind::Interleaved
        && chunksOf(d.schedule, d.interleave) >= 2 && d.stages.size() >= 2;
    const std::size_t links = d.stages.size() + (wraps ? 1 : 0);
    const double share = links == 0 ? 0.0 : 1.0 / double(links);
    d.controlUnitShare = share;
    for (std::size_t j = 0; j + 1 < d.stages.size(); ++j) {
        d.stages[j].bandwidthShare = share;
    }
    if (wraps) {
        d.stages.back().bandwidthShare = share;
    }
    return d;
}

bool checkMemory(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterDecision &decision, QString *error)
{
    const ClusterCost cost = evaluateCluster(scenario, cluster, channel, decision);
    const Cluster &cl = scenario.topology.clusters[cluster];
    QStringList problems;
    for (const StageCost &st : cost.stages) {
        if (st.memoryBytes > st.memoryCapacityBytes) {
            problems << QStringLiteral("device %1 needs %2 B > %3 B available (blocks %4-%5, M=%6)")
                            .arg(cl.devices[st.device].id)
                            .arg(st.memoryBytes, 0, 'f', 0)
                            .arg(st.memoryCapacityBytes, 0, 'f', 0)
                            .arg(st.firstBlock)
                            .arg(st.lastBlock)
                            .arg(cost.microbatches);
        }
        if (!chunksFit(decision.schedule, decision.interleave, st.blocks)) {
            problems << QStringLiteral("device %1 has %2 blocks, not a multiple of the %3 chunks "
                                       "of optimizer.schedule %4 (optimizer.interleave = %5)")
                            .arg(cl.devices[st.device].id)
                            .arg(st.blocks)
                            .arg(chunksOf(decision.schedule, decision.interleave))
                            .arg(QLatin1String(scheduleName(decision.schedule)))
                            .arg(scenario.optimizer.interleave);
        }
    }
    if (problems.isEmpty()) {
        return true;
    }
    if (error) {
        *error = QStringLiteral("infeasible: cluster %1: %2")
                     .arg(cl.id, problems.join(QStringLiteral("; ")));
    }
    return false;
}

bool decideStatic(const PolicyState &state, const QString &policyName,
    const std::function<std::vector<int>(const Scenario &, const Cluster &)> &blocksFor,
    Decision *out, QString *error)
{
    if (!state.scenario || !state.channel || !out) {
        if (error) {
            *error = policyName + QStringLiteral(": no scenario or channel state given");
        }
        return false;
    }
    const Scenario &s = *state.scenario;
    Decision decision;
    QStringList problems;
    for (std::size_t c = 0; c < s.topology.clusters.size(); ++c) {
        const Cluster &cl = s.topology.clusters[c];
        std::vector<int> order(cl.devices.size());
        std::iota(order.begin(), order.end(), 0);
        decision.clusters.push_back(staticClusterDecision(s, int(c), order, blocksFor(s, cl)));
        QString problem;
        if (!checkMemory(
                s, int(c), state.channel->clusters[c], decision.clusters.back(), &problem)) {
            problems << problem;
        }
    }
    if (!problems.isEmpty()) {
        if (error) {
            *error = problems.join(QLatin1Char('\n'));
        }
        return false;
    }
    *out = std::move(decision);
    return true;
}

bool UniformPolicy::decide(const PolicyState &state, Decision *out, QString *error)
{
    return decideStatic(
        state, QStringLiteral("uniform"),
        [](const Scenario &s, const Cluster &cl) {
            return equalBlockCounts(s.model.encoderBlocks, int(cl.devices.size()));
        },
        out, error);
}

} // namespace collapipe
