// SPDX-License-Identifier: MIT
// The exact score and the small helpers of dssda_solver.h that the baselines and the oracle
// share with DSSDA.
#include "core/cost/cost_terms.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/virtual_queues.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

} // namespace

ClusterWeights clusterWeights(const Scenario &scenario, int cluster,
    const std::vector<std::vector<double>> *energyQueues, const std::vector<double> *convergence,
    bool useQueues)
{
    ClusterWeights w;
    w.v = scenario.optimizer.v;
    if (useQueues && energyQueues && std::size_t(cluster) < energyQueues->size()) {
        w.energyQueues = (*energyQueues)[std::size_t(cluster)];
    }
    if (useQueues && convergence && std::size_t(cluster) < convergence->size()) {
        w.convergenceQueue = (*convergence)[std::size_t(cluster)];
    }
    return w;
}

double exactObjective(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const ClusterDecision &decision, ClusterCost *cost)
{
    ClusterCost c = evaluateCluster(scenario, cluster, channel, decision);
    double value = kInf;
    if (c.memoryFits && std::isfinite(c.latencyS)) {
        // The broadcast back is the one part of the aggregation the decision changes (an edge
        // tail shrinks it); counting it keeps edge-tail and pipeline decisions comparable.
        const double broadcast
            = broadcastTimeS(scenario, cluster, channel, deviceHeldBlocks(scenario, &decision));
        value = std::max(weights.v, 1e-9) * (c.latencyS + broadcast);
        for (const StageCost &st : c.stages) {
            const std::size_t k = std::size_t(st.device);
            if (k < weights.energyQueues.size()) {
                value += weights.energyQueues[k] * st.energyJ;
            }
        }
        value += weights.convergenceQueue
            * VirtualQueues::convergencePenalty(
                scenario, decision.microbatches, decision.microbatchSize);
    }
    if (cost) {
        *cost = std::move(c);
    }
    return value;
}

std::vector<int> candidateMicrobatches(const Scenario &scenario)
{
    const int maxM = std::max(1, scenario.optimizer.maxMicrobatches);
    std::vector<int> ms;
    const int B = std::max(1, scenario.training.batchSize);
    for (int m = 1; m <= maxM; ++m) {
        if (scenario.optimizer.microbatchMode == MicrobatchMode::Count || B % m == 0) {
            ms.push_back(m);
        }
    }
    return ms;
}

} // namespace collapipe
