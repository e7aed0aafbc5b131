// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/cost/cluster_cost.h"
#include "core/cost/timeline.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"

#include <vector>

/// One round's plan, built once (issue [3/7] "the plumbing"; architecture.md step 3): the
/// decision, every cluster's cost and timeline and the edge-tail cuts. The record, the queue
/// update and the trainer all read this one plan instead of evaluating the clusters again,
/// flattening the timelines and splitting them back per cluster.
namespace collapipe {

struct RoundPlan
{
    Decision decision;
    /// Per-cluster costs, aggregation and system latency (spec §2); cost.clusters[n] is the
    /// cost timelines[n] was timed from.
    RoundCost cost;
    /// Per cluster, in cluster order (buildRoundTimelines()); empty when built without.
    std::vector<Timeline> timelines;
    /// edgeTailCut() of every cluster's decision (−1 for non-EdgeTail clusters), derived once.
    std::vector<int> edgeCut;

    bool hasTimelines() const { return !timelines.empty(); }
};

/// Builds the plan of `decision` (moved in) under `channel`. With `withTimelines` the clusters
/// are evaluated once, by the timeline builder; without, by evaluateRound() (cost-only rounds,
/// no events). Either way `cost` is bit-identical to evaluateRound(). `idle` (may be null,
/// [cluster]) marks clusters that sit the round out: their decision (e.g. one without stages,
/// when the devices present could carry no plan) is not evaluated; they cost idleClusterCost().
RoundPlan buildRoundPlan(const Scenario &scenario, const ChannelState &channel, Decision decision,
    bool withTimelines, const std::vector<char> *idle = nullptr);

/// Every cluster's timeline events in one list, cluster after cluster (RoundRecord::events, the
/// store and the Gantt); the trainer reads the per-cluster timelines instead.
std::vector<TimelineEvent> flattenEvents(const RoundPlan &plan);

} // namespace collapipe
