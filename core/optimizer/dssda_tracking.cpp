// SPDX-License-Identifier: MIT
#include "core/optimizer/dssda_tracking.h"

#include "core/optimizer/dssda_steps.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace collapipe {

namespace dssda_tracking {

/// True when `stages` hand every block of the plan's range (0…L−1, or 0…c−1 before an edge
/// tail) to exactly one stage in order, each on a distinct device of the cluster's K.
bool coversBlocksInOrder(const ClusterDecision &d, int deviceCount, int encoderBlocks)
{
    int next = 0;
    std::vector<bool> used(std::size_t(std::max(0, deviceCount)), false);
    for (const StageDecision &st : d.stages) {
        if (st.device < 0 || st.device >= deviceCount || used[std::size_t(st.device)]
            || st.firstBlock != next || st.lastBlock < st.firstBlock) {
            return false;
        }
        used[std::size_t(st.device)] = true;
        next = st.lastBlock + 1;
    }
    return !d.stages.empty()
        && (d.mode == ClusterDecision::Mode::EdgeTail ? next <= encoderBlocks
                                                      : next == encoderBlocks);
}

} // namespace dssda_tracking

ClusterSolution trackCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &previous,
    SurrogateMemo *memo, const Scenario *oneFOneB)
{
    ClusterSolution solution;
    const int K = int(scenario.topology.clusters[std::size_t(cluster)].devices.size());
    if (previous.mode == ClusterDecision::Mode::FederatedFull
        || (options.poolFrom > 0 && K > options.poolFrom)
        || (options.fixedMicrobatches > 0 && previous.microbatches != options.fixedMicrobatches)
        || !dssda_tracking::coversBlocksInOrder(previous, K, scenario.model.encoderBlocks)) {
        return solution;
    }
    std::optional<Scenario> own;
    if (!oneFOneB) {
        own = oneFOneBScenario(scenario);
        oneFOneB = own ? &*own : nullptr;
    }
    // The surrogate of the problem the plan was made on: 1F1B under `auto` or a chunked schedule.
    const Scenario &planned = oneFOneB ? *oneFOneB : scenario;
    const std::vector<int> ms = candidateMicrobatches(scenario);
    if (options.fixedMicrobatches <= 0
        && std::find(ms.begin(), ms.end(), previous.microbatches) == ms.end()) {
        return solution; // M no longer a candidate (B or M_max edited): re-plan
    }
    ClusterSurrogate model(planned, cluster, channel, weights, memo);
    model.setMicrobatches(previous.microbatches);
    ClusterDecision d = model.emptyDecision();
    d.mode = previous.mode;
    d.stages = previous.stages;
    for (StageDecision &st : d.stages) {
        st.powerW = model.maxPower(st.device);
    }
    // Equal shares and max power: `dssda-equal-bw`'s point, and the allocation's start otherwise
    // (as in the plan's first BCD round).
    dssda_steps::equalShares(d);
    if (options.optimizeResources) {
        dssda_steps::optimizeShares(model, d);
        dssda_steps::optimizePowers(model, d);
    }
    solution.objective = oneFOneB
        ? chooseSchedule(scenario, cluster, channel, weights, &d, &solution.cost)
        : exactObjective(scenario, cluster, channel, weights, d, &solution.cost);
    if (!std::isfinite(solution.objective)) {
        return ClusterSolution{};
    }
    solution.feasible = true;
    solution.decision = std::move(d);
    solution.solvedDevices = K;
    return solution;
}

} // namespace collapipe
