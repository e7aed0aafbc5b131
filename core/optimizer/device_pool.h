// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/optimizer/cluster_surrogate.h"
#include "core/optimizer/dssda_solver.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"

#include <functional>
#include <vector>

/// The device pool of a large cluster (issue [7/7], DSSDA.md "Scale"): a pipeline never has more
/// stages than encoder blocks, so of K ≫ L devices at most L run at once. DSSDA solves such a
/// cluster over a pool of the devices that lead on one of the terms a stage pays (compute, the
/// head link from the control unit, the D2E link of the last stage, the energy weight, a chain of
/// short D2D hops from the control unit) plus last round's stages. A labelled heuristic: it
/// only applies above DssdaOptions::poolFrom devices, so smaller clusters are solved as before.
namespace collapipe {

/// Pool size per criterion for an encoder of `blocks` blocks: max(16, 2·L).
int poolPerCriterion(int blocks);

/// The pool's devices, ascending index, without repeats: for each criterion the best `perCriterion`
/// devices that can hold one block at the smallest footprint (largest M, one micro-batch in
/// flight), and every device of `previous`. Empty when no device fits (the caller reports the
/// cluster's infeasibility). O(K·perCriterion) time, O(K) memory; `cancelled` (may be null or
/// empty) is polled every few thousand devices, and a stop returns an empty pool.
std::vector<int> poolDevices(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const ClusterDecision *previous, int perCriterion,
    const std::function<bool()> *cancelled = nullptr);

/// Cluster `cluster` restricted to `devices` (in that order): the same scenario with only those
/// devices in the cluster, the channel between them (the control unit last), the weights of those
/// devices and `previous` with its devices renumbered (absent when one is not in `devices`).
struct SubCluster
{
    Scenario scenario;
    ClusterChannel channel;
    ClusterWeights weights;
    bool hasPrevious = false;
    ClusterDecision previous;
};

SubCluster restrictCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const ClusterDecision *previous,
    const std::vector<int> &devices);

/// solveCluster()'s per-schedule solve, as the pooled path calls it on the sub-cluster.
using ScheduleSolve = ClusterSolution (*)(const Scenario &, int, const ClusterChannel &,
    const ClusterWeights &, const DssdaOptions &, const ClusterDecision *, SurrogateMemo *);

/// `solve` on the pool of cluster `cluster` (poolDevices() with poolPerCriterion(L)), its decision
/// renumbered to the full cluster and scored there by exactObjective(); then the full cluster's
/// baselineDecisions() are scored too and the best kept, so DSSDA stays ≤ the baselines. `memo`
/// goes to `solve` (it keys its tables on the sub-cluster's devices: a new pool refills it).
ClusterSolution solveOverPool(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision *previous,
    SurrogateMemo *memo, ScheduleSolve solve);

} // namespace collapipe
