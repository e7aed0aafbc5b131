// SPDX-License-Identifier: MIT
// VirtualQueues against hand-computed updates (spec §5: Q(t+1) = max(Q + E − Ē, 0)).
#include "core/optimizer/virtual_queues.h"

#include <QTest>

using namespace collapipe;

namespace {

Scenario twoDevices(double budget0, double budget1)
{
    Scenario s;
    Cluster c;
    c.id = QStringLiteral("c1");
    Device a;
    a.id = QStringLiteral("a");
    a.energyBudgetJ = budget0;
    Device b = a;
    b.id = QStringLiteral("b");
    b.energyBudgetJ = budget1;
    c.devices = {a, b};
    s.topology.clusters.push_back(c);
    s.training.batchSize = 16;
    return s;
}

} // namespace

class TestVirtualQueues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void update_data()
    {
        QTest::addColumn<QList<double>>("energies"); // per round, device a then b
        QTest::addColumn<double>("expectA");
        QTest::addColumn<double>("expectB");
        QTest::addColumn<double>("expectDriftLast");
        // Budgets a = 1 J, b = 2 J.
        QTest::newRow("under budget stays at zero") << QList<double>{0.5, 1.0} << 0.0 << 0.0 << 0.0;
        QTest::newRow("over budget accumulates")
            << QList<double>{1.5, 2.0, 1.5, 3.0} << 1.0 << 1.0 << 0.5 * 0.5 + 0.0 * 1.0;
        QTest::newRow("drains but not below zero")
            << QList<double>{3.0, 2.0, 0.0, 2.0, 0.0, 1.0} << 0.0 << 0.0 << 1.0 * (0.0 - 1.0);
    }

    void update()
    {
        QFETCH(QList<double>, energies);
        QFETCH(double, expectA);
        QFETCH(double, expectB);
        QFETCH(double, expectDriftLast);
        const Scenario s = twoDevices(1.0, 2.0);
        VirtualQueues q(s);
        double drift = 0.0;
        for (int i = 0; i + 1 < energies.size(); i += 2) {
            const std::vector<std::vector<double>> e{{energies[i], energies[i + 1]}};
            drift = q.driftTerm(s, e, {});
            q.update(s, e, {});
        }
        QCOMPARE(q.energyQueue(0, 0), expectA);
        QCOMPARE(q.energyQueue(0, 1), expectB);
        QCOMPARE(drift, expectDriftLast);
        QCOMPARE(q.totalEnergyBacklog(), expectA + expectB);
        QCOMPARE(q.rounds(), int(energies.size() / 2));
    }

    void budgetsOffKeepsZero()
    {
        Scenario s = twoDevices(1.0, 1.0);
        s.optimizer.energyBudgets = false;
        VirtualQueues q(s);
        q.update(s, {{5.0, 5.0}}, {});
        QCOMPARE(q.energyQueue(0, 0), 0.0);
    }

    void convergenceQueue()
    {
        Scenario s = twoDevices(1.0, 1.0);
        QCOMPARE(VirtualQueues::convergencePenalty(s, 2, 4), 0.0); // λ = 0 disables it
        s.optimizer.convergenceWeight = 16.0;
        // Φ = λ/(M·b) = 16/8 = 2, Φ̄ = λ/B = 1: Z grows by 1 per round at 8 samples.
        const double phi = VirtualQueues::convergencePenalty(s, 2, 4);
        QCOMPARE(phi, 2.0);
        QCOMPARE(VirtualQueues::convergenceTarget(s), 1.0);
        VirtualQueues q(s);
        q.update(s, {{0.0, 0.0}}, {phi});
        q.update(s, {{0.0, 0.0}}, {phi});
        QCOMPARE(q.convergenceQueue(0), 2.0);
        q.update(s, {{0.0, 0.0}}, {VirtualQueues::convergencePenalty(s, 4, 8)}); // Φ = 0.5
        QCOMPARE(q.convergenceQueue(0), 1.5);
    }

    void resizesToTopology()
    {
        Scenario s = twoDevices(1.0, 1.0);
        VirtualQueues q;
        q.update(s, {{2.0, 0.0}}, {});
        QCOMPARE(q.energy().size(), std::size_t(1));
        QCOMPARE(q.energy()[0].size(), std::size_t(2));
        QCOMPARE(q.energyQueue(0, 0), 1.0);
        QCOMPARE(q.energyQueue(3, 7), 0.0); // out of range reads as zero, never crashes
    }
};

QTEST_GUILESS_MAIN(TestVirtualQueues)
#include "tst_virtual_queues.moc"
