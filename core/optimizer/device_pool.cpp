// SPDX-License-Identifier: MIT
#include "core/optimizer/device_pool.h"

#include "core/cost/cost_terms.h"
#include "core/optimizer/baseline_policies.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/exact_bound.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace collapipe {

namespace {

/// Polls `cancelled` every 4,096 devices (a poll is an atomic load behind a std::function).
bool stopAt(int k, const std::function<bool()> *cancelled)
{
    return k % 4096 == 0 && cancelled && *cancelled && (*cancelled)();
}

/// Appends the `count` devices of `candidates` with the smallest score (ties: lower index). Each
/// score is computed once (a gain of a big cluster's channel is computed per call).
template <typename Score>
void addBest(const std::vector<int> &candidates, int count, Score score, std::vector<int> *pool)
{
    std::vector<std::pair<double, int>> scored;
    scored.reserve(candidates.size());
    for (int k : candidates) {
        scored.emplace_back(score(k), k);
    }
    const auto end = scored.begin() + std::min<std::ptrdiff_t>(count, scored.size());
    std::partial_sort(scored.begin(), end, scored.end());
    for (auto it = scored.begin(); it != end; ++it) {
        pool->push_back(it->second);
    }
}

} // namespace

int poolPerCriterion(int blocks)
{
    return std::max(16, 2 * blocks);
}

