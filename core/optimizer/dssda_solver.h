// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/cost/cluster_cost.h"
#include "core/optimizer/cluster_surrogate.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"

#include <QString>

#include <functional>
#include <optional>
#include <vector>

/// The per-round, per-cluster DSSDA solver (spec §6) and the exact drift-plus-penalty score
/// every optimizer policy (DSSDA variants, baselines, oracle) is compared by.
namespace collapipe {

/// Which moves of the exact polish (refineExact(), exact_refine.h) run; the defaults are the full
/// solve's polish. The warm solve's cheaper settings (DSSDA.md "Warm start") turn some off.
struct PolishScope
{
    bool structure = true;  ///< the structural pass (M, replacements, swaps, merges, splits)
    bool nearestM = false;  ///< structural M trials: only the candidates next to M (not ×½…×2)
    bool blocks = true;     ///< one block across each boundary
    bool power = true;      ///< per-stage power by golden section
    int bandwidthSteps = 3; ///< pairwise bandwidth moves: the first n of 0.05, 0.01, 0.002
    /// Structural trials scored in the order of their ExactBound (a trial scored before in the
    /// solve: its value), stopping at the first whose bound cannot beat the best so far; false =
    /// in the order they are made (the full solve's polish). The same best trial up to ties.
    bool boundOrder = false;
    /// > 0: a stage is split only with the n unused devices whose replacement of that stage has
    /// the lowest ExactBound (ties: the lower index); 0 = with every unused device (the full
    /// solve's polish). Only with boundOrder (whose keys rank the devices).
    int splitDevices = 0;
};

/// Knobs of the solver; the defaults are the `dssda` policy.
struct DssdaOptions
{
    bool useQueues = true;         ///< false: Q ≡ Z ≡ 0 (`dssda-myopic`, spec §8 item 5)
    int fixedMicrobatches = 0;     ///< > 0: only this M (`dssda-fixed-m`)
    bool optimizeResources = true; ///< false: equal bandwidth, max power (`dssda-equal-bw`)
    int maxIterations = 4;         ///< block-coordinate rounds (DP → power → bandwidth)
    int exhaustiveOrderLimit = 4;  ///< K ≤ this: every device order is tried (K! ≤ 24)
    int dpLabels = 4;              ///< Pareto labels kept per DP state (segment_dp.h)
    int screenLabels = 2;          ///< the same for the screening DPs (they only rank candidates)
    int keepCandidates = 3;        ///< (order, M) pairs that get the full BCD after screening
    bool exactRefine = true;       ///< local search on the exact evaluator at the end
    int polishStarts = 2;          ///< the best distinct exact-scored decisions polished
    double polishWindow = 1.1;     ///< … among those within this factor of the best
    /// Clusters of more devices are solved over a device pool (device_pool.h, DSSDA.md "Scale":
    /// a labelled heuristic); 0 = never. Above the 1 × 120 of tst_dssda_threads' digests.
    int poolFrom = 160;
    /// Within a solve, a decision scored exactly before is not scored again (ExactMemo), nor a
    /// BCD resource step repeated on an equal input: the same decisions bit for bit, fewer
    /// evaluations (issue [5/7] "Speed"). false = recompute everything (the tests compare).
    bool memoise = true;
    /// Between full solves (optimizer.replan_every F > 1; DSSDA.md "Warm start"): 0 = the kept
    /// structure's bandwidth and power re-allocated on the surrogate and scored (trackCluster(),
    /// `optimizer.warm_start` off); n > 0 = that tracked plan then polished on the exact evaluator
    /// for at most n passes (warmCluster(), `optimizer.warm_start` on: 2).
    int warmPasses = 0;
    /// Warm solves: the polish's moves (all of them by default).
    PolishScope warmScope;
    /// Warm solves: also score last round's decision with its own bandwidth and power on this
    /// round's channel and start the polish from the better of it and the tracked plan.
    bool warmFromPrevious = false;
    /// Warm solves: start from trackCluster()'s re-allocation (true) or, without the surrogate,
    /// from last round's decision with its own bandwidth and power alone (false; a study
    /// variant: then the warm decision is not bounded by the tracked plan's objective).
    bool warmTrack = true;
    /// Warm solves with warmTrack: each stage's power search on the surrogate starts from last
    /// round's power of that device, a golden section of this many steps on [p/4, 4p] ∩
    /// [p_max/1000, p_max] (widened to the whole range when the search ends at a bracket end
    /// that is not a range end); 0 = the plan's search (20 steps on the whole range).
    int warmPowerSteps = 0;
    /// Warm solves with warmTrack: the tracked plan keeps last round's bandwidth shares (a D2D
    /// wrap share handed back to the other links) instead of allocating the band again on the
    /// surrogate; only the powers are searched. false = both (the tracking's steps).
    bool warmKeepShares = false;
    /// A kept (tracked or warm) plan whose exact objective exceeds this factor of the cluster's
    /// last round is dropped and the cluster solved in full (DSSDA.md "Re-planning period");
    /// +inf = never.
    double replanGrowth = 1.05;
    /// Polled between the solver's DPs and exact evaluations (PolicyState::cancelled): once true
    /// solveCluster() gives up with error "cancelled". Empty = never.
    std::function<bool()> cancelled;
};

/// Result for one cluster.
struct ClusterSolution
{
    bool feasible = false;
    ClusterDecision decision;
    ClusterCost cost;       ///< evaluateCluster() of the decision
    double objective = 0.0; ///< exact V·latency + Σ Q·E + Z·Φ
    QString error;          ///< "infeasible: …" when !feasible
    /// Devices the solver's surrogate and DP tables were built over: K, or the device pool's
    /// size above DssdaOptions::poolFrom (the tables are O(solvedDevices²), issue [7/7]).
    int solvedDevices = 0;
};

/// Exact per-cluster objective of spec §5 P1(t): V·(T_n + broadcast_n) + Σ_k Q_k·E_k + Z_n·Φ_n
/// (broadcast_n = broadcastTimeS() of the blocks the devices hold, DSSDA.md "Edge tail"), scored by
/// evaluateCluster(); +inf if a stage does not fit memory or a time is infinite. `cost` (if not
/// null) receives the evaluation.
double exactObjective(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const ClusterDecision &decision, ClusterCost *cost = nullptr);

/// A pipeline schedule with its interleave factor v (1 unless Interleaved).
struct ScheduleChoice
{
    ScheduleKind kind = ScheduleKind::OneFOneB;
    int interleave = 1;
};

/// The schedules a cluster decision with these stage block counts may run (chunk rule:
/// chunksFit()). Fixed schedule: that one alone (empty if the blocks break its chunk rule).
/// `auto`: 1F1B, GPipe, ZB-H1, interleaved v = 2 … optimizer.interleave, ZB-V — those that fit,
/// in this order (ties keep the first). Shared by DSSDA and the oracle (DSSDA.md "Schedule").
std::vector<ScheduleChoice> scheduleCandidates(
    const Scenario &scenario, const std::vector<int> &stageBlocks);

/// `decision` switched to `choice`. Interleaved with v ≥ 2 and S ≥ 2 needs a D2D share for the
/// wrap hop (last → first stage, the last stage's bandwidthShare): it gets `wrapShare` and the
/// other shares are scaled by 1 − wrapShare; any other schedule gives the last stage share 0
/// (its hop is D2E) and hands a wrap share back to the others.
ClusterDecision withSchedule(
    const ClusterDecision &decision, const ScheduleChoice &choice, double wrapShare);

/// DSSDA's schedule step: every scheduleCandidates() of `decision`'s segmentation, scored by
/// exactObjective() (interleaved at a few wrap shares, 1/(2(S+1)), 1/(S+1), 2/(S+1)); replaces
/// `decision` (and `cost`) with the best and returns its objective (+inf: none fits).
double chooseSchedule(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, ClusterDecision *decision, ClusterCost *cost);

/// Candidate micro-batch counts (spec §4 C5): 1..M_max in count mode, the divisors of B up to
/// M_max in split mode (b = B/M exactly, no padded micro-batch).
std::vector<int> candidateMicrobatches(const Scenario &scenario);

/// Solves P1(t) for one cluster (spec §6): for each candidate M and device order, segment DP
/// with memory limits, then power (golden section per device) and bandwidth (convex
/// allocation) to a fixed point; the (order, M) with the smallest exact objective wins, then a
/// local search on the exact evaluator (block boundary moves, power, pairwise bandwidth moves)
/// polishes it. Device order: every permutation for K ≤ exhaustiveOrderLimit; otherwise the
/// previous round's order, descending FLOP/s, a greedy chain by channel gain from the CU, and
/// index order, each improved by adjacent swaps on the surrogate. `previous` may be null.
/// `memo` (may be null): the cluster's per-M tables kept across rounds (SurrogateMemo); the
/// solution is the same with or without it (tst_dssda_threads::memoKeepsDecisions).
/// `oneFOneB` (may be null): oneFOneBScenario(scenario) when that is not empty, made once by a
/// caller that solves many clusters; null = made here when needed.
ClusterSolution solveCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options,
    const ClusterDecision *previous = nullptr, SurrogateMemo *memo = nullptr,
    const Scenario *oneFOneB = nullptr);

