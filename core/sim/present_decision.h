// SPDX-License-Identifier: MIT
#pragma once

#include "core/sim/churn_round.h"

#include <QString>

#include <vector>

/// Private to core/sim (churn_round.cpp): the policy's decision over the devices present.
namespace collapipe {

/// The policy's decision over `present`, for `clusters` (empty = all; the decision then holds
/// those clusters in that order). Without absent devices and with every cluster, the policy sees
/// the scenario itself. A cluster with no device present sits out (satOut, reason "no device
/// present"); so does one whose present devices can carry no plan (the policy's "infeasible"
/// message is the reason) instead of failing the round (core/MODEL.md "Churn"). Its decision is
/// a placeholder without stages. False + message when the policy fails otherwise, or when a
/// cluster with every device present is infeasible (the scenario cannot run).
bool decideOverPresent(const Scenario &scenario, const ChannelState &channel,
    const RoundState &state, const DecideFn &decide, const Presence &present,
    const std::vector<int> &clusters, Decision *out, std::vector<char> *satOut,
    std::vector<QString> *reasons, QString *error);

} // namespace collapipe