std::vector<int> poolDevices(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const ClusterDecision *previous, int perCriterion,
    const std::function<bool()> *cancelled)
{
    const Cluster &c = scenario.topology.clusters[std::size_t(cluster)];
    const int K = int(c.devices.size());
    // The smallest footprint of one block: b at the largest candidate M, one micro-batch in
    // flight (the last stage's stash). A device below it holds no block at any M.
    const std::vector<int> ms = candidateMicrobatches(scenario);
    const int mMax = ms.empty() ? 1 : *std::max_element(ms.begin(), ms.end());
    const int b = microbatchSizeFor(scenario.training, scenario.optimizer.microbatchMode, mMax);
    const double oneBlock
        = segmentMemoryBytes(scenario.model.profiled, 1, b, 1.0, scenario.model.bytesPerElement);
    std::vector<int> usable;
    for (int k = 0; k < K; ++k) {
        if (stopAt(k, cancelled)) {
            return {};
        }
        const Device &d = c.devices[std::size_t(k)];
        if (d.computeFlops > 0.0 && d.memoryBytes >= oneBlock) {
            usable.push_back(k);
        }
    }
    if (usable.empty()) {
        return {};
    }
    std::vector<int> pool;
    const int cu = channel.controlUnitNode();
    const double v = std::max(weights.v, 1e-9);
    auto queue = [&](int k) {
        return std::size_t(k) < weights.energyQueues.size() ? weights.energyQueues[std::size_t(k)]
                                                            : 0.0;
    };
    // Compute time per block; the head link (both directions share the pair's gain); the last
    // stage's D2E link; compute time and its energy weight (spec §5: Q_k·E_k/V).
    addBest(
        usable, perCriterion, [&](int k) { return -c.devices[std::size_t(k)].computeFlops; },
        &pool);
    addBest(
        usable, perCriterion, [&](int k) { return -channel.gain(cu, k); }, &pool);
    addBest(
        usable, perCriterion, [&](int k) { return -channel.d2eGain[std::size_t(k)]; }, &pool);
    addBest(
        usable, perCriterion,
        [&](int k) {
            const Device &d = c.devices[std::size_t(k)];
            return (1.0 + queue(k) * d.computePowerW / v) / d.computeFlops;
        },
        &pool);
    // A chain of short D2D hops from the control unit (nearest next device: the mean gain falls
    // with distance, and a distance costs no fading draw on a big cluster's computed channel).
    std::vector<char> inChain(std::size_t(K), 0);
    for (int step = 0, at = cu; step < perCriterion && step < int(usable.size()); ++step) {
        int best = -1;
        double bestDistance = 0.0;
        for (int i = 0; i < int(usable.size()); ++i) {
            const int k = usable[std::size_t(i)];
            if (stopAt(i, cancelled)) {
                return {};
            }
            if (inChain[std::size_t(k)]) {
                continue;
            }
            const double d = channel.distance(at, k);
            if (best < 0 || d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        inChain[std::size_t(best)] = 1;
        pool.push_back(best);
        at = best;
    }
    if (previous) {
        for (const StageDecision &st : previous->stages) {
            if (st.device >= 0 && st.device < K) {
                pool.push_back(st.device);
            }
        }
    }
    std::sort(pool.begin(), pool.end());
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    return pool;
}

SubCluster restrictCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const ClusterDecision *previous, const std::vector<int> &devices)
{
    SubCluster sub;
    sub.scenario = scenario;
    const Cluster &full = scenario.topology.clusters[std::size_t(cluster)];
    Cluster &c = sub.scenario.topology.clusters[std::size_t(cluster)];
    c.devices.clear();
    const int n = int(devices.size());
    // Node a of the sub-cluster is device devices[a] of the full one; the control unit is last.
    auto fullNode
        = [&](int a) { return a == n ? channel.controlUnitNode() : devices[std::size_t(a)]; };
    std::vector<int> subIndex(full.devices.size(), -1);
    for (int a = 0; a < n; ++a) {
        c.devices.push_back(full.devices[std::size_t(devices[std::size_t(a)])]);
        subIndex[std::size_t(devices[std::size_t(a)])] = a;
    }
    ClusterChannel &ch = sub.channel;
    ch.deviceCount = n;
    ch.edgeSharing = channel.edgeSharing;
    const std::size_t nodes = std::size_t(n) + 1;
    ch.d2dGain.assign(nodes * nodes, 0.0);
    ch.d2dDistanceM.assign(nodes * nodes, 0.0);
    for (int a = 0; a <= n; ++a) {
        const int fa = fullNode(a);
        for (int b = 0; b <= n; ++b) {
            if (a != b) {
                ch.d2dGain[std::size_t(a) * nodes + std::size_t(b)] = channel.gain(fa, fullNode(b));
                ch.d2dDistanceM[std::size_t(a) * nodes + std::size_t(b)]
                    = channel.distance(fa, fullNode(b));
            }
        }
        ch.d2eGain.push_back(channel.d2eGain[std::size_t(fa)]);
        ch.d2eDistanceM.push_back(channel.d2eDistanceM[std::size_t(fa)]);
        if (!channel.d2eMeanGain.empty()) {
            ch.d2eMeanGain.push_back(channel.d2eMeanGain[std::size_t(fa)]);
        }
    }
    sub.weights = weights;
    if (!weights.energyQueues.empty()) {
        sub.weights.energyQueues.clear();
        for (int k : devices) {
            sub.weights.energyQueues.push_back(std::size_t(k) < weights.energyQueues.size()
                    ? weights.energyQueues[std::size_t(k)]
                    : 0.0);
        }
    }
    if (previous) {
        sub.previous = *previous;
        sub.hasPrevious = true;
        for (StageDecision &st : sub.previous.stages) {
            const int k = st.device;
            st.device = k >= 0 && std::size_t(k) < subIndex.size() ? subIndex[std::size_t(k)] : -1;
            sub.hasPrevious = sub.hasPrevious && st.device >= 0;
        }
    }
    return sub;
}

ClusterSolution solveOverPool(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision *previous,
    SurrogateMemo *memo, ScheduleSolve solve)
{
    const std::function<bool()> *cancelled = &options.cancelled;
    const std::vector<int> pool = poolDevices(scenario, cluster, channel, weights, previous,
        poolPerCriterion(scenario.model.encoderBlocks), cancelled);
    ClusterSolution solution;
    if (options.cancelled && options.cancelled()) {
        solution.error = QStringLiteral("cancelled");
        return solution;
    }
    if (!pool.empty()) {
        const SubCluster sub = restrictCluster(scenario, cluster, channel, weights, previous, pool);
        DssdaOptions inner = options;
        inner.poolFrom = 0;
        solution = solve(sub.scenario, cluster, sub.channel, sub.weights, inner,
            sub.hasPrevious ? &sub.previous : nullptr, memo);
        if (options.cancelled && options.cancelled()) {
            solution = ClusterSolution{};
            solution.error = QStringLiteral("cancelled");
            return solution;
        }
    }
    solution.objective = std::numeric_limits<double>::infinity();
    if (solution.feasible) {
        for (StageDecision &st : solution.decision.stages) {
            st.device = pool[std::size_t(st.device)];
        }
        solution.objective = exactObjective(
            scenario, cluster, channel, weights, solution.decision, &solution.cost);
    }
    if (options.fixedMicrobatches <= 0 && options.optimizeResources) {
        // sl's decision for every device is K exact evaluations: a lower bound skips those
        // that cannot win (ExactBound never exceeds the exact value, so the result is the same).
        const ExactBound bound(scenario, cluster, channel, weights);
        int polled = 0;
        for (ClusterDecision &d : baselineDecisions(scenario, cluster)) {
            if (stopAt(++polled, cancelled)) {
                solution = ClusterSolution{};
                solution.error = QStringLiteral("cancelled");
                return solution;
            }
            if (std::isfinite(solution.objective) && bound(d) >= solution.objective) {
                continue;
            }
            ClusterCost cost;
            const double v = exactObjective(scenario, cluster, channel, weights, d, &cost);
            if (v < solution.objective) {
                solution.objective = v;
                solution.decision = std::move(d);
                solution.cost = std::move(cost);
            }
        }
    }
    solution.feasible = std::isfinite(solution.objective);
    if (!solution.feasible) {
        solution.error = infeasibleClusterMessage(scenario, cluster, channel);
    } else {
        solution.error.clear();
    }
    return solution;
}

} // namespace collapipe
