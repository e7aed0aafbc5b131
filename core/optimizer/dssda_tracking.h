// SPDX-License-Identifier: MIT
#pragma once

// DSSDA between re-plans (`optimizer.replan_every`, core/optimizer/DSSDA.md "Re-planning period").
#include "core/optimizer/dssda_solver.h"

namespace collapipe {

/// Keeps `previous`'s device order, segments, edge tail and M and re-allocates bandwidth and
/// power to this round's channel and queues (steps 2.3 then 2.2 once, on the surrogate, from
/// equal shares and max power), then scores the result exactly (with `auto`, every schedule that
/// fits, as solveCluster() does). Returns !feasible (empty error) when the kept plan no longer
/// applies — a device index the cluster no longer has, blocks not covered, an M no longer a
/// candidate, memory or a dead link — and the caller re-plans.
ClusterSolution trackCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &previous,
    SurrogateMemo *memo = nullptr, const Scenario *oneFOneB = nullptr);

/// A warm solve (`optimizer.warm_start`, DSSDA.md "Warm start"): trackCluster()'s plan (and, with
/// DssdaOptions::warmFromPrevious, `previous` with its own bandwidth and power, the better of the
/// two) polished on the exact evaluator (refineExact(), DssdaOptions::warmPasses passes, with or
/// without its structural moves), then, under `auto` or a chunked schedule, the schedule step.
/// Never worse than trackCluster()'s plan. Returns !feasible (empty error) when the kept plan no
/// longer applies, as trackCluster() does, and the caller solves in full.
ClusterSolution warmCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &previous,
    SurrogateMemo *memo = nullptr, const Scenario *oneFOneB = nullptr);

} // namespace collapipe
