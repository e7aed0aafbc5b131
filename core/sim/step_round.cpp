// SPDX-License-Identifier: MIT
#include "core/sim/step_round.h"

#include "core/channel/channel_model.h"
#include "core/cost/round_plan.h"
#include "core/optimizer/policy.h"
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
    // Moving nodes are where they are at the round's start on the simulated clock.
    const ChannelState channel = context.channel->stateForRound(t, state->simTimeS);

    // 1-2. Observe the channel and the queues, decide (spec §6 steps 1-3).
    PolicyState observed;
    observed.round = t;
    observed.scenario = &s;
    observed.channel = &channel;
    observed.energyQueues = &state->queues.energy();
    observed.convergenceQueues = &state->queues.convergence();
    observed.previous = state->hasPrevious ? &state->previous : nullptr;
    observed.cancelled = context.cancelled;
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

    // 3. One plan: per-cluster costs and timelines, built once (spec §2).
    RoundPlan plan = buildRoundPlan(
        s, channel, std::move(decision), context.recordEvents || context.trainer != nullptr);

    // 4-5. Train in the plan's op order (spec §1.3 steps 3-9); aggregation is inside.
    TrainedRound training;
    if (context.trainer) {
        QString trainError;
        if (!context.trainer->trainRound(s, plan, &training, &trainError)) {
            *error = QStringLiteral("round %1: training: %2").arg(t).arg(trainError);
            return false;
        }
    }

    // 6. Queue update Q(t+1) = max(Q(t) + E(t) − Ē, 0), Z likewise (spec §5); the drift term
    // uses the queues the policy saw. Updated on a copy: a failed round leaves `state` as it was.
    std::vector<std::vector<double>> energy = deviceEnergy(s, plan.cost);
    const std::vector<double> phi = convergencePenalties(s, plan.decision);
    VirtualQueues queues = state->queues;
    RoundRecord &r = *record;
    r = RoundRecord{};
    r.round = t;
    r.drift = queues.driftTerm(s, energy, phi);
    r.penalty = s.optimizer.v * plan.cost.systemLatencyS;
    r.objective = r.drift + r.penalty;
    queues.update(s, energy, phi);

    // 7. Record.
    assembleRound(s, channel, plan, context.trainer ? &training : nullptr, queues, &r);
    r.decisionTimeS = decisionTimeS;
    r.simTimeS = state->simTimeS + r.latencyS;
    const int evalEvery = s.training.evalEvery;
    if (context.trainer && evalEvery > 0
        && ((t + 1) % evalEvery == 0 || t + 1 == s.training.rounds)) {
        r.accuracy = context.trainer->validationAccuracy();
    }
    if (context.recordEvents) {
        r.events = flattenEvents(plan); // the only flattening: for the record
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
    state->previous = plan.decision;
    state->hasPrevious = true;
    ++state->round;
    if (outcome) {
        outcome->memoryExceededCluster = firstClusterOverMemory(plan.cost);
        outcome->energyJ = std::move(energy);
        outcome->plan = std::move(plan);
    }
    return true;
}

} // namespace collapipe
