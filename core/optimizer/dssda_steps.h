// SPDX-License-Identifier: MIT
#pragma once

// DSSDA's steps on the surrogate (spec §6 steps 2.1–2.4), shared by the full solve
// (dssda_solver.cpp), the rounds between re-plans (dssda_tracking.cpp) and the fail-over repair
// (dssda_repair.cpp).
#include "core/optimizer/cluster_surrogate.h"
#include "core/optimizer/dssda_solver.h"
#include "core/types/decision.h"

#include <cstdint>
#include <vector>

namespace collapipe::dssda_steps {

/// Equal shares over the S D2D links (CU → s0 and s_j → s_{j+1}); the last hop is D2E.
void equalShares(ClusterDecision &d);
/// Spec §6 step 2.2: each stage's power by golden section on the surrogate, others fixed.
void optimizePowers(const ClusterSurrogate &model, ClusterDecision &d);
/// Spec §6 step 2.3: convex bandwidth allocation over the pipeline's D2D links.
void optimizeShares(const ClusterSurrogate &model, ClusterDecision &d);

/// Decision from a DP plan: the plan's stages in order with each device's share and power.
ClusterDecision decisionFromPlan(const ClusterSurrogate &model, const SegmentPlan &plan,
    const std::vector<int> &order, const std::vector<double> &share, double cuShare,
    const std::vector<double> &power);

/// True when `a` and `b` put the same blocks on the same devices, stage by stage.
bool sameSegments(const ClusterDecision &a, const ClusterDecision &b);

class ResourceStepMemo;

/// Spec §6 step 2.4: block-coordinate descent for one (order, M) from its screening DP `screened`
/// (equal shares, max power; `model` at that M): DP → bandwidth → power until the segments
/// repeat and the surrogate stops improving, at most options.maxIterations rounds. Returns the
/// best decision (no stages when the first plan is infeasible) and its surrogate value.
ClusterDecision runBcd(ClusterSurrogate &model, const std::vector<int> &order,
    const SegmentPlan &screened, const DssdaOptions &options, ResourceStepMemo &steps,
    double *value);

/// optimizeShares() then optimizePowers(), remembered per solve (issue [5/7] "Speed"): the DP
/// skips devices, so candidates with different orders often reach the same plan at the same
/// shares and powers, and the steps are pure functions of the decision and the surrogate (its
/// M is the decision's; channel and weights are the solve's). An equal input (every field bit
/// for bit, ExactMemo::sameBits()) gets the output its steps gave: the same bits. One solve,
/// one surrogate, one thread.
class ResourceStepMemo
{
public:
    explicit ResourceStepMemo(bool enabled)
        : m_enabled(enabled)
    { }
    /// The two steps on `d`, or their remembered result.
    void apply(const ClusterSurrogate &model, ClusterDecision &d);
    long hits() const { return m_hits; }

private:
    struct Entry
    {
        std::uint64_t hash = 0;
        ClusterDecision input;
        ClusterDecision output;
    };
    std::vector<Entry> m_entries; ///< a few dozen per solve: a scan is enough
    long m_hits = 0;
    bool m_enabled = true;
};

} // namespace collapipe::dssda_steps
