// SPDX-License-Identifier: MIT
#include "core/cost/timeline.h"

#include "core/cost/cluster_cost.h"
#include "core/pipeline/pipeline_recursion.h"

#include <algorithm>
#include <atomic>
#include <map>

namespace collapipe {

namespace {

bool touchesControlUnit(const TimelineEvent &e)
{
    if (e.resource.kind == ResourceKind::ControlUnit) {
        return true;
    }
    return e.resource.kind == ResourceKind::Link
        && (e.resource.from == kControlUnitNode || e.resource.to == kControlUnitNode);
}

// Peak number of micro-batches a stage holds between its forward and its backward, read off the
// events themselves (one device runs one op at a time, so time order is execution order).
std::vector<int> peakStash(const std::vector<TimelineEvent> &events, int stages)
{
    std::vector<int> now(stages, 0);
    std::vector<int> peak(stages, 0);
    for (const TimelineEvent &e : events) {
        if (e.stage < 0 || e.stage >= stages || e.resource.kind != ResourceKind::Device) {
            continue;
        }
        if (e.kind == EventKind::Forward) {
            peak[e.stage] = std::max(peak[e.stage], ++now[e.stage]);
        } else if (e.kind == EventKind::Backward) {
            --now[e.stage];
        }
    }
    return peak;
}

std::atomic<long long> g_roundTimelineBuilds{0};

} // namespace

long long roundTimelineBuildCount()
{
    return g_roundTimelineBuilds.load(std::memory_order_relaxed);
}

Timeline buildTimeline(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterDecision &decision, ClusterCost *costOut)
{
    Timeline t;
    t.cluster = cluster;
    t.schedule = decision.schedule;
    std::vector<ChainTimes> chains;
    const ClusterCost cost = evaluateClusterChains(scenario, cluster, channel, decision, &chains);
    t.interleave = cost.interleave;
    const bool federated = decision.mode == ClusterDecision::Mode::FederatedFull;
    t.stageCount = static_cast<int>(cost.stages.size());
    t.microbatches = cost.microbatches;
    t.iterationS = cost.makespanS;
    t.bubbleFraction = cost.bubbleFraction;
    t.computationEfficiency = cost.computationEfficiency;
    const int iterations = std::max(1, scenario.training.localIterations);
    const int runMicrobatches = federated ? 1 : cost.microbatches;
    for (int it = 0; it < iterations; ++it) {
        const double offset = it * cost.makespanS;
        for (std::size_t i = 0; i < chains.size(); ++i) {
            const std::size_t before = t.events.size();
            // `fl` trains one unpipelined micro-batch per device: no schedule to follow.
            runPipeline(chains[i], federated ? ScheduleKind::GPipe : decision.schedule,
                decision.interleave, runMicrobatches, &t.events, cluster, offset,
                it * runMicrobatches);
            for (std::size_t e = before; e < t.events.size(); ++e) {
                if (federated) {
                    // One chain per device: stage index = the device's position, no CU involved.
                    t.events[e].stage = t.events[e].stage >= 0 ? int(i) : -1;
                }
            }
        }
    }
    if (federated) {
        std::erase_if(t.events, touchesControlUnit);
    }
    t.pipelineS = iterations * cost.makespanS;
    t.uploadEndS = t.pipelineS + cost.uploadS;
    if (federated) {
        for (const StageCost &st : cost.stages) {
            const double upload = st.txS - iterations * st.tSendS;
            t.events.push_back({cluster, {ResourceKind::Link, st.device, kEdgeServerNode},
                EventKind::Upload, -1, st.stage, t.pipelineS, t.pipelineS + upload});
        }
    } else {
        t.events.push_back({cluster, {ResourceKind::Link, kControlUnitNode, kEdgeServerNode},
            EventKind::Upload, -1, -1, t.pipelineS, t.uploadEndS});
    }
    t.aggregationEndS
        = t.uploadEndS + clusterAggregationTimeS(scenario, cluster, channel, &decision);
    t.events.push_back({cluster, {ResourceKind::EdgeServer, kEdgeServerNode, 0},
        EventKind::Aggregate, -1, -1, t.uploadEndS, t.aggregationEndS});
    // Stable: equal starts keep the recursion's topological order (header contract).
    std::stable_sort(t.events.begin(), t.events.end(),
        [](const TimelineEvent &a, const TimelineEvent &b) { return a.startS < b.startS; });
    for (const StageCost &st : cost.stages) {
        t.stageDevice.push_back(st.device);
        t.busyS.push_back(st.busyS);
    }
    t.peakStashed = peakStash(t.events, t.stageCount);
    for (const TimelineEvent &e : t.events) {
        t.makespanS = std::max(t.makespanS, e.endS);
    }
    if (costOut) {
        *costOut = cost;
    }
    return t;
}

std::vector<Timeline> buildRoundTimelines(const Scenario &scenario, const ChannelState &channel,
    const Decision &decision, std::vector<ClusterCost> *costs, const std::vector<char> *idle)
{
    g_roundTimelineBuilds.fetch_add(1, std::memory_order_relaxed);
    std::vector<Timeline> out;
    const std::size_t n = std::min(
        {scenario.topology.clusters.size(), channel.clusters.size(), decision.clusters.size()});
    if (costs) {
        costs->assign(n, ClusterCost{});
    }
    double lastUpload = 0.0;
    for (std::size_t c = 0; c < n; ++c) {
        if (idle && c < idle->size() && (*idle)[c]) {
            Timeline t;
            t.cluster = int(c);
            t.schedule = decision.clusters[c].schedule;
            out.push_back(std::move(t));
            if (costs) {
                (*costs)[c] = idleClusterCost(int(c), decision.clusters[c]);
            }
            continue;
        }
        out.push_back(buildTimeline(scenario, int(c), channel.clusters[c], decision.clusters[c],
            costs ? &(*costs)[c] : nullptr));
        lastUpload = std::max(lastUpload, out.back().uploadEndS);
    }
    // Synchronous FedAvg: aggregation starts when the slowest cluster's upload has arrived.
    const double aggregation = aggregationTimeS(scenario, channel, &decision);
    for (Timeline &t : out) {
        for (TimelineEvent &e : t.events) {
            if (e.kind == EventKind::Aggregate) {
                e.startS = lastUpload;
                e.endS = lastUpload + aggregation;
            }
        }
        t.aggregationEndS = lastUpload + aggregation;
        t.makespanS = std::max(t.makespanS, t.aggregationEndS);
        std::stable_sort(t.events.begin(), t.events.end(),
            [](const TimelineEvent &a, const TimelineEvent &b) { return a.startS < b.startS; });
    }
    return out;
}

} // namespace collapipe
