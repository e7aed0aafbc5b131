// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/channel/node_mobility.h"
#include "core/scenario/scenario.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

/// Per-round radio channel of every D2D and D2E link (spec §2.2, §7, §10-N), plus the pure radio
/// formulas the cost model and the optimizer use. See core/MODEL.md "Channel".
namespace collapipe {

/// Distances below this are clamped (metres): both path-loss formulas diverge at d → 0 and two
/// devices never share a point in space.
inline constexpr double kMinLinkDistanceM = 1.0;

/// Large-scale path loss in dB at `distanceM` metres (clamped to kMinLinkDistanceM), spec §2.2/§7:
/// LogDistance: referenceLossDb + 10·pathLossExponent·log10(d / 1 m);
/// ThreeGpp: 128.1 + 37.6·log10(d / 1 km).
double pathLossDb(const ChannelSettings &settings, double distanceM);

/// Linear power gain of a path loss in dB: 10^(−dB/10).
double gainFromLossDb(double lossDb);

/// Noise power in watts over `bandwidthHz` for a noise PSD in dBm/Hz: 10^((N0−30)/10)·W.
double noisePowerW(double bandwidthHz, double noisePsdDbmPerHz);

/// Received SNR in dB: 10·log10(p·g / (N0·W)). Returns −infinity if power, gain or bandwidth ≤ 0.
double snrDb(double bandwidthHz, double powerW, double gain, double noisePsdDbmPerHz);

/// Shannon rate in bit/s: W·log2(1 + p·g / (N0·W)) (spec §2.2; W = β·W_total for a share β).
/// Returns 0 if bandwidth, power or gain ≤ 0.
double shannonRateBps(double bandwidthHz, double powerW, double gain, double noisePsdDbmPerHz);

/// shannonRateBps() with the noise PSD already in W/Hz: the optimizer's inner loops convert it
/// once (a pow() per call was 8 % of a decision).
inline double shannonRateBpsPsdW(double bandwidthHz, double powerW, double gain, double n0WPerHz)
{
    if (bandwidthHz <= 0.0 || powerW <= 0.0 || gain <= 0.0) {
        return 0.0;
    }
    return bandwidthHz * std::log2(1.0 + powerW * gain / (n0WPerHz * bandwidthHz));
}

/// e^x·E1(x) for x > 0 (E1 the exponential integral, E1(x) = −Ei(−x)): finite for every x > 0
/// although e^x overflows past x ≈ 709 (asymptotic series there). +inf at x ≤ 0.
double scaledExpIntegralE1(double x);

/// Ergodic spectral efficiency E[log2(1 + ρ·X)] in bit/s/Hz at mean SNR ρ (linear) over the
/// block-fading power X of `fading` (spec §2.2, §10-N): Rayleigh and Gauss–Markov (whose marginal
/// is the same Rayleigh, X ~ Exp(1)) give e^{1/ρ}·E1(1/ρ)/ln 2; None gives log2(1 + ρ).
/// 0 if ρ ≤ 0.
double ergodicSpectralEfficiency(FadingModel fading, double meanSnr);

/// Ergodic Shannon rate in bit/s: W·E[log2(1 + p·ḡ·X / (N0·W))] with ḡ the path-loss-only gain
/// (`meanGain`). For a transfer that spans many coherence times the fading averages out and this,
/// not one block draw, is its rate (core/MODEL.md "Long transfers"). 0 if W, p or ḡ ≤ 0.
double ergodicRateBps(FadingModel fading, double bandwidthHz, double powerW, double meanGain,
    double noisePsdDbmPerHz);

/// Euclidean distance in metres.
double distanceM(const Position &a, const Position &b);

/// Clusters of more nodes (devices + control unit) than this keep their D2D links as a
/// D2dLinks that computes them per call instead of (K+1)² tables (ClusterChannel::d2dLinks),
/// unless their D2D fading is Gauss–Markov (its per-link state is the table). Above DSSDA's
/// device pool (160 devices) the solver asks O(K) links, not K², so drawing the table would be
/// most of a round (1 × 1,000: 2·10⁶ gains and distances per round).
inline constexpr int kTabulatedD2dNodes = 256;

/// Seeded block-fading channel of a topology. Node indexing per ClusterChannel: devices 0..K−1,
/// the control unit at K. Every link's fading draw is a pure function of (seed, round, cluster,
/// link), so a round's state does not depend on which rounds were asked before; D2D links are
/// reciprocal (gain(a,b) == gain(b,a)). Gauss–Markov fading depends on the previous rounds: the
/// model iterates from round 0 and caches the last state, so asking rounds in increasing order
/// costs O(links) per round, and any order gives the same numbers. Not thread-safe (the cache).
class ChannelModel
{
public:
    /// Copies what it needs from `topology` (positions, settings); `seed` selects the fading.
    /// Clusters of more than `tabulatedNodes` nodes get computed D2D links (ClusterChannel::
    /// d2dLinks; tests lower it to compare both forms on one topology).
    ChannelModel(
        const Topology &topology, std::uint64_t seed, int tabulatedNodes = kTabulatedD2dNodes);

