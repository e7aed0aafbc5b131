// SPDX-License-Identifier: MIT
#include "core/channel/channel_model.h"

#include "core/channel/random_draws.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

namespace collapipe {

double pathLossDb(const ChannelSettings &settings, double distanceM)
{
    const double d = std::max(distanceM, kMinLinkDistanceM);
    // Spec §2.2 / §7: 3GPP UMa-style formula takes the distance in km.
    if (settings.pathLoss == PathLossModel::ThreeGpp) {
        return 128.1 + 37.6 * std::log10(d / 1000.0);
    }
    return settings.referenceLossDb + 10.0 * settings.pathLossExponent * std::log10(d);
}

double gainFromLossDb(double lossDb)
{
    return std::pow(10.0, -lossDb / 10.0);
}

double noisePowerW(double bandwidthHz, double noisePsdDbmPerHz)
{
    // The cost model asks this per evaluated decision with one of two PSDs: pow() once per PSD
    // (the same value, so the same bits).
    thread_local double lastPsd = std::numeric_limits<double>::quiet_NaN();
    thread_local double lastWPerHz = 0.0;
    if (!(noisePsdDbmPerHz == lastPsd)) {
        lastWPerHz = std::pow(10.0, (noisePsdDbmPerHz - 30.0) / 10.0);
        lastPsd = noisePsdDbmPerHz;
    }
    return lastWPerHz * bandwidthHz;
}

double snrDb(double bandwidthHz, double powerW, double gain, double noisePsdDbmPerHz)
{
    if (bandwidthHz <= 0.0 || powerW <= 0.0 || gain <= 0.0) {
        return -std::numeric_limits<double>::infinity();
    }
    return 10.0 * std::log10(powerW * gain / noisePowerW(bandwidthHz, noisePsdDbmPerHz));
}

double shannonRateBps(double bandwidthHz, double powerW, double gain, double noisePsdDbmPerHz)
{
    if (bandwidthHz <= 0.0 || powerW <= 0.0 || gain <= 0.0) {
        return 0.0;
    }
    const double snr = powerW * gain / noisePowerW(bandwidthHz, noisePsdDbmPerHz);
    return bandwidthHz * std::log2(1.0 + snr);
}

double scaledExpIntegralE1(double x)
{
    if (!(x > 0.0)) {
        return std::numeric_limits<double>::infinity();
    }
    if (x < 40.0) {
        return std::exp(x) * -std::expint(-x); // libstdc++: expint(y) = Ei(y), E1(x) = −Ei(−x)
    }
    // Asymptotic series e^x·E1(x) ~ Σ_k (−1)^k·k!/x^(k+1); at x ≥ 40 the 10th term is < 1e-10
    // of the first, and the series' error is below the first omitted term.
    double term = 1.0 / x;
    double sum = term;
    for (int k = 1; k <= 10; ++k) {
        term *= -double(k) / x;
        sum += term;
    }
    return sum;
}

double ergodicSpectralEfficiency(FadingModel fading, double meanSnr)
{
    if (!(meanSnr > 0.0)) {
        return 0.0;
    }
    if (fading == FadingModel::None) {
        return std::log2(1.0 + meanSnr);
    }
    // X ~ Exp(1): ∫ log2(1 + ρx)·e^{−x} dx = e^{1/ρ}·E1(1/ρ) / ln 2 (integration by parts).
    // Gauss–Markov h(t) is CN(0, 1) at every t, so its marginal |h|² is the same Exp(1).
    return scaledExpIntegralE1(1.0 / meanSnr) / std::log(2.0);
}

double ergodicRateBps(
    FadingModel fading, double bandwidthHz, double powerW, double meanGain, double noisePsdDbmPerHz)
{
    if (bandwidthHz <= 0.0 || powerW <= 0.0 || meanGain <= 0.0) {
        return 0.0;
    }
    // Every evaluated decision charges its upload and broadcast at an ergodic rate, the same few
    // links with the same arguments all round (std::expint is costly): the last answers per
    // thread, matched on every argument exactly, so a hit returns the same bits.
    struct Entry
    {
        FadingModel fading;
        double bandwidthHz, powerW, meanGain, noisePsd, rateBps;
    };
    constexpr int kEntries = 4;
    thread_local Entry cache[kEntries] = {};
    thread_local int next = 0;
    for (const Entry &e : cache) {
        if (e.rateBps > 0.0 && e.fading == fading && e.bandwidthHz == bandwidthHz
            && e.powerW == powerW && e.meanGain == meanGain && e.noisePsd == noisePsdDbmPerHz) {
            return e.rateBps;
        }
    }
    const double snr = powerW * meanGain / noisePowerW(bandwidthHz, noisePsdDbmPerHz);
    const double rate = bandwidthHz * ergodicSpectralEfficiency(fading, snr);
    cache[next] = Entry{fading, bandwidthHz, powerW, meanGain, noisePsdDbmPerHz, rate};
    next = (next + 1) % kEntries;
    return rate;
}

double distanceM(const Position &a, const Position &b)
{
    return std::hypot(a.xM - b.xM, a.yM - b.yM);
}

namespace {

// A complex Gaussian CN(0, 1) (each part N(0, 1/2)) drawn from a hash of the link and round, by
// Box–Muller. Pure function of its inputs: reproducible in any query order.
void complexGaussian(std::uint64_t key, double *re, double *im)
{
    const double u1 = unitOpen(splitMix(key));
    const double u2 = unitOpen(splitMix(key ^ 0xD1B54A32D192ED03ull));
    const double r = std::sqrt(-std::log(u1)); // √(−ln u) = √(2·(−ln u)/2): variance 1/2 per part
    const double phi = 2.0 * M_PI * u2;
    *re = r * std::cos(phi);
    *im = r * std::sin(phi);
}

std::uint64_t linkKey(std::uint64_t seed, int round, int cluster, bool d2e, int a, int b)
{
    std::uint64_t k = splitMix(seed);
    k = splitMix(k ^ static_cast<std::uint64_t>(static_cast<std::uint32_t>(round)));
    k = splitMix(k ^ (static_cast<std::uint64_t>(cluster) << 1 | (d2e ? 1u : 0u)));
    k = splitMix(k ^ (static_cast<std::uint64_t>(a) << 32 | static_cast<std::uint32_t>(b)));
    return k;
}

/// A cluster's D2D links computed per call: the expressions of the tables in ChannelModel's
/// constructor and stateForRound(), in the same order, so every gain has the same bits.
class ComputedD2dLinks : public D2dLinks
{
public:
    ComputedD2dLinks(std::vector<Position> nodes, const ChannelSettings &d2d, std::uint64_t seed,
        int round, int cluster, bool faded)
        : m_nodes(std::move(nodes))
        , m_d2d(d2d)
        , m_seed(seed)
        , m_round(round)
        , m_cluster(cluster)
        , m_faded(faded)
    { }
    double distance(int from, int to) const override
    {
        return from == to ? 0.0 : distanceM(m_nodes[std::size_t(from)], m_nodes[std::size_t(to)]);
    }
    double gain(int from, int to) const override
    {
        if (from == to) {
            return 0.0;
        }
        const double mean = gainFromLossDb(pathLossDb(m_d2d, distance(from, to)));
        if (!m_faded) {
            return mean;
        }
        // Rayleigh |h|² of the unordered pair (ChannelModel::fadingPower()).
        double re = 0.0;
        double im = 0.0;
        complexGaussian(
            linkKey(m_seed, m_round, m_cluster, false, std::min(from, to), std::max(from, to)), &re,
            &im);
        return mean * (re * re + im * im);
    }
    std::size_t nodeCount() const { return m_nodes.size(); }

protected:
    /// The same cluster's links at other positions (as many) in another round.
    void moveTo(const std::vector<Position> &nodes, int round)
    {
        std::copy(nodes.begin(), nodes.end(), m_nodes.begin());
        m_round = round;
    }

public:
    /// The same links in another round.
    std::shared_ptr<const D2dLinks> forRound(int round, bool faded) const
    {
        return std::make_shared<ComputedD2dLinks>(m_nodes, m_d2d, m_seed, round, m_cluster, faded);
    }

private:
    std::vector<Position> m_nodes; ///< devices, then the control unit
    ChannelSettings m_d2d;
    std::uint64_t m_seed = 0;
    int m_round = 0;
    int m_cluster = 0;
    bool m_faded = false;
};

/// A moving cluster's D2D links in one round: ComputedD2dLinks' values (the same bits as the
/// tables), each computed when first asked and kept for the round. A round's channel asks only
/// some links (a static policy's chain: K of (K+1)K/2), and the ones never asked cost nothing,
/// where a table would recompute every link with a moving end (distance, path loss: hypot,
/// log10, pow) and draw every link's fading (log, sincos). Thread-safe: a link asked by two
/// threads at once is computed by both, with the same bits, and kept by either.
class MovedD2dLinks final : public ComputedD2dLinks
{
public:
    MovedD2dLinks(std::vector<Position> nodes, const ChannelSettings &d2d, std::uint64_t seed,
        int round, int cluster, bool faded)
        : ComputedD2dLinks(std::move(nodes), d2d, seed, round, cluster, faded)
        , m_nodes(nodeCount())
        , m_kept(new std::atomic<double>[2 * m_nodes * m_nodes])
    {
        for (std::size_t i = 0; i < 2 * m_nodes * m_nodes; ++i) {
            m_kept[i].store(std::numeric_limits<double>::quiet_NaN(), std::memory_order_relaxed);
        }
    }
    /// These links in another round, nothing kept: for an object nobody else holds any more.
    void reuse(const std::vector<Position> &nodes, int round)
    {
        moveTo(nodes, round);
        for (std::size_t i = 0; i < 2 * m_nodes * m_nodes; ++i) {
            m_kept[i].store(std::numeric_limits<double>::quiet_NaN(), std::memory_order_relaxed);
        }
    }
    /// ComputedD2dLinks::gain(), whose distance() is the kept one below.
    double gain(int from, int to) const override
    {
        return kept(0, from, to, [&] { return ComputedD2dLinks::gain(from, to); });
    }
    double distance(int from, int to) const override
    {
        return kept(1, from, to, [&] { return ComputedD2dLinks::distance(from, to); });
    }

private:
    /// Both directions share the entry of (min, max): the links are reciprocal.
    template <class Compute>
    double kept(std::size_t what, int from, int to, const Compute &compute) const
    {
        std::atomic<double> &slot
            = m_kept[(what * m_nodes + std::size_t(std::min(from, to))) * m_nodes
                + std::size_t(std::max(from, to))];
        double value = slot.load(std::memory_order_relaxed);
        if (value != value) { // NaN: not asked yet
            value = compute();
            slot.store(value, std::memory_order_relaxed);
        }
        return value;
    }

