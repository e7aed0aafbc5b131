// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/pipeline/pipeline_recursion.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"
#include "core/types/round_record.h"

#include <vector>

/// The one evaluator of a decision (spec §2.1–2.5): per-stage compute, radio, memory and energy,
/// per-cluster pipeline makespan (exact flow-shop recursion of the chosen schedule, O(S·M)) and the
/// round's system latency. Everything else (optimizer, Session, plan CLI, GUI) reads these numbers;
/// core/pipeline builds the event list from the same recursion, so both always agree.
/// Link model (core/MODEL.md "Links"): stage j sends activations to stage j+1 over D2D with
/// band β_j·W and power p_j; the last stage sends to the edge over the cluster's D2E share; the CU
/// feeds stage 0 with controlUnitShare·W. Gradients travel the same boundaries backwards at the
/// power of the device that sends them (the boundary's band share is full duplex), so the two
/// directions of a boundary differ when the two ends' powers differ: spec §2.2's "model it
/// symmetrically" option, not its "same rate" default (core/MODEL.md "Links" says why).
/// Compute and radio overlap. The control unit's radio (its sends to stage 0 and its upload) is
/// counted per cluster (ClusterCost::controlUnitEnergyJ, spec §2.5 "for the CU: p^E·t^up").
namespace collapipe {

/// One pipeline stage (or, in FederatedFull mode, one device training alone).
struct StageCost
{
    int stage = 0;  ///< pipeline index j, 0-based
    int device = 0; ///< index into Cluster::devices
    int firstBlock = 0;
    int lastBlock = 0; ///< inclusive
    int blocks = 0;
    double bandwidthShare = 0.0; ///< β of the stage's outgoing D2D link
    double powerW = 0.0;
    double rateBps = 0.0;     ///< outgoing forward link: to the next stage, or D2E for the last
    double snrDb = 0.0;       ///< of that link
    double distanceM = 0.0;   ///< of that link
    double gradRateBps = 0.0; ///< link carrying this stage's gradient back (to j−1 or the CU)
    double tFwdS = 0.0;       ///< forward compute of one micro-batch
    double tBwdS = 0.0;       ///< backward compute of one micro-batch
    double tSendS = 0.0;      ///< forward send of one micro-batch on the outgoing link
    double tSendGradS = 0.0;  ///< gradient send of one micro-batch back to j−1 / the CU
    /// Edge → this device gradient of one micro-batch (sent by the edge at its power): the last
    /// stage's in Pipeline/EdgeTail, every device's in FederatedFull, 0 otherwise.
    double tEdgeGradS = 0.0;
    /// Peak stash (schedule dependent, stashedChunks()): micro-batches, or with v chunks per
    /// device chunk activations (each 1/v of the stage's per micro-batch).
    int inflight = 0;
    double memoryBytes = 0.0;
    double memoryCapacityBytes = 0.0;
    double busyS = 0.0;   ///< compute time in the round (I·M·(t_fwd + t_bwd))
    double txS = 0.0;     ///< transmit time in the round (this device's sends only)
    double energyJ = 0.0; ///< compute + radio (spec §2.5)
};

struct ClusterCost
{
    int cluster = 0;
    ClusterDecision::Mode mode = ClusterDecision::Mode::Pipeline;
    ScheduleKind schedule = ScheduleKind::GPipe;
    int interleave = 1; ///< v of an interleaved schedule (the decision's), 1 otherwise
    /// False when a stage's block count breaks the chunk rule (chunksFit()): latency is +inf.
    bool scheduleFits = true;
    int microbatches = 0;
    int microbatchSize = 0;
    int samples = 0; ///< per local iteration
    std::vector<StageCost> stages;
    double makespanS = 0.0;      ///< one local iteration: first embed to last gradient arrival
    double bubbleFraction = 0.0; ///< 1 − Σ_j busy_j / (S·makespan), one iteration
    /// FLOPs done / (makespan · Σ_j f_j) over the scheduled devices (spec §10-L).
    double computationEfficiency = 0.0;
    double uploadS = 0.0;  ///< D2E upload of embedding + encoder, ergodic rate (spec §2.2 t^up)
    double latencyS = 0.0; ///< I·makespan + upload (spec §2.3 T_n, aggregation excluded)
    double energyJ = 0.0;  ///< Σ over the devices + the control unit's radio (spec §2.5)
    // Per-micro-batch times of the chain's non-stage operations (core/MODEL.md "Pipeline
    // recursion"), so the makespan can be rebuilt from the stages and these (plan --json).
    double controlUnitShare = 0.0;  ///< β of the CU → stage 0 link
    double controlUnitPowerW = 0.0; ///< the CU's transmit power (its `max_power_w`)
    double embedS = 0.0;            ///< CU embedding (0 in FederatedFull: the devices embed)
    double controlUnitSendS = 0.0;  ///< CU → stage 0 activation (0 in FederatedFull)
    double edgeFwdS = 0.0;          ///< edge: head/decoder (+ tail blocks) forward
    double edgeBwdS = 0.0;          ///< edge: its backward, run right after the forward
    /// Edge → last stage gradient; FederatedFull: that of the device setting the makespan (each
    /// device's is its StageCost::tEdgeGradS).
    double edgeSendGradS = 0.0;
    double wrapSendS = 0.0;           ///< interleaved: last → first stage activation (else 0)
    double wrapGradS = 0.0;           ///< interleaved: first → last stage gradient (else 0)
    double firstStageEdgeSendS = 0.0; ///< ZB-V: stage 0 → edge activation (else 0)
    double edgeFirstStageGradS = 0.0; ///< ZB-V: edge → stage 0 gradient (else 0)
    /// The control unit's transmit time in the round: I·M·controlUnitSendS + uploadS (0 in
    /// FederatedFull: every device uploads its own model, the CU sends only token ids).
    double controlUnitTxS = 0.0;
    double controlUnitEnergyJ = 0.0; ///< controlUnitPowerW · controlUnitTxS (no budget, no queue)
    bool memoryFits = true; ///< every stage's memory ≤ its capacity (and the edge's, in sl)
    /// EdgeTail only: the edge's memory for this cluster's server-side blocks (weights,
    /// gradients, AdamW state, one micro-batch of activations: edgeTailMemoryBytes()), checked
    /// against the cluster's equal share of the server's memory. 0 in the other modes.
    double edgeMemoryBytes = 0.0;
    LatencySplit split; ///< of latencyS along the critical path (aggregationS = 0 here)
};

struct RoundCost
{
    std::vector<ClusterCost> clusters;
    int slowestCluster = 0;
    double aggregationS = 0.0;   ///< FedAvg at the edge + broadcast back (core/MODEL.md)
    double systemLatencyS = 0.0; ///< max_n latency_n + aggregation (spec §2.3)
    double energyJ = 0.0;        ///< Σ over clusters (devices and control units)
    LatencySplit split;          ///< of the slowest cluster, plus aggregation
};

/// Costs of one cluster's decision. Never fails: an impossible link (rate 0) gives +inf times and
/// memoryFits = false flags memory violations; the caller decides. Allocates only the result.
/// `cluster` indexes scenario.topology.clusters; `channel` is that cluster's channel.
ClusterCost evaluateCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterDecision &decision);

