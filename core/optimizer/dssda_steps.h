// SPDX-License-Identifier: MIT
#pragma once

// DSSDA's resource steps on the surrogate (spec §6 steps 2.2–2.3), shared by the full solve
// (dssda_solver.cpp) and the rounds between re-plans (dssda_tracking.cpp).
#include "core/optimizer/cluster_surrogate.h"
#include "core/types/decision.h"

namespace collapipe::dssda_steps {

/// Equal shares over the S D2D links (CU → s0 and s_j → s_{j+1}); the last hop is D2E.
void equalShares(ClusterDecision &d);
/// Spec §6 step 2.2: each stage's power by golden section on the surrogate, others fixed.
void optimizePowers(const ClusterSurrogate &model, ClusterDecision &d);
/// Spec §6 step 2.3: convex bandwidth allocation over the pipeline's D2D links.
void optimizeShares(const ClusterSurrogate &model, ClusterDecision &d);

} // namespace collapipe::dssda_steps
