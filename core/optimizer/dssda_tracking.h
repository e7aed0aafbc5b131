// SPDX-License-Identifier: MIT
#pragma once

// DSSDA between re-plans (`optimizer.replan_every`, core/optimizer/DSSDA.md "Re-planning period").
#include "core/optimizer/dssda_solver.h"

namespace collapipe {

/// Keeps `previous`'s device order, segments, edge tail and M and re-allocates bandwidth and
/// power to this round's channel and queues (steps 2.3 then 2.2 once, on the surrogate, from
/// equal shares and max power; under DssdaOptions::warmKeepShares last round's shares instead of
/// step 2.3, and with warmPowerSteps > 0 step 2.2 around last round's powers: the warm start's
/// cheaper tracked plan), then scores the result exactly (with `auto`, every schedule that
/// fits, as solveCluster() does). Returns !feasible (empty error) when the kept plan no longer
/// applies — a device index the cluster no longer has, blocks not covered, an M no longer a
/// candidate, memory or a dead link — and the caller re-plans.
ClusterSolution trackCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &previous,
    SurrogateMemo *memo = nullptr, const Scenario *oneFOneB = nullptr);

/// A warm solve (`optimizer.warm_start`, DSSDA.md "Warm start"): the start is trackCluster()'s
/// plan (DssdaOptions::warmTrack, `track`; with warmFromPrevious the better of it and `previous`
/// with its own bandwidth and power) or, without the surrogate, `previous` with its own bandwidth
/// and power (`keep`); it is polished on the exact evaluator (refineExact(), warmPasses passes of
/// the moves in warmScope), then, under `auto` or a chunked schedule, the schedule step. Never
/// worse than its start (with `track`: than trackCluster()'s plan). Returns !feasible (empty
/// error) when the kept plan no longer applies, as trackCluster() does, and the caller solves in
/// full.
ClusterSolution warmCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &previous,
    SurrogateMemo *memo = nullptr, const Scenario *oneFOneB = nullptr);

} // namespace collapipe
