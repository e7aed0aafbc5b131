// SPDX-License-Identifier: MIT
// Issue [2/7] item 9: when a cluster has no feasible decision, the message names the constraint
// that binds (a link, a compute speed, memory) and the node, never memory by default. Each case
// makes classroom.json infeasible by one cause; the struct is edited directly (bypassing the
// field ranges where a cause is not reachable from a valid file: zero power, zero compute).
#include "bundled_scenario.h"
#include "core/channel/channel_model.h"
#include "core/optimizer/policy.h"

#include <QTest>

#include <functional>

using namespace collapipe;

namespace {

QString dssdaError(const Scenario &s)
{
    ChannelModel channels(s.topology, s.training.seed);
    const ChannelState ch = channels.stateForRound(0);
    PolicyState state;
    state.scenario = &s;
    state.channel = &ch;
    QString error;
    auto policy = makePolicy(QStringLiteral("dssda"), &error);
    if (!policy) {
        return QStringLiteral("no policy: ") + error;
    }
    Decision d;
    return policy->decide(state, &d, &error) ? QStringLiteral("feasible") : error;
}

} // namespace

class TestInfeasibleMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesTheBindingConstraint_data()
    {
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QStringList>("needles");
        QTest::addColumn<QStringList>("absent");
        QTest::newRow("memory") << QStringLiteral("memory")
                                << QStringList{QStringLiteral("memory: the devices hold 0 of"),
                                       QStringLiteral("holds 0 block(s) (one needs"),
                                       QStringLiteral("1e+06 B available")}
                                << QStringList{QStringLiteral("cannot reach")};
        QTest::newRow("device power")
            << QStringLiteral("power")
            << QStringList{QStringLiteral("no device can reach the edge"),
                   QStringLiteral("uplink: rate 0 bit/s"), QStringLiteral("at 0 W")}
            << QStringList{QStringLiteral("memory")};
        QTest::newRow("path loss to the edge")
            << QStringLiteral("pathloss")
            << QStringList{QStringLiteral("no device can reach the edge"),
                   QStringLiteral("rate 0 bit/s at distance")}
            << QStringList{QStringLiteral("memory")};
        QTest::newRow("control unit without power")
            << QStringLiteral("cu")
            << QStringList{QStringLiteral("control unit"),
                   QStringLiteral("cannot reach edge server"),
                   QStringLiteral("rate 0 bit/s at distance"), QStringLiteral("at 0 W")}
            << QStringList{QStringLiteral("memory")};
        QTest::newRow("compute") << QStringLiteral("compute")
                                 << QStringList{QStringLiteral("no device can compute"),
                                        QStringLiteral("at 0 FLOP/s")}
                                 << QStringList{QStringLiteral("memory")};
    }

    void namesTheBindingConstraint()
    {
        QFETCH(QString, cause);
        QFETCH(QStringList, needles);
        QFETCH(QStringList, absent);
        Scenario s = testing::loadBundled(QStringLiteral("classroom.json"));
        QVERIFY(dssdaError(s) == QStringLiteral("feasible"));
        Topology &t = s.topology;
        const bool steepD2e = cause == QLatin1String("pathloss");
        if (steepD2e) {
            t.d2e.pathLoss = PathLossModel::LogDistance;
            t.d2e.pathLossExponent = 6.0;
            t.d2e.referenceLossDb = 120.0;
        }
        for (Cluster &c : t.clusters) {
            if (cause == QLatin1String("pathloss")) {
                c.controlUnit.position = t.edgeServers[0].position;
            } else if (cause == QLatin1String("cu")) {
                // Far away alone is not enough: the upload is charged at the ergodic rate, tiny
                // but positive; a silent control unit has none.
                c.controlUnit.maxPowerW = 0.0;
            }
            for (Device &d : c.devices) {
                if (cause == QLatin1String("memory")) {
                    d.memoryBytes = 1e6;
                } else if (cause == QLatin1String("power")) {
                    d.maxPowerW = 0.0;
                } else if (cause == QLatin1String("pathloss")) {
                    d.position.xM += 7e4;
                    d.position.yM += 7e4;
                } else if (cause == QLatin1String("compute")) {
                    d.computeFlops = 0.0;
                }
            }
        }
        const QString error = dssdaError(s);
        QVERIFY2(error.startsWith(QStringLiteral("infeasible: cluster ")), qPrintable(error));
        for (const QString &needle : needles) {
            QVERIFY2(error.contains(needle), qPrintable(needle + QStringLiteral(" | ") + error));
        }
        for (const QString &word : absent) {
            QVERIFY2(!error.contains(word), qPrintable(word + QStringLiteral(" | ") + error));
        }
        // The node is named: the first device for device causes, the control unit otherwise.
        const Cluster &c = t.clusters[0];
        const QString node = cause == QLatin1String("cu") ? c.controlUnit.id : c.devices[0].id;
        QVERIFY2(error.contains(node), qPrintable(error));
    }
};

QTEST_APPLESS_MAIN(TestInfeasibleMessage)
#include "tst_infeasible_message.moc"
