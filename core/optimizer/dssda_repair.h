// SPDX-License-Identifier: MIT
#pragma once

// DSSDA's fail-over rule (core/optimizer/DSSDA.md "Fail-over", core/MODEL.md "Churn").
#include "core/optimizer/dssda_solver.h"

namespace collapipe {

/// Repairs `aborted`, the round's plan of cluster `cluster` that a dropout cut short, already
/// restricted to the devices still present (the dropped device's stage removed, the others'
/// indices those of `scenario`): keeps the survivors' pipeline order and the round's M and
/// re-solves spec §6 steps 2.1–2.4 for that one candidate: the segment DP over the survivors in
/// their order with the other present devices (by descending FLOP/s) in the dropped stage's
/// place, any of which the DP may skip; block-coordinate descent on bandwidth and power; the
/// exact score of the result and of its equal-share point, the better kept (with `auto`, every
/// schedule that fits, as solveCluster() does). No screening of other orders or M and no polish:
/// that is the full solve's cost. Returns !feasible with an empty error when nothing can be kept
/// (fl's mode, a device pool, an M no longer a candidate) or the candidate has no finite plan;
/// the caller then solves the cluster in full (solveCluster()).
ClusterSolution repairCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const DssdaOptions &options, const ClusterDecision &aborted,
    SurrogateMemo *memo = nullptr, const Scenario *oneFOneB = nullptr);

} // namespace collapipe
