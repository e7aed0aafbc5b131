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

/// A sitting-out cluster's placeholder: no stages, never evaluated (buildRoundPlan idles it).
ClusterDecision placeholder(const Scenario &scenario)
{
    ClusterDecision d;
    d.schedule = scenario.optimizer.schedule;
    return d;
}

/// The decision of decideOverPresent() once the policy found some cluster's present set
/// infeasible: each cluster is decided on its own; the infeasible ones sit out (reason: the
/// policy's message), the others keep their own decision (the same as deciding them together:
/// every policy decides each cluster on its own data, PresentView). Each is added to `memo`.
/// False when a failure is not an infeasibility, or is one of a cluster with every device
/// present (the scenario itself cannot run: its error, as before churn existed).
bool decideFeasibleClusters(const Scenario &scenario, const ChannelState &channel,
    const RoundState &state, const DecideFn &decide, const Presence &present,
    const std::vector<int> &order, Decision *out, std::vector<char> *satOut,
    std::vector<QString> *reasons, QString *error, RoundDecisions *memo, const Decision *aborted)
{
    const Decision *previous = state.hasPrevious ? &state.previous : nullptr;
    const std::size_t count = order.size();
    satOut->assign(count, 0);
    reasons->assign(count, QString());
    out->clusters.assign(count, placeholder(scenario));
    for (std::size_t v = 0; v < count; ++v) {
        const PresentView one = makePresentView(scenario, channel, state.queues.energy(),
            state.queues.convergence(), previous, present, {order[v]}, aborted);
        if (one.satOut[0]) {
            (*satOut)[v] = 1;
            (*reasons)[v] = noDevicePresent();
            continue;
        }
        Decision alone;
        QString why;
        const std::vector<char> &here = present[std::size_t(order[v])];
        const bool someAway = std::find(here.begin(), here.end(), char(0)) != here.end();
        RoundDecisions::Entry entry;
        if (decide(one.scenario, one.channel, one.energyQueues, one.convergenceQueues,
                previous ? &one.previous : nullptr, aborted ? &one.aborted : nullptr, &alone,
                &why)) {
            decisionToFullIndices(one, &alone);
            out->clusters[v] = alone.clusters[0];
            entry.decision = alone.clusters[0];
        } else if (isInfeasible(why) && someAway) {
            (*satOut)[v] = 1;
            (*reasons)[v] = why;
            entry = {placeholder(scenario), true, why};
        } else {
            *error = why;
            return false;
        }
        memo->byCluster[{order[v], here}] = std::move(entry);
    }
    error->clear();
    return true;
}

/// decideOverPresent() without looking in the memo: the policy over `clusters` (empty = all).
bool decideUncached(const Scenario &scenario, const ChannelState &channel, const RoundState &state,
    const DecideFn &decide, const Presence &present, const std::vector<int> &clusters,
    Decision *out, std::vector<char> *satOut, std::vector<QString> *reasons, QString *error,
    RoundDecisions *memo, const Decision *aborted)
{
    const Decision *previous = state.hasPrevious ? &state.previous : nullptr;
    if (clusters.empty() && allPresent(present) && !aborted) {
        satOut->assign(scenario.topology.clusters.size(), 0);
        reasons->assign(satOut->size(), QString());
        if (decide(scenario, channel, state.queues.energy(), state.queues.convergence(), previous,
                nullptr, out, error)) {
            return true;
        }
    } else {
        const PresentView view = makePresentView(scenario, channel, state.queues.energy(),
            state.queues.convergence(), previous, present, clusters, aborted);
        if (decide(view.scenario, view.channel, view.energyQueues, view.convergenceQueues,
                previous ? &view.previous : nullptr, aborted ? &view.aborted : nullptr, out,
                error)) {
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
    std::vector<int> order = clusters;
    if (order.empty()) {
        for (std::size_t n = 0; n < scenario.topology.clusters.size(); ++n) {
            order.push_back(int(n));
        }
    }
    return decideFeasibleClusters(scenario, channel, state, decide, present, order, out, satOut,
        reasons, error, memo, aborted);
}

} // namespace

bool decideOverPresent(const Scenario &scenario, const ChannelState &channel,
    const RoundState &state, const DecideFn &decide, const Presence &present,
    const std::vector<int> &clusters, Decision *out, std::vector<char> *satOut,
    std::vector<QString> *reasons, QString *error, RoundDecisions *memo, const Decision *aborted)
{
    RoundDecisions local;
    RoundDecisions &known = memo ? *memo : local;
    std::vector<int> order = clusters;
    if (order.empty()) {
        for (std::size_t n = 0; n < scenario.topology.clusters.size(); ++n) {
            order.push_back(int(n));
        }
    }
    // The clusters decided before in this round, for the same devices. One with no device
    // present is always asked again: its placeholder depends on the path that decided it.
    const std::size_t count = order.size();
    std::vector<const RoundDecisions::Entry *> hit(count, nullptr);
    std::vector<int> misses;
    for (std::size_t v = 0; v < count; ++v) {
        const std::vector<char> &here = present[std::size_t(order[v])];
        const bool anyone = std::find(here.begin(), here.end(), char(1)) != here.end();
        const auto it = anyone ? known.byCluster.find({order[v], here}) : known.byCluster.end();
        if (it != known.byCluster.end()) {
            hit[v] = &it->second;
        } else {
            misses.push_back(order[v]);
        }
    }
    Decision decided;
    std::vector<char> decidedSatOut;
    std::vector<QString> decidedReasons;
    if (!misses.empty()) {
        // Every cluster missing: the call as it always was (with every cluster and device
        // present, the policy sees the scenario itself).
        const std::vector<int> &ask = misses.size() == count ? clusters : misses;
        if (!decideUncached(scenario, channel, state, decide, present, ask, &decided,
                &decidedSatOut, &decidedReasons, error, &known, aborted)) {
            return false;
        }
        for (std::size_t i = 0; i < misses.size(); ++i) {
            const std::vector<char> &here = present[std::size_t(misses[i])];
            if (std::find(here.begin(), here.end(), char(1)) != here.end()) {
                known.byCluster[{misses[i], here}]
                    = {decided.clusters[i], decidedSatOut[i] != 0, decidedReasons[i]};
            }
        }
    }
    out->clusters.resize(count);
    satOut->assign(count, 0);
    reasons->assign(count, QString());
    for (std::size_t v = 0, i = 0; v < count; ++v) {
        if (hit[v]) {
            out->clusters[v] = hit[v]->decision;
            (*satOut)[v] = char(hit[v]->satOut);
            (*reasons)[v] = hit[v]->reason;
        } else {
            out->clusters[v] = std::move(decided.clusters[i]);
            (*satOut)[v] = decidedSatOut[i];
            (*reasons)[v] = decidedReasons[i];
            ++i;
        }
    }
    return true;
}

} // namespace collapipe
