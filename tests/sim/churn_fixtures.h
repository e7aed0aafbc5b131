// SPDX-License-Identifier: MIT
#pragma once

// The churn tests' scenarios and run loop (tst_churn.cpp): the tiny classroom with a slow copy
// of its cluster, availability traces, the engine's round run with availability and trainer.
#include "core/availability/availability_model.h"
#include "core/channel/channel_model.h"
#include "core/optimizer/policy.h"
#include "core/scenario/scenario_json.h"
#include "core/scenario/scenario_patch.h"
#include "core/sim/churn_round.h"
#include "core/sim/present_decision.h"
#include "core/sim/session_trainer.h"
#include "core/sim/step_round.h"
#include "core/trainer/fedavg_weights.h"
#include "sim_fixtures.h"

#include <QHash>
#include <QSet>
#include <QTest>

#include <cmath>
#include <memory>

namespace collapipe::testing::churn {

inline void setTrace(Device *d, std::vector<AvailabilityEvent> rows)
{
    d->availability.kind = AvailabilityKind::Trace;
    d->availability.file = QStringLiteral("inline.csv");
    d->availability.trace = std::move(rows);
}

/// The tiny classroom (1 cluster × 4 devices), with a second copy of its cluster when asked;
/// the copy's devices are 10× slower, so it is the late one.
inline Scenario tiny(bool train, int rounds, const QString &policy, bool twoClusters = false)
{
    Scenario s;
    QString error;
    if (!testing::tinyScenario(&s, &error, train, rounds, policy)) {
        qFatal("%s", qPrintable(error));
    }
    if (twoClusters) {
        Cluster c = s.topology.clusters[0];
        c.id = QStringLiteral("slow");
        c.controlUnit.id = QStringLiteral("slow-cu");
        for (Device &d : c.devices) {
            d.id = QStringLiteral("slow-") + d.id;
            d.computeFlops /= 10.0;
        }
        s.topology.clusters.push_back(c);
    }
    return s;
}

struct Run
{
    std::vector<RoundRecord> records;
    std::vector<RoundPlan> plans;
    std::vector<std::vector<float>> parameters; ///< global model after each round (trained)
    std::vector<int> shardSizes;                ///< FedAvg's D_n (trained)
    std::size_t averaged = 0; ///< leading values of `parameters` FedAvg averages (trained)
};

/// Runs the engine's own round (stepRound) `rounds` times with `policy`, availability and, if
/// the scenario trains, the trainer.
inline Run runWith(const Scenario &s, Policy *policy, int rounds)
{
    Run out;
    QString error;
    ChannelModel channel(s.topology, s.training.seed);
    AvailabilityModel availability(s);
    std::unique_ptr<SessionTrainer> trainer;
    if (s.training.train) {
        trainer = std::make_unique<SessionTrainer>();
        if (!trainer->init(s, &error)) {
            qFatal("%s", qPrintable(error));
        }
        out.parameters.push_back(trainer->globalParameters());
        out.shardSizes = trainer->shardSizes();
        out.averaged = trainer->averagedParameterCount();
    }
    RoundContext context;
    context.scenario = &s;
    context.channel = &channel;
    context.policy = policy;
    context.trainer = trainer.get();
    context.availability = availability.varies() ? &availability : nullptr;
    RoundState state;
    state.reset(s);
    for (int t = 0; t < rounds; ++t) {
        RoundRecord record;
        RoundOutcome outcome;
        if (!stepRound(context, &state, &record, &error, &outcome)) {
            qFatal("%s", qPrintable(error));
        }
        out.records.push_back(record);
        out.plans.push_back(outcome.plan);
        if (trainer) {
            out.parameters.push_back(trainer->globalParameters());
        }
    }
    return out;
}

/// runWith() the scenario's own policy.
inline Run run(const Scenario &s, int rounds)
{
    QString error;
    std::unique_ptr<Policy> policy = makePolicy(s.optimizer.policy, &error);
    if (!policy) {
        qFatal("%s", qPrintable(error));
    }
    return runWith(s, policy.get(), rounds);
}

/// A policy that decides one given plan of cluster 0 (its devices named by id, so it applies
/// to any view that holds them).
class FixedPlanPolicy final : public Policy
{
public:
    FixedPlanPolicy(const Scenario &full, ClusterDecision plan)
        : m_plan(std::move(plan))
    {
        for (const StageDecision &st : m_plan.stages) {
            m_ids << full.topology.clusters[0].devices[std::size_t(st.device)].id;
        }
    }
    QString name() const override { return QStringLiteral("fixed"); }
    bool decide(const PolicyState &state, Decision *out, QString *) override
    {
        ClusterDecision d = m_plan;
        const std::vector<Device> &devices = state.scenario->topology.clusters[0].devices;
        for (std::size_t j = 0; j < d.stages.size(); ++j) {
            for (std::size_t k = 0; k < devices.size(); ++k) {
                if (devices[k].id == m_ids[qsizetype(j)]) {
                    d.stages[j].device = int(k);
                }
            }
        }
        out->clusters = {d};
        return true;
    }

private:
    ClusterDecision m_plan;
    QStringList m_ids;
};

inline bool usesDevice(const ClusterDecision &d, int device)
{
    for (const StageDecision &st : d.stages) {
        if (st.device == device) {
            return true;
        }
    }
    return false;
}

inline double splitSum(const LatencySplit &s)
{
    return s.computeS + s.d2dS + s.d2eS + s.decoderS + s.uploadS + s.aggregationS + s.bubbleS;
}

inline bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

/// Every device of cluster 0 holds at most `blocks` encoder blocks (the memory of such a stage at
/// one micro-batch of the whole batch, measured on the scenario, +1 %), so a plan needs at least
/// L/blocks stages.
inline void blocksEach(Scenario *s, int blocks)
{
    Decision probe;
    ClusterDecision d;
    d.microbatches = 1;
    d.microbatchSize = s->training.batchSize;
    d.schedule = s->optimizer.schedule;
    StageDecision st;
    st.device = 0;
    st.firstBlock = 0;
    st.lastBlock = blocks - 1;
    st.powerW = s->topology.clusters[0].devices[0].maxPowerW;
    StageDecision rest = st;
    rest.device = 1;
    rest.firstBlock = st.lastBlock + 1;
    rest.lastBlock = s->model.encoderBlocks - 1;
    st.bandwidthShare = 0.5;
    d.controlUnitShare = 0.5;
    d.stages = {st, rest};
    ChannelModel channels(s->topology, s->training.seed);
    const ClusterCost cost = evaluateCluster(*s, 0, channels.stateForRound(0).clusters[0], d);
    for (Device &device : s->topology.clusters[0].devices) {
        device.memoryBytes = 1.01 * cost.stages[0].memoryBytes;
    }
}

/// Cluster `n` can carry a plan only while its device 0 is present: device 0 holds the whole
/// encoder, the others not one block (1 kB).
inline void onlyDeviceZeroCarries(Scenario *s, std::size_t n)
{
    std::vector<Device> &devices = s->topology.clusters[n].devices;
    devices[0].memoryBytes = 1e12;
    for (std::size_t k = 1; k < devices.size(); ++k) {
        devices[k].memoryBytes = 1e3;
    }
}

/// Device 0 of cluster `n` away from the start for the first two rounds: back halfway through
/// round 1 (timed by a run in which it never comes back, identical until then).
inline void awayForTwoRounds(Scenario *s, std::size_t n)
{
    Device &d = s->topology.clusters[n].devices[0];
    setTrace(&d, {{0.0, false}});
    Scenario probe = *s;
    probe.training.train = false;
    const Run away = run(probe, 2);
    setTrace(&d, {{0.0, false}, {(away.records[0].simTimeS + away.records[1].simTimeS) / 2, true}});
}

/// Field by field, bit for bit (doubles by ==: a decision holds no NaN).
inline bool sameDecision(const ClusterDecision &a, const ClusterDecision &b)
{
    if (a.microbatches != b.microbatches || a.microbatchSize != b.microbatchSize
        || a.schedule != b.schedule || a.interleave != b.interleave || a.mode != b.mode
        || a.controlUnitShare != b.controlUnitShare || a.stages.size() != b.stages.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.stages.size(); ++i) {
        const StageDecision &x = a.stages[i];
        const StageDecision &y = b.stages[i];
        if (x.device != y.device || x.firstBlock != y.firstBlock || x.lastBlock != y.lastBlock
            || x.bandwidthShare != y.bandwidthShare || x.powerW != y.powerW) {
            return false;
        }
    }
    return true;
}

} // namespace collapipe::testing::churn
