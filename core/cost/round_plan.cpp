// SPDX-License-Identifier: MIT
#include "core/cost/round_plan.h"

#include <algorithm>

namespace collapipe {

RoundPlan buildRoundPlan(const Scenario &scenario, const ChannelState &channel, Decision decision,
    bool withTimelines, const std::vector<char> *idle)
{
    RoundPlan plan;
    plan.decision = std::move(decision);
    const bool anyIdle = idle && std::find(idle->begin(), idle->end(), char(1)) != idle->end();
    if (withTimelines) {
        std::vector<ClusterCost> clusters;
        plan.timelines = buildRoundTimelines(
            scenario, channel, plan.decision, &clusters, anyIdle ? idle : nullptr);
        plan.cost = combineClusters(scenario, channel, plan.decision, std::move(clusters));
    } else if (anyIdle) {
        const std::size_t n = std::min({scenario.topology.clusters.size(), channel.clusters.size(),
            plan.decision.clusters.size()});
        std::vector<ClusterCost> clusters;
        clusters.reserve(n);
        for (std::size_t c = 0; c < n; ++c) {
            const ClusterDecision &d = plan.decision.clusters[c];
            clusters.push_back(c < idle->size() && (*idle)[c]
                    ? idleClusterCost(int(c), d)
                    : evaluateCluster(scenario, int(c), channel.clusters[c], d));
        }
        plan.cost = combineClusters(scenario, channel, plan.decision, std::move(clusters));
    } else {
        plan.cost = evaluateRound(scenario, channel, plan.decision);
    }
    plan.edgeCut.reserve(plan.decision.clusters.size());
    for (const ClusterDecision &c : plan.decision.clusters) {
        plan.edgeCut.push_back(edgeTailCut(c));
    }
    return plan;
}

std::vector<TimelineEvent> flattenEvents(const RoundPlan &plan)
{
    std::vector<TimelineEvent> events;
    std::size_t count = 0;
    for (const Timeline &tl : plan.timelines) {
        count += tl.events.size();
    }
    events.reserve(count);
    for (const Timeline &tl : plan.timelines) {
        events.insert(events.end(), tl.events.begin(), tl.events.end());
    }
    return events;
}

} // namespace collapipe
