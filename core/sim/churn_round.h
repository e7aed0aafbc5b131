// SPDX-License-Identifier: MIT
#pragma once

#include "core/availability/availability_model.h"
#include "core/channel/channel_state.h"
#include "core/cost/round_plan.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"
#include "core/types/round_record.h"

#include <QString>

#include <functional>
#include <vector>

/// Churn and deadlines in the round (issue [6/7] "A living edge", core/MODEL.md "Churn",
/// "Deadline"): which devices a round may plan over, the policy's view restricted to them, the
/// fail-over of a plan whose device drops out mid-round, and the deadline's exclusion from
/// FedAvg. Private to core/sim; stepRound() calls it.
namespace collapipe {

class Policy;
struct RoundState;

/// [cluster][device]: 1 when the device may be planned over.
using Presence = std::vector<std::vector<char>>;

/// What churn and the deadline did to one round, per cluster (and per device for presence).
struct ChurnRound
{
    Presence present;             ///< at the round's start
    std::vector<char> aggregated; ///< in this round's FedAvg
    /// Did not train: no device present, or the present ones could carry no plan (the policy
    /// found them infeasible); satOutReason says which ("no device present" or the policy's
    /// message), empty for the clusters that took part.
    std::vector<char> satOut;
    std::vector<QString> satOutReason;
    std::vector<int> dropouts;
    std::vector<double> lostS;
    std::vector<double> recoveryS;
    /// Energy of the aborted attempts, [cluster][device] (added to the plan's device energy).
    std::vector<std::vector<double>> extraEnergyJ;
    /// What the round's timeline is built from besides the plan (RoundTimelineInputs): each
    /// cluster's start after its fail-overs (lost + recovery time; its events are moved by it
    /// when it failed over or was delayed) and the stages a sat-out cluster's decision had before
    /// the plan dropped them (the aggregation's broadcast time still reads them).
    std::vector<double> offsetS;
    std::vector<std::vector<StageDecision>> droppedStages;

    bool everyoneAggregated() const;
};

/// The policy's view of the present devices: a scenario whose clusters keep only their present
/// devices (a cluster with none keeps all, and sits out after the decision), the channel, queues
/// and previous decision cut to match, and the map back to the full indices. A view may hold a
/// subset of the clusters (a fail-over re-plans only the clusters that lost a device): every
/// policy decides each cluster on its own data (its channel carries its edge-server sharing), so
/// the other clusters need not be there.
struct PresentView
{
    Scenario scenario;
    ChannelState channel;
    std::vector<std::vector<double>> energyQueues;
    std::vector<double> convergenceQueues;
    Decision previous;
    /// This round's aborted plan cut the same way (a fail-over's; PolicyState::aborted), when
    /// one was given.
    Decision aborted;
    bool hasAborted = false;
    std::vector<int> clusterIndex;           ///< [view cluster] → cluster in the scenario
    std::vector<std::vector<int>> fullIndex; ///< [view cluster][view device] → device index
    std::vector<char> satOut;                ///< [view cluster]
};

/// Builds the view of `present` over `clusters` (empty = all). `previous` and `aborted` (the
/// round's plan a fail-over replaces, full indices, every cluster) may be null.
PresentView makePresentView(const Scenario &scenario, const ChannelState &channel,
    const std::vector<std::vector<double>> &energyQueues,
    const std::vector<double> &convergenceQueues, const Decision *previous, const Presence &present,
    const std::vector<int> &clusters = {}, const Decision *aborted = nullptr);

/// Maps a decision made over `view` back to the scenario's device indices (its clusters stay in
/// the view's order).
void decisionToFullIndices(const PresentView &view, Decision *decision);

/// Presence at `timeS`: up in `availability` and with battery left (spentJ < battery_j).
Presence presenceAt(const Scenario &scenario, AvailabilityModel *availability,
    const std::vector<std::vector<double>> &spentJ, double timeS);

/// The decider stepRound hands in: the policy's decide() over a (possibly restricted) view.
/// Arguments: scenario, channel, energy queues, convergence queues, previous decision (may be
/// null), the plan a fail-over replaces (PolicyState::aborted; null at the round's start), the
/// decision to fill, the error.
using DecideFn = std::function<bool(const Scenario &, const ChannelState &,
    const std::vector<std::vector<double>> &, const std::vector<double> &, const Decision *,
    const Decision *, Decision *, QString *)>;

/// Decides over the present devices and builds the plan, failing it over on each mid-round
/// dropout (re-plan over the devices left, re-transfer the dropped device's segments, charge the
/// lost time and energy), then applies the deadline. A cluster whose present devices can carry
/// no plan (the policy says "infeasible") sits the round out like one without devices. `availability` may be null (always
/// present). Fills `plan` (full indices; a sat-out cluster has no stages, no timeline, latency 0)
/// and `churn`. False + message when the policy fails for another reason (stopped, misconfigured).
bool planRoundWithChurn(const Scenario &scenario, const ChannelState &channel,
    AvailabilityModel *availability, const RoundState &state, const DecideFn &decide,
    bool withTimelines, RoundPlan *plan, ChurnRound *churn, QString *error);

/// Adds the aborted attempts' energy to the plan's device energy, [cluster][device].
void addChurnEnergy(const ChurnRound &churn, std::vector<std::vector<double>> *energyJ);

/// Copies presence, FedAvg membership, dropouts, lost and recovery time into the record's
/// clusters and devices, and adds the aborted attempts' energy to each device's.
void recordChurn(const ChurnRound &churn, RoundRecord *record);

} // namespace collapipe
