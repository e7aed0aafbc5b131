// SPDX-License-Identifier: MIT
#include "core/optimizer/dssda_tracking.h"

#include "core/optimizer/dssda_steps.h"
#include "core/optimizer/exact_bound.h"
#include "core/optimizer/exact_memo.h"
#include "core/optimizer/exact_refine.h"
#include "core/optimizer/resource_search.h"

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

namespace dssda_tracking {

/// True when the kept plan can be kept: not fl's mode, no device pool, its M still a candidate
/// (or the fixed M), its stages covering the blocks in order on devices the cluster has.
bool keptPlanApplies(const Scenario &scenario, int cluster, const DssdaOptions &options,
    const ClusterDecision &previous)
{
    const int K = int(scenario.topology.clusters[std::size_t(cluster)].devices.size());
    return planShapeApplies(scenario, cluster, options, previous.mode, previous.microbatches)
        && coversBlocksInOrder(previous, K, scenario.model.encoderBlocks);
}

/// DssdaOptions::warmKeepShares: `previous`'s link shares on `d` (the same stages), the last
/// hop (D2E) none, scaled to fill the band; equal shares stay when previous has none.
void keptShares(const ClusterDecision &previous, ClusterDecision &d)
{
    if (previous.stages.size() != d.stages.size()) {
        return;
    }
    double total = previous.controlUnitShare;
    for (std::size_t j = 0; j + 1 < previous.stages.size(); ++j) {
        total += previous.stages[j].bandwidthShare;
    }
    if (!(total > 0.0) || !std::isfinite(total)) {
        return;
    }
    d.controlUnitShare = previous.controlUnitShare / total;
    for (std::size_t j = 0; j < d.stages.size(); ++j) {
        d.stages[j].bandwidthShare
            = j + 1 < d.stages.size() ? previous.stages[j].bandwidthShare / total : 0.0;
    }
}

/// DssdaOptions::warmPowerSteps: optimizePowers() with each stage's golden section on
/// [p/4, 4p] ∩ [p_min, p_max] around last round's power p of the stage (the kept structure has
/// the same device there), `steps` steps; a search that ends within 2 % of a bracket end that is
/// not a range end is run again on the whole range with the plan's 20 steps.
void warmPowers(
    const ClusterSurrogate &model, const ClusterDecision &previous, int steps, ClusterDecision &d)
{
    for (std::size_t j = 0; j < d.stages.size(); ++j) {
        StageDecision &st = d.stages[j];
        const double lo = model.minPower(st.device);
        const double hi = model.maxPower(st.device);
        auto f = [&](double p) {
            st.powerW = p;
            return model.objective(d);
        };
        const double was = j < previous.stages.size() && previous.stages[j].device == st.device
            ? std::clamp(previous.stages[j].powerW, lo, hi)
            : hi;
        const double a = std::max(lo, 0.25 * was);
        const double b = std::min(hi, 4.0 * was);
        double p = goldenSectionMinOf(f, a, b, steps);
        const double edge = 0.02 * (b - a);
        if ((a > lo && p - a < edge) || (b < hi && b - p < edge)) {
            p = goldenSectionMinOf(f, lo, hi, 20);
        }
        st.powerW = p;
    }
}

/// The kept plan re-allocated to this round (trackCluster()'s decision before its exact score),
/// on `planned` (the 1F1B problem under `auto` or a chunked schedule, else the scenario). False
/// when the kept plan no longer applies.
bool trackedDecision(const Scenario &scenario, const Scenario &planned, int cluster,
    const ClusterChannel &channel, const ClusterWeights &weights, const DssdaOptions &options,
    const ClusterDecision &previous, SurrogateMemo *memo, ClusterDecision *out)
{
    if (!keptPlanApplies(scenario, cluster, options, previous)) {
        return false;
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
        if (options.warmKeepShares) {
            keptShares(previous, d);
        } else {
            dssda_steps::optimizeShares(model, d);
        }
        if (options.warmPowerSteps > 0) {
            warmPowers(model, previous, options.warmPowerSteps, d);
        } else {
            dssda_steps::optimizePowers(model, d);
        }
    }
    *out = std::move(d);
    return true;
}

/// Last round's decision with its own powers and shares, on `tracked`'s schedule fields (the
/// planned problem's): a D2D wrap share of an interleaved schedule is handed back to the other
/// links, the last hop (D2E) gets none, powers are kept within [p_max/1000, p_max].
ClusterDecision keptResources(const Scenario &scenario, int cluster, const ClusterDecision &tracked,
    const ClusterDecision &previous)
{
    const Cluster &c = scenario.topology.clusters[std::size_t(cluster)];
    ClusterDecision d = tracked;
    d.controlUnitShare = previous.controlUnitShare;
    double total = d.controlUnitShare;
    for (std::size_t j = 0; j < d.stages.size(); ++j) {
        const StageDecision &was = previous.stages[j];
        const double pmax = c.devices[std::size_t(was.device)].maxPowerW;
        d.stages[j].powerW = std::clamp(was.powerW, 1e-3 * pmax, pmax);
        d.stages[j].bandwidthShare = j + 1 < d.stages.size() ? was.bandwidthShare : 0.0;
        total += d.stages[j].bandwidthShare;
    }
    if (!(total > 0.0)) {
        return tracked;
    }
    d.controlUnitShare /= total;
    for (StageDecision &st : d.stages) {
        st.bandwidthShare /= total;
    }
    return d;
}

} // namespace dssda_tracking

