// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/schedule.h"
#include "core/scenario/scenario.h"
#include "core/types/round_record.h"
#include "core/types/timeline_event.h"

#include <vector>

/// The exact flow-shop recursion of one local iteration of a cluster's pipeline (spec §2.3),
/// shared by evaluateCluster() (makespan only, no events), buildTimeline() (every event) and the
/// Pipeline Lab (timeSchedule(): any schedule, with chunks and the B/W split), so the predicted
/// makespan and the Gantt always agree. See core/MODEL.md "Pipeline recursion".
///
/// Each micro-batch m is a chain of operations, each on one resource; with V = v·S virtual
/// stages (schedule.h: v chunks per device; v = 1: virtual stage k is device stage k):
///   Embed(CU) → SendAct(CU→vs0) → F(vs0) → SendAct(vs0→vs1) → … → F(vs_{V−1}) → SendAct(→edge)
///   → Decoder(edge: forward then backward) → SendGrad(edge→vs_{V−1}) → B(vs_{V−1})
///   → SendGrad(vs_{V−1}→vs_{V−2}) → … → B(vs0) → SendGrad(vs0→CU)
/// and, when the schedule splits the backward, W(vs k) after B(vs k) (nothing waits for a W).
/// A hop between two virtual stages on the same device is free and uses no link. Every resource
/// runs one operation at a time, in a fixed order: the CU and the edge in micro-batch order; a
/// device in the schedule's order (schedule.h); a link (one direction between two nodes) in the
/// order its sender ran the ops that feed it (micro-batch order for GPipe/1F1B). An operation
/// starts when its chain predecessor and its resource predecessor have both ended (list
/// scheduling with fixed orders = longest path in a DAG; O(V·M) by Kahn's algorithm).
namespace collapipe {

/// Per-micro-batch durations of one device stage, seconds.
struct StageTimes
{
    int device = 0;     ///< index into Cluster::devices (names the resource in events)
    double fwdS = 0.0;  ///< forward compute of the stage's whole segment
    double bwdS = 0.0;  ///< backward compute (input + weight gradients) of the whole segment
    double sendS = 0.0; ///< activation send to the next stage (or the edge for the last)
    double gradS = 0.0; ///< gradient send to the previous stage (or the CU for stage 0)
    /// Share of bwdS that is the weight gradient W when a schedule splits the backward:
    /// W = bwdS·f, B = bwdS − W, so B + W = the fused backward. 0.5: a linear layer's input and
    /// weight gradients cost the same FLOPs (core/MODEL.md "Schedules").
    double weightGradFraction = 0.5;
};

/// Per-micro-batch durations of the whole chain.
struct ChainTimes
{
    double embedS = 0.0;            ///< CU embedding
    double controlUnitSendS = 0.0;  ///< CU → stage 0 activation
    std::vector<StageTimes> stages; ///< pipeline order, S ≥ 1
    double decoderFwdS = 0.0;       ///< edge: decoder/head forward (+ loss)
    double decoderBwdS = 0.0;       ///< edge: decoder/head backward
    double edgeSendGradS = 0.0;     ///< edge → last stage gradient
    /// Interleaved (v ≥ 2) only: activation from the last device stage back to stage 0 (chunk c
    /// to c + 1) and the gradient the other way. A chunk's op takes 1/v of the stage's times.
    double wrapSendS = 0.0;
    double wrapGradS = 0.0;
    /// ZB-V only: the V ends on stage 0, so its activation goes stage 0 → edge and the edge's
    /// gradient comes back to stage 0. Chunk-1 activations going up use the stages' gradS links,
    /// chunk-1 gradients going down their sendS links.
    double firstStageEdgeSendS = 0.0;
    double edgeFirstStageGradS = 0.0;
};

/// Result of one iteration's recursion.
struct PipelineRun
{
    double makespanS = 0.0; ///< end of the last operation (the last gradient reaching the CU)
    /// Critical path by cause: compute (bottleneck stage's share), bubble (other compute on the
    /// path: fill/drain), d2d, d2e (last stage ↔ edge hops), decoder. Sums to makespanS.
    LatencySplit split;
};

/// Runs the recursion of schedule `kind` (v = chunksOf(kind, interleave) chunks per device) for
/// `microbatches` ≥ 1, in the order fillStageOrder() gives (the order the trainer executes; ZB-V
/// list-scheduled with unit op times). If `events` is not null, appends every operation as
/// TimelineEvent (cluster field = `cluster`, times offset by `offsetS`, micro-batch index offset
/// by `microbatchOffset`; B and W both as Backward). Reuses thread-local scratch buffers: no
/// allocation per call once warm (apart from `events`). The DAG's resource order and settling
/// order depend on (kind, S, M, v) only: they are kept per thread for the last 32 shapes and a
/// repeated shape only times its ops (the same numbers). Equals timeSchedule(chain,
/// makeSchedule(kind, S, M, interleave)).run for every schedule.
PipelineRun runPipeline(const ChainTimes &chain, ScheduleKind kind, int interleave,
    int microbatches, std::vector<TimelineEvent> *events = nullptr, int cluster = 0,
    double offsetS = 0.0, int microbatchOffset = 0);

/// One timed operation of timeSchedule(): the timeline's event plus what a device computed.
struct PipelineEvent
{
    TimelineEvent event;         ///< kind Forward / Backward for device compute (B and W: Backward)
    OpKind op = OpKind::Forward; ///< device compute only: which op (B/W told apart here)
    int chunk = 0;               ///< the chunk of the virtual stage the event belongs to
};

/// One point of a device's activation-memory curve: from timeS on, `stashed` chunk activations
/// are held (a chunk activation = one micro-batch through one chunk: 1/v of the stage's).
struct StashPoint
{
    double timeS = 0.0;
    int stashed = 0;
};

/// A schedule timed on a chain.
struct ScheduleTiming
{
    bool ok = false; ///< false: the schedule does not fit the chain, or its order deadlocks
    PipelineRun run; ///< makespan and critical-path split
    std::vector<PipelineEvent> events; ///< every op, in the order the recursion settled them
    /// Per device stage: the stash curve (a step function; F adds one at its start, a fused
    /// Backward or a W frees one at its end; a B frees nothing: W still needs the stash).
    std::vector<std::vector<StashPoint>> memory;
    std::vector<int> peakStashed; ///< per device stage: max of its memory curve
};

/// Times `schedule` on `chain` (schedule.stages must equal chain.stages.size()). GPipe and 1F1B
/// give exactly runPipeline()'s numbers and events.
ScheduleTiming timeSchedule(const ChainTimes &chain, const Schedule &schedule);

} // namespace collapipe