    /// Gains and distances of every link in `round` (≥ 0; negative rounds are treated as 0), with
    /// every moving node where its mobility puts it at `timeS` seconds of simulated time (the
    /// round's start on the run's clock; core/MODEL.md "Mobility"). Without mobility the time
    /// changes nothing.
    ChannelState stateForRound(int round, double timeS = 0.0);

    /// True when some device or control unit moves.
    bool hasMobility() const { return m_mobile; }

    /// The fading-free state (path loss only), e.g. for planning with average channels.
    ChannelState meanState() const;

private:
    void advanceGaussMarkov(int round);
    /// Distances, path-loss gains and positions of cluster `c` with its nodes at `positions`.
    /// With `moving` (one flag per node), only the links with a moving end are recomputed: the
    /// others keep the values `cc` holds (the scenario's).
    void fillGeometry(int c, const std::vector<Position> &positions, ClusterChannel *cc,
        const std::vector<char> *moving = nullptr) const;
    double fadingPower(bool d2e, int round, int cluster, int a, int b) const;

    Topology m_topology;
    std::uint64_t m_seed = 0;
    std::vector<ClusterChannel> m_mean;           ///< path loss only, at the scenario's positions
    std::vector<Position> m_servers;              ///< [cluster]: its edge server's position
    std::vector<std::vector<NodeTrack>> m_tracks; ///< [cluster][node]; empty without mobility
    std::vector<std::vector<char>> m_moving;      ///< [cluster][node]: the node has mobility
    /// [cluster]: some node moves, so its D2D links are computed when asked (MovedD2dLinks in
    /// channel_model.cpp) rather than tabulated; not with Gauss–Markov D2D fading (its per-link
    /// state is the table) nor for the clusters whose links are computed anyway.
    std::vector<char> m_movedLinks;
    /// [cluster]: the D2dLinks of such a cluster's last round (MovedD2dLinks), reused for the
    /// next when no ChannelState holds it any more (no allocation per round).
    std::vector<std::shared_ptr<D2dLinks>> m_movedLinkObjects;
    std::vector<ClusterChannel> m_roundBase; ///< m_mean without those clusters' D2D tables
    int m_gaussMarkovTracks = 0;             ///< tracks of the Gauss–Markov model
    std::vector<NodeTrack *> m_walkTogether; ///< scratch: those tracks, for one round
    bool m_mobile = false;
    // Gauss–Markov state: complex h per link, [cluster][link] with links d2d pairs then d2e.
    int m_gmRound = -1;
    std::vector<std::vector<double>> m_gmRe;
    std::vector<std::vector<double>> m_gmIm;
};

} // namespace collapipe
