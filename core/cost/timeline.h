// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/cost/cluster_cost.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"
#include "core/types/timeline_event.h"

#include <vector>

/// The timeline of one training round (issue [2/6]; spec §2.3): every operation of every
/// micro-batch as an event, built by the same recursion evaluateCluster() uses
/// (core/pipeline/pipeline_recursion.h), so makespans agree to the last bit.
///
/// Event order contract (the trainer executes ops in this order; the Gantt draws it):
/// `events` is sorted by startS; ties keep a topological order of the dependency graph (the order
/// the recursion settled them; the sort is stable). So executing the events front to back never
/// runs an op before one it depends on, even when zero-length ops share a start time.
/// With I local iterations the pipeline repeats I times back to back; the micro-batch index then
/// counts across iterations (iteration = microbatch / M).
namespace collapipe {

struct Timeline
{
    int cluster = 0;
    ScheduleKind schedule = ScheduleKind::GPipe;
    int interleave = 1;   ///< v of an interleaved schedule, 1 otherwise
    int stageCount = 0;   ///< S
    int microbatches = 0; ///< M
    std::vector<TimelineEvent> events;
    double iterationS = 0.0;      ///< one local iteration's makespan (== ClusterCost::makespanS)
    double pipelineS = 0.0;       ///< I · iterationS
    double uploadEndS = 0.0;      ///< pipelineS + upload
    double aggregationEndS = 0.0; ///< uploadEndS + aggregation (this cluster alone; see below)
    double makespanS = 0.0;       ///< end of the last event
    double bubbleFraction = 0.0;  ///< as ClusterCost
    double computationEfficiency = 0.0; ///< as ClusterCost
    std::vector<int> stageDevice;       ///< device of stage j
    std::vector<double> busyS;          ///< compute time per stage over the round
    std::vector<int> peakStashed;       ///< max micro-batches stashed (F done, B not yet) per stage
};

/// Builds the round's timeline of one cluster: the I pipelined iterations, then the D2E upload
/// (resource Link CU → edge) and the aggregation at the edge (resource EdgeServer), the latter
/// placed right after this cluster's upload; buildRoundTimelines() aligns it to the slowest
/// cluster. Pipeline mode only has stages; FederatedFull/EdgeTail get their own simple chains
/// (core/MODEL.md "Baselines"). `cost` (may be null) gets the cluster's cost the timeline was
/// timed from — evaluateCluster()'s result, so a caller needs not evaluate the cluster again.
Timeline buildTimeline(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterDecision &decision, ClusterCost *cost = nullptr);

/// Timelines of every cluster of a round with the aggregation of all of them starting when the
/// slowest upload ends (synchronous FedAvg), so makespanS of each equals the system latency.
/// `costs` (may be null) gets every cluster's cost, in cluster order. `idle` (may be null,
/// [cluster]) marks clusters that sit the round out (core/MODEL.md "Churn"): their decision is
/// not read, they get idleClusterCost() and a timeline without events, and the aggregation does
/// not wait for them.
std::vector<Timeline> buildRoundTimelines(const Scenario &scenario, const ChannelState &channel,
    const Decision &decision, std::vector<ClusterCost> *costs = nullptr,
    const std::vector<char> *idle = nullptr);

/// How many rounds' timelines buildRoundTimelines() has built in this process, all threads
/// (tests and benchmarks check that a live run builds only the ones a view draws).
long long roundTimelineBuildCount();

} // namespace collapipe
