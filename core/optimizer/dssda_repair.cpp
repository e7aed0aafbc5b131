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

/// The surrogate value at equal shares `share` and max power (the repair DP's) of the best of
/// a few plans of the repair DP's space: the survivors keep their blocks and the device in the
/// hole (the order's first other device) takes the blocks the dropped stage held (the last
/// stage: every block after the survivors'), or, when the last stage dropped, the edge takes
/// those; kInf when none applies (no device to take them, a repeated device, memory, the edge's
/// limit). The DP with a bound just above it searches only below it, which is exact pruning
/// (segment_dp.h): it returns the plan the unbounded DP would whenever that plan is below the
/// bound, and none otherwise (the caller then runs it unbounded).
double keptPlanValue(const ClusterSurrogate &model, const ClusterDecision &aborted,
    const std::vector<int> &order, double share, const std::vector<double> &power, int blocks)
{
    const std::vector<StageDecision> &survivors = aborted.stages;
    if (survivors.empty() || order.size() < survivors.size()) {
        return kInf;
    }
    std::size_t hole = survivors.size();
    int next = 0;
    for (std::size_t j = 0; j < survivors.size() && hole == survivors.size(); ++j) {
        if (survivors[j].firstBlock != next) {
            hole = j;
        } else {
            next = survivors[j].lastBlock + 1;
        }
    }
    const std::size_t others = order.size() - survivors.size();
    for (std::size_t j = 0; j < survivors.size(); ++j) {
        if (survivors[j].device != order[j < hole ? j : j + others]) {
            return kInf; // a device held two stages: not survivorOrder()'s plain layout
        }
    }
    // The blocks the replacement takes: the gap, or everything after the survivors.
    const int gapEnd = hole < survivors.size() ? survivors[hole].firstBlock - 1 : blocks - 1;
    auto valueOf = [&](bool replace) {
        ClusterDecision d = model.emptyDecision();
        d.controlUnitShare = share;
        auto add = [&](int device, int first, int last) {
            StageDecision st;
            st.device = device;
            st.firstBlock = first;
            st.lastBlock = last;
            st.bandwidthShare = share;
            st.powerW = power[std::size_t(device)];
            d.stages.push_back(st);
        };
        for (std::size_t j = 0; j <= survivors.size(); ++j) {
            if (j == hole && replace) {
                add(order[hole], next, gapEnd);
            }
            if (j < survivors.size()) {
                add(survivors[j].device, survivors[j].firstBlock, survivors[j].lastBlock);
            }
        }
        const int S = int(d.stages.size());
        for (int j = 0; j < S; ++j) {
            const StageDecision &st = d.stages[std::size_t(j)];
            if (st.blockCount() < 1 || st.blockCount() > model.maxBlocks(st.device, S - j)) {
                return kInf;
            }
        }
        const int edge = blocks - (d.stages.back().lastBlock + 1);
        if (edge < 0 || edge > model.edgeMaxBlocks()) {
            return kInf;
        }
        if (edge > 0) {
            d.mode = ClusterDecision::Mode::EdgeTail;
        }
        return model.objective(d);
    };
    double best = kInf;
    if (others > 0 && next <= gapEnd) {
        best = valueOf(true);
    }
    if (hole == survivors.size()) {
        best = std::min(best, valueOf(false)); // the edge takes the rest (or nothing is left)
    }
    return best;
}

} // namespace

ClusterSolution repairCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &aborted,
    SurrogateMemo *memo, const Scenario *oneFOneB)
{
    ClusterSolution none;
    const Cluster &c = scenario.topology.clusters[std::size_t(cluster)];
    const int K = int(c.devices.size());
    if (!planShapeApplies(scenario, cluster, options, aborted.mode, aborted.microbatches)) {
        return none;
    }
    // The problem the plan was made on: 1F1B under `auto` or a chunked schedule.
    const PlannedProblem problem(scenario, oneFOneB);
    oneFOneB = problem.oneFOneB();
    const Scenario &planned = problem.planned();
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
    // Bounded by a plan the DP could return (keptPlanValue()): the same plan, fewer labels.
    const double kept
        = keptPlanValue(model, aborted, order, share[0], power, planned.model.encoderBlocks);
    SegmentPlan screened = solveSegments(model.segmentProblem(order, share, share[0], power),
        options.screenLabels, std::isfinite(kept) ? kept * (1.0 + 1e-9) : kInf, &options.cancelled);
    if (!screened.feasible && std::isfinite(kept)) {
        screened = solveSegments(model.segmentProblem(order, share, share[0], power),
            options.screenLabels, kInf, &options.cancelled);
    }
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
