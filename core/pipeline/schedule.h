// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/pipeline_schedule.h"

#include <vector>

/// Pipeline schedules: which op each device stage runs next (spec §2.3; core/MODEL.md "Pipeline
/// recursion" and "Schedules"). The one place a schedule's op order is written: the cost model
/// times it (pipeline_recursion.h), the trainer executes it (execution_order.h), the Lab shows it.
///
/// Terms. A cluster's pipeline has S device stages (stage j on one device, 0-based, in chain
/// order) and M micro-batches. A schedule with v chunks cuts each device's blocks into v chunks;
/// the micro-batch then visits V = v·S *virtual stages* in chain order (virtualStage()). The edge
/// server (head/decoder and any encoder tail) is the chain's last stage after virtual stage V − 1:
/// it runs each micro-batch's forward and backward back to back, so a device op order treats it as
/// one more stage (the 1F1B warm-up of stage j is S − j, not S − j − 1).
namespace collapipe {

/// What a device computes in one op.
enum class OpKind {
    Forward,       ///< the chunk's forward of one micro-batch (stashes its activations)
    Backward,      ///< fused backward: input and weight gradients at once (frees the stash)
    BackwardInput, ///< B: input gradient only (the next stage upstream waits for it)
    BackwardWeight ///< W: weight gradient only (nobody waits; frees the stash)
};

/// One compute op of one device stage.
struct ScheduleOp
{
    OpKind kind = OpKind::Forward;
    int stage = 0;      ///< device stage j, 0-based, chain order
    int microbatch = 0; ///< 0-based
    int chunk = 0;      ///< 0 … chunks − 1 (0 unless the schedule has chunks)

    friend bool operator==(const ScheduleOp &, const ScheduleOp &) = default;
};

/// Relative durations of one chunk's ops, for the one schedule built by list scheduling (ZB-V).
/// Any positive scale; unit times are ZB-V's design point (F = B = W).
struct ChunkOpTimes
{
    double forward = 1.0;
    double backwardInput = 1.0;
    double backwardWeight = 1.0;
};

/// A schedule: per device stage, the order in which it runs its ops.
struct Schedule
{
    ScheduleKind kind = ScheduleKind::OneFOneB;
    int stages = 0;       ///< S ≥ 1
    int microbatches = 0; ///< M ≥ 1
    int chunks = 1;       ///< v: chunks per device (1 unless Interleaved / ZeroBubbleV)
    /// perStage[j]: stage j's ops. Each (chunk, micro-batch) appears once per op kind the
    /// schedule uses: F and Backward, or F, BackwardInput and BackwardWeight.
    std::vector<std::vector<ScheduleOp>> perStage;
};

/// ScheduleKind, scheduleName(), chunksOf() and splitsBackward() are the shared vocabulary in
/// core/types/pipeline_schedule.h.

/// Position of (stage, chunk) in the micro-batch's chain of V = chunks·S virtual stages.
/// Interleaved: chunk·S + stage (device d holds chunks d, d+S, …). ZeroBubbleV: chunk 0 is
/// virtual stage `stage` (down), chunk 1 is 2S − 1 − stage (back up). Otherwise: stage.
int virtualStage(ScheduleKind kind, int stages, int stage, int chunk);

/// Inverse of virtualStage(): the device stage and the chunk of virtual stage `k`.
void stageOfVirtual(ScheduleKind kind, int stages, int k, int *stage, int *chunk);

/// Stage `stage`'s op order into `order` (cleared first; reuses its capacity). Inputs are
/// clamped: stages ≥ 1, microbatches ≥ 1, 0 ≤ stage < stages. `interleave` is v for
/// Interleaved and ignored otherwise.
///  - GPipe: F0 … F(M−1), B0 … B(M−1).
///  - 1F1B: w = min(M, S − j) warm-up forwards, then F and B in turn, then the last B.
///  - Interleaved (v ≥ 2; v = 1 is 1F1B): forwards in groups of S micro-batches, chunk by chunk
///    (group g: chunk 0 of its micro-batches, then chunk 1, …); backwards the same with the chunks
///    reversed; 2(S − 1 − j) + (v − 1)S + 1 warm-up forwards (Megatron-LM's count plus the edge),
///    then one forward and one backward in turn, then the remaining backwards.
///  - ZB-H1: the 1F1B order with each Backward as B, and W of micro-batch m right after
///    B(m + j) (stage j defers j weight gradients: the later stages fill their drain with W),
///    the last j + 1 W at the end. Peak stash S + 1 on every stage = 1F1B's stage 0.
///  - ZB-V: list-scheduled with unit op times (makeSchedule() takes others) and free links: B
///    first, then F while the stash stays within 2(S + 1) chunks (1F1B's peak), then W; the
///    order then fixed (zero_bubble_v.h).
void fillStageOrder(ScheduleKind kind, int stages, int microbatches, int interleave, int stage,
    std::vector<ScheduleOp> *order);

/// The whole schedule: kind + S + M + v → per-stage op orders (fillStageOrder() per stage).
/// `zbvTimes` shapes ZB-V's order only (pass the chain's typical chunk F, B, W; e.g. from
/// StageTimes: fwdS/2, bwdS·(1 − f)/2, bwdS·f/2); the other schedules ignore it.
Schedule makeSchedule(ScheduleKind kind, int stages, int microbatches, int interleave = 1,
    const ChunkOpTimes &zbvTimes = {});

} // namespace collapipe
