// SPDX-License-Identifier: MIT
// The `uniform` and `proportional` policies and the factory (issue [2/6]; spec §8 items 3–4).
#include "core/cost/cluster_cost.h"
#include "core/optimizer/policy.h"
#include "core/optimizer/proportional_policy.h"
#include "core/optimizer/uniform_policy.h"
#include "make_scenario.h"

#include <QTest>

#include <numeric>

using namespace collapipe;
using namespace collapipe::test;

class TstStaticPolicies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void equalCounts_data()
    {
        QTest::addColumn<int>("blocks");
        QTest::addColumn<int>("devices");
        QTest::addColumn<std::vector<int>>("expected");
        QTest::newRow("12/4") << 12 << 4 << std::vector<int>{3, 3, 3, 3};
        QTest::newRow("12/5") << 12 << 5 << std::vector<int>{3, 3, 2, 2, 2};
        QTest::newRow("3/5") << 3 << 5 << std::vector<int>{1, 1, 1, 0, 0};
    }
    void equalCounts()
    {
        QFETCH(int, blocks);
        QFETCH(int, devices);
        QFETCH(std::vector<int>, expected);
        QCOMPARE(equalBlockCounts(blocks, devices), expected);
    }

    void proportionalCounts_data()
    {
        QTest::addColumn<int>("blocks");
        QTest::addColumn<std::vector<double>>("weights");
        QTest::addColumn<std::vector<int>>("expected");
        // 12·(1,2,3)/6 = (2,4,6) exactly.
        QTest::newRow("exact") << 12 << std::vector<double>{1, 2, 3} << std::vector<int>{2, 4, 6};
        // 12·(0.3,0.8,2,5)/8.1 = (0.44, 1.19, 2.96, 7.41): floors (0,1,2,7) = 10, the two largest
        // remainders (0.96, 0.44) get one more → (1,1,3,7).
        QTest::newRow("phones") << 12 << std::vector<double>{0.3, 0.8, 2, 5}
                                << std::vector<int>{1, 1, 3, 7};
        // A tiny device rounds to 0 blocks.
        QTest::newRow("tiny") << 6 << std::vector<double>{0.01, 1, 1} << std::vector<int>{0, 3, 3};
        // Ties go to the lower index: 4·(1,1,1)/3 = 1.33 each → (2,1,1).
        QTest::newRow("ties") << 4 << std::vector<double>{1, 1, 1} << std::vector<int>{2, 1, 1};
    }
    void proportionalCounts()
    {
        QFETCH(int, blocks);
        QFETCH(std::vector<double>, weights);
        QFETCH(std::vector<int>, expected);
        const std::vector<int> got = proportionalBlockCounts(blocks, weights);
        QCOMPARE(got, expected);
        QCOMPARE(std::accumulate(got.begin(), got.end(), 0), blocks);
    }

    void decisionsAreComplete_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::newRow("uniform") << QStringLiteral("uniform");
        QTest::newRow("proportional") << QStringLiteral("proportional");
    }
    void decisionsAreComplete()
    {
        QFETCH(QString, policy);
        Scenario s = lineScenario(5);
        const double flops[] = {0.3e12, 0.8e12, 2e12, 5e12, 1e12};
        for (int k = 0; k < 5; ++k) {
            s.topology.clusters[0].devices[k].computeFlops = flops[k];
            s.topology.clusters[0].devices[k].maxPowerW = 0.1 + 0.01 * k;
        }
        s.optimizer.maxMicrobatches = 16;
        s.optimizer.microbatchMode = MicrobatchMode::Split;
        s.training.batchSize = 30;
        const ChannelState ch = ChannelModel(s.topology, 2).stateForRound(0);
        QString error;
        std::unique_ptr<Policy> p = makePolicy(policy, &error);
        QVERIFY2(p, qPrintable(error));
        QCOMPARE(p->name(), policy);
        PolicyState state;
        state.scenario = &s;
        state.channel = &ch;
        Decision d;
        QVERIFY2(p->decide(state, &d, &error), qPrintable(error));
        QCOMPARE(int(d.clusters.size()), 1);
        const ClusterDecision &c = d.clusters[0];
        QCOMPARE(c.microbatches, 4);   // min(M_max, 4)
        QCOMPARE(c.microbatchSize, 8); // split: ceil(30 / 4)
        QCOMPARE(c.schedule, s.optimizer.schedule);
        int next = 0;
        double shares = c.controlUnitShare;
        for (const StageDecision &st : c.stages) {
            QCOMPARE(st.firstBlock, next);
            next = st.lastBlock + 1;
            QCOMPARE(st.powerW, s.topology.clusters[0].devices[st.device].maxPowerW);
            shares += st.bandwidthShare;
        }
        QCOMPARE(next, 12);
        QVERIFY(std::abs(shares - 1.0) < 1e-12);
        QCOMPARE(c.stages.back().bandwidthShare, 0.0); // the last hop is D2E
        if (policy == QLatin1String("proportional")) {
            // 12·(0.3, 0.8, 2, 5, 1)/9.1 = (0.40, 1.05, 2.64, 6.59, 1.32) → (0, 1, 3, 7, 1):
            // the 0.3 TFLOP/s device is left out.
            QCOMPARE(int(c.stages.size()), 4);
            QCOMPARE(c.stages[0].device, 1);
            QCOMPARE(c.stages[2].device, 3);
            QCOMPARE(c.stages[2].blockCount(), 7);
        } else {
            QCOMPARE(c.stages[0].blockCount(), 3);
            QCOMPARE(c.stages[4].blockCount(), 2);
        }
    }

    void infeasibleNamesDevicesAndBytes()
    {
        Scenario s = lineScenario(3);
        s.topology.clusters[0].devices[1].memoryBytes = 5e6;
        const ChannelState ch = ChannelModel(s.topology, 2).stateForRound(0);
        // uniform and proportional must give d1 blocks; the policies registered since (dssda
        // and its variants, fl, sl, oracle) may leave it out and are tested in tests/optimizer.
        for (const QString &name : {QStringLiteral("uniform"), QStringLiteral("proportional")}) {
            std::unique_ptr<Policy> p = makePolicy(name, nullptr);
            PolicyState state;
            state.scenario = &s;
            state.channel = &ch;
            Decision d;
            QString error;
            QVERIFY2(!p->decide(state, &d, &error), qPrintable(name));
            QVERIFY2(error.contains(QLatin1String("infeasible")), qPrintable(error));
            QVERIFY2(error.contains(QLatin1String("device d1 needs")), qPrintable(error));
            QVERIFY2(error.contains(QLatin1String("> 5000000 B available")), qPrintable(error));
            QVERIFY2(!error.contains(QLatin1String("device d0")), qPrintable(error));
        }
    }

    void factoryRejectsUnknownNames()
    {
        QString error;
        QVERIFY(!makePolicy(QStringLiteral("magic"), &error));
        QVERIFY(error.contains(QLatin1String("unknown policy 'magic'")));
        QVERIFY(error.contains(QLatin1String("uniform")));
        QVERIFY(policyNames().contains(QLatin1String("proportional")));
    }
};

QTEST_GUILESS_MAIN(TstStaticPolicies)
#include "tst_static_policies.moc"
