// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <vector>

/// What a policy decides for one round (spec §1.3 step 1, §4 variables δ, M, β, p).
namespace collapipe {

/// One pipeline stage: a device and the contiguous encoder blocks it runs.
struct StageDecision
{
    int device = 0;              ///< index into Cluster::devices
    int firstBlock = 0;          ///< 0-based, inclusive
    int lastBlock = 0;           ///< 0-based, inclusive
    double bandwidthShare = 0.0; ///< β: share of the cluster's D2D band for this stage's sends
    double powerW = 0.0;         ///< p: transmit power of this stage

    int blockCount() const { return lastBlock - firstBlock + 1; }
};

struct ClusterDecision
{
    int microbatches = 1;   ///< M
    int microbatchSize = 1; ///< b
    PipelineSchedule schedule = PipelineSchedule::GPipe;
    std::vector<StageDecision> stages; ///< pipeline order; only devices given ≥ 1 block
    double controlUnitShare = 0.0;     ///< β of the CU → first stage D2D link
    /// Non-pipelined baselines (fl, sl) are not a pipeline of contiguous segments; the cost
    /// model charges them through their own path (see core/MODEL.md).
    enum class Mode {
        Pipeline,
        FederatedFull,
        SplitFixedCut
    } mode = Mode::Pipeline;
};

struct Decision
{
    std::vector<ClusterDecision> clusters; ///< same order as Topology::clusters
};

} // namespace collapipe
