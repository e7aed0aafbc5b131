// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/pipeline_schedule.h"

#include <algorithm>
#include <vector>

/// What a policy decides for one round (spec §1.3 step 1, §4 variables δ, M, β, p).
namespace collapipe {

/// One pipeline stage: a device and the contiguous encoder blocks it runs (with chunks, the
/// stage's block count: the device runs them as v chunks of δ/v blocks, core/MODEL.md
/// "Schedules").
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
    ScheduleKind schedule = ScheduleKind::GPipe;
    /// v: chunks per device when `schedule` is Interleaved (≥ 1; 1 is 1F1B's order), ignored
    /// otherwise. Every stage's block count must be a multiple of chunksOf(schedule, interleave)
    /// (chunksFit(), core/types/pipeline_schedule.h).
    int interleave = 1;
    std::vector<StageDecision> stages; ///< pipeline order; only devices given ≥ 1 block
    double controlUnitShare = 0.0;     ///< β of the CU → first stage D2D link
    /// Pipeline: the stages cover every encoder block (the paper's CollaPipe).
    /// FederatedFull (`fl`): every listed device trains the whole encoder alone (own cost path).
    /// EdgeTail: the stages cover blocks 0…c−1 as a pipeline and the edge server runs blocks
    /// c…L−1 before the head; `sl` is its one-stage, M = 1 case and DSSDA chooses it when edge
    /// offload is on (core/MODEL.md "Edge tail", core/optimizer/DSSDA.md).
    enum class Mode {
        Pipeline,
        FederatedFull,
        EdgeTail
    } mode = Mode::Pipeline;
};

/// The edge-tail cut c of an EdgeTail decision: the first encoder block the edge server runs
/// (the device stages cover 0…c−1 contiguously, so c = 1 + their last block); the edge runs
/// c…L−1 and the head. −1 for Pipeline and FederatedFull. The one place the cut is derived
/// (cost model, trainer, record).
inline int edgeTailCut(const ClusterDecision &decision)
{
    if (decision.mode != ClusterDecision::Mode::EdgeTail) {
        return -1;
    }
    int cut = 0;
    for (const StageDecision &st : decision.stages) {
        cut = std::max(cut, st.lastBlock + 1);
    }
    return cut;
}

struct Decision
{
    std::vector<ClusterDecision> clusters; ///< same order as Topology::clusters
};

} // namespace collapipe
