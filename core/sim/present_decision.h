// SPDX-License-Identifier: MIT
#pragma once

#include "core/sim/churn_round.h"

#include <QString>

#include <map>
#include <utility>
#include <vector>

/// Private to core/sim (churn_round.cpp): the policy's decision over the devices present.
namespace collapipe {

/// The clusters a round has already decided, each for the devices that were present: within a
/// round the channel, the queues and the previous decision are fixed, and every policy decides
/// each cluster on its own data (PresentView), so a cluster asked again with the same devices
/// present gets the same decision. A fail-over that re-plans a cluster over a set it was already
/// decided for (a device came back), and the infeasible-cluster search (each cluster alone, then
/// the feasible ones together), take it from here instead of deciding again (issue [6/7]: under
/// heavy churn the policy was asked ~8 % of its cluster decisions twice).
struct RoundDecisions
{
    struct Entry
    {
        ClusterDecision decision; ///< full device indices; a placeholder when it sits out
        bool satOut = false;
        QString reason; ///< why it sits out
    };
    /// Keyed by (cluster, its presence row).
    std::map<std::pair<int, std::vector<char>>, Entry> byCluster;
};

/// The policy's decision over `present`, for `clusters` (empty = all; the decision then holds
/// those clusters in that order). Without absent devices and with every cluster, the policy sees
/// the scenario itself. A cluster with no device present sits out (satOut, reason "no device
/// present"); so does one whose present devices can carry no plan (the policy's "infeasible"
/// message is the reason) instead of failing the round (core/MODEL.md "Churn"). Its decision is
/// a placeholder without stages. False + message when the policy fails otherwise, or when a
/// cluster with every device present is infeasible (the scenario cannot run). `memo` (may be
/// null): the round's decisions so far; clusters found there are not decided again, and the new
/// ones are added. `aborted` (may be null): at a fail-over, the round's plan it replaces (full
/// indices, every cluster), handed to the policy cut to the view (PolicyState::aborted).
bool decideOverPresent(const Scenario &scenario, const ChannelState &channel,
    const RoundState &state, const DecideFn &decide, const Presence &present,
    const std::vector<int> &clusters, Decision *out, std::vector<char> *satOut,
    std::vector<QString> *reasons, QString *error, RoundDecisions *memo = nullptr,
    const Decision *aborted = nullptr);

} // namespace collapipe
