// SPDX-License-Identifier: MIT
#include "core/sim/step_round.h"

#include "core/channel/channel_model.h"
#include "core/cost/round_plan.h"
#include "core/optimizer/policy.h"
#include "core/sim/churn_round.h"
#include "core/sim/round_assembly.h"
#include "core/sim/session_trainer.h"
#include "core/types/vector_state.h"

#include <QElapsedTimer>

#include <algorithm>

namespace collapipe {

void RoundState::reset(const Scenario &scenario)
{
    round = 0;
    queues.reset(scenario);
    previous = Decision{};
    hasPrevious = false;
    simTimeS = 0.0;
    spentJ.resize(scenario.topology.clusters.size());
    for (std::size_t n = 0; n < spentJ.size(); ++n) {
        spentJ[n].assign(scenario.topology.clusters[n].devices.size(), 0.0);
    }
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
    // A dirty upper AVX state (left by Qt's QString hashing) slows every SSE instruction of the
    // round several-fold (core/types/vector_state.h).
    clearUpperVectorState();
    const Scenario &s = *context.scenario;
    const int t = state->round;
    // Moving nodes are where they are at the round's start on the simulated clock.
    ChannelState channel = context.channel->stateForRound(t, state->simTimeS);

    // 1-3. Observe the channel and the queues, decide over the devices present (spec §6 steps
    // 1-3), one plan (§2), failed over on a mid-round dropout (core/MODEL.md "Churn").
    double decisionTimeS = 0.0;
    const DecideFn decide
        = [&](const Scenario &view, const ChannelState &viewChannel,
              const std::vector<std::vector<double>> &energyQueues,
              const std::vector<double> &convergenceQueues, const Decision *previous,
              const Decision *aborted, Decision *out, QString *why) {
              PolicyState observed;
              observed.round = t;
              observed.scenario = &view;
              observed.channel = &viewChannel;
              observed.energyQueues = &energyQueues;
              observed.convergenceQueues = &convergenceQueues;
              observed.previous = previous;
              observed.aborted = aborted;
              observed.cancelled = context.cancelled;
              QElapsedTimer decisionTimer;
              decisionTimer.start();
              const bool ok = context.policy->decide(observed, out, why);
              decisionTimeS += double(decisionTimer.nsecsElapsed()) * 1e-9;
              return ok;
          };
    RoundPlan plan;
    ChurnRound churn;
    QString policyError;
    if (!planRoundWithChurn(s, channel, context.availability, *state, decide,
            context.recordEvents || context.trainer != nullptr, &plan, &churn, &policyError)) {
        *error = QStringLiteral("round %1: policy %2: %3")
                     .arg(t)
                     .arg(context.policy->name(), policyError);
        return false;
    }

    // 4-5. Train in the plan's op order (spec §1.3 steps 3-9); aggregation is inside, over the
    // clusters that made it (sat-out and late ones are left out, core/MODEL.md "Deadline").
    TrainedRound training;
    const bool anyAggregated = std::find(churn.aggregated.begin(), churn.aggregated.end(), char(1))
        != churn.aggregated.end();
    const bool trained = context.trainer && anyAggregated;
    if (trained) {
        QString trainError;
        if (!context.trainer->trainRound(s, plan, churn.aggregated, &training, &trainError)) {
            *error = QStringLiteral("round %1: training: %2").arg(t).arg(trainError);
            return false;
        }
    } else if (context.trainer) {
        training.loss = kNotMeasured; // nobody trained this round
        training.bytesMoved = 0.0;
        training.clusterLoss.assign(s.topology.clusters.size(), kNotMeasured);
    }

    // 6. Queue update Q(t+1) = max(Q(t) + E(t) − Ē, 0), Z likewise (spec §5); the drift term
    // uses the queues the policy saw. Updated on a copy: a failed round leaves `state` as it was.
    std::vector<std::vector<double>> energy = deviceEnergy(s, plan.cost);
    addChurnEnergy(churn, &energy);
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
    recordChurn(churn, &r);
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
    if (const QString bad = nonFiniteMetric(s, r, trained); !bad.isEmpty()) {
        *error = QStringLiteral("round %1: %2: a result that is not a finite number is not stored "
                                "(policy %3)")
                     .arg(t)
                     .arg(bad, context.policy->name());
        return false;
    }
    // A training loss far above where it started is a run that will not recover
    // (core/trainer/README.md "Divergence"); stored as failed with the reason.
    if (trained) {
        QString diverged;
        if (context.trainer->checkDivergence(s, r.loss, &diverged)) {
            *error = QStringLiteral("round %1: training: %2").arg(t).arg(diverged);
            return false;
        }
    }
    state->queues = std::move(queues);
    state->simTimeS = r.simTimeS;
    for (std::size_t n = 0; n < energy.size() && n < state->spentJ.size(); ++n) {
        for (std::size_t k = 0; k < energy[n].size() && k < state->spentJ[n].size(); ++k) {
            state->spentJ[n][k] += energy[n][k];
        }
    }
    state->previous = plan.decision;
    state->hasPrevious = true;
    ++state->round;
    if (RoundTimelineInputs *deferred = context.deferredTimeline;
        deferred && !context.recordEvents && !context.trainer) {
        // The plan's decision with the stages the sat-out clusters had when it was timed
        // (churn_round.cpp finishPlan()), and the moves of the failed-over clusters' events.
        deferred->decision = plan.decision;
        const std::size_t n = deferred->decision.clusters.size();
        deferred->idle = churn.satOut;
        deferred->idle.resize(n, 0);
        deferred->offsetS = churn.offsetS;
        deferred->offsetS.resize(n, 0.0);
        deferred->shifted.assign(n, 0);
        for (std::size_t c = 0; c < n; ++c) {
            if (deferred->idle[c] && c < churn.droppedStages.size()) {
                deferred->decision.clusters[c].stages = churn.droppedStages[c];
            }
            deferred->shifted[c] = char(!deferred->idle[c]
                && (deferred->offsetS[c] > 0.0
                    || (c < churn.dropouts.size() && churn.dropouts[c] > 0)));
        }
        deferred->channel = std::move(channel); // not read below
    }
    if (outcome) {
        outcome->memoryExceededCluster = firstClusterOverMemory(plan.cost);
        outcome->energyJ = std::move(energy);
        outcome->plan = std::move(plan);
    }
    return true;
}

std::size_t RoundTimelineInputs::heldBytes() const
{
    std::size_t bytes
        = sizeof(*this) + idle.size() + offsetS.size() * sizeof(double) + shifted.size();
    for (const ClusterChannel &c : channel.clusters) {
        bytes += sizeof(c)
            + (c.d2dGain.size() + c.d2dDistanceM.size() + c.d2eGain.size() + c.d2eDistanceM.size()
                  + c.d2eMeanGain.size())
                * sizeof(double)
            + c.positions.size() * sizeof(Position);
    }
    for (const ClusterDecision &c : decision.clusters) {
        bytes += sizeof(c) + c.stages.size() * sizeof(StageDecision);
    }
    return bytes;
}

std::vector<TimelineEvent> roundEvents(const RoundTimelineInputs &inputs)
{
    if (!inputs.scenario) {
        return {};
    }
    RoundPlan plan;
    plan.timelines = buildRoundTimelines(
        *inputs.scenario, inputs.channel, inputs.decision, nullptr, &inputs.idle);
    for (std::size_t c = 0; c < plan.timelines.size(); ++c) {
        Timeline &tl = plan.timelines[c];
        if (c < inputs.idle.size() && inputs.idle[c]) {
            tl.events.clear();
        } else if (c < inputs.shifted.size() && inputs.shifted[c]) {
            // As finishPlan() moves them (core/sim/churn_round.cpp).
            for (TimelineEvent &e : tl.events) {
                e.startS += inputs.offsetS[c];
                e.endS += inputs.offsetS[c];
            }
        }
    }
    return flattenEvents(plan);
}

} // namespace collapipe
