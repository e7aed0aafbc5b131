// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/federated_trainer.h"
#include "core/types/decision.h"

#include <QString>

#include <vector>

/// Where a chunked schedule's blocks live (interleaved 1F1B, ZB-V; core/MODEL.md "Schedules").
/// A decision gives device stage j a count of δ_j blocks; a schedule with v chunks per device
/// runs them as v chunks of δ_j / v blocks each (equal split: a chunk's F and B take 1/v of the
/// stage's, as the cost model times them), at the chain positions core/pipeline's
/// virtualStage() gives — interleaved: device stage j holds virtual stages j, j + S, …; ZB-V:
/// j and 2S − 1 − j. The encoder's blocks are laid along the chain of V = v·S virtual stages in
/// order, so a device holds v non-contiguous block ranges.
namespace collapipe {

/// The chain a cluster's ops walk: virtual stage k (0 … V − 1) is chunk chunkOf[k] of device
/// stage stageOf[k]. Without chunks: V = S, virtual stage k is stage k, chunk 0.
struct ChainLayout
{
    int chunks = 1;           ///< v: chunks per device stage
    std::vector<int> stageOf; ///< [k] device stage of virtual stage k
    std::vector<int> chunkOf; ///< [k] its chunk

    bool chunked() const { return chunks > 1; }
};

/// True when an op names a chunk or a virtual stage other than its stage (a chunked schedule).
bool namesChunks(const std::vector<StageOp> &ops);

/// The layout named by `ops` (their stage, chunk and chainStage()) for `stages` device stages.
/// False + message naming the op if two ops place one virtual stage differently, a stage or
/// chunk is out of range, or the chain is not every device stage's v chunks exactly once.
bool chainLayoutOf(
    const std::vector<StageOp> &ops, int stages, ChainLayout *layout, QString *error);

/// The segments the trainer executes, one per virtual stage in chain order: virtual stage k runs
/// on device stage stageOf[k]'s device, δ / v blocks, continuing the previous virtual stage from
/// the first device stage's firstBlock. Only the counts δ_j = lastBlock − firstBlock + 1 of the
/// device stages are read (their ranges name the blocks only without chunks). Without chunks
/// the stages are returned as they are. False + message naming the stage, its device, its δ and
/// v if δ is not a positive multiple of v.
bool virtualStageSegments(const std::vector<StageDecision> &deviceStages, const ChainLayout &layout,
    std::vector<StageDecision> *segments, QString *error);

} // namespace collapipe
