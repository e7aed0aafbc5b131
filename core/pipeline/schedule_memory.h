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

/// The closed form the cost model and DSSDA use for the schedules a decision carries (v = 1):
/// GPipe M; 1F1B min(M, S − j + 1) for 0-based device stage j (the edge is the chain's last
/// stage: S − j warm-up forwards, then one more before the first backward). Equals
/// peakStashed(makeSchedule(...))[j] (tests/pipeline).
int stashedMicrobatches(PipelineSchedule schedule, int microbatches, int stageCount, int stage);

/// Per device stage, the stash over time from timed events (timeSchedule()): a step function
/// starting at (0, 0) with one point per op that changes it, in execution order, times
/// non-decreasing (two points share a time where a backward ends as the next forward starts).
std::vector<std::vector<StashPoint>> stashCurves(
    const std::vector<PipelineEvent> &events, int stages);

/// Per curve, its maximum.
std::vector<int> peakOfCurves(const std::vector<std::vector<StashPoint>> &curves);

} // namespace collapipe