/// The cost of a cluster that sits the round out (core/MODEL.md "Churn"): no stage, no time, no
/// energy; mode, schedule and interleave are the decision's so the record still names them.
ClusterCost idleClusterCost(int cluster, const ClusterDecision &decision);

/// As evaluateCluster(), and also returns the per-micro-batch chains the makespan comes from, for
/// core/pipeline to replay as events: Pipeline and EdgeTail give one chain of S stages run
/// with `microbatches` micro-batches; FederatedFull gives one single-stage chain per device (no
/// CU work, run with one micro-batch). `chains` may be null.
ClusterCost evaluateClusterChains(const Scenario &scenario, int cluster,
    const ClusterChannel &channel, const ClusterDecision &decision,
    std::vector<ChainTimes> *chains);

/// The round's cost from its clusters' costs (evaluateCluster() of each, in cluster order): the
/// aggregation, the system latency max_n T_n + aggregation (spec §2.3), the energy and the split.
RoundCost combineClusters(const Scenario &scenario, const ChannelState &channel,
    const Decision &decision, std::vector<ClusterCost> clusters);

/// Costs of a whole round: every cluster, the aggregation and the system latency.
/// `decision.clusters` and `channel.clusters` follow scenario.topology.clusters.
RoundCost evaluateRound(
    const Scenario &scenario, const ChannelState &channel, const Decision &decision);

/// Aggregation + broadcast time of a round (core/MODEL.md): 2·N·P_enc FLOPs at the slowest edge
/// server plus the broadcast of the embedding + encoder over the full D2E band at the server's
/// power to the farthest control unit, at the ergodic rate (a long transfer). With `decision`,
/// an edge-tail cluster (sl, DSSDA with edge offload) receives only its device-side blocks
/// (+ embedding); null = every cluster gets all.
double aggregationTimeS(
    const Scenario &scenario, const ChannelState &channel, const Decision *decision = nullptr);

/// The aggregation time as far as one cluster knows it: the FedAvg FLOPs of all clusters plus the
/// broadcast to this cluster's CU (aggregationTimeS() is the max of this over the clusters).
/// `decision` (may be null) as in aggregationTimeS().
double clusterAggregationTimeS(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterDecision *decision = nullptr);

/// The broadcast part of clusterAggregationTimeS(): the new embedding + the `deviceBlocks`
/// encoder blocks the cluster's devices hold, server → CU over the full D2E band at the ergodic
/// rate. The one term of the aggregation a cluster's decision changes (edge tail: fewer blocks).
double broadcastTimeS(
    const Scenario &scenario, int cluster, const ClusterChannel &channel, int deviceBlocks);

/// broadcastTimeS() for every deviceBlocks = 0…encoder_blocks, [deviceBlocks], the same bits:
/// the rate and the trained parts found once (ExactBound builds this table per solve).
std::vector<double> broadcastTimesS(
    const Scenario &scenario, int cluster, const ClusterChannel &channel);

/// Encoder blocks the devices of `decision` hold (L outside EdgeTail mode; null = L).
int deviceHeldBlocks(const Scenario &scenario, const ClusterDecision *decision);

/// The share of its edge server's D2E band a cluster gets: 1 / (clusters served by that server).
double d2eShareOfCluster(const Scenario &scenario, int cluster);

} // namespace collapipe
