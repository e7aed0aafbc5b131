// SPDX-License-Identifier: MIT
// Mobility (issue [6/7], core/MODEL.md "Mobility"): a waypoint path against hand-computed
// positions, the random models reproducible from their seed (and different for another seed or
// node), inside their area, and the channel model's distances and rates following a node that
// walks away.
#include "core/channel/channel_model.h"
#include "core/channel/node_mobility.h"

#include <QTest>

#include <cmath>
#include <cstring>

using namespace collapipe;

namespace {

bool sameBits(const Position &a, const Position &b)
{
    return std::memcmp(&a.xM, &b.xM, sizeof a.xM) == 0
        && std::memcmp(&a.yM, &b.yM, sizeof a.yM) == 0;
}

QString text(const Position &p)
{
    return QStringLiteral("(%1, %2)").arg(p.xM, 0, 'g', 17).arg(p.yM, 0, 'g', 17);
}

Mobility waypointPath(bool loop)
{
    // From the start (0, 0): 30 m east, 40 m north, and with loop 50 m back (a 3-4-5 triangle).
    Mobility m;
    m.model = MobilityModel::Waypoints;
    m.waypoints = {{30.0, 0.0}, {30.0, 40.0}};
    m.speedMps = 2.0;
    m.loop = loop;
    return m;
}

Mobility randomModel(MobilityModel model, std::uint64_t seed)
{
    Mobility m;
    m.model = model;
    m.seed = seed;
    m.minSpeedMps = 1.0;
    m.maxSpeedMps = 3.0;
    m.pauseS = 2.0;
    m.areaWidthM = 60.0;
    m.areaHeightM = 40.0;
    m.meanSpeedMps = 2.0;
    m.speedStdMps = 0.8;
    m.alpha = 0.6;
    m.stepS = 0.5;
    return m;
}

std::vector<Position> sampled(const Mobility &m, const QString &id, int samples, double dt)
{
    NodeTrack track(m, {100.0, -50.0}, id);
    std::vector<Position> out;
    for (int i = 0; i < samples; ++i) {
        out.push_back(track.at(i * dt));
    }
    return out;
}

} // namespace

