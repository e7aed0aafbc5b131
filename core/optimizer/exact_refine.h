// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/optimizer/cluster_surrogate.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/exact_bound.h"
#include "core/optimizer/exact_memo.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"

/// Local search on the exact evaluator: the last step of DSSDA (spec §6), closing the gap
/// between the closed-form surrogate and the flow-shop recursion of evaluateCluster().
namespace collapipe {

/// Improves `decision` in place by moves, each scored by exactObjective(). Each pass first
/// revisits the structure (best improvement over: another M of candidateMicrobatches() if
/// `changeMicrobatches`; a stage's device replaced by an unused one or swapped with another
/// stage's; a stage merged into a neighbour or split with an unused device; with edge offload,
/// the last stage's blocks handed to the edge), then first-improvement moves: one block across
/// each stage boundary and the edge-tail boundary, each stage's power by golden section on
/// [p_max/1000, p_max], and pairwise bandwidth transfers with shrinking steps (0.05, 0.01,
/// 0.002 of the band). Stops after `rounds` passes or when a pass finds nothing. Returns the
/// final exact objective (never worse than the input's). `memo` (may be null): the solve's
/// ExactMemo of the same scenario, cluster, channel and weights (same result, fewer evaluations);
/// `bound` (may be null): the solve's ExactBound of the same (not built again per polish).
/// `scope` (may be null = every move): which moves run (the warm solve's cheaper settings,
/// DSSDA.md "Warm start").
double refineExact(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, ClusterDecision *decision, int rounds = 2,
    bool changeMicrobatches = true, ExactMemo *memo = nullptr, const ExactBound *bound = nullptr,
    const PolishScope *scope = nullptr);

} // namespace collapipe
