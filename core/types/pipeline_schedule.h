// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>

/// The pipeline schedules (spec §2.3; core/MODEL.md "Schedules"): the one vocabulary a decision,
/// the scenario, the cost model, the pipeline module, the trainer, the store and the UI share.
/// Here, below scenario, because a Decision names it and every module reads it. core/pipeline
/// writes each schedule's op order (schedule.h); the scenario's JSON keys are in its field table
/// (scenario_fields.cpp, with the extra "auto": the optimizer chooses).
namespace collapipe {

/// Every schedule the pipeline module generates and a decision may name. The integer values are
/// the scenario's choice indices and the store's column values: append, never reorder.
enum class ScheduleKind {
    GPipe,        ///< all forwards, flush, all backwards
    OneFOneB,     ///< PipeDream-Flush: S − j warm-up forwards, then one forward, one backward
    Interleaved,  ///< Megatron interleaved 1F1B: v chunks per device (blocks d, d+S, … of vS)
    ZeroBubbleH1, ///< 1F1B with the backward split into B (input) and W (weight), W deferred
    ZeroBubbleV   ///< ZB-V: 2 chunks per device in a V (down the devices, then back up), B/W split
};

/// The old name of ScheduleKind (it had GPipe and 1F1B only), kept while core/trainer and its
/// tests still spell it; new code writes ScheduleKind.
using PipelineSchedule = ScheduleKind;

/// Largest interleave factor a scenario may ask for (the field table's range).
inline constexpr int kMaxInterleave = 16;

/// Short lower-case name ("gpipe", "1f1b", "interleaved", "zb-h1", "zb-v"): the scenario's JSON
/// value, `plan --json`, the store and the exports.
inline const char *scheduleName(ScheduleKind kind)
{
    switch (kind) {
    case ScheduleKind::GPipe:
        return "gpipe";
    case ScheduleKind::OneFOneB:
        return "1f1b";
    case ScheduleKind::Interleaved:
        return "interleaved";
    case ScheduleKind::ZeroBubbleH1:
        return "zb-h1";
    case ScheduleKind::ZeroBubbleV:
        return "zb-v";
    }
    return "?";
}

/// Chunks per device: Interleaved → max(1, interleave); ZeroBubbleV → 2; others → 1.
inline int chunksOf(ScheduleKind kind, int interleave)
{
    switch (kind) {
    case ScheduleKind::Interleaved:
        return std::max(1, interleave);
    case ScheduleKind::ZeroBubbleV:
        return 2;
    case ScheduleKind::GPipe:
    case ScheduleKind::OneFOneB:
    case ScheduleKind::ZeroBubbleH1:
        return 1;
    }
    return 1;
}

/// True when the schedule splits the backward into BackwardInput and BackwardWeight ops.
inline bool splitsBackward(ScheduleKind kind)
{
    return kind == ScheduleKind::ZeroBubbleH1 || kind == ScheduleKind::ZeroBubbleV;
}

/// The chunk rule: a device stage of `blocks` encoder blocks can run a schedule with v =
/// chunksOf(kind, interleave) chunks iff v divides `blocks` (so each chunk is blocks/v whole
/// blocks and takes 1/v of the stage's time, as the recursion times it; core/MODEL.md
/// "Schedules"). Always true for schedules without chunks.
inline bool chunksFit(ScheduleKind kind, int interleave, int blocks)
{
    const int v = chunksOf(kind, interleave);
    return v == 1 || (blocks >= v && blocks % v == 0);
}

} // namespace collapipe