    std::size_t m_nodes = 0;
    std::unique_ptr<std::atomic<double>[]> m_kept; ///< [gain, distance][min][max]
};

bool computedLinks(const ChannelSettings &d2d, int nodes, int tabulatedNodes)
{
    return nodes > tabulatedNodes && d2d.fading != FadingModel::GaussMarkov;
}

} // namespace

ChannelModel::ChannelModel(const Topology &topology, std::uint64_t seed, int tabulatedNodes)
    : m_topology(topology)
    , m_seed(seed)
{
    for (const Cluster &cluster : m_topology.clusters) {
        const int k = static_cast<int>(cluster.devices.size());
        Position server;
        for (const EdgeServer &es : m_topology.edgeServers) {
            if (es.id == cluster.edgeServerId) {
                server = es.position;
            }
        }
        m_servers.push_back(server);
        std::vector<Position> positions;
        std::vector<NodeTrack> tracks;
        std::vector<char> moving;
        for (int node = 0; node <= k; ++node) {
            const bool cu = node == k;
            const Position &p = cu ? cluster.controlUnit.position : cluster.devices[node].position;
            const Mobility &m = cu ? cluster.controlUnit.mobility : cluster.devices[node].mobility;
            positions.push_back(p);
            tracks.emplace_back(m, p, cu ? cluster.controlUnit.id : cluster.devices[node].id);
            moving.push_back(m.isMobile() ? 1 : 0);
            m_gaussMarkovTracks += m.model == MobilityModel::GaussMarkov ? 1 : 0;
            m_mobile = m_mobile || m.isMobile();
        }
        m_tracks.push_back(std::move(tracks));
        m_moving.push_back(std::move(moving));
        ClusterChannel cc;
        cc.deviceCount = k;
        for (const Cluster &other : m_topology.clusters) {
            cc.edgeSharing += other.edgeServerId == cluster.edgeServerId ? 1 : 0;
        }
        if (computedLinks(m_topology.d2d, k + 1, tabulatedNodes)) {
            cc.d2dLinks = std::make_shared<ComputedD2dLinks>(
                positions, m_topology.d2d, m_seed, 0, int(m_mean.size()), false);
        }
        fillGeometry(int(m_mean.size()), positions, &cc);
        m_mean.push_back(std::move(cc));
    }
    if (!m_mobile) {
        m_tracks.clear();
        m_moving.clear();
    }
    // A round's clusters start from the scenario's; a cluster whose D2D links move with its
    // nodes gets them per round as MovedD2dLinks, so its tables are not copied every round.
    m_roundBase = m_mean;
    m_movedLinks.assign(m_mean.size(), 0);
    m_movedLinkObjects.assign(m_mean.size(), nullptr);
    for (std::size_t c = 0; c < m_mean.size() && m_mobile; ++c) {
        const bool moves
            = std::find(m_moving[c].begin(), m_moving[c].end(), char(1)) != m_moving[c].end();
        if (moves && !m_mean[c].d2dLinks && m_topology.d2d.fading != FadingModel::GaussMarkov) {
            m_movedLinks[c] = 1;
            m_roundBase[c].d2dGain.clear();
            m_roundBase[c].d2dDistanceM.clear();
        }
    }
}

void ChannelModel::fillGeometry(int c, const std::vector<Position> &positions, ClusterChannel *cc,
    const std::vector<char> *moving) const
{
    const int nodes = static_cast<int>(positions.size());
    cc->positions = positions;
    const bool tables = !cc->d2dLinks; // a big cluster's D2D links are computed per call
    if (!moving) {
        if (tables) {
            cc->d2dGain.assign(nodes * nodes, 0.0);
            cc->d2dDistanceM.assign(nodes * nodes, 0.0);
        }
        cc->d2eGain.assign(nodes, 0.0);
        cc->d2eDistanceM.assign(nodes, 0.0);
    }
    auto moved = [moving](int node) { return !moving || (*moving)[std::size_t(node)] != 0; };
    for (int a = 0; a < nodes; ++a) {
        // D2D distance and path loss are symmetric: computed once per pair.
        for (int b = a + 1; b < nodes && tables; ++b) {
            if (!moved(a) && !moved(b)) {
                continue; // two still nodes: the link is the scenario's
            }
            const double d = distanceM(positions[a], positions[b]);
            const double g = gainFromLossDb(pathLossDb(m_topology.d2d, d));
            cc->d2dDistanceM[a * nodes + b] = cc->d2dDistanceM[b * nodes + a] = d;
            cc->d2dGain[a * nodes + b] = cc->d2dGain[b * nodes + a] = g;
        }
        if (moved(a)) {
            const double d = distanceM(positions[a], m_servers[std::size_t(c)]);
            cc->d2eDistanceM[a] = d;
            cc->d2eGain[a] = gainFromLossDb(pathLossDb(m_topology.d2e, d));
        }
    }
    cc->d2eMeanGain = cc->d2eGain;
}

ChannelState ChannelModel::meanState() const
{
    ChannelState s;
    s.clusters = m_mean;
    return s;
}

void ChannelModel::advanceGaussMarkov(int round)
{
    if (round < m_gmRound || m_gmRound < 0) {
        // Restart: h(0) = w(0), a stationary CN(0, 1) draw.
        m_gmRound = 0;
        m_gmRe.assign(m_mean.size(), {});
        m_gmIm.assign(m_mean.size(), {});
        for (std::size_t c = 0; c < m_mean.size(); ++c) {
            const int nodes = m_mean[c].deviceCount + 1;
            m_gmRe[c].assign(nodes * nodes + nodes, 0.0);
            m_gmIm[c].assign(nodes * nodes + nodes, 0.0);
            for (int a = 0; a < nodes; ++a) {
                for (int b = a + 1; b < nodes; ++b) {
                    complexGaussian(linkKey(m_seed, 0, int(c), false, a, b),
                        &m_gmRe[c][a * nodes + b], &m_gmIm[c][a * nodes + b]);
                }
                complexGaussian(linkKey(m_seed, 0, int(c), true, a, 0),
                    &m_gmRe[c][nodes * nodes + a], &m_gmIm[c][nodes * nodes + a]);
            }
        }
    }
    // h(t) = ρ·h(t−1) + √(1−ρ²)·w(t) (spec §10-N); each link kind has its own ρ.
    const double rhoD2d = m_topology.d2d.fadingCorrelation;
    const double rhoD2e = m_topology.d2e.fadingCorrelation;
    while (m_gmRound < round) {
        ++m_gmRound;
        for (std::size_t c = 0; c < m_mean.size(); ++c) {
            const int nodes = m_mean[c].deviceCount + 1;
            auto step = [&](int idx, double rho, std::uint64_t key) {
                double wr = 0.0;
                double wi = 0.0;
                complexGaussian(key, &wr, &wi);
                const double s = std::sqrt(std::max(0.0, 1.0 - rho * rho));
                m_gmRe[c][idx] = rho * m_gmRe[c][idx] + s * wr;
                m_gmIm[c][idx] = rho * m_gmIm[c][idx] + s * wi;
            };
            for (int a = 0; a < nodes; ++a) {
                for (int b = a + 1; b < nodes; ++b) {
                    step(a * nodes + b, rhoD2d, linkKey(m_seed, m_gmRound, int(c), false, a, b));
                }
                step(nodes * nodes + a, rhoD2e, linkKey(m_seed, m_gmRound, int(c), true, a, 0));
            }
        }
    }
}

double ChannelModel::fadingPower(bool d2e, int round, int cluster, int a, int b) const
{
    const FadingModel model = d2e ? m_topology.d2e.fading : m_topology.d2d.fading;
    if (model == FadingModel::None) {
        return 1.0;
    }
    // D2D links are reciprocal: key and state by the unordered pair. D2E links by their node.
    const int lo = d2e ? a : std::min(a, b);
    const int hi = d2e ? 0 : std::max(a, b);
    if (model == FadingModel::Rayleigh) {
        double re = 0.0;
        double im = 0.0;
        complexGaussian(linkKey(m_seed, round, cluster, d2e, lo, hi), &re, &im);
        return re * re + im * im; // |h|² ~ Exp(1)
    }
    const int nodes = m_mean[cluster].deviceCount + 1;
    const int idx = d2e ? nodes * nodes + lo : lo * nodes + hi;
    const double re = m_gmRe[cluster][idx];
    const double im = m_gmIm[cluster][idx];
    return re * re + im * im;
}

ChannelState ChannelModel::stateForRound(int round, double timeS)
{
    round = std::max(round, 0);
    if (m_topology.d2d.fading == FadingModel::GaussMarkov
        || m_topology.d2e.fading == FadingModel::GaussMarkov) {
        advanceGaussMarkov(round);
    }
    if (m_gaussMarkovTracks > 1) {
        // Several Gauss–Markov nodes walk their steps since the last round together, several
        // per vector instruction (a round spans dozens of steps); at() below then only finishes
        // each, with the same bits as walking alone.
        m_walkTogether.clear();
        for (std::vector<NodeTrack> &cluster : m_tracks) {
            for (NodeTrack &track : cluster) {
                m_walkTogether.push_back(&track);
            }
        }
        NodeTrack::advanceTogether(m_walkTogether, timeS);
    }
    ChannelState s;
    s.round = round;
    s.clusters = m_roundBase;
    const bool fadedD2d = m_topology.d2d.fading == FadingModel::Rayleigh;
    for (std::size_t c = 0; c < s.clusters.size(); ++c) {
        ClusterChannel &cc = s.clusters[c];
        const int nodes = cc.deviceCount + 1;
        if (m_mobile) {
            // The round's geometry: every node where its track is at the round's start. The
            // fading below multiplies the moved path loss (the mean gain follows the node too).
            // Only links with a moving end change (cc starts as the scenario's geometry).
            std::vector<Position> &positions = cc.positions;
            for (int a = 0; a < nodes; ++a) {
                if (m_moving[c][std::size_t(a)]) {
                    positions[std::size_t(a)] = m_tracks[c][std::size_t(a)].at(timeS);
                }
            }
            if (m_movedLinks[c]) {
                // D2D links computed when asked (their fading too); D2E ones below and here.
                // Last round's object is reused when no state holds it any more (the usual
                // case: a round's state is dropped before the next is asked), else a new one.
                std::shared_ptr<D2dLinks> &links = m_movedLinkObjects[c];
                if (links && links.use_count() == 1) {
                    // The last other holder may be the GUI thread (a live run's Gantt keeps a
                    // round's channel to build its timeline when drawn); its reads happen before
                    // its release of the count, and this fence orders them before our writes.
                    std::atomic_thread_fence(std::memory_order_acquire);
                    static_cast<MovedD2dLinks &>(*links).reuse(positions, round);
                } else {
                    links = std::make_shared<MovedD2dLinks>(
                        positions, m_topology.d2d, m_seed, round, int(c), fadedD2d);
                }
                cc.d2dLinks = links;
            }
            fillGeometry(int(c), positions, &cc, &m_moving[c]); // self-assignment is safe
        }
        if (cc.d2dLinks && !m_movedLinks[c]) {
            // A big cluster's links are computed per call: from this round's positions when
            // nodes move, else from the scenario's.
            cc.d2dLinks = m_mobile
                ? std::make_shared<ComputedD2dLinks>(
                    cc.positions, m_topology.d2d, m_seed, round, int(c), fadedD2d)
                : static_cast<const ComputedD2dLinks &>(*cc.d2dLinks).forRound(round, fadedD2d);
        }
        for (int a = 0; a < nodes; ++a) {
            // D2D fading is reciprocal (fadingPower() keys the unordered pair): one draw for
            // both directions (the draws were most of a cost-only round of a static policy).
            for (int b = a + 1; b < nodes && !cc.d2dLinks; ++b) {
                const double fading = fadingPower(false, round, int(c), a, b);
                cc.d2dGain[a * nodes + b] *= fading;
                cc.d2dGain[b * nodes + a] *= fading;
            }
            cc.d2eGain[a] *= fadingPower(true, round, int(c), a, 0);
        }
    }
    return s;
}

} // namespace collapipe
