// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/pipeline_schedule.h"
#include "core/types/timeline_event.h"

#include <QString>

#include <cmath>
#include <limits>
#include <vector>

/// Everything one round produced (issue [5/6]); a copyable value that goes to the store and, by
/// queued signal, to the UI. NaN marks "not measured this round" (e.g. accuracy between evals).
namespace collapipe {

inline constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

/// System latency of the round split by cause (spec §2.3); parts sum to latencyS.
struct LatencySplit
{
    double computeS = 0.0;     ///< encoder compute on the critical path
    double d2dS = 0.0;         ///< D2D transfers on the critical path
    double d2eS = 0.0;         ///< activation/gradient hops device ↔ edge
    double decoderS = 0.0;     ///< decoder / head at the edge
    double uploadS = 0.0;      ///< encoder upload D2E
    double aggregationS = 0.0; ///< aggregation + broadcast
    double bubbleS = 0.0;      ///< idle on the critical path (pipeline fill/drain)
};

/// One device in one round (a row of `device_rounds`).
struct DeviceRound
{
    int cluster = 0;
    int device = 0; ///< index into Cluster::devices
    QString deviceId;
    int stage = -1;      ///< pipeline stage, −1 if given no blocks
    int firstBlock = -1; ///< −1 if given no blocks
    int lastBlock = -1;
    int microbatches = 0;
    double bandwidthShare = 0.0;
    double powerW = 0.0;
    double memoryPredictedBytes = 0.0; ///< cost model at the profiled width (model.profiled)
    /// The same formula (spec §2.4) at the trainer's width (model.trainer, fp32), the number
    /// memoryMeasuredBytes can be compared with; NaN with training off or for an idle device.
    double memoryPredictedTrainerBytes = kNotMeasured;
    double memoryMeasuredBytes = kNotMeasured;
    double memoryCapacityBytes = 0.0;
    double energyJ = 0.0;
    double energyQueueJ = 0.0; ///< Q_{n,k}(t+1) after this round's update
    double busyS = 0.0;        ///< compute time this round
    // The device's outgoing link this round (to the next stage, or to the edge for the last).
    double linkDistanceM = 0.0;
    double linkSnrDb = 0.0;
    double linkRateBps = 0.0;
    /// Present at the round's start (availability and battery, core/MODEL.md "Churn").
    bool present = true;
    /// Where the device was this round (moved by its mobility, issue [6/7]); NaN when read from
    /// a store written before v7.
    double xM = kNotMeasured;
    double yM = kNotMeasured;
};

/// One cluster in one round.
struct ClusterRound
{
    int cluster = 0;
    int microbatches = 0;
    int microbatchSize = 0;
    double makespanS = 0.0;
    double bubbleFraction = 0.0;
    double computationEfficiency = 0.0;
    double uploadS = 0.0;
    double latencyS = 0.0;
    double convergenceQueue = 0.0;
    double loss = kNotMeasured;
    /// Encoder blocks the edge server ran before the head (ClusterDecision::Mode::EdgeTail:
    /// c…L−1); −1 when the devices ran every block (Pipeline, FederatedFull).
    int edgeFirstBlock = -1;
    int edgeLastBlock = -1;
    /// The edge's memory for those blocks (spec §2.4 at the profiled width, ClusterCost::
    /// edgeMemoryBytes); NaN without a tail.
    double edgeMemoryBytes = kNotMeasured;
    /// The control unit's radio energy this round (spec §2.5): its activations to stage 0 and
    /// its D2E upload (ClusterCost::controlUnitEnergyJ; 0 in fl). Part of RoundRecord::energyJ;
    /// no budget or queue. NaN when read from a store written before it was recorded.
    double controlUnitEnergyJ = 0.0;
    /// The pipeline schedule the cluster ran this round and its interleave factor v (1 unless
    /// interleaved); from a store written before v6: the run's scenario schedule, v = 1.
    ScheduleKind schedule = ScheduleKind::OneFOneB;
    int interleave = 1;
    /// Churn and deadline (core/MODEL.md "Churn", "Deadline"): whether the cluster's update went
    /// into this round's FedAvg (false: no present device, or latencyS over the deadline), how
    /// many of its devices dropped out mid-round, the work time each dropout threw away and the
    /// recovery (re-transfer of the dropped segments) before the re-planned pipeline started.
    /// lostS and recoveryS are part of latencyS.
    bool aggregated = true;
    /// The cluster did not train this round: no device present, or the present ones could carry
    /// no plan (the policy found them infeasible, e.g. memory); satOutReason says which ("no
    /// device present" or the policy's message), empty when it took part or before store v9.
    bool satOut = false;
    QString satOutReason;
    int dropouts = 0;
    double lostS = 0.0;
    double recoveryS = 0.0;
    /// Where the control unit was this round (issue [6/7]); NaN before store v7.
    double controlUnitXM = kNotMeasured;
    double controlUnitYM = kNotMeasured;
};

struct RoundRecord
{
    int round = 0;
    double simTimeS = 0.0;       ///< simulated clock after this round (sum of latencies)
    double latencyS = 0.0;       ///< system latency T(t) = max_n T_n + aggregation
    LatencySplit split;          ///< of the slowest cluster + aggregation
    double bubbleFraction = 0.0; ///< of the slowest cluster
    double computationEfficiency = 0.0;
    double energyJ = 0.0;           ///< all devices and control units
    double loss = kNotMeasured;     ///< mean training loss over clusters
    double accuracy = kNotMeasured; ///< validation accuracy (every evalEvery rounds)
    double drift = 0.0;             ///< Σ Q·(E − Ē) (+ Z·(Φ − Φ̄)) term of spec §5
    double penalty = 0.0;           ///< V·T(t)
    double objective = 0.0;         ///< drift + penalty, the value the policy minimised
    double decisionTimeS = 0.0;     ///< wall time the policy took
    /// Encoder bytes (block parameters + AdamW state) moved between devices because the segments
    /// changed this round (trainer, spec §1.3 step 2); NaN with training off.
    double bytesMoved = kNotMeasured;
    std::vector<ClusterRound> clusters;
    std::vector<DeviceRound> devices;
    std::vector<TimelineEvent> events;
};

} // namespace collapipe
