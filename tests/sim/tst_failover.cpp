// SPDX-License-Identifier: MIT
// The fail-over rule (optimizer.failover, core/optimizer/DSSDA.md "Fail-over"; issue [6/7]): a
// mid-round dropout makes DSSDA repair the aborted plan (the survivors' order and M kept,
// segments, bandwidth and power re-solved) or, under `replan`, plan the cluster anew; the model
// stays consistent and the policy falls back to the full solve when nothing can be kept.
#include "churn_fixtures.h"
#include "core/optimizer/dssda_policy.h"

#include <QTest>

#include <algorithm>

using namespace collapipe;
using namespace collapipe::testing::churn;

class TestFailover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dssdaFailOverRepairsTheAbortedPlan()
    {
        // DSSDA's fail-over rule (optimizer.failover = repair, DSSDA.md "Fail-over"): a stage
        // device leaves halfway through round 0; the plan keeps the round's M and the survivors'
        // order, is feasible on the devices left, and the lost and recovery time come on top of
        // its latency. Under `replan` the fail-over plans the cluster as if the device had been
        // away from the start.
        // The device-only pipeline of 6 blocks, each device able to hold 2: 3 of the 4 devices
        // carry a plan, so after the dropout all 3 left must.
        Scenario calm = tiny(false, 1, QStringLiteral("dssda"));
        calm.optimizer.edgeOffload = false;
        calm.model.encoderBlocks = 6;
        blocksEach(&calm, 2);
        const Run c = run(calm, 1);
        const ClusterDecision &before = c.plans[0].decision.clusters[0];
        QCOMPARE(before.stages.size(), std::size_t(3));
        const int gone = before.stages[1].device; // a middle of the pipeline
        const double planned = c.records[0].clusters[0].latencyS;
        Scenario dropping = calm;
        setTrace(&dropping.topology.clusters[0].devices[std::size_t(gone)], {{planned / 2, false}});
        QCOMPARE(dropping.optimizer.failover, FailoverRule::Repair); // the default
        const Run d = run(dropping, 1);
        const ClusterRound &cr = d.records[0].clusters[0];
        const ClusterDecision &after = d.plans[0].decision.clusters[0];
        QCOMPARE(cr.dropouts, 1);
        QVERIFY(near(cr.lostS, planned / 2));
        QVERIFY(cr.recoveryS > 0.0);
        QVERIFY(!usesDevice(after, gone));
        QCOMPARE(after.microbatches, before.microbatches);
        // The survivors in their order; the devices the plan had left out only in the dropped
        // device's place (rank = its stage's index), between the survivors before and after it.
        auto rank = [&](int device) {
            for (std::size_t j = 0; j < before.stages.size(); ++j) {
                if (before.stages[j].device == device) {
                    return int(j);
                }
            }
            return 1; // a newcomer: where stage 1, `gone`, was
        };
        int last = -1;
        QString order;
        for (const StageDecision &st : after.stages) {
            order += QStringLiteral(" d%1").arg(st.device);
            QVERIFY2(rank(st.device) >= last, qPrintable(QStringLiteral("order%1").arg(order)));
            last = rank(st.device);
        }
        QVERIFY2(after.stages.size() == 3 && rank(after.stages[1].device) == 1,
            qPrintable(QStringLiteral("3 devices are left, so all carry the plan:%1").arg(order)));
        // Feasible: every block on one stage in order, memory fits, and the cluster's latency is
        // the lost time, the recovery and the repaired plan's own latency.
        int block = 0;
        for (const StageDecision &st : after.stages) {
            QCOMPARE(st.firstBlock, block);
            block = st.lastBlock + 1;
        }
        QCOMPARE(block, calm.model.encoderBlocks);
        QVERIFY(d.plans[0].cost.clusters[0].memoryFits);
        ChannelModel channels(calm.topology, calm.training.seed);
        const ChannelState channel = channels.stateForRound(0);
        const double own = evaluateCluster(calm, 0, channel.clusters[0], after).latencyS;
        QVERIFY2(near(cr.latencyS, planned / 2 + cr.recoveryS + own),
            qPrintable(QStringLiteral("%1 vs %2 + %3 + %4")
                           .arg(cr.latencyS)
                           .arg(planned / 2)
                           .arg(cr.recoveryS)
                           .arg(own)));
        // `replan`: the plan over the devices left, as when the device is away from the start.
        Scenario replanning = dropping;
        replanning.optimizer.failover = FailoverRule::Replan;
        Scenario absent = calm;
        setTrace(&absent.topology.clusters[0].devices[std::size_t(gone)], {{0.0, false}});
        const Run r = run(replanning, 1);
        QCOMPARE(r.records[0].clusters[0].dropouts, 1);
        QVERIFY(sameDecision(
            r.plans[0].decision.clusters[0], run(absent, 1).plans[0].decision.clusters[0]));
    }

    void dssdaRepairKeepsModelStateConsistent()
    {
        // Trained, the repaired round leaves the model where a round that runs the repaired plan
        // from the start (the device away) leaves it: the aborted attempt trains nothing, the
        // repaired plan's update is applied once.
        const Scenario calm = tiny(false, 1, QStringLiteral("dssda"));
        const Run c = run(calm, 1);
        const int gone = c.plans[0].decision.clusters[0].stages.back().device;
        const double planned = c.records[0].clusters[0].latencyS;
        Scenario dropping = tiny(true, 1, QStringLiteral("dssda"));
        setTrace(&dropping.topology.clusters[0].devices[std::size_t(gone)], {{planned / 2, false}});
        const Run d = run(dropping, 1);
        QCOMPARE(d.records[0].clusters[0].dropouts, 1);
        Scenario absent = tiny(true, 1, QStringLiteral("dssda"));
        setTrace(&absent.topology.clusters[0].devices[std::size_t(gone)], {{0.0, false}});
        FixedPlanPolicy repaired(absent, d.plans[0].decision.clusters[0]);
        const Run a = runWith(absent, &repaired, 1);
        QCOMPARE(a.records[0].clusters[0].dropouts, 0);
        QVERIFY(sameDecision(a.plans[0].decision.clusters[0], d.plans[0].decision.clusters[0]));
        QVERIFY(d.parameters[1] != d.parameters[0]);
        QVERIFY(d.parameters[1] == a.parameters[1]);
        QCOMPARE(d.records[0].loss, a.records[0].loss);
    }

    void dssdaRepairFallsBackToTheFullSolve()
    {
        // The policy repairs what it is handed (PolicyState::aborted) only under `repair`, and
        // solves in full when nothing can be kept: fl's mode, an M that is no candidate.
        const Scenario s = tiny(false, 1, QStringLiteral("dssda"));
        ChannelModel channels(s.topology, s.training.seed);
        const ChannelState channel = channels.stateForRound(0);
        DssdaPolicy policy;
        PolicyState state;
        state.scenario = &s;
        state.channel = &channel;
        Decision full;
        QString error;
        QVERIFY2(policy.decide(state, &full, &error), qPrintable(error));
        auto decideWith = [&](const Scenario &scenario, const Decision &aborted, bool *repaired) {
            PolicyState failing = state;
            failing.scenario = &scenario;
            failing.aborted = &aborted;
            Decision out;
            if (!policy.decide(failing, &out, &error)) {
                qFatal("%s", qPrintable(error));
            }
            *repaired = policy.lastRepaired()[0];
            return out;
        };
        bool repaired = false;
        const Decision kept = decideWith(s, full, &repaired);
        QVERIFY(repaired);
        QCOMPARE(kept.clusters[0].microbatches, full.clusters[0].microbatches);
        Scenario replan = s;
        replan.optimizer.failover = FailoverRule::Replan;
        QVERIFY(sameDecision(decideWith(replan, full, &repaired).clusters[0], full.clusters[0]));
        QVERIFY(!repaired);
        Decision federated = full;
        federated.clusters[0].mode = ClusterDecision::Mode::FederatedFull;
        QVERIFY(sameDecision(decideWith(s, federated, &repaired).clusters[0], full.clusters[0]));
        QVERIFY(!repaired);
        Decision noCandidate = full;
        noCandidate.clusters[0].microbatches = 1000; // above M_max
        QVERIFY(sameDecision(decideWith(s, noCandidate, &repaired).clusters[0], full.clusters[0]));
        QVERIFY(!repaired);
    }
};

QTEST_GUILESS_MAIN(TestFailover)
#include "tst_failover.moc"
