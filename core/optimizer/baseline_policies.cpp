// SPDX-License-Identifier: MIT
#include "core/optimizer/baseline_policies.h"

#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/proportional_policy.h"
#include "core/optimizer/uniform_policy.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace collapipe {

namespace {

bool checkState(const PolicyState &state, const QString &name, QString *error)
{
    if (state.scenario && state.channel
        && state.channel->clusters.size() >= state.scenario->topology.clusters.size()) {
        return true;
    }
    if (error) {
        *error = QStringLiteral("%1: policy state without scenario or a channel per cluster")
                     .arg(name);
    }
    return false;
}

/// Samples of one round as the fixed-M pipeline baselines see them (spec §10-A).
int roundSamples(const Scenario &s)
{
    if (s.optimizer.microbatchMode == MicrobatchMode::Split) {
        return std::max(1, s.training.batchSize);
    }
    return fixedMicrobatchCount(s.optimizer) * std::max(1, s.training.microbatchSize);
}

/// fl and sl train one device stage per chain with one micro-batch (M = 1 in split mode): chunks
/// have nothing to overlap there, so a chunked schedule runs as 1F1B (no chunk rule to meet).
ScheduleKind singleStageSchedule(const OptimizerSettings &o)
{
    const ScheduleKind kind = staticSchedule(o);
    return chunksOf(kind, o.interleave) > 1 ? ScheduleKind::OneFOneB : kind;
}

} // namespace

bool FederatedFullPolicy::decide(const PolicyState &state, Decision *out, QString *error)
{
    if (!checkState(state, name(), error)) {
        return false;
    }
    const Scenario &s = *state.scenario;
    const int samples = roundSamples(s);
    Decision decision;
    QStringList problems;
    for (std::size_t c = 0; c < s.topology.clusters.size(); ++c) {
        const Cluster &cluster = s.topology.clusters[c];
        // Devices that cannot hold the whole encoder drop out; fewer devices means more samples
        // each (more activation memory), so repeat until the set is stable.
        std::vector<int> members;
        for (int k = 0; k < int(cluster.devices.size()); ++k) {
            members.push_back(k);
        }
        double need = 0.0;
        for (bool changed = true; changed && !members.empty();) {
            const int perDevice = (samples + int(members.size()) - 1) / int(members.size());
            need = federatedDeviceMemoryBytes(
                s.model.profiled, s.model.encoderBlocks, perDevice, s.model.bytesPerElement);
            const std::size_t before = members.size();
            std::erase_if(
                members, [&](int k) { return cluster.devices[std::size_t(k)].memoryBytes < need; });
            changed = members.size() != before;
        }
        if (members.empty()) {
            QStringList devices;
            for (const Device &d : cluster.devices) {
                devices << QStringLiteral("%1 has %2 B").arg(d.id).arg(d.memoryBytes, 0, 'g', 6);
            }
            problems << QStringLiteral("infeasible: cluster %1: no device holds the embedding "
                                       "and the whole encoder for fl (needs %2 B at %3 samples): "
                                       "%4")
                            .arg(cluster.id)
                            .arg(need, 0, 'g', 6)
                            .arg(samples)
                            .arg(devices.join(QStringLiteral(", ")));
            continue;
        }
        ClusterDecision d;
        d.mode = ClusterDecision::Mode::FederatedFull;
        d.schedule = singleStageSchedule(s.optimizer);
        d.microbatches = s.optimizer.microbatchMode == MicrobatchMode::Split
            ? 1
            : fixedMicrobatchCount(s.optimizer);
        d.microbatchSize = s.optimizer.microbatchMode == MicrobatchMode::Split
            ? samples
            : std::max(1, s.training.microbatchSize);
        for (int k : members) {
            StageDecision st;
            st.device = k;
            st.firstBlock = 0;
            st.lastBlock = s.model.encoderBlocks - 1;
            st.powerW = cluster.devices[std::size_t(k)].maxPowerW;
            d.stages.push_back(st);
        }
        decision.clusters.push_back(d);
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

ClusterDecision splitClusterDecision(const Scenario &s, int cluster, int device)
{
    const int L = s.model.encoderBlocks;
    ClusterDecision d;
    d.mode = ClusterDecision::Mode::EdgeTail;
    d.schedule = singleStageSchedule(s.optimizer);
    d.microbatches = 1;
    d.microbatchSize = roundSamples(s);
    d.controlUnitShare = 1.0; // the only D2D hop is CU → device; the device → edge is D2E
    StageDecision st;
    st.device = device;
    st.firstBlock = 0;
    st.lastBlock = std::clamp(s.optimizer.slCutBlocks, 1, std::max(1, L)) - 1;
    st.powerW = s.topology.clusters[std::size_t(cluster)].devices[std::size_t(device)].maxPowerW;
    d.stages.push_back(st);
    return d;
}

bool SplitFixedCutPolicy::decide(const PolicyState &state, Decision *out, QString *error)
{
    if (!checkState(state, name(), error)) {
        return false;
    }
    const Scenario &s = *state.scenario;
    const int L = s.model.encoderBlocks;
    const int cut = std::clamp(s.optimizer.slCutBlocks, 1, std::max(1, L));
    Decision decision;
    QStringList problems;
    for (std::size_t c = 0; c < s.topology.clusters.size(); ++c) {
        const Cluster &cluster = s.topology.clusters[c];
        const ClusterWeights weights
            = clusterWeights(s, int(c), s.optimizer.energyBudgets ? state.energyQueues : nullptr,
                state.convergenceQueues, true);
        ClusterDecision best;
        double bestValue = std::numeric_limits<double>::infinity();
        for (int k = 0; k < int(cluster.devices.size()); ++k) {
            const ClusterDecision d = splitClusterDecision(s, int(c), k);
            const double v = exactObjective(s, int(c), state.channel->clusters[c], weights, d);
            if (v < bestValue) {
                bestValue = v;
                best = d;
            }
        }
        if (!std::isfinite(bestValue)) {
            const double need = segmentMemoryBytes(
                s.model.profiled, cut, roundSamples(s), 1, s.model.bytesPerElement);
            QStringList devices;
            for (const Device &d : cluster.devices) {
                devices << QStringLiteral("%1 has %2 B").arg(d.id).arg(d.memoryBytes, 0, 'g', 6);
            }
            problems << QStringLiteral("infeasible: cluster %1: no device holds the first %2 "
                                       "block(s) for sl (needs %3 B): %4")
                            .arg(cluster.id)
                            .arg(cut)
                            .arg(need, 0, 'g', 6)
                            .arg(devices.join(QStringLiteral(", ")));
            continue;
        }
        decision.clusters.push_back(best);
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

std::vector<ClusterDecision> baselineDecisions(const Scenario &scenario, int cluster)
{
    const Cluster &c = scenario.topology.clusters[std::size_t(cluster)];
    std::vector<int> index(c.devices.size());
    std::iota(index.begin(), index.end(), 0);
    std::vector<double> flops;
    for (const Device &dev : c.devices) {
        flops.push_back(dev.computeFlops);
    }
    const int L = scenario.model.encoderBlocks;
    std::vector<ClusterDecision> seeds;
    for (const auto &counts :
        {equalBlockCounts(L, int(index.size())), proportionalBlockCounts(L, flops)}) {
        seeds.push_back(staticClusterDecision(scenario, cluster, index, counts));
    }
    for (int k = 0; scenario.optimizer.edgeOffload && k < int(index.size()); ++k) {
        seeds.push_back(splitClusterDecision(scenario, cluster, k));
    }
    return seeds;
}

} // namespace collapipe
