// SPDX-License-Identifier: MIT
// One RoundPlan per round (issue [3/7] "the plumbing"): the clusters are evaluated once, the
// per-cluster timelines the trainer reads are exactly what the record holds, the plan's cost
// equals evaluateRound() bit for bit, and the edge-tail cut is derived once (edgeTailCut()) and
// agrees with the record and the cost model.
#include "core/channel/channel_model.h"
#include "core/cost/round_plan.h"
#include "core/optimizer/policy.h"
#include "core/sim/step_round.h"
#include "sim_fixtures.h"

#include <QTest>

using namespace collapipe;

namespace {

QString describe(const TimelineEvent &e)
{
    return QStringLiteral("cluster %1 kind %2 resource %3/%4/%5 mb %6 stage %7 [%8, %9]")
        .arg(e.cluster)
        .arg(int(e.kind))
        .arg(int(e.resource.kind))
        .arg(e.resource.from)
        .arg(e.resource.to)
        .arg(e.microbatch)
        .arg(e.stage)
        .arg(e.startS, 0, 'g', 17)
        .arg(e.endS, 0, 'g', 17);
}

/// Runs `rounds` cost-only rounds of `policy` on the tiny classroom and hands each round's plan
/// and record to `check`.
void eachRound(const QString &policyName, int rounds,
    const std::function<void(
        const Scenario &, const ChannelState &, const RoundPlan &, const RoundRecord &)> &check)
{
    Scenario s;
    QString error;
    QVERIFY2(testing::tinyScenario(&s, &error, false, rounds, policyName), qPrintable(error));
    std::unique_ptr<Policy> policy = makePolicy(policyName, &error);
    QVERIFY2(policy, qPrintable(error));
    ChannelModel channels(s.topology, s.training.seed);
    ChannelModel replay(s.topology, s.training.seed); // the same channel, for the check
    RoundContext context;
    context.scenario = &s;
    context.channel = &channels;
    context.policy = policy.get();
    context.recordEvents = true;
    RoundState state;
    state.reset(s);
    for (int t = 0; t < rounds; ++t) {
        RoundRecord record;
        RoundOutcome outcome;
        QVERIFY2(stepRound(context, &state, &record, &error, &outcome), qPrintable(error));
        check(s, replay.stateForRound(t), outcome.plan, record);
    }
}

} // namespace

class TestRoundPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void policies_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::newRow("dssda") << QStringLiteral("dssda");
        QTest::newRow("uniform") << QStringLiteral("uniform");
        QTest::newRow("sl (edge tail)") << QStringLiteral("sl");
        QTest::newRow("fl") << QStringLiteral("fl");
    }

    void perClusterTimelinesAreWhatTheRecordHolds_data() { policies_data(); }
    void perClusterTimelinesAreWhatTheRecordHolds()
    {
        QFETCH(QString, policy);
        eachRound(policy, 3,
            [](const Scenario &, const ChannelState &, const RoundPlan &plan,
                const RoundRecord &record) {
                QVERIFY(plan.hasTimelines());
                QCOMPARE(plan.timelines.size(), plan.decision.clusters.size());
                std::size_t i = 0;
                for (std::size_t n = 0; n < plan.timelines.size(); ++n) {
                    QCOMPARE(plan.timelines[n].cluster, int(n));
                    for (const TimelineEvent &e : plan.timelines[n].events) {
                        QCOMPARE(e.cluster, int(n)); // the trainer reads cluster n's own list
                        QVERIFY2(i < record.events.size(), "record has fewer events");
                        const TimelineEvent &r = record.events[i++];
                        QVERIFY2(describe(e) == describe(r),
                            qPrintable(describe(e) + QStringLiteral(" vs ") + describe(r)));
                    }
                }
                QCOMPARE(i, record.events.size());
            });
    }

    void costIsEvaluatedOnceAndEqualsEvaluateRound_data() { policies_data(); }
    void costIsEvaluatedOnceAndEqualsEvaluateRound()
    {
        QFETCH(QString, policy);
        eachRound(policy, 3,
            [](const Scenario &s, const ChannelState &channel, const RoundPlan &plan,
                const RoundRecord &record) {
                const RoundCost direct = evaluateRound(s, channel, plan.decision);
                QCOMPARE(plan.cost.systemLatencyS, direct.systemLatencyS);
                QCOMPARE(plan.cost.energyJ, direct.energyJ);
                QCOMPARE(plan.cost.slowestCluster, direct.slowestCluster);
                QCOMPARE(plan.cost.clusters.size(), direct.clusters.size());
                for (std::size_t n = 0; n < direct.clusters.size(); ++n) {
                    QCOMPARE(plan.cost.clusters[n].latencyS, direct.clusters[n].latencyS);
                    QCOMPARE(plan.cost.clusters[n].makespanS, direct.clusters[n].makespanS);
                    // The timeline was timed from the same cost (no second evaluation).
                    QCOMPARE(plan.timelines[n].iterationS, plan.cost.clusters[n].makespanS);
                }
                QCOMPARE(record.latencyS, plan.cost.systemLatencyS);
                // Without timelines (cost-only rounds, no events) the same numbers.
                const RoundPlan bare = buildRoundPlan(s, channel, plan.decision, false);
                QVERIFY(!bare.hasTimelines());
                QCOMPARE(bare.cost.systemLatencyS, plan.cost.systemLatencyS);
                QCOMPARE(bare.edgeCut, plan.edgeCut);
            });
    }

    void edgeCutIsDerivedOnce_data() { policies_data(); }
    void edgeCutIsDerivedOnce()
    {
        QFETCH(QString, policy);
        int edgeTails = 0;
        eachRound(policy, 3,
            [&edgeTails](const Scenario &s, const ChannelState &, const RoundPlan &plan,
                const RoundRecord &record) {
                QCOMPARE(plan.edgeCut.size(), plan.decision.clusters.size());
                for (std::size_t n = 0; n < plan.edgeCut.size(); ++n) {
                    const ClusterDecision &d = plan.decision.clusters[n];
                    QCOMPARE(plan.edgeCut[n], edgeTailCut(d));
                    if (d.mode != ClusterDecision::Mode::EdgeTail) {
                        QCOMPARE(plan.edgeCut[n], -1);
                        QCOMPARE(record.clusters[n].edgeFirstBlock, -1);
                        continue;
                    }
                    ++edgeTails;
                    const int L = s.model.encoderBlocks;
                    // The cost model's device share and the record's edge blocks agree.
                    QCOMPARE(deviceHeldBlocks(s, &d), plan.edgeCut[n]);
                    QCOMPARE(record.clusters[n].edgeFirstBlock,
                        plan.edgeCut[n] <= L - 1 ? plan.edgeCut[n] : -1);
                }
            });
        if (policy == QLatin1String("sl")) {
            QVERIFY2(edgeTails > 0, "sl must give edge-tail clusters");
        }
    }
};

QTEST_GUILESS_MAIN(TestRoundPlan)
#include "tst_round_plan.moc"
