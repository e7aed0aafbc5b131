// SPDX-License-Identifier: MIT
#include "core/optimizer/dssda_repair.h"

#include "core/optimizer/dssda_steps.h"
#include "core/optimizer/exact_bound.h"
#include "core/optimizer/segment_dp.h"
#include "core/types/special_values.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace collapipe {

namespace {

/// The survivors of `aborted` in pipeline order with the cluster's other devices, by descending
/// FLOP/s (ties by index), in the place of the stage that dropped out: the first gap in the
/// survivors' blocks, or the end when there is none (the last stage dropped, or none did). A
/// device that fills the hole thus takes the dropped device's place in the pipeline, as a
/// replacement does; the DP may skip any device of the order.
std::vector<int> survivorOrder(const Cluster &cluster, const ClusterDecision &aborted)
{
    const int K = int(cluster.devices.size());
    std::vector<int> survivors;
    std::vector<bool> seen(std::size_t(K), false);
    std::size_t hole = aborted.stages.size();
    int next = 0;
    for (std::size_t j = 0; j < aborted.stages.size(); ++j) {
        const StageDecision &st = aborted.stages[j];
        if (st.firstBlock != next && hole == aborted.stages.size()) {
            hole = survivors.size();
        }
        next = st.lastBlock + 1;
        if (st.device >= 0 && st.device < K && !seen[std::size_t(st.device)]) {
            survivors.push_back(st.device);
            seen[std::size_t(st.device)] = true;
        }
    }
    hole = std::min(hole, survivors.size());
    // The others by descending FLOP/s, ties by index: an insertion sort (stable, as
    // std::stable_sort, without its buffer: every fail-over sorts a cluster's few devices).
    std::vector<int> others;
    others.reserve(static_cast<std::size_t>(K));
    for (int k = 0; k < K; ++k) {
        if (seen[std::size_t(k)]) {
            continue;
        }
        const double flops = cluster.devices[std::size_t(k)].computeFlops;
        auto at = others.end();
        while (
            at != others.begin() && cluster.devices[std::size_t(*(at - 1))].computeFlops < flops) {
            --at;
        }
        others.insert(at, k);
    }
    std::vector<int> order(survivors.begin(), survivors.begin() + std::ptrdiff_t(hole));
    order.insert(order.end(), others.begin(), others.end());
    order.insert(order.end(), survivors.begin() + std::ptrdiff_t(hole), survivors.end());
    return order;
}

} // namespace

ClusterSolution repairCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &aborted,
    SurrogateMemo *memo, const Scenario *oneFOneB)
{
    ClusterSolution none;
    const Cluster &c = scenario.topology.clusters[std::size_t(cluster)];
    const int K = int(c.devices.size());
    if (aborted.mode == ClusterDecision::Mode::FederatedFull
        || (options.poolFrom > 0 && K > options.poolFrom)
        || (options.fixedMicrobatches > 0 && aborted.microbatches != options.fixedMicrobatches)) {
        return none;
    }
    const std::vector<int> ms = candidateMicrobatches(scenario);
    if (options.fixedMicrobatches <= 0
        && std::find(ms.begin(), ms.end(), aborted.microbatches) == ms.end()) {
        return none;
    }
    std::optional<Scenario> own;
    if (!oneFOneB) {
        own = oneFOneBScenario(scenario);
        oneFOneB = own ? &*own : nullptr;
    }
    // The problem the plan was made on: 1F1B under `auto` or a chunked schedule.
    const Scenario &planned = oneFOneB ? *oneFOneB : scenario;
    ClusterSurrogate model(planned, cluster, channel, weights, memo);
    model.setCancelCheck(&options.cancelled);
    model.setMicrobatches(aborted.microbatches);
    const std::vector<int> order = survivorOrder(c, aborted);
    // Step 2.1 at equal shares and max power (the first BCD round's DP), then 2.2–2.4.
    const std::vector<double> share(static_cast<std::size_t>(K), 1.0 / double(std::max(1, K)));
    std::vector<double> power(static_cast<std::size_t>(K));
    for (int k = 0; k < K; ++k) {
        power[std::size_t(k)] = model.maxPower(k);
    }
    const SegmentPlan screened = solveSegments(model.segmentProblem(order, share, share[0], power),
        options.screenLabels, kInf, &options.cancelled);
    if (!screened.feasible) {
        return none;
    }
    dssda_steps::ResourceStepMemo steps(options.memoise);
    double surrogate = 0.0;
    std::vector<ClusterDecision> tried;
    ClusterDecision bcd = dssda_steps::runBcd(model, order, screened, options, steps, &surrogate);
    if (!bcd.stages.empty()) {
        tried.push_back(std::move(bcd));
    }
    if (options.optimizeResources) {
        // The candidate's equal-share point (dssda-equal-bw's), as the full solve scores it.
        ClusterDecision equal
            = dssda_steps::decisionFromPlan(model, screened, order, share, share[0], power);
        dssda_steps::equalShares(equal);
        tried.push_back(std::move(equal));
    }
    ClusterSolution solution;
    double best = kInf;
    const ExactBound bound(planned, cluster, channel, weights);
    for (ClusterDecision &d : tried) {
        if (std::isfinite(best) && bound.atPowers(d) >= best) {
            continue; // its exact value is at least the bound: it cannot be kept
        }
        ClusterCost cost;
        const double value = exactObjective(planned, cluster, channel, weights, d, &cost);
        if (value < best) {
            best = value;
            solution.decision = std::move(d);
            solution.cost = std::move(cost);
        }
    }
    if (!std::isfinite(best)) {
        return none;
    }
    solution.objective = oneFOneB
        ? chooseSchedule(scenario, cluster, channel, weights, &solution.decision, &solution.cost)
        : best;
    if (!std::isfinite(solution.objective)) {
        return none;
    }
    solution.feasible = true;
    solution.solvedDevices = K;
    return solution;
}

} // namespace collapipe
