// SPDX-License-Identifier: MIT
#include "core/sim/step_round.h"

#include "core/channel/channel_model.h"
#include "core/optimizer/policy.h"
#include "core/pipeline/timeline.h"
#include "core/sim/round_assembly.h"
#include "core/sim/session_trainer.h"

#include <QElapsedTimer>

namespace collapipe {

void RoundState::reset(const Scenario &scenario)
{
    round = 0;
    queues.reset(scenario);
    previous = Decision{};
    hasPrevious = false;
    simTimeS = 0.0;
}

namespace {

/// One flat event list in cluster order: the trainer's op order and the record's Gantt.
std::vector<TimelineEvent> flatten(const std::vector<Timeline> &timelines)
{
    std::vector<TimelineEvent> events;
    std::size_t count = 0;
    for (const Timeline &tl : timelines) {
        count += tl.events.size();
    }
    events.reserve(count);
    for (const Timeline &tl : timelines) {
        events.insert(events.end(), tl.events.begin(), tl.events.end());
    }
    return events;
}

int firstClusterOverMemory(const RoundCost &cost)
{
    for (const ClusterCost &c : cost.clusters) {
        if (!c.memoryFits) {
            return c.cluster;
        }
    }
    return -1;
}

} // namespace

bool stepRound(const RoundContext &context, RoundState *state, RoundRecord *record, QString *error,
    RoundOutcome *outcome)
{
    const Scenario &s = *context.scenario;
    const int t = state->round;
    const ChannelState channel = context.channel->stateForRound(t);

    // 1-2. Observe the channel and the queues, decide (spec §6 steps 1-3).
    PolicyState observed;
    observed.round = t;
    observed.scenario = &s;
    observed.channel = &channel;
    observed.energyQueues = &state->queues.energy();
    observed.convergenceQueues = &state->queues.convergence();
    observed.previous = state->hasPrevious ? &state->previous : nullptr;
    Decision decision;
    QElapsedTimer decisionTimer;
    decisionTimer.start();
    QString policyError;
    if (!context.policy->decide(observed, &decision, &policyError)) {
        *error = QStringLiteral("round %1: policy %2: %3")
                     .arg(t)
                     .arg(context.policy->name(), policyError);
        return false;
    }
    const double decisionTimeS = double(decisionTimer.nsecsElapsed()) * 1e-9;

    // 3. Predicted cost and the round's timeline (spec §2).
    RoundCost cost = evaluateRound(s, channel, decision);
    std::vector<TimelineEvent> events;
    if (context.recordEvents || context.trainer) {
        events = flatten(buildRoundTimelines(s, channel, decision));
    }

    // 4-5. Train in the timeline's order (spec §1.3 steps 3-9); aggregation is inside.
    TrainedRound training;
    if (context.trainer) {
        QString trainError;
        if (!context.trainer->trainRound(s, decision, events, &training, &trainError)) {
            *error = QStringLiteral("round %1: training: %2").arg(t).arg(trainError);
            return false;
        }
    }

    // 6. Queue update Q(t+1) = max(Q(t) + E(t) − Ē, 0), Z likewise (spec §5); the drift term
    // uses the queues the policy saw. Updated on a copy: a failed round leaves `state` as it was.
    std::vector<std::vector<double>> energy = deviceEnergy(s, cost);
    const std::vector<double> phi = convergencePenalties(s, decision);
    VirtualQueues queues = state->queues;
    RoundRecord &r = *record;
    r = RoundRecord{};
    r.round = t;
    r.drift = queues.driftTerm(s, energy, phi);
    r.penalty = s.optimizer.v * cost.systemLatencyS;
    r.objective = r.drift + r.penalty;
    queues.update(s, energy, phi);

    // 7. Record.
    assembleRound(s, channel, cost, context.trainer ? &training : nullptr, queues, &r);
    r.decisionTimeS = decisionTimeS;
    r.simTimeS = state->simTimeS + r.latencyS;
    const int evalEvery = s.training.evalEvery;
    if (context.trainer && evalEvery > 0
        && ((t + 1) % evalEvery == 0 || t + 1 == s.training.rounds)) {
        r.accuracy = context.trainer->validationAccuracy();
    }
    if (context.recordEvents) {
        r.events = std::move(events);
    }
    // Nothing non-finite is ever stored as a result (issue [2/7] item 8): the run fails naming
    // the metric instead, and the rounds before stay.
    if (const QString bad = nonFiniteMetric(s, r, context.trainer != nullptr); !bad.isEmpty()) {
        *error = QStringLiteral("round %1: %2: a result that is not a finite number is not stored "
                                "(policy %3)")
                     .arg(t)
                     .arg(bad, context.policy->name());
        return false;
    }
    // A training loss far above where it started is a run that will not recover
    // (core/trainer/README.md "Divergence"); stored as failed with the reason.
    if (context.trainer) {
        QString diverged;
        if (context.trainer->checkDivergence(s, r.loss, &diverged)) {
            *error = QStringLiteral("round %1: training: %2").arg(t).arg(diverged);
            return false;
        }
    }
    state->queues = std::move(queues);
    state->simTimeS = r.simTimeS;
    state->previous = std::move(decision);
    state->hasPrevious = true;
    ++state->round;
    if (outcome) {
        outcome->memoryExceededCluster = firstClusterOverMemory(cost);
        outcome->energyJ = std::move(energy);
        outcome->cost = std::move(cost);
    }
    return true;
}

} // namespace collapipe
