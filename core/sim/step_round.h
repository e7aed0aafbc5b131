// SPDX-License-Identifier: MIT
#pragma once

#include "core/cost/round_plan.h"
#include "core/optimizer/virtual_queues.h"
#include "core/scenario/scenario.h"
#include "core/types/round_record.h"

#include <QString>

#include <functional>
#include <memory>
#include <vector>

/// One round of the run loop, written once (issue [3/7] "the plumbing"; architecture.md
/// "core/sim"): the Session, the optimizer tests' cost-only loop and the optimizer benchmark all
/// call stepRound(), so there is no second copy of the round to drift from the first.
namespace collapipe {

class AvailabilityModel;
class ChannelModel;
class Policy;
class SessionTrainer;

/// What carries from one round to the next besides the policy's and the trainer's own state.
struct RoundState
{
    int round = 0;        ///< index of the next round
    VirtualQueues queues; ///< Q(t), Z(t) the next round observes (spec §5)
    Decision previous;    ///< last round's decision; valid when hasPrevious
    bool hasPrevious = false;
    double simTimeS = 0.0; ///< Σ of the recorded rounds' latencies (the simulated clock)
    /// Energy each device has spent so far, [cluster][device]: its battery (battery_j) empties
    /// when this reaches the capacity (core/MODEL.md "Churn").
    std::vector<std::vector<double>> spentJ;

    /// Round 0 of `scenario`: zero queues, no previous decision, clock at 0.
    void reset(const Scenario &scenario);
};

/// What a round's timeline is built from, kept instead of the timeline when a round is computed
/// without it (RoundContext::deferredTimeline; issue [7/7] "The Studio keeps up with the
/// engine"): a live run whose timeline is not stored builds the events only of the rounds its
/// Gantt draws. The timeline is a deterministic function of these, so roundEvents() gives
/// exactly the events stepRound() puts in RoundRecord::events with recordEvents on.
struct RoundTimelineInputs
{
    std::shared_ptr<const Scenario> scenario; ///< the run's (set by the Session)
    ChannelState channel;                     ///< the round's
    /// The round's final decision (after fail-overs), a sat-out cluster with the stages it had.
    Decision decision;
    std::vector<char> idle;      ///< [cluster] sat the round out: no events
    std::vector<double> offsetS; ///< [cluster] its events are moved by this …
    std::vector<char> shifted;   ///< … when set (failed over or delayed)

    /// Memory held, roughly (bytes): what a caller that keeps many budgets by.
    std::size_t heldBytes() const;
};

/// The events of the round `inputs` describe: buildRoundTimelines(), the sat-out clusters empty,
/// the failed-over ones moved, flattened cluster after cluster (flattenEvents()).
std::vector<TimelineEvent> roundEvents(const RoundTimelineInputs &inputs);

/// The parts a round runs on. Not owned; `trainer` null runs the cost model alone.
struct RoundContext
{
    const Scenario *scenario = nullptr;
    ChannelModel *channel = nullptr;
    Policy *policy = nullptr;
    SessionTrainer *trainer = nullptr;
    /// Which devices are up when (core/MODEL.md "Churn"); null = every device always present.
    /// Stateful (a Markov device's draws are made lazily) but deterministic.
    AvailabilityModel *availability = nullptr;
    /// Put the round's timeline events into RoundRecord::events (Gantt, store). Off makes a
    /// cost-only round much cheaper; a trained round builds its timeline anyway (op order).
    bool recordEvents = true;
    /// With recordEvents off and no trainer (cost only), filled with what the round's events
    /// are built from (roundEvents()) instead; not owned, may be null. Its scenario is not set.
    RoundTimelineInputs *deferredTimeline = nullptr;
    /// Handed to the policy (PolicyState::cancelled) so a long decision stops early. Empty = never.
    std::function<bool()> cancelled;
};

/// What a round computed besides its record, for callers that look at the cost model directly
/// (the optimizer tests' averages, the Session's memory warning).
struct RoundOutcome
{
    RoundPlan plan; ///< the round's plan: decision, costs (spec §2), timelines, edge cuts
    std::vector<std::vector<double>> energyJ; ///< per [cluster][device], spec §2.5
    int memoryExceededCluster = -1;           ///< first cluster whose memory does not fit; −1
};

/// Runs round `state->round`: observe the channel and the queues, decide (spec §6 steps 1-3),
/// cost and timeline (§2), train in the timeline's order when `context.trainer` is set (§1.3; the
/// aggregation is inside), queue update (§5), record. On success `record` is the full round and
/// `state` has advanced; on failure `state` is unchanged and `error` names the round and what
/// failed (policy, training, a non-finite metric, divergence) — the run is then over.
/// `outcome` may be null. Deterministic except RoundRecord::decisionTimeS (measured).
bool stepRound(const RoundContext &context, RoundState *state, RoundRecord *record, QString *error,
    RoundOutcome *outcome = nullptr);

} // namespace collapipe