/// The scenario solveCluster() solves an `auto` or chunked-schedule scenario as (DSSDA.md
/// "Schedule"): a copy with schedule 1F1B and auto off; empty when the scenario is solved as it
/// is. A copy per cluster and round was 40 % of a 1,000 × 10 `auto` round (issue [7/7]), so
/// DssdaPolicy makes it once per round.
std::optional<Scenario> oneFOneBScenario(const Scenario &scenario);

/// The problem a kept, tracked or repaired plan is solved on: the caller's 1F1B copy when it made
/// one (`oneFOneB`, may be null), else oneFOneBScenario() made here, else the scenario itself.
class PlannedProblem
{
public:
    PlannedProblem(const Scenario &scenario, const Scenario *oneFOneB)
        : m_own(oneFOneB ? std::nullopt : oneFOneBScenario(scenario))
        , m_oneFOneB(oneFOneB ? oneFOneB : (m_own ? &*m_own : nullptr))
        , m_planned(m_oneFOneB ? m_oneFOneB : &scenario)
    { }
    PlannedProblem(const PlannedProblem &) = delete; // points into itself
    PlannedProblem &operator=(const PlannedProblem &) = delete;

    /// The 1F1B copy under `auto` or a chunked schedule (then chooseSchedule() picks the
    /// schedule), null when the scenario is solved as it is.
    const Scenario *oneFOneB() const { return m_oneFOneB; }
    /// What the surrogate is built on: the 1F1B copy or the scenario.
    const Scenario &planned() const { return *m_planned; }

private:
    std::optional<Scenario> m_own;
    const Scenario *m_oneFOneB;
    const Scenario *m_planned;
};

/// True when a plan of M = `microbatches` in `mode` can be kept or repaired in this cluster: not
/// fl's mode, no device pool, M the fixed M or still a candidate (B or M_max edited: re-plan).
bool planShapeApplies(const Scenario &scenario, int cluster, const DssdaOptions &options,
    ClusterDecision::Mode mode, int microbatches);

/// "infeasible: cluster <id>: …" naming the binding constraint and the node: the control unit
/// cannot reach the edge or compute; no device reaches the edge (link rate 0 at its distance,
/// SNR and power); the control unit reaches no device; no device computes; or memory (each
/// device's capacity, the blocks it holds at the smallest footprint, b at M_max with one
/// micro-batch in flight, and the bytes one block needs). When each holds alone but no chain
/// meets them together, every fact is listed. Message only: feasibility is the solver's.
QString infeasibleClusterMessage(
    const Scenario &scenario, int cluster, const ClusterChannel &channel);

/// Weights of cluster `cluster` from a policy state's queue pointers (null/empty = zero).
ClusterWeights clusterWeights(const Scenario &scenario, int cluster,
    const std::vector<std::vector<double>> *energyQueues, const std::vector<double> *convergence,
    bool useQueues);

} // namespace collapipe
