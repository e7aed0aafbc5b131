// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/types/round_record.h"
#include "core/types/timeline_event.h"

#include <vector>

/// The exact flow-shop recursion of one local iteration of a cluster's pipeline (spec §2.3),
/// shared by evaluateCluster() (makespan only, no events) and buildTimeline() (every event), so
/// the predicted makespan and the Gantt always agree. See core/MODEL.md "Pipeline recursion".
///
/// Each micro-batch m is a chain of operations, each on one resource:
///   Embed(CU) → SendAct(CU→s0) → F(s0) → SendAct(s0→s1) → … → F(s_{S−1}) → SendAct(s_{S−1}→edge)
///   → Decoder(edge: forward then backward) → SendGrad(edge→s_{S−1}) → B(s_{S−1})
///   → SendGrad(s_{S−1}→s_{S−2}) → … → B(s0) → SendGrad(s0→CU)
/// Every resource runs one operation at a time, in a fixed order: links, the CU and the edge in
/// micro-batch order; device j in the schedule's order (stageOrder()). An operation starts when
/// its chain predecessor and its resource predecessor have both ended (list scheduling with fixed
/// orders = longest path in a DAG; computed in O(S·M) by Kahn's algorithm).
namespace collapipe {

/// Per-micro-batch durations of one stage, seconds.
struct StageTimes
{
    int device = 0;     ///< index into Cluster::devices (names the resource in events)
    double fwdS = 0.0;  ///< forward compute
    double bwdS = 0.0;  ///< backward compute
    double sendS = 0.0; ///< activation send to the next stage (or the edge for the last)
    double gradS = 0.0; ///< gradient send to the previous stage (or the CU for stage 0)
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
};

/// One F or B op in a stage's execution order.
struct ScheduledOp
{
    bool backward = false;
    int microbatch = 0;
};

/// The order in which device stage `stage` (0-based) of `stageCount` runs its 2·M ops.
/// GPipe: F0 … F(M−1), B0 … B(M−1). 1F1B: w = min(S − j, M) warm-up forwards, then
/// alternately F, B until the forwards run out, then the remaining B (PipeDream-Flush with the
/// edge as the chain's last stage: it runs every micro-batch's head/decoder and tail, so device
/// stage j has S − j stages after it; core/MODEL.md "Pipeline recursion").
std::vector<ScheduledOp> stageOrder(
    PipelineSchedule schedule, int microbatches, int stageCount, int stage);

/// Result of one iteration's recursion.
struct PipelineRun
{
    double makespanS = 0.0; ///< end of the last operation (the last gradient reaching the CU)
    /// Critical path by cause: compute (bottleneck stage's share), bubble (other compute on the
    /// path: fill/drain), d2d, d2e (last stage ↔ edge hops), decoder. Sums to makespanS.
    LatencySplit split;
};

/// Runs the recursion for `microbatches` ≥ 1. If `events` is not null, appends every operation
/// as TimelineEvent (cluster field = `cluster`, times offset by `offsetS`, micro-batch index
/// offset by `microbatchOffset`). Reuses thread-local scratch buffers: no allocation per call
/// once warm (apart from `events`).
PipelineRun runPipeline(const ChainTimes &chain, PipelineSchedule schedule, int microbatches,
    std::vector<TimelineEvent> *events = nullptr, int cluster = 0, double offsetS = 0.0,
    int microbatchOffset = 0);

} // namespace collapipe
