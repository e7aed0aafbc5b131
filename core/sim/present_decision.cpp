// SPDX-License-Identifier: MIT
// The policy's decision over the devices present, with clusters that can carry no plan sitting
// out (core/MODEL.md "Churn").
#include "core/sim/present_decision.h"

#include "core/sim/step_round.h"

#include <algorithm>

namespace collapipe {

namespace {

bool allPresent(const Presence &present)
{
    for (const auto &cluster : present) {
        if (std::find(cluster.begin(), cluster.end(), char(0)) != cluster.end()) {
            return false;
        }
    }
    return true;
}

/// True when a policy's failure says the devices it was given cannot carry any plan (every
/// policy's message for that starts "infeasible: cluster", core/optimizer/infeasibility.cpp),
/// not that it was stopped or misconfigured.
bool isInfeasible(const QString &error)
{
    return error.contains(QLatin1String("infeasible: cluster"));
}

QString noDevicePresent()
{
    return QStringLiteral("no device present");
}

/// The decision of decideOverPresent() once the policy found some cluster's present set
/// infeasible: each cluster is tried on its own; the infeasible ones sit out (reason: the
/// policy's message), the rest are decided together as usual. False when a failure is not an infeasibility, or is
/// one of a cluster with every device present (the scenario itself cannot run: its error, as
/// before churn existed).
bool decideFeasibleClusters(const Scenario &scenario, const ChannelState &channel,
    const RoundState &state, const DecideFn &decide, const Presence &present,
    const std::vector<int> &clusters, Decision *out, std::vector<char> *satOut,
    std::vector<QString> *reasons, QString *error)
{
    const Decision *previous = state.hasPrevious ? &state.previous : nullptr;
    std::vector<int> order = clusters;
    if (order.empty()) {
        for (std::size_t n = 0; n < scenario.topology.clusters.size(); ++n) {
            order.push_back(int(n));
        }
    }
    const std::size_t count = order.size();
    satOut->assign(count, 0);
    reasons->assign(count, QString());
    std::vector<int> feasible;
    for (std::size_t v = 0; v < count; ++v) {
        const PresentView one = makePresentView(scenario, channel, state.queues.energy(),
            state.queues.convergence(), previous, present, {order[v]});
        if (one.satOut[0]) {
            (*satOut)[v] = 1;
            (*reasons)[v] = noDevicePresent();
            continue;
        }
        Decision alone;
        QString why;
        const std::vector<char> &here = present[std::size_t(order[v])];
        const bool someAway = std::find(here.begin(), here.end(), char(0)) != here.end();
        if (decide(one.scenario, one.channel, one.energyQueues, one.convergenceQueues,
                previous ? &one.previous : nullptr, &alone, &why)) {
            feasible.push_back(order[v]);
        } else if (isInfeasible(why) && someAway) {
            (*satOut)[v] = 1;
            (*reasons)[v] = why;
        } else {
            *error = why;
            return false;
        }
    }
    out->clusters.assign(count, ClusterDecision{});
    for (std::size_t v = 0; v < count; ++v) {
        // A sitting-out cluster's placeholder: no stages, never evaluated (buildRoundPlan idle).
        out->clusters[v].schedule = scenario.optimizer.schedule;
    }
    if (!feasible.empty()) {
        const PresentView together = makePresentView(scenario, channel, state.queues.energy(),
            state.queues.convergence(), previous, present, feasible);
        Decision decided;
        if (!decide(together.scenario, together.channel, together.energyQueues,
                together.convergenceQueues, previous ? &together.previous : nullptr, &decided,
                error)) {
            return false;
        }
        decisionToFullIndices(together, &decided);
        for (std::size_t i = 0; i < feasible.size(); ++i) {
            const auto v
                = std::size_t(std::find(order.begin(), order.end(), feasible[i]) - order.begin());
            out->clusters[v] = std::move(decided.clusters[i]);
        }
    }
    error->clear();
    return true;
}

} // namespace

bool decideOverPresent(const Scenario &scenario, const ChannelState &channel,
    const RoundState &state, const DecideFn &decide, const Presence &present,
    const std::vector<int> &clusters, Decision *out, std::vector<char> *satOut,
    std::vector<QString> *reasons, QString *error)
{
    const Decision *previous = state.hasPrevious ? &state.previous : nullptr;
    if (clusters.empty() && allPresent(present)) {
        satOut->assign(scenario.topology.clusters.size(), 0);
        reasons->assign(satOut->size(), QString());
        if (decide(scenario, channel, state.queues.energy(), state.queues.convergence(), previous,
                out, error)) {
            return true;
        }
    } else {
        const PresentView view = makePresentView(scenario, channel, state.queues.energy(),
            state.queues.convergence(), previous, present, clusters);
        if (decide(view.scenario, view.channel, view.energyQueues, view.convergenceQueues,
                previous ? &view.previous : nullptr, out, error)) {
            decisionToFullIndices(view, out);
            *satOut = view.satOut;
            reasons->assign(satOut->size(), QString());
            for (std::size_t v = 0; v < satOut->size(); ++v) {
                if ((*satOut)[v]) {
                    (*reasons)[v] = noDevicePresent();
                }
            }
            return true;
        }
    }
    if (!isInfeasible(*error) || allPresent(present)) {
        return false;
    }
    *out = Decision{};
    return decideFeasibleClusters(
        scenario, channel, state, decide, present, clusters, out, satOut, reasons, error);
}

} // namespace collapipe
