// SPDX-License-Identifier: MIT
// Mobility (issue [6/7], core/MODEL.md "Mobility"): a waypoint path against hand-computed
// positions, the random models reproducible from their seed (and different for another seed or
// node), inside their area, and the channel model's distances and rates following a node that
// walks away.
#include "core/channel/channel_model.h"
#include "core/channel/node_mobility.h"
#include "core/channel/random_draws.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

using namespace collapipe;

namespace {

bool sameBits(const Position &a, const Position &b)
{
    return std::memcmp(&a.xM, &b.xM, sizeof a.xM) == 0
        && std::memcmp(&a.yM, &b.yM, sizeof a.yM) == 0;
}

bool sameValue(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
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

/// The Gauss–Markov walk as first written (before the step loop was tuned): one step at a time,
/// the four quarters of each normal added as doubles, the constants recomputed every step. The
/// tuned NodeTrack must give the same bits.
class ReferenceGaussMarkov
{
public:
    ReferenceGaussMarkov(const Mobility &m, const Position &start, const QString &id)
        : m_m(m)
        , m_key(mobilityKey(m.seed, id))
        , m_pos(start)
    {
        m_minX = start.xM - m.areaWidthM / 2.0;
        m_maxX = start.xM + m.areaWidthM / 2.0;
        m_minY = start.yM - m.areaHeightM / 2.0;
        m_maxY = start.yM + m.areaHeightM / 2.0;
        double ux = 1.0;
        double uy = 0.0;
        for (std::int64_t j = 0; j < 64; ++j) {
            const double x = 2.0 * uniform(4, j, 0) - 1.0;
            const double y = 2.0 * uniform(4, j, 1) - 1.0;
            const double r = std::sqrt(x * x + y * y);
            if (r > 1e-6 && r <= 1.0) {
                ux = x / r;
                uy = y / r;
                break;
            }
        }
        m_meanVx = m.meanSpeedMps * ux;
        m_meanVy = m.meanSpeedMps * uy;
        m_vx = m_meanVx;
        m_vy = m_meanVy;
    }

    /// Increasing times only.
    Position at(double timeS)
    {
        const double dt = m_m.stepS;
        const auto step = static_cast<std::int64_t>(std::floor(timeS / dt));
        while (m_step < step) {
            m_pos.xM += m_vx * dt;
            m_pos.yM += m_vy * dt;
            if (reflect(&m_pos.xM, m_minX, m_maxX)) {
                m_vx = -m_vx;
                m_meanVx = -m_meanVx;
            }
            if (reflect(&m_pos.yM, m_minY, m_maxY)) {
                m_vy = -m_vy;
                m_meanVy = -m_meanVy;
            }
            const double a = m_m.alpha;
            const double noise = std::sqrt(std::max(0.0, 1.0 - a * a)) * m_m.speedStdMps;
            m_vx = a * m_vx + (1.0 - a) * m_meanVx + noise * normal(5, m_step);
            m_vy = a * m_vy + (1.0 - a) * m_meanVy + noise * normal(6, m_step);
            ++m_step;
        }
        Position p{m_pos.xM + m_vx * (timeS - double(m_step) * dt),
            m_pos.yM + m_vy * (timeS - double(m_step) * dt)};
        reflect(&p.xM, m_minX, m_maxX);
        reflect(&p.yM, m_minY, m_maxY);
        return p;
    }

private:
    static std::uint64_t mix(std::uint64_t x)
    {
        x += 0x9E3779B97F4A7C15ull;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        return x ^ (x >> 31);
    }
    double uniform(std::uint64_t stream, std::int64_t index, int part) const
    {
        const std::uint64_t counter = (static_cast<std::uint64_t>(index) << 8)
            ^ (static_cast<std::uint64_t>(part) << 4) ^ stream;
        return (static_cast<double>(mix(m_key ^ mix(counter)) >> 11) + 0.5)
            * (1.0 / 9007199254740992.0);
    }
    double normal(std::uint64_t stream, std::int64_t index) const
    {
        const std::uint64_t counter = (static_cast<std::uint64_t>(index) << 3) | stream;
        const std::uint64_t bits = mix(m_key + counter * 0x9E3779B97F4A7C15ull);
        double sum = 0.0;
        for (int quarter = 0; quarter < 4; ++quarter) {
            sum += (double((bits >> (16 * quarter)) & 0xFFFFu) + 0.5) * (1.0 / 65536.0);
        }
        return (sum - 2.0) * 1.7320508075688772;
    }
    static bool reflect(double *value, double lo, double hi)
    {
        bool flipped = false;
        for (int fold = 0; fold < 4 && (*value < lo || *value > hi); ++fold) {
            *value = *value < lo ? 2.0 * lo - *value : 2.0 * hi - *value;
            flipped = !flipped;
        }
        *value = std::clamp(*value, lo, hi);
        return flipped;
    }

    Mobility m_m;
    std::uint64_t m_key = 0;
    Position m_pos;
    double m_minX = 0.0, m_maxX = 0.0, m_minY = 0.0, m_maxY = 0.0;
    std::int64_t m_step = 0;
    double m_vx = 0.0, m_vy = 0.0, m_meanVx = 0.0, m_meanVy = 0.0;
};

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

    void gaussMarkovMatchesTheStepByStepWalk_data()
    {
        QTest::addColumn<double>("speedStd");
        QTest::addColumn<double>("area");
        QTest::addColumn<double>("alpha");
        QTest::newRow("mobile.json-like") << 0.3 << 120.0 << 0.8;
        // Fast and noisy in a small area: walls every few steps, several folds per step.
        QTest::newRow("walls") << 6.0 << 8.0 << 0.3;
        QTest::newRow("no memory") << 1.0 << 60.0 << 0.0;
    }

    void gaussMarkovMatchesTheStepByStepWalk()
    {
        QFETCH(double, speedStd);
        QFETCH(double, area);
        QFETCH(double, alpha);
        for (std::uint64_t seed : {1ull, 7ull, 123456789ull}) {
            Mobility m = randomModel(MobilityModel::GaussMarkov, seed);
            m.speedStdMps = speedStd;
            m.areaWidthM = area;
            m.areaHeightM = area * 0.75;
            m.alpha = alpha;
            const QString id = QStringLiteral("c2-d%1").arg(seed);
            ReferenceGaussMarkov reference(m, {100.0, -50.0}, id);
            NodeTrack track(m, {100.0, -50.0}, id);
            for (int i = 0; i < 3000; ++i) {
                const double t = i * 1.37;
                const Position want = reference.at(t);
                const Position got = track.at(t);
                QVERIFY2(sameBits(got, want),
                    qPrintable(QStringLiteral("seed %1, t = %2: %3, step by step %4")
                                   .arg(seed)
                                   .arg(t)
                                   .arg(text(got), text(want))));
            }
        }
    }

    void forwardQueriesWalkEachStepOnce_data()
    {
        QTest::addColumn<int>("model");
        QTest::newRow("random_waypoint") << int(MobilityModel::RandomWaypoint);
        QTest::newRow("gauss_markov") << int(MobilityModel::GaussMarkov);
    }

    void forwardQueriesWalkEachStepOnce()
    {
        // A run asks each node once per round at the round's start: R rounds cost the steps
        // (legs) up to the last round's time, not Σ over rounds (a walk from t = 0 each round).
        QFETCH(int, model);
        const Mobility m = randomModel(MobilityModel(model), 3);
        NodeTrack track(m, {0.0, 0.0}, QStringLiteral("d"));
        const double roundS = 151.3;
        const int rounds = 300;
        for (int r = 0; r < rounds; ++r) {
            track.at(r * roundS);
        }
        const double lastS = (rounds - 1) * roundS;
        if (MobilityModel(model) == MobilityModel::GaussMarkov) {
            QCOMPARE(track.stepsWalked(), std::int64_t(std::floor(lastS / m.stepS)));
        } else {
            // Legs last at least pause_s (2 s) each: at most lastS / 2 + 1 of them.
            QVERIFY2(track.stepsWalked() <= std::int64_t(lastS / m.pauseS) + 1,
                qPrintable(QString::number(track.stepsWalked())));
        }
    }

    void earlierTimesResumeFromACheckpoint_data()
    {
        QTest::addColumn<int>("model");
        QTest::newRow("random_waypoint") << int(MobilityModel::RandomWaypoint);
        QTest::newRow("gauss_markov") << int(MobilityModel::GaussMarkov);
    }

    void earlierTimesResumeFromACheckpoint()
    {
        // Positions are a pure function of (seed, node, time): after walking far (past several
        // checkpoints), a jump back resumes from the checkpoint before the time, with the same
        // bits as a fresh track walked from 0, and walks at most one checkpoint interval.
        QFETCH(int, model);
        const auto kind = MobilityModel(model);
        Mobility m = randomModel(kind, 11);
        m.pauseS = 0.0; // random waypoint: short legs, so the walk passes leg checkpoints
        m.areaWidthM = 12.0;
        m.areaHeightM = 8.0;
        const bool gm = kind == MobilityModel::GaussMarkov;
        const double endS = gm ? 4.5 * NodeTrack::kCheckpointSteps * m.stepS : 9000.0;
        const QString id = QStringLiteral("walker");
        NodeTrack used(m, {100.0, -50.0}, id);
        used.at(endS);
        const std::int64_t interval = gm ? NodeTrack::kCheckpointSteps : NodeTrack::kCheckpointLegs;
        QVERIFY2(
            used.stepsWalked() > 3 * interval, qPrintable(QString::number(used.stepsWalked())));
        for (double t : {endS * 0.93, endS * 0.41, 3.3, endS * 0.77, endS * 0.2, endS - 1.0}) {
            const std::int64_t before = used.stepsWalked();
            const Position back = used.at(t);
            const Position fresh = nodePositionAt(m, {100.0, -50.0}, id, t);
            QVERIFY2(sameBits(back, fresh),
                qPrintable(QStringLiteral("t = %1: %2 after a jump back, %3 fresh")
                               .arg(t)
                               .arg(text(back), text(fresh))));
            QVERIFY2(used.stepsWalked() - before <= interval,
                qPrintable(QStringLiteral("t = %1: %2 steps walked for a jump back")
                               .arg(t)
                               .arg(used.stepsWalked() - before)));
        }
    }

    void walkingTogetherMatchesWalkingAlone_data()
    {
        QTest::addColumn<int>("lanes");
        for (NodeTrack::Lanes l : NodeTrack::supportedLanes()) {
            QTest::newRow(NodeTrack::lanesName(l)) << int(l);
        }
    }

    void walkingTogetherMatchesWalkingAlone()
    {
        // NodeTrack::advanceTogether() (several Gauss–Markov tracks per vector step, what the
        // channel model does each round) then at() gives the bits of at() alone, for random sets
        // of tracks (more than one vector's lanes, other models mixed in, steps of different
        // lengths, walls every few steps) and random query orders: mostly forward with random
        // strides (some within one step), some jumps back (a checkpoint resumed) and walks past
        // several checkpoints. Step counts agree too. Rows: the lanes kinds this CPU runs.
        QFETCH(int, lanes);
        std::uint64_t rng = 0x5eed;
        auto next = [&rng] { return (rng = splitMix(rng)) >> 11; };
        auto unit = [&] { return double(next()) / 9007199254740992.0; };
        const int kTracks = 19;
        std::vector<NodeTrack> alone;
        std::vector<NodeTrack> together;
        for (int i = 0; i < kTracks; ++i) {
            const auto kind = i % 7 == 5 ? MobilityModel::RandomWaypoint
                : i % 7 == 6             ? MobilityModel::None
                                         : MobilityModel::GaussMarkov;
            Mobility m = randomModel(kind, std::uint64_t(100 + i));
            m.stepS = std::vector<double>{0.5, 1.0, 2.0, 0.37}[std::size_t(i % 4)];
            m.alpha = std::vector<double>{0.6, 0.0, 0.95, 1.0, 0.8}[std::size_t(i % 5)];
            m.speedStdMps = 0.3 + 2.0 * unit();
            m.areaWidthM = i % 3 == 0 ? 8.0 : 60.0 + 40.0 * unit(); // small: a wall every step
            m.areaHeightM = i % 3 == 0 ? 6.0 : 50.0;
            const Position start{100.0 * unit(), -50.0 * unit()};
            const QString id = QStringLiteral("n%1").arg(i);
            alone.emplace_back(m, start, id);
            together.emplace_back(m, start, id);
        }
        const auto kind = NodeTrack::Lanes(lanes);
        double t = 0.0;
        const double farS = 3.2 * NodeTrack::kCheckpointSteps; // past checkpoints at 0.37 s
        for (int query = 0; query < 400; ++query) {
            const double r = unit();
            t = r < 0.05   ? farS * unit()       // a jump (back, mostly)
                : r < 0.1  ? t + 0.1 * unit()    // within the current step
                : r < 0.12 ? t + 900.0 * unit()  // far ahead
                           : t + 160.0 * unit(); // a round
            std::vector<NodeTrack *> subset;
            for (NodeTrack &track : together) {
                if (unit() < 0.8) {
                    subset.push_back(&track);
                }
            }
            NodeTrack::advanceTogether(subset, t, kind);
            for (int i = 0; i < kTracks; ++i) {
                const Position want = alone[std::size_t(i)].at(t);
                const Position got = together[std::size_t(i)].at(t);
                QVERIFY2(sameBits(got, want),
                    qPrintable(QStringLiteral("%1, query %2, track %3, t = %4: %5, alone %6")
                                   .arg(QLatin1String(NodeTrack::lanesName(kind)))
                                   .arg(query)
                                   .arg(i)
                                   .arg(t, 0, 'g', 17)
                                   .arg(text(got), text(want))));
                QCOMPARE(
                    together[std::size_t(i)].stepsWalked(), alone[std::size_t(i)].stepsWalked());
            }
        }
        QVERIFY2(alone[0].stepsWalked() > 2 * NodeTrack::kCheckpointSteps,
            qPrintable(QString::number(alone[0].stepsWalked())));
    }

    void channelPositionsAreAFunctionOfTime()
    {
        // The channel model's round-by-round (incremental) geometry equals a fresh model's asked
        // directly at each round's time, bit for bit: what replay and the stored positions
        // rely on. Every kind of mobility, including a moving control unit.
        Topology t;
        EdgeServer es;
        es.id = QStringLiteral("es");
        es.position = {-300.0, 40.0};
        t.edgeServers.push_back(es);
        Cluster c;
        c.id = QStringLiteral("c");
        c.edgeServerId = es.id;
        c.controlUnit.id = QStringLiteral("cu");
        c.controlUnit.position = {10.0, 5.0};
        c.controlUnit.mobility = randomModel(MobilityModel::GaussMarkov, 2);
        const MobilityModel kinds[] = {MobilityModel::GaussMarkov, MobilityModel::RandomWaypoint,
            MobilityModel::None, MobilityModel::Waypoints};
        for (int k = 0; k < 4; ++k) {
            Device d;
            d.id = QStringLiteral("d%1").arg(k);
            d.position = {20.0 * k, -10.0 * k};
            d.mobility = kinds[k] == MobilityModel::Waypoints
                ? waypointPath(true)
                : randomModel(kinds[k], std::uint64_t(k + 5));
            c.devices.push_back(d);
        }
        t.clusters.push_back(c);
        ChannelModel incremental(t, 3);
        for (int round = 0; round < 40; ++round) {
            const double timeS = 97.25 * round;
            const ClusterChannel a = incremental.stateForRound(round, timeS).clusters[0];
            const ClusterChannel b = ChannelModel(t, 3).stateForRound(round, timeS).clusters[0];
            QCOMPARE(a.positions.size(), b.positions.size());
            for (std::size_t n = 0; n < a.positions.size(); ++n) {
                QVERIFY2(sameBits(a.positions[n], b.positions[n]),
                    qPrintable(QStringLiteral("round %1, node %2: %3 vs %4")
                                   .arg(round)
                                   .arg(n)
                                   .arg(text(a.positions[n]), text(b.positions[n]))));
            }
            for (int from = 0; from < a.deviceCount + 1; ++from) {
                for (int to = 0; to < a.deviceCount + 1; ++to) {
                    QVERIFY(sameValue(a.gain(from, to), b.gain(from, to)));
                    QVERIFY(sameValue(a.distance(from, to), b.distance(from, to)));
                }
            }
            QVERIFY(
                std::memcmp(a.d2eGain.data(), b.d2eGain.data(), a.d2eGain.size() * sizeof(double))
                == 0);
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
