// SPDX-License-Identifier: MIT
#include "core/cost/round_plan.h"

namespace collapipe {

RoundPlan buildRoundPlan(
    const Scenario &scenario, const ChannelState &channel, Decision decision, bool withTimelines)
{
    RoundPlan plan;
    plan.decision = std::move(decision);
    if (withTimelines) {
        std::vector<ClusterCost> clusters;
        plan.timelines = buildRoundTimelines(scenario, channel, plan.decision, &clusters);
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
