// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <limits>
#include <utility>
#include <vector>

/// The continuous sub-problems of DSSDA (spec §6 steps 2.2–2.3): a 1-D power search and a convex
/// bandwidth allocation. Pure numerics over small plain structs, no scenario types.
namespace collapipe {

/// Minimum of a function on [lo, hi] by golden-section search (spec §6 step 2.2). Exact for
/// unimodal f; the end points are also evaluated so a monotone f returns its better end.
/// Returns the argument; `value` (if not null) receives f at it.
double goldenSectionMin(const std::function<double(double)> &f, double lo, double hi,
    int iterations, double *value = nullptr);

/// Golden-section search (see goldenSectionMin()) that skips evaluations a lower bound settles (issue [6/7]: the exact
/// polish's power search, each evaluation a pipeline recursion). `lowerBound(x)` ≤ f(x) for
/// every x. A new point whose bound already loses to the other point (c: bound > f(d); d:
/// bound ≥ f(c)) is discarded by the next comparison whatever its value, so its bound stands in
/// for it (it never becomes the result), and an end point whose bound is not below the best is
/// not evaluated: the same comparisons, the same argument and value as without the bound.
template <class F, class B>
double goldenSectionMinPrunedOf(
    F &&f, B &&lowerBound, double lo, double hi, int iterations, double *value = nullptr)
{
    const double invPhi = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = lo;
    double b = hi;
    double c = b - invPhi * (b - a);
    double d = a + invPhi * (b - a);
    double fc = f(c);
    double fd = lowerBound(d);
    fd = fd >= fc ? fd : f(d);
    for (int it = 0; it < iterations; ++it) {
        if (fc <= fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - invPhi * (b - a);
            fc = lowerBound(c);
            fc = fc > fd ? fc : f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + invPhi * (b - a);
            fd = lowerBound(d);
            fd = fd >= fc ? fd : f(d);
        }
    }
    double bestX = fc <= fd ? c : d;
    double bestF = std::min(fc, fd);
    for (double x : {lo, hi}) {
        if (!(lowerBound(x) < bestF)) {
            continue;
        }
        const double fx = f(x);
        if (fx < bestF) {
            bestF = fx;
            bestX = x;
        }
    }
    if (value) {
        *value = bestF;
    }
    return bestX;
}

/// goldenSectionMin() for any callable, without the std::function call per evaluation (the
/// power search's inner loop): the same points in the same order, so the same result. It is the
/// pruned search with a bound of −∞, which settles nothing for an f that never returns −∞ (no
/// objective does): every point is evaluated, and an end point is skipped only when the best is
/// NaN, which no value can beat anyway.
template <class F>
double goldenSectionMinOf(F &&f, double lo, double hi, int iterations, double *value = nullptr)
{
    const auto noBound = [](double) { return -std::numeric_limits<double>::infinity(); };
    return goldenSectionMinPrunedOf(std::forward<F>(f), noBound, lo, hi, iterations, value);
}

/// One direction of traffic over a link: `bits` per micro-batch sent at full-band SNR `snr`
/// (p·g / (N0·W)); with a share β the time is bits / (β·W·log2(1 + snr/β)) (spec §2.2).
struct LinkFlow
{
    double bits = 0.0;
    double snr = 0.0;
    double sumWeight = 1.0; ///< objective weight of this flow's time in the additive term
};

/// A link of the cluster's D2D band: up to two flows (activations forward, gradients back).
struct BandLink
{
    LinkFlow forward;
    LinkFlow backward;
    /// GPipe: all forwards, a flush, then all backwards, so the two directions pace different
    /// phases and their times add up in the bottleneck (issue [3/7] finding 1) instead of the
    /// slower one bounding it (1F1B, where they overlap).
    bool serialised = false;
};

/// The bandwidth problem for fixed segments, M and powers (spec §6 step 2.3):
///   min_β  Σ_i Σ_flows w·t(β_i)  +  bottleneckWeight · max(fixedMax, max_i t_i(β_i))
///   s.t.   Σ_i β_i ≤ 1, β_i ≥ 0,
/// where t_i = max(forward, backward) time: the two directions of a boundary are separate
/// flow-shop resources (full duplex, core/MODEL.md "Links"), so each one's occupancy bounds the
/// bottleneck. Convex: every flow time is convex decreasing in β.
struct BandProblem
{
    double bandwidthHz = 0.0;
    double bottleneckWeight = 0.0; ///< M − 1 (times V if the sum weights carry V)
    double fixedMax = 0.0;         ///< the slowest resource that does not depend on β
    std::vector<BandLink> links;
};

/// Occupancy of one link at share β: the slower direction, or both if `serialised`
/// (s per micro-batch).
double linkTimeS(const BandLink &link, double bandwidthHz, double share);
/// Objective of BandProblem at `shares`.
double bandObjective(const BandProblem &problem, const std::vector<double> &shares);

/// Solves BandProblem: epigraph variable τ for the bottleneck, golden-section search over τ
/// (the partial minimum is convex in τ), and for each τ a water-filling with lower bounds
/// β_i ≥ t_i⁻¹(τ) found by bisection on the multiplier of Σβ = 1. Returns the shares (Σ = 1).
std::vector<double> allocateBandwidth(const BandProblem &problem);
/// allocateBandwidth() without its per-thread memo of recent problems (the same answer).
std::vector<double> allocateBandwidthUncached(const BandProblem &problem);

} // namespace collapipe