class TstNodeMobility : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void waypointPathHandComputed_data()
    {
        QTest::addColumn<bool>("loop");
        QTest::addColumn<double>("t");
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("y");
        // 2 m/s: s = 2t metres along 0→(30,0)→(30,40)[→(0,0)]; the loop is 120 m long.
        QTest::newRow("start") << false << 0.0 << 0.0 << 0.0;
        QTest::newRow("first leg") << false << 5.0 << 10.0 << 0.0;
        QTest::newRow("corner") << false << 15.0 << 30.0 << 0.0;
        QTest::newRow("second leg") << false << 20.0 << 30.0 << 10.0;
        QTest::newRow("end, no loop") << false << 35.0 << 30.0 << 40.0;
        QTest::newRow("long after, no loop") << false << 100.0 << 30.0 << 40.0;
        // s = 80: 10 m down the closing segment (30,40)→(0,0): (30−6, 40−8).
        QTest::newRow("closing leg") << true << 40.0 << 24.0 << 32.0;
        // s = 200 ≡ 80 (mod 120): the same point one lap later.
        QTest::newRow("second lap") << true << 100.0 << 24.0 << 32.0;
        QTest::newRow("back at start") << true << 60.0 << 0.0 << 0.0;
    }

    void waypointPathHandComputed()
    {
        QFETCH(bool, loop);
        QFETCH(double, t);
        QFETCH(double, x);
        QFETCH(double, y);
        const Position p = nodePositionAt(waypointPath(loop), {0.0, 0.0}, QStringLiteral("d"), t);
        QVERIFY2(std::abs(p.xM - x) < 1e-9 && std::abs(p.yM - y) < 1e-9,
            qPrintable(QStringLiteral("t = %1: got %2, expected (%3, %4)")
                           .arg(t)
                           .arg(text(p))
                           .arg(x)
                           .arg(y)));
    }

    void randomModelsReproducibleFromSeed_data()
    {
        QTest::addColumn<int>("model");
        QTest::newRow("random_waypoint") << int(MobilityModel::RandomWaypoint);
        QTest::newRow("gauss_markov") << int(MobilityModel::GaussMarkov);
    }

    void randomModelsReproducibleFromSeed()
    {
        QFETCH(int, model);
        const auto kind = MobilityModel(model);
        const QString id = QStringLiteral("c1-d2");
        const std::vector<Position> a = sampled(randomModel(kind, 7), id, 400, 0.7);
        const std::vector<Position> b = sampled(randomModel(kind, 7), id, 400, 0.7);
        const std::vector<Position> otherSeed = sampled(randomModel(kind, 8), id, 400, 0.7);
        const std::vector<Position> otherNode
            = sampled(randomModel(kind, 7), QStringLiteral("c1-d3"), 400, 0.7);
        int differentSeed = 0;
        int differentNode = 0;
        int moved = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            QVERIFY2(sameBits(a[i], b[i]),
                qPrintable(
                    QStringLiteral("sample %1: %2 vs %3").arg(i).arg(text(a[i]), text(b[i]))));
            differentSeed += sameBits(a[i], otherSeed[i]) ? 0 : 1;
            differentNode += sameBits(a[i], otherNode[i]) ? 0 : 1;
            moved += sameBits(a[i], a[0]) ? 0 : 1;
            // The area: 60 m × 40 m centred on the start (100, −50).
            QVERIFY2(a[i].xM >= 70.0 && a[i].xM <= 130.0 && a[i].yM >= -70.0 && a[i].yM <= -30.0,
                qPrintable(QStringLiteral("sample %1 left the area: %2").arg(i).arg(text(a[i]))));
        }
        QVERIFY2(differentSeed > 390, qPrintable(QString::number(differentSeed)));
        QVERIFY2(differentNode > 390, qPrintable(QString::number(differentNode)));
        QVERIFY2(moved > 390, qPrintable(QString::number(moved)));
        // Any query order gives the same numbers: a fresh track asked at one time, and a used
        // track asked at an earlier time (it restarts from 0).
        NodeTrack used(randomModel(kind, 7), {100.0, -50.0}, id);
        used.at(399 * 0.7);
        for (int i : {250, 3, 120}) {
            QVERIFY(sameBits(used.at(i * 0.7), a[std::size_t(i)]));
            QVERIFY(sameBits(nodePositionAt(randomModel(kind, 7), {100.0, -50.0}, id, i * 0.7),
                a[std::size_t(i)]));
        }
    }

    void gaussMarkovWithFullMemoryKeepsItsVelocity()
    {
        // α = 1: v(n+1) = v(n), no noise: a straight line at the mean speed until the first wall.
        Mobility m = randomModel(MobilityModel::GaussMarkov, 3);
        m.alpha = 1.0;
        m.areaWidthM = 1000.0;
        m.areaHeightM = 1000.0;
        for (double t : {0.5, 3.0, 10.25}) {
            const Position p = nodePositionAt(m, {0.0, 0.0}, QStringLiteral("n"), t);
            QVERIFY2(std::abs(std::hypot(p.xM, p.yM) - m.meanSpeedMps * t) < 1e-9,
                qPrintable(QStringLiteral("t = %1: %2").arg(t).arg(text(p))));
        }
    }

    void staticNodeNeverMoves()
    {
        Mobility none;
        QVERIFY(sameBits(nodePositionAt(none, {3.0, 4.0}, QStringLiteral("x"), 1e4), {3.0, 4.0}));
    }

    void channelFollowsTheMovingDevice()
    {
        // One device walks from 20 m to 220 m east of its control unit, straight away from the
        // edge server (west): every distance grows, so every path-loss gain and rate falls.
        Topology t;
        EdgeServer es;
        es.id = QStringLiteral("es");
        es.position = {-300.0, 0.0};
        t.edgeServers.push_back(es);
        Cluster c;
        c.id = QStringLiteral("c");
        c.edgeServerId = es.id;
        c.controlUnit.id = QStringLiteral("cu");
        Device walker;
        walker.id = QStringLiteral("walker");
        walker.position = {20.0, 0.0};
        walker.mobility.model = MobilityModel::Waypoints;
        walker.mobility.waypoints = {{220.0, 0.0}};
        walker.mobility.speedMps = 2.0;
        Device still;
        still.id = QStringLiteral("still");
        still.position = {0.0, 10.0};
        c.devices = {walker, still};
        t.clusters.push_back(c);
        t.d2d.fading = FadingModel::None;
        t.d2e.fading = FadingModel::None;
        ChannelModel model(t, 1);
        QVERIFY(model.hasMobility());
        const int cu = 2;
        double lastRate = 0.0;
        for (int round = 0; round <= 4; ++round) {
            const double timeS = 25.0 * round; // 50 m further each round
            const ClusterChannel ch = model.stateForRound(round, timeS).clusters[0];
            QCOMPARE(ch.positions.size(), std::size_t(3));
            QCOMPARE(ch.positions[0].xM, 20.0 + 2.0 * timeS);
            QCOMPARE(ch.distance(0, cu), 20.0 + 2.0 * timeS);
            QCOMPARE(ch.distance(cu, 0), ch.distance(0, cu));
            QCOMPARE(ch.d2eDistanceM[0], 320.0 + 2.0 * timeS);
            QCOMPARE(ch.gain(0, cu), gainFromLossDb(pathLossDb(t.d2d, 20.0 + 2.0 * timeS)));
            // The static nodes' link is the same every round.
            QCOMPARE(ch.distance(1, cu), 10.0);
            const double rate = shannonRateBps(
                t.d2d.bandwidthHz, walker.maxPowerW, ch.gain(0, cu), t.d2d.noisePsdDbmPerHz);
            if (round > 0) {
                QVERIFY2(rate < lastRate,
                    qPrintable(QStringLiteral("round %1: %2 bit/s, before %3")
                                   .arg(round)
                                   .arg(rate)
                                   .arg(lastRate)));
            }
            lastRate = rate;
        }
    }

    void withoutMobilityTimeChangesNothing()
    {
        Topology t;
        EdgeServer es;
        es.id = QStringLiteral("es");
        t.edgeServers.push_back(es);
        Cluster c;
        c.id = QStringLiteral("c");
        c.edgeServerId = es.id;
        Device d;
        d.id = QStringLiteral("d");
        d.position = {40.0, 30.0};
        c.devices = {d};
        t.clusters.push_back(c);
        ChannelModel model(t, 5);
        QVERIFY(!model.hasMobility());
        const ClusterChannel a = model.stateForRound(3, 0.0).clusters[0];
        const ClusterChannel b = model.stateForRound(3, 1e5).clusters[0];
        QCOMPARE(a.d2dGain, b.d2dGain);
        QCOMPARE(a.d2eGain, b.d2eGain);
        QCOMPARE(a.d2eDistanceM[0], 50.0);
    }
};

QTEST_GUILESS_MAIN(TstNodeMobility)
#include "tst_node_mobility.moc"