ClusterSolution trackCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &previous,
    SurrogateMemo *memo, const Scenario *oneFOneB)
{
    ClusterSolution solution;
    // The surrogate of the problem the plan was made on: 1F1B under `auto` or a chunked schedule.
    const PlannedProblem problem(scenario, oneFOneB);
    oneFOneB = problem.oneFOneB();
    const Scenario &planned = problem.planned();
    ClusterDecision d;
    if (!dssda_tracking::trackedDecision(
            scenario, planned, cluster, channel, weights, options, previous, memo, &d)) {
        return solution;
    }
    const int K = int(scenario.topology.clusters[std::size_t(cluster)].devices.size());
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

ClusterSolution warmCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &previous,
    SurrogateMemo *memo, const Scenario *oneFOneB)
{
    const PlannedProblem problem(scenario, oneFOneB);
    oneFOneB = problem.oneFOneB();
    const Scenario &planned = problem.planned();
    ClusterDecision tracked;
    if (options.warmTrack) {
        if (!dssda_tracking::trackedDecision(
                scenario, planned, cluster, channel, weights, options, previous, memo, &tracked)) {
            return ClusterSolution{};
        }
    } else {
        // No surrogate: last round's decision with its own bandwidth and power is the start.
        if (!dssda_tracking::keptPlanApplies(scenario, cluster, options, previous)) {
            return ClusterSolution{};
        }
        ClusterDecision base = previous;
        base.schedule = planned.optimizer.schedule;
        base.interleave = 1;
        base.microbatchSize = microbatchSizeFor(
            scenario.training, scenario.optimizer.microbatchMode, previous.microbatches);
        tracked = dssda_tracking::keptResources(scenario, cluster, base, previous);
    }
    ExactMemo exact(planned, cluster, channel, weights);
    exact.setEnabled(options.memoise);
    ClusterDecision d = tracked;
    double value = exact(tracked);
    if (options.warmFromPrevious && options.warmTrack) {
        ClusterDecision kept = dssda_tracking::keptResources(scenario, cluster, tracked, previous);
        const double v = exact(kept);
        if (v < value) {
            value = v;
            d = std::move(kept);
        }
    }
    if (!std::isfinite(value)) {
        return ClusterSolution{}; // memory or a dead link: the caller solves in full
    }
    if (options.warmPasses > 0 && options.exactRefine && options.optimizeResources) {
        const ExactBound bound(planned, cluster, channel, weights);
        value = refineExact(planned, cluster, channel, weights, &d, options.warmPasses,
            options.fixedMicrobatches <= 0, &exact, &bound, &options.warmScope);
    }
    ClusterSolution solution;
    if (oneFOneB) {
        // The schedule step on the polished plan; never worse than the tracked plan's.
        solution.objective
            = chooseSchedule(scenario, cluster, channel, weights, &d, &solution.cost);
        ClusterCost trackedCost;
        const double t
            = chooseSchedule(scenario, cluster, channel, weights, &tracked, &trackedCost);
        if (!(solution.objective <= t)) {
            solution.objective = t;
            solution.cost = std::move(trackedCost);
            d = std::move(tracked);
        }
    } else {
        solution.objective = exact(d, &solution.cost);
    }
    if (!std::isfinite(solution.objective)) {
        return ClusterSolution{};
    }
    solution.feasible = true;
    solution.decision = std::move(d);
    solution.solvedDevices = int(scenario.topology.clusters[std::size_t(cluster)].devices.size());
    return solution;
}

} // namespace collapipe
