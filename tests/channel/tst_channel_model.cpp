// SPDX-License-Identifier: MIT
// Radio formulas against hand computation (spec §2.2, §7), the seeded fading of ChannelModel, and
// a moving cluster's D2D links (computed when asked) against a still cluster's tables.
#include "core/channel/channel_model.h"

#include <QTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

using namespace collapipe;

static constexpr double kInf = std::numeric_limits<double>::infinity();

namespace {

/// Two clusters on one edge server: "m" with a Gauss–Markov control unit and devices of every
/// mobility model (three Gauss–Markov ones), "s" with none moving.
Topology mobileTopology()
{
    auto random = [](MobilityModel model, std::uint64_t seed) {
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
    };
    Topology t;
    EdgeServer es;
    es.id = QStringLiteral("es");
    es.position = {-300.0, 40.0};
    t.edgeServers.push_back(es);
    Cluster m;
    m.id = QStringLiteral("m");
    m.edgeServerId = es.id;
    m.controlUnit.id = QStringLiteral("m-cu");
    m.controlUnit.position = {10.0, 5.0};
    m.controlUnit.mobility = random(MobilityModel::GaussMarkov, 2);
    const MobilityModel kinds[]
        = {MobilityModel::GaussMarkov, MobilityModel::RandomWaypoint, MobilityModel::None,
            MobilityModel::Waypoints, MobilityModel::GaussMarkov, MobilityModel::GaussMarkov};
    for (int k = 0; k < 6; ++k) {
        Device d;
        d.id = QStringLiteral("m-d%1").arg(k);
        d.position = {20.0 * k, -10.0 * k};
        d.mobility = random(kinds[k], std::uint64_t(k + 5));
        if (kinds[k] == MobilityModel::Waypoints) {
            d.mobility.waypoints = {{90.0, -30.0}, {90.0, 10.0}};
            d.mobility.speedMps = 2.0;
            d.mobility.loop = true;
        }
        d.mobility.stepS = k == 5 ? 1.0 : d.mobility.stepS;
        m.devices.push_back(d);
    }
    t.clusters.push_back(m);
    Cluster s;
    s.id = QStringLiteral("s");
    s.edgeServerId = es.id;
    s.controlUnit.id = QStringLiteral("s-cu");
    s.controlUnit.position = {-100.0, 100.0};
    for (int k = 0; k < 3; ++k) {
        Device d;
        d.id = QStringLiteral("s-d%1").arg(k);
        d.position = {-100.0 + 15.0 * k, 120.0};
        s.devices.push_back(d);
    }
    t.clusters.push_back(s);
    return t;
}

bool sameValue(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

class TstChannelModel : public QObject
{
    Q_OBJECT

private:
    static Topology topology(FadingModel fading)
    {
        Topology t;
        EdgeServer es;
        es.id = QStringLiteral("es");
        es.position = {0.0, 300.0};
        t.edgeServers.push_back(es);
        Cluster c;
        c.id = QStringLiteral("c");
        c.edgeServerId = es.id;
        c.controlUnit.position = {0.0, 0.0};
        for (int k = 0; k < 4; ++k) {
            Device d;
            d.id = QStringLiteral("d%1").arg(k);
            d.position = {20.0 * (k + 1), 5.0 * k};
            c.devices.push_back(d);
        }
        t.clusters.push_back(c);
        t.clusters.push_back(c);
        t.d2d.fading = fading;
        t.d2e.fading = fading;
        t.d2d.fadingCorrelation = 0.95;
        t.d2e.fadingCorrelation = 0.95;
        return t;
    }

private Q_SLOTS:
    void shannonRate_data()
    {
        QTest::addColumn<double>("bandwidth");
        QTest::addColumn<double>("power");
        QTest::addColumn<double>("gain");
        QTest::addColumn<double>("snrDb");
        QTest::addColumn<double>("rate");
        // Noise = −174 dBm/Hz + 10·log10(W). Case 1: 20 dBm − 100 dB = −80 dBm over −114 dBm
        // → SNR 34 dB = 2511.89, rate = 1e6·log2(2512.89).
        QTest::newRow("1MHz-100mW-100dB") << 1e6 << 0.1 << 1e-10 << 34.0 << 11295129.7556;
        // 23.01 dBm − 120 dB = −96.99 dBm over −100.99 dBm → 4.0 dB (2.5119), 20e6·log2(3.5119).
        QTest::newRow("20MHz-200mW-120dB") << 20e6 << 0.2 << 1e-12 << 4.0 << 36244923.826;
        QTest::newRow("no-power") << 1e6 << 0.0 << 1e-10 << -kInf << 0.0;
        QTest::newRow("no-band") << 0.0 << 0.2 << 1e-10 << -kInf << 0.0;
    }
    void shannonRate()
    {
        QFETCH(double, bandwidth);
        QFETCH(double, power);
        QFETCH(double, gain);
        QFETCH(double, snrDb);
        QFETCH(double, rate);
        const double r = shannonRateBps(bandwidth, power, gain, -174.0);
        QVERIFY2(std::abs(r - rate) <= 1e-6 * std::max(1.0, rate),
            qPrintable(QStringLiteral("rate %1 != %2").arg(r).arg(rate)));
        const double snr = collapipe::snrDb(bandwidth, power, gain, -174.0);
        if (std::isinf(snrDb)) {
            QVERIFY(std::isinf(snr) && snr < 0);
        } else {
            QVERIFY2(std::abs(snr - snrDb) < 1e-3, qPrintable(QString::number(snr)));
        }
    }

    void ergodicSpectralEfficiency_data()
    {
        QTest::addColumn<double>("snr");
        QTest::addColumn<double>("expected");
        // e^{1/ρ}·E1(1/ρ)/ln 2 by hand from tabulated E1 (Abramowitz–Stegun 5.1): ρ = 1:
        // e·E1(1) = 2.718282·0.219384 = 0.596347 → 0.860347 bit/s/Hz. ρ = 10: e^{0.1}·E1(0.1)
        // = 1.105171·1.822924 = 2.014640 → 2.906515. Others cross-checked with mpmath (e1).
        QTest::newRow("rho=0.01") << 0.01 << 0.0142854830322384;
        QTest::newRow("rho=0.1") << 0.1 << 0.132097967802192;
        QTest::newRow("rho=1") << 1.0 << 0.860347382270886;
        QTest::newRow("rho=10") << 10.0 << 2.90651480841481;
        QTest::newRow("rho=100") << 100.0 << 5.88404823368347;
        QTest::newRow("rho=1000") << 1000.0 << 9.14361949103733;
        QTest::newRow("rho=1e5") << 1e5 << 15.7770664939504;
    }
    void ergodicSpectralEfficiency()
    {
        // Spec §2.2 averaged over Rayleigh fading X ~ Exp(1) (core/MODEL.md "Long transfers").
        QFETCH(double, snr);
        QFETCH(double, expected);
        const double closed = collapipe::ergodicSpectralEfficiency(FadingModel::Rayleigh, snr);
        // Numeric integration of ∫ log2(1 + ρx)·e^{−x} dx: substitute x = −ln u, u ∈ (0, 1],
        // midpoint rule on 200000 cells (the integrand grows only like log(−ln u) at u → 0).
        const int n = 200000;
        double numeric = 0.0;
        for (int i = 0; i < n; ++i) {
            const double u = (i + 0.5) / n;
            numeric += std::log2(1.0 + snr * -std::log(u)) / n;
        }
        const QString what = QStringLiteral("rho %1: closed %2 numeric %3 expected %4")
                                 .arg(snr)
                                 .arg(closed, 0, 'g', 12)
                                 .arg(numeric, 0, 'g', 12)
                                 .arg(expected, 0, 'g', 12);
        QVERIFY2(std::abs(closed - expected) <= 1e-9 * expected, qPrintable(what));
        QVERIFY2(std::abs(numeric - expected) <= 2e-4 * expected, qPrintable(what));
        // Jensen: fading costs rate at the same mean SNR; without fading it is the plain rate.
        QVERIFY2(closed < std::log2(1.0 + snr), qPrintable(what));
        QCOMPARE(collapipe::ergodicSpectralEfficiency(FadingModel::GaussMarkov, snr), closed);
        QCOMPARE(
            collapipe::ergodicSpectralEfficiency(FadingModel::None, snr), std::log2(1.0 + snr));
    }

    void ergodicRateEdgeCases()
    {
        // Continuity where scaledExpIntegralE1 switches to its asymptotic series (x = 40).
        const double below = scaledExpIntegralE1(40.0 - 1e-9);
        const double above = scaledExpIntegralE1(40.0 + 1e-9);
        QVERIFY2(std::abs(below - above) < 1e-10 * below,
            qPrintable(QStringLiteral("%1 vs %2").arg(below, 0, 'g', 17).arg(above, 0, 'g', 17)));
        // Very low SNR: x = 1/ρ = 1e6, e^x overflows but e^x·E1(x) ≈ 1/(x+1).
        QVERIFY(std::abs(scaledExpIntegralE1(1e6) - 1.0 / (1e6 + 1.0)) < 1e-17);
        QCOMPARE(collapipe::ergodicSpectralEfficiency(FadingModel::Rayleigh, 0.0), 0.0);
        QCOMPARE(ergodicRateBps(FadingModel::Rayleigh, 1e6, 0.0, 1e-10, -174.0), 0.0);
        // W·E[log2(1 + ρX)] with ρ = 2511.89 (the 34 dB case of shannonRate).
        const double rho = 0.1 * 1e-10 / noisePowerW(1e6, -174.0);
        const double r = ergodicRateBps(FadingModel::Rayleigh, 1e6, 0.1, 1e-10, -174.0);
        QVERIFY(std::abs(r - 1e6 * collapipe::ergodicSpectralEfficiency(FadingModel::Rayleigh, rho))
            < 1e-3);
        QVERIFY(r < shannonRateBps(1e6, 0.1, 1e-10, -174.0));
        // The channel state carries the path-loss gain next to the faded one.
        ChannelModel model(topology(FadingModel::Rayleigh), 3);
        const ChannelState faded = model.stateForRound(4);
        const ChannelState mean = model.meanState();
        QCOMPARE(faded.clusters[0].d2eMeanGain, mean.clusters[0].d2eGain);
        QVERIFY(faded.clusters[0].d2eGain != mean.clusters[0].d2eGain);
        QCOMPARE(faded.clusters[0].meanD2eGain(2), mean.clusters[0].d2eGain[2]);
    }

    void pathLoss_data()
    {
        QTest::addColumn<int>("model");
        QTest::addColumn<double>("distance");
        QTest::addColumn<double>("lossDb");
        // 3GPP: 128.1 + 37.6·log10(d/km).
        QTest::newRow("3gpp-1km") << 1 << 1000.0 << 128.1;
        QTest::newRow("3gpp-100m") << 1 << 100.0 << 90.5;
        QTest::newRow("3gpp-10m") << 1 << 10.0 << 52.9;
        QTest::newRow("3gpp-clamped-0m") << 1 << 0.0 << 128.1 - 3 * 37.6;
        // Log-distance with PL(1 m) = 38.5 dB, exponent 3.76: 38.5 + 37.6·log10(d).
        QTest::newRow("logd-10m") << 0 << 10.0 << 76.1;
        QTest::newRow("logd-100m") << 0 << 100.0 << 113.7;
        QTest::newRow("logd-1m") << 0 << 1.0 << 38.5;
    }
    void pathLoss()
    {
        QFETCH(int, model);
        QFETCH(double, distance);
        QFETCH(double, lossDb);
        ChannelSettings cs;
        cs.pathLoss = model == 1 ? PathLossModel::ThreeGpp : PathLossModel::LogDistance;
        cs.referenceLossDb = 38.5;
        cs.pathLossExponent = 3.76;
        const double pl = pathLossDb(cs, distance);
        QVERIFY2(std::abs(pl - lossDb) < 1e-9, qPrintable(QString::number(pl, 'g', 12)));
        QVERIFY(std::abs(gainFromLossDb(pl) - std::pow(10.0, -lossDb / 10)) < 1e-12);
    }

    void noFadingIsPathLossOnly()
    {
        const Topology t = topology(FadingModel::None);
        ChannelModel model(t, 7);
        const ChannelState s = model.stateForRound(3);
        QCOMPARE(s.round, 3);
        QCOMPARE(int(s.clusters.size()), 2);
        const ClusterChannel &c = s.clusters[0];
        QCOMPARE(c.deviceCount, 4);
        // Device 0 at (20, 0), CU (node 4) at the origin: 20 m.
        QVERIFY(std::abs(c.distance(4, 0) - 20.0) < 1e-12);
        QVERIFY(std::abs(c.gain(4, 0) - gainFromLossDb(pathLossDb(t.d2d, 20.0))) < 1e-20);
        QVERIFY(std::abs(c.d2eDistanceM[4] - 300.0) < 1e-12);
        QVERIFY(std::abs(c.d2eGain[4] - gainFromLossDb(pathLossDb(t.d2e, 300.0))) < 1e-25);
    }

    void fadingIsSeededReproducibleAndReciprocal_data()
    {
        QTest::addColumn<int>("fading");
        QTest::newRow("rayleigh") << int(FadingModel::Rayleigh);
        QTest::newRow("gauss-markov") << int(FadingModel::GaussMarkov);
    }
    void fadingIsSeededReproducibleAndReciprocal()
    {
        QFETCH(int, fading);
        const Topology t = topology(FadingModel(fading));
        ChannelModel a(t, 42);
        ChannelModel b(t, 42);
        ChannelModel other(t, 43);
        for (int r = 0; r <= 6; ++r) {
            a.stateForRound(r); // a walks forward, b jumps: same numbers either way
        }
        const ChannelState sa = a.stateForRound(6);
        const ChannelState sb = b.stateForRound(6);
        const ChannelState so = other.stateForRound(6);
        QCOMPARE(sa.clusters[1].d2dGain, sb.clusters[1].d2dGain);
        QCOMPARE(sa.clusters[1].d2eGain, sb.clusters[1].d2eGain);
        QVERIFY(sa.clusters[0].d2dGain != so.clusters[0].d2dGain);
        // Asking an earlier round again gives that round's numbers.
        ChannelModel c(t, 42);
        const ChannelState c2 = c.stateForRound(2);
        QCOMPARE(a.stateForRound(2).clusters[0].d2eGain, c2.clusters[0].d2eGain);
        const ClusterChannel &cc = sa.clusters[0];
        for (int i = 0; i <= 4; ++i) {
            for (int j = 0; j <= 4; ++j) {
                if (i != j) {
                    QCOMPARE(cc.gain(i, j), cc.gain(j, i));
                }
            }
        }
        // Fading differs between rounds and between the two identical clusters.
        QVERIFY(sa.clusters[0].d2dGain != sa.clusters[1].d2dGain);
        QVERIFY(sa.clusters[0].d2eGain != c2.clusters[0].d2eGain);
    }

    void fadingStatistics()
    {
        // Rayleigh: E|h|² = 1 and independent rounds; Gauss–Markov with ρ: corr(|h_t|², |h_{t+1}|²)
        // = ρ² for complex Gaussian h, so ≈ 0.90 for ρ = 0.95.
        const int rounds = 3000;
        for (FadingModel f : {FadingModel::Rayleigh, FadingModel::GaussMarkov}) {
            const Topology t = topology(f);
            ChannelModel model(t, 5);
            const double mean = t.clusters.empty() ? 0 : model.meanState().clusters[0].d2eGain[0];
            std::vector<double> x;
            for (int r = 0; r < rounds; ++r) {
                x.push_back(model.stateForRound(r).clusters[0].d2eGain[0] / mean);
            }
            double m = 0;
            for (double v : x) {
                m += v;
            }
            m /= rounds;
            double var = 0;
            double cov = 0;
            for (int r = 0; r < rounds; ++r) {
                var += (x[r] - m) * (x[r] - m);
                if (r + 1 < rounds) {
                    cov += (x[r] - m) * (x[r + 1] - m);
                }
            }
            const double corr = cov / var;
            const QString what
                = QStringLiteral("fading %1: mean %2 lag-1 corr %3").arg(int(f)).arg(m).arg(corr);
            if (f == FadingModel::Rayleigh) {
                QVERIFY2(std::abs(m - 1.0) < 0.08, qPrintable(what));
                QVERIFY2(std::abs(corr) < 0.08, qPrintable(what));
            } else {
                QVERIFY2(std::abs(m - 1.0) < 0.35, qPrintable(what)); // correlated: slower mixing
                QVERIFY2(corr > 0.8 && corr < 0.97, qPrintable(what));
            }
        }
    }

    void movingLinksEqualAStillClusterAtTheRoundsPositions_data()
    {
        QTest::addColumn<int>("fading");
        QTest::newRow("rayleigh") << int(FadingModel::Rayleigh);
        QTest::newRow("none") << int(FadingModel::None);
    }

    void movingLinksEqualAStillClusterAtTheRoundsPositions()
    {
        // A cluster with a moving node gets its D2D links computed when asked (MovedD2dLinks),
        // not tabulated: every gain and distance, asked in any order and more than once, has the
        // bits of a still topology's tables with the nodes placed where the round put them
        // (same seed, so the same fading draws), and the D2E links too. A still cluster keeps
        // its tables. A round's state kept while later rounds are asked keeps its links (the
        // model reuses a round's links object only once no state holds it).
        QFETCH(int, fading);
        Topology t = mobileTopology();
        t.d2d.fading = FadingModel(fading);
        t.d2e.fading = FadingModel::Rayleigh;
        ChannelModel moving(t, 9);
        ChannelState held; // round 3's, kept to the end
        std::vector<double> heldGains;
        auto gains = [](const ClusterChannel &cc) {
            std::vector<double> out;
            for (int from = 0; from <= cc.deviceCount; ++from) {
                for (int to = 0; to <= cc.deviceCount; ++to) {
                    out.push_back(cc.gain(from, to));
                    out.push_back(cc.distance(from, to));
                }
            }
            return out;
        };
        for (int round = 0; round < 12; ++round) {
            const double timeS = 61.5 * round;
            const ChannelState state = moving.stateForRound(round, timeS);
            if (round == 3) {
                held = state;
                heldGains = gains(held.clusters[0]);
            }
            Topology placed = t;
            for (std::size_t c = 0; c < placed.clusters.size(); ++c) {
                Cluster &cluster = placed.clusters[c];
                const std::vector<Position> &at = state.clusters[c].positions;
                for (std::size_t k = 0; k < cluster.devices.size(); ++k) {
                    cluster.devices[k].position = at[k];
                    cluster.devices[k].mobility = Mobility{};
                }
                cluster.controlUnit.position = at.back();
                cluster.controlUnit.mobility = Mobility{};
            }
            const ChannelState still = ChannelModel(placed, 9).stateForRound(round, timeS);
            QCOMPARE(state.clusters.size(), std::size_t(2));
            QVERIFY(!state.clusters[1].d2dGain.empty()); // the still cluster: tables
            for (std::size_t c = 0; c < state.clusters.size(); ++c) {
                const ClusterChannel &a = state.clusters[c];
                const ClusterChannel &b = still.clusters[c];
                const int nodes = a.deviceCount + 1;
                for (int pass = 0; pass < 2; ++pass) { // the second pass reads the kept links
                    for (int i = 0; i < nodes * nodes; ++i) {
                        const int from = pass == 0 ? (i * 7) % (nodes * nodes) / nodes : i / nodes;
                        const int to = pass == 0 ? (i * 7) % nodes : i % nodes;
                        QVERIFY2(sameValue(a.gain(from, to), b.gain(from, to))
                                && sameValue(a.distance(from, to), b.distance(from, to)),
                            qPrintable(QStringLiteral("round %1, cluster %2, link %3 -> %4: "
                                                      "gain %5 vs %6, distance %7 vs %8")
                                           .arg(round)
                                           .arg(c)
                                           .arg(from)
                                           .arg(to)
                                           .arg(a.gain(from, to), 0, 'g', 17)
                                           .arg(b.gain(from, to), 0, 'g', 17)
                                           .arg(a.distance(from, to), 0, 'g', 17)
                                           .arg(b.distance(from, to), 0, 'g', 17)));
                    }
                }
                QVERIFY(std::memcmp(
                            a.d2eGain.data(), b.d2eGain.data(), a.d2eGain.size() * sizeof(double))
                    == 0);
            }
        }
        const std::vector<double> heldNow = gains(held.clusters[0]);
        QVERIFY(heldGains.size() == heldNow.size()
            && std::memcmp(heldGains.data(), heldNow.data(), heldNow.size() * sizeof(double)) == 0);
    }
};

QTEST_GUILESS_MAIN(TstChannelModel)
#include "tst_channel_model.moc"
