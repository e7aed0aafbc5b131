// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/schedule.h"

#include <vector>

/// Activation stash accounting (spec §2.3/§2.4; core/MODEL.md "Pipeline recursion"). A device
/// stashes a chunk's activations of a micro-batch from the start of its forward until its fused
/// Backward ends, or, with the backward split, until its W ends: B needs the stash and W still
/// needs the chunk's inputs, so B frees nothing (the conservative reading; ZB-H1's claim of
/// 1F1B's peak memory holds under it, see schedule.h). Units: chunk activations (one micro-batch
/// through one chunk = 1/v of the stage's activations of that micro-batch).
namespace collapipe {

struct PipelineEvent;
struct StashPoint;

/// Per device stage, the most chunk activations it holds at once, from the op order alone (one
/// device runs one op at a time, so the order fixes the count).
std::vector<int> peakStashed(const Schedule &schedule);

/// The stash the cost model and DSSDA charge device stage j (0-based of `stageCount`) under
/// schedule `kind` with `interleave` (v for Interleaved), in chunk activations (1/v of the
/// stage's per micro-batch; whole micro-batches when the schedule has no chunks). Closed forms
/// where they hold for every S and M: GPipe M; 1F1B min(M, S − j + 1) (the edge is the chain's
/// last stage: S − j warm-up forwards, then one more before the first backward); ZB-H1
/// min(M, S + 1). Interleaved and ZB-V: counted from fillStageOrder()'s order. Always equals
/// peakStashed(makeSchedule(kind, S, M, interleave))[j] (tests/pipeline).
int stashedChunks(ScheduleKind kind, int interleave, int microbatches, int stageCount, int stage);

/// stashedChunks() of a schedule without chunks (GPipe, 1F1B, ZB-H1): whole micro-batches.
int stashedMicrobatches(ScheduleKind kind, int microbatches, int stageCount, int stage);

/// Per device stage, the stash over time from timed events (timeSchedule()): a step function
/// starting at (0, 0) with one point per op that changes it, in execution order, times
/// non-decreasing (two points share a time where a backward ends as the next forward starts).
std::vector<std::vector<StashPoint>> stashCurves(
    const std::vector<PipelineEvent> &events, int stages);

/// Per curve, its maximum.
std::vector<int> peakOfCurves(const std::vector<std::vector<StashPoint>> &curves);

} // namespace collapipe
