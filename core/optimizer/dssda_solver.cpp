// SPDX-License-Identifier: MIT
#include "core/optimizer/dssda_solver.h"

#include "core/cost/cost_terms.h"
#include "core/optimizer/baseline_policies.h"
#include "core/optimizer/device_pool.h"
#include "core/optimizer/dssda_steps.h"
#include "core/optimizer/exact_bound.h"
#include "core/optimizer/exact_memo.h"
#include "core/optimizer/exact_refine.h"
#include "core/optimizer/proportional_policy.h"
#include "core/optimizer/uniform_policy.h"
#include "core/optimizer/virtual_queues.h"
#include "core/types/special_values.h"
#include "core/types/vector_state.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

namespace collapipe {

namespace {

using dssda_steps::decisionFromPlan;
using dssda_steps::equalShares;
using dssda_steps::ResourceStepMemo;
using dssda_steps::runBcd;
using dssda_steps::sameSegments;

/// True once the run asked to stop (DssdaOptions::cancelled); polled between DPs, which take
/// milliseconds even for 1,000 devices, so a stop is honoured well within a second.
bool stopRequested(const DssdaOptions &options)
{
    return options.cancelled && options.cancelled();
}

/// One (device order, M) pair under consideration.
struct Candidate
{
    int microbatches = 1;
    std::vector<int> order;
    double screened = kInf; ///< surrogate value of the first DP
    SegmentPlan plan;       ///< that DP's plan (equal shares, max power)
};

/// A decision scored exactly: a start for the polish.
struct Start
{
    double objective = kInf;
    ClusterDecision decision;
    ClusterCost cost;
};

/// The candidate's screening plan at equal shares over its links and max power: what
/// `dssda-equal-bw` would decide for it (runBcd without resources). `model` must be at its M.
ClusterDecision equalShareDecision(const ClusterSurrogate &model, const Candidate &cand)
{
    if (!cand.plan.feasible) {
        return {};
    }
    const int K = model.deviceCount();
    std::vector<double> share(std::size_t(K), 1.0 / double(std::max(1, K)));
    std::vector<double> power(static_cast<std::size_t>(K));
    for (int k = 0; k < K; ++k) {
        power[std::size_t(k)] = model.maxPower(k);
    }
    ClusterDecision d = decisionFromPlan(model, cand.plan, cand.order, share, share[0], power);
    equalShares(d);
    return d;
}

std::vector<std::vector<int>> candidateOrders(const Scenario &scenario, int cluster,
    const ClusterChannel &channel, const DssdaOptions &options, const ClusterDecision *previous)
{
    const Cluster &c = scenario.topology.clusters[std::size_t(cluster)];
    const int K = int(c.devices.size());
    std::vector<int> index(static_cast<std::size_t>(K));
    std::iota(index.begin(), index.end(), 0);
    std::vector<std::vector<int>> orders;
    if (K <= options.exhaustiveOrderLimit) {
        do {
            orders.push_back(index);
        } while (std::next_permutation(index.begin(), index.end()));
        return orders;
    }
    orders.push_back(index);
    std::vector<int> byCompute = index;
    std::stable_sort(byCompute.begin(), byCompute.end(), [&](int a, int b) {
        return c.devices[std::size_t(a)].computeFlops > c.devices[std::size_t(b)].computeFlops;
    });
    orders.push_back(byCompute);
    // Greedy chain: from the CU, always hop to the remaining device with the best gain.
    std::vector<int> chain;
    std::vector<bool> used(std::size_t(K), false);
    int at = channel.controlUnitNode();
    for (int step = 0; step < K; ++step) {
        // O(K) gains per step, each a fading draw on a big cluster's computed channel: a stop
        // is polled every step (the caller's loops then give up).
        if (step % 16 == 0 && stopRequested(options)) {
            return orders;
        }
        int best = -1;
        double bestGain = 0.0;
        for (int k = 0; k < K; ++k) {
            if (used[std::size_t(k)]) {
                continue;
            }
            const double g = channel.gain(at, k);
            if (best < 0 || g > bestGain) {
                best = k;
                bestGain = g;
            }
        }
        used[std::size_t(best)] = true;
        chain.push_back(best);
        at = best;
    }
    orders.push_back(chain);
    if (previous && !previous->stages.empty()) {
        std::vector<int> prev;
        std::vector<bool> seen(std::size_t(K), false);
        for (const StageDecision &st : previous->stages) {
            if (st.device >= 0 && st.device < K && !seen[std::size_t(st.device)]) {
                prev.push_back(st.device);
                seen[std::size_t(st.device)] = true;
            }
        }
        for (int k : byCompute) {
            if (!seen[std::size_t(k)]) {
                prev.push_back(k);
            }
        }
        orders.insert(orders.begin(), prev);
    }
    // Drop repeated orders (e.g. the previous order is often the compute order).
    std::vector<std::vector<int>> unique;
    for (auto &order : orders) {
        if (std::find(unique.begin(), unique.end(), order) == unique.end()) {
            unique.push_back(std::move(order));
        }
    }
    return unique;
}

double screenValue(ClusterSurrogate &model, const std::vector<int> &order, int labels,
    double bound = kInf, SegmentPlan *planOut = nullptr,
    const std::function<bool()> *cancelled = nullptr)
{
    const int K = model.deviceCount();
    // Equal shares and max power, the same for every screening DP: kept per thread, not
    // allocated per DP (segmentProblem() compares them with its tables' by value).
    thread_local std::vector<double> share;
    thread_local std::vector<double> power;
    share.assign(std::size_t(K), 1.0 / double(std::max(1, K)));
    power.resize(std::size_t(K));
    for (int k = 0; k < K; ++k) {
        power[std::size_t(k)] = model.maxPower(k);
    }
    SegmentPlan plan
        = solveSegments(model.segmentProblem(order, share, 1.0 / double(std::max(1, K)), power),
            labels, bound, cancelled);
    const double value = plan.feasible ? plan.objective : kInf;
    if (planOut) {
        *planOut = std::move(plan);
    }
    return value;
}

/// Adjacent swaps of the order while the screened surrogate improves (K > exhaustive limit).
void improveOrder(ClusterSurrogate &model, Candidate &cand, int labels, const DssdaOptions &options)
{
    bool improved = true;
    for (int pass = 0; pass < 1 && improved; ++pass) {
        improved = false;
        for (std::size_t i = 0; i + 1 < cand.order.size() && !stopRequested(options); ++i) {
            std::swap(cand.order[i], cand.order[i + 1]);
            SegmentPlan plan;
            const double v = screenValue(model, cand.order, labels, cand.screened * (1.0 - 1e-12),
                &plan, &options.cancelled);
            if (v < cand.screened * (1.0 - 1e-12)) {
                cand.screened = v;
                cand.plan = plan;
                improved = true;
            } else {
                std::swap(cand.order[i], cand.order[i + 1]);
            }
        }
    }
}

// solveCluster() for a scenario whose schedule has no chunks (GPipe, 1F1B, ZB-H1).
ClusterSolution solveForSchedule(const Scenario &scenario, int cluster,
    const ClusterChannel &channel, const ClusterWeights &weights, const DssdaOptions &options,
    const ClusterDecision *previous, SurrogateMemo *memo)
{
    if (options.poolFrom > 0
        && int(scenario.topology.clusters[std::size_t(cluster)].devices.size())
            > options.poolFrom) {
        return solveOverPool(
            scenario, cluster, channel, weights, options, previous, memo, &solveForSchedule);
    }
    ClusterSolution solution;
    if (stopRequested(options)) {
        solution.error = QStringLiteral("cancelled");
        return solution;
    }
    ClusterSurrogate model(scenario, cluster, channel, weights, memo);
    model.setCancelCheck(&options.cancelled);
    std::vector<int> ms = options.fixedMicrobatches > 0
        ? std::vector<int>{options.fixedMicrobatches}
        : candidateMicrobatches(scenario);
    const auto orders = candidateOrders(scenario, cluster, channel, options, previous);
    const bool exhaustive = int(model.deviceCount()) <= options.exhaustiveOrderLimit;

    // Last round's M and order first: in a run they are usually close to this round's best, so
    // the bound below prunes the other screening DPs from the start.
    if (previous) {
        auto it = std::find(ms.begin(), ms.end(), previous->microbatches);
        if (it != ms.end()) {
            std::rotate(ms.begin(), it, it + 1);
        }
    }
    // Screening: one DP per (order, M) at equal shares and max power. A candidate is kept below
    // if it is among the best `keepCandidates` or the best of its M within 1.2 × the best, so a
    // DP only has to look below the loosest of those bars so far: anything above them would be
    // screened and then dropped (the same kept set, far fewer labels).
    std::vector<Candidate> candidates;
    candidates.reserve(ms.size() * orders.size());
    double screenBest = kInf;
    std::vector<double> leaders; ///< the best `keepCandidates` screened values so far, ascending
    for (int m : ms) {
        if (stopRequested(options)) {
            break;
        }
        model.setMicrobatches(m);
        double bestOfM = kInf;
        for (const auto &order : orders) {
            if (stopRequested(options)) {
                break;
            }
            Candidate cand{m, {}, kInf, {}};
            const double lastLeader
                = int(leaders.size()) >= options.keepCandidates ? leaders.back() : kInf;
            const double bound
                = std::min(1.2 * screenBest, std::max(bestOfM, lastLeader) * (1.0 + 1e-12));
            cand.screened = screenValue(
                model, order, options.screenLabels, bound, &cand.plan, &options.cancelled);
            screenBest = std::min(screenBest, cand.screened);
            if (std::isfinite(cand.screened)) {
                cand.order = order; // only a kept candidate needs its order
                bestOfM = std::min(bestOfM, cand.screened);
                leaders.insert(
                    std::upper_bound(leaders.begin(), leaders.end(), cand.screened), cand.screened);
                if (int(leaders.size()) > options.keepCandidates) {
                    leaders.pop_back();
                }
                candidates.push_back(std::move(cand));
            }
        }
    }
    if (stopRequested(options)) {
        solution.error = QStringLiteral("cancelled");
        return solution;
    }
    if (candidates.empty()) {
        solution.error = infeasibleClusterMessage(scenario, cluster, channel);
        return solution;
    }
    std::sort(candidates.begin(), candidates.end(),
        [](const Candidate &a, const Candidate &b) { return a.screened < b.screened; });
    // Keep the best few, plus the best order of every M whose screened value is close to the
    // best (the BCD can reorder Ms that screen within 20 %).
    std::vector<Candidate> kept;
    kept.reserve(candidates.size());
    std::vector<int> seenM;
    const double bar = candidates.front().screened * 1.2;
    for (const Candidate &cand : candidates) {
        const bool newM = std::find(seenM.begin(), seenM.end(), cand.microbatches) == seenM.end();
        if (int(kept.size()) < options.keepCandidates || (newM && cand.screened <= bar)) {
            kept.push_back(cand);
        }
        if (newM) {
            seenM.push_back(cand.microbatches);
        }
    }
    if (!exhaustive) {
        // Adjacent swaps for the leading candidate only (each swap costs one DP).
        model.setMicrobatches(kept.front().microbatches);
        improveOrder(model, kept.front(), options.dpLabels, options);
    }

    // Every decision scored exactly is a start for the polish; the best few are polished and
    // the best result kept. The surrogate's makespan is an approximation, so its ranking of
    // devices and M can be off by several percent (issue [3/7] finding 1): polishing more than
    // its favourite, and from the restricted variants' decisions, closes that gap.
    //
    // Only the best start, or with the polish those within polishWindow of it, are ever used:
    // a start whose lower bound (ExactBound) already exceeds that bar over the best exact value
    // so far is not scored (the bar only falls as starts are added, so it is out at the end
    // too, and the starts kept and their order are those of scoring every one).
    const bool polish = options.exactRefine && options.optimizeResources;
    const double startBar = polish ? std::max(1.0, options.polishWindow) : 1.0;
    const ExactBound bound(scenario, cluster, channel, weights);
    ExactMemo exact(scenario, cluster, channel, weights);
    exact.setEnabled(options.memoise);
    ResourceStepMemo steps(options.memoise);
    double bestStart = kInf;
    std::vector<Start> starts;
    starts.reserve(2 * kept.size() + 3);
    auto addStart = [&](ClusterDecision d) {
        if (stopRequested(options)) {
            return;
        }
        if (bestStart > 0.0 && std::isfinite(bestStart)
            && bound.atPowers(d) > startBar * bestStart) {
            return;
        }
        // A start's evaluation is only read when the polish is off (with the polish the kept
        // decision is scored again at the end): not copied per start otherwise.
        ClusterCost cost;
        const double value = exact(d, polish ? nullptr : &cost);
        if (std::isfinite(value)) {
            bestStart = std::min(bestStart, value);
            starts.push_back(Start{value, std::move(d), std::move(cost)});
        }
    };
    for (const Candidate &cand : kept) {
        if (stopRequested(options)) {
            break; // one poll, not one per remaining candidate (tst_big_cluster)
        }
        model.setMicrobatches(cand.microbatches);
        double surrogate = kInf;
        ClusterDecision d = runBcd(model, cand.order, cand.plan, options, steps, &surrogate);
        if (!d.stages.empty()) {
            addStart(std::move(d));
        }
        // dssda-equal-bw's decision for this candidate (its screening DP at equal shares and
        // max power): a point of the full problem, so the full variant is never worse than it.
        if (options.optimizeResources) {
            ClusterDecision equal = equalShareDecision(model, cand);
            if (!equal.stages.empty()) {
                addStart(std::move(equal));
            }
        }
    }
    // The static baselines (uniform, proportional: spec §8 items 3–4) are feasible points of the
    // same problem; scoring them too guarantees DSSDA never does worse than them (when the
    // variant's constraints allow them: any M, free bandwidth and power).
    if (options.fixedMicrobatches <= 0 && options.optimizeResources) {
        for (ClusterDecision &d : baselineDecisions(scenario, cluster)) {
            if (stopRequested(options)) {
                break;
            }
            addStart(std::move(d));
        }
    }
    if (stopRequested(options)) {
        solution.error = QStringLiteral("cancelled");
        return solution;
    }
    if (starts.empty()) {
        solution.error = infeasibleClusterMessage(scenario, cluster, channel);
        return solution;
    }
    // Ranked by objective, ties in the order they were added (a stable sort of pointers: the
    // same order as sorting the starts themselves, without moving their decisions).
    std::vector<const Start *> ranked;
    ranked.reserve(starts.size());
    for (const Start &st : starts) {
        ranked.push_back(&st);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
        [](const Start *a, const Start *b) { return a->objective < b->objective; });
    double bestExact = ranked.front()->objective;
    solution.decision = ranked.front()->decision;
    solution.cost = ranked.front()->cost;
    if (polish) {
        bestExact = kInf;
        int polished = 0;
        for (std::size_t i = 0;
             i < starts.size() && polished < options.polishStarts && !stopRequested(options)
             && ranked[i]->objective <= options.polishWindow * ranked.front()->objective;
             ++i) {
            // Skip a start with the same structure as one already polished: it ends in the
            // same local optimum.
            bool seen = false;
            for (std::size_t j = 0; j < i && !seen; ++j) {
                seen = sameSegments(ranked[i]->decision, ranked[j]->decision)
                    && ranked[i]->decision.microbatches == ranked[j]->decision.microbatches;
            }
            if (seen) {
                continue;
            }
            ++polished;
            ClusterDecision d = ranked[i]->decision;
            const double v = refineExact(scenario, cluster, channel, weights, &d, 2,
                options.fixedMicrobatches <= 0, &exact, &bound);
            if (v < bestExact) {
                bestExact = v;
                solution.decision = std::move(d);
            }
        }
        exact(solution.decision, &solution.cost);
    }
    solution.feasible = true;
    solution.objective = bestExact;
    solution.solvedDevices = model.deviceCount();
    return solution;
}

} // namespace

std::optional<Scenario> oneFOneBScenario(const Scenario &scenario)
{
    const OptimizerSettings &o = scenario.optimizer;
    if (!o.autoSchedule && chunksOf(o.schedule, o.interleave) == 1) {
        return std::nullopt;
    }
    Scenario base = scenario;
    base.optimizer.autoSchedule = false;
    base.optimizer.schedule = ScheduleKind::OneFOneB;
    return base;
}

bool planShapeApplies(const Scenario &scenario, int cluster, const DssdaOptions &options,
    ClusterDecision::Mode mode, int microbatches)
{
    const int K = int(scenario.topology.clusters[std::size_t(cluster)].devices.size());
    if (mode == ClusterDecision::Mode::FederatedFull
        || (options.poolFrom > 0 && K > options.poolFrom)) {
        return false;
    }
    if (options.fixedMicrobatches > 0) {
        return microbatches == options.fixedMicrobatches;
    }
    const std::vector<int> ms = candidateMicrobatches(scenario);
    return std::find(ms.begin(), ms.end(), microbatches) != ms.end();
}

ClusterSolution solveCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision *previous,
    SurrogateMemo *memo, const Scenario *oneFOneB)
{
    // Direct callers (tests, benches, a policy's worker thread) get a clean AVX state too
    // (core/types/vector_state.h); one instruction.
    clearUpperVectorState();
    std::optional<Scenario> own;
    if (!oneFOneB) {
        own = oneFOneBScenario(scenario);
        if (!own) {
            return solveForSchedule(scenario, cluster, channel, weights, options, previous, memo);
        }
        oneFOneB = &*own;
    }
    // `auto` or a chunked schedule (DSSDA.md "Schedule"): solve the 1F1B problem (the surrogate
    // models GPipe and 1F1B; 1F1B stashes the least of the schedules without chunks), then score
    // every schedule that fits its segmentation exactly and keep the best.
    const OptimizerSettings &o = scenario.optimizer;
    ClusterSolution solution
        = solveForSchedule(*oneFOneB, cluster, channel, weights, options, previous, memo);
    if (!solution.feasible) {
        return solution;
    }
    const ClusterDecision segmented = solution.decision;
    solution.objective
        = chooseSchedule(scenario, cluster, channel, weights, &solution.decision, &solution.cost);
    if (std::isfinite(solution.objective)) {
        return solution;
    }
    const Cluster &cl = scenario.topology.clusters[std::size_t(cluster)];
    QStringList blocks;
    for (const StageDecision &st : segmented.stages) {
        blocks << QStringLiteral("%1 %2")
                      .arg(cl.devices[std::size_t(st.device)].id)
                      .arg(st.blockCount());
    }
    solution.feasible = false;
    solution.error = QStringLiteral("infeasible: cluster %1: optimizer.schedule %2 with %3 chunks "
                                    "per device (optimizer.interleave = %4) needs every device's "
                                    "block count to be a multiple of %3, and to fit memory; "
                                    "DSSDA's segmentation gives %5 (use schedule auto, or an "
                                    "interleave factor that divides them)")
                         .arg(cl.id, QLatin1String(scheduleName(o.schedule)))
                         .arg(chunksOf(o.schedule, o.interleave))
                         .arg(o.interleave)
                         .arg(blocks.join(QStringLiteral(", ")));
    return solution;
}

} // namespace collapipe
