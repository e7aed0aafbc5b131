// SPDX-License-Identifier: MIT
#include "core/optimizer/resource_search.h"

#include "core/types/special_values.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {

constexpr double kMinShare = 1e-9;

double flowTime(const LinkFlow &flow, double bandwidthHz, double share)
{
    if (flow.bits <= 0.0) {
        return 0.0;
    }
    if (share <= 0.0 || flow.snr <= 0.0 || bandwidthHz <= 0.0) {
        return kInf;
    }
    // Spec §2.2: r = β·W·log2(1 + p·g/(β·W·N0)) = β·W·log2(1 + snr/β).
    return flow.bits / (share * bandwidthHz * std::log2(1.0 + flow.snr / share));
}

/// d t / d β of one flow (analytic): t = bits·ln2 / (W·u), u = β·ln(1 + s/β).
double flowTimeDerivative(const LinkFlow &flow, double bandwidthHz, double share)
{
    if (flow.bits <= 0.0 || flow.sumWeight == 0.0) {
        return 0.0;
    }
    const double logTerm = std::log1p(flow.snr / share);
    const double u = share * logTerm;
    const double du = logTerm - flow.snr / (share + flow.snr);
    return -flow.bits * std::log(2.0) / (bandwidthHz * u * u) * du;
}

double linkSumValue(const BandLink &link, double bandwidthHz, double share)
{
    double value = 0.0;
    if (link.forward.sumWeight != 0.0) {
        value += link.forward.sumWeight * flowTime(link.forward, bandwidthHz, share);
    }
    if (link.backward.sumWeight != 0.0) {
        value += link.backward.sumWeight * flowTime(link.backward, bandwidthHz, share);
    }
    return value;
}

double linkSumDerivative(const BandLink &link, double bandwidthHz, double share)
{
    return link.forward.sumWeight * flowTimeDerivative(link.forward, bandwidthHz, share)
        + link.backward.sumWeight * flowTimeDerivative(link.backward, bandwidthHz, share);
}

/// A link's sum-weighted derivative and occupancy sampled on a log grid of β, so the many
/// multiplier and τ inversions of one allocation need no logarithms (interpolated in log–log,
/// where t ∝ 1/β and t' ∝ −1/β² are nearly straight).
struct LinkTable
{
    static constexpr int kPoints = 64;
    static constexpr double kMinLog = -11.5; ///< ln(1e-5)
    double logNegDeriv[kPoints];             ///< ln(−(Σ w·t)'(β)), −inf if zero
    double logOcc[kPoints];                  ///< ln(occupancy(β))
    bool flat = false;                       ///< no weighted traffic: derivative ≡ 0

    static double logBeta(int i) { return kMinLog * (1.0 - double(i) / (kPoints - 1)); }

    void build(const BandLink &link, double bandwidthHz)
    {
        flat = true;
        for (int i = 0; i < kPoints; ++i) {
            const double beta = std::exp(logBeta(i));
            const double d = linkSumDerivative(link, bandwidthHz, beta);
            logNegDeriv[i] = d < 0.0 ? std::log(-d) : -kInf;
            flat = flat && !(d < 0.0);
            const double occ = linkTimeS(link, bandwidthHz, beta);
            logOcc[i] = occ > 0.0 ? std::log(occ) : -kInf;
        }
    }

    /// β where the decreasing sequence `values` (in log) crosses `target`, log-linear.
    static double crossing(const double *values, double target)
    {
        int lo = 0;
        int hi = kPoints - 1;
        if (values[hi] >= target) {
            return 1.0;
        }
        if (values[lo] <= target) {
            return std::exp(logBeta(0));
        }
        while (hi - lo > 1) {
            const int mid = (lo + hi) / 2;
            (values[mid] > target ? lo : hi) = mid;
        }
        const double a = values[lo];
        const double b = values[hi];
        const double f
            = std::isfinite(a) && std::isfinite(b) && a != b ? (a - target) / (a - b) : 1.0;
        return std::exp(logBeta(lo) + f * (logBeta(hi) - logBeta(lo)));
    }

    /// Stationary share for multiplier λ: −(Σ w·t)'(β) = λ, clamped to [lower, 1].
    double shareForMultiplier(double logLambda, double lower) const
    {
        if (flat) {
            return lower;
        }
        return std::clamp(crossing(logNegDeriv, logLambda), lower, 1.0);
    }

    /// Smallest share with occupancy ≤ τ; > 1 if even the full band is slower.
    double shareForTime(double tau) const
    {
        if (logOcc[kPoints - 1] > std::log(tau)) {
            return kInf;
        }
        return crossing(logOcc, std::log(tau));
    }
};

/// Water-filling: shares ≥ lower with Σ = 1 minimising Σ w·t (bisection on the multiplier λ).
std::vector<double> waterFill(
    const std::vector<LinkTable> &tables, const std::vector<double> &lower)
{
    const std::size_t n = tables.size();
    double lowerSum = 0.0;
    for (double l : lower) {
        lowerSum += l;
    }
    std::vector<double> shares(lower);
    if (lowerSum < 1.0) {
        auto total = [&](double logLambda) {
            double sum = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                shares[i] = tables[i].shareForMultiplier(logLambda, lower[i]);
                sum += shares[i];
            }
            return sum;
        };
        // Σβ(λ) decreases in λ: find Σβ = 1 in ln λ over a range wider than any derivative
        // here, by regula falsi with the Illinois fix and a bisection every third step (the
        // sum is flat where shares clamp, where plain secant steps would crawl).
        double lo = -120.0;
        double hi = 120.0;
        double fLo = total(lo) - 1.0;
        double fHi = total(hi) - 1.0;
        int side = 0;
        for (int it = 0; it < 60 && fLo > 0.0 && fHi < 0.0 && hi - lo > 1e-9; ++it) {
            const double x = it % 3 == 2 ? 0.5 * (lo + hi) : (lo * fHi - hi * fLo) / (fHi - fLo);
            const double fx = total(x) - 1.0;
            if (std::abs(fx) < 1e-10) {
                lo = hi = x;
                break;
            }
            if (fx > 0.0) {
                lo = x;
                fLo = fx;
                fHi = side == +1 ? 0.5 * fHi : fHi;
                side = +1;
            } else {
                hi = x;
                fHi = fx;
                fLo = side == -1 ? 0.5 * fLo : fLo;
                side = -1;
            }
        }
        total(fHi >= 0.0 ? hi : (fLo <= 0.0 ? lo : hi));
    }
    // Hand any remainder to the links in proportion (more band never hurts, §2.2).
    double sum = 0.0;
    for (double x : shares) {
        sum += x;
    }
    if (sum > 0.0) {
        for (double &x : shares) {
            x /= sum;
        }
    } else if (n > 0) {
        std::fill(shares.begin(), shares.end(), 1.0 / double(n));
    }
    return shares;
}

double maxLinkTime(const BandProblem &problem, const std::vector<double> &shares)
{
    double max = 0.0;
    for (std::size_t i = 0; i < problem.links.size(); ++i) {
        max = std::max(max, linkTimeS(problem.links[i], problem.bandwidthHz, shares[i]));
    }
    return max;
}

} // namespace

double goldenSectionMin(
    const std::function<double(double)> &f, double lo, double hi, int iterations, double *value)
{
    const double invPhi = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = lo;
    double b = hi;
    double c = b - invPhi * (b - a);
    double d = a + invPhi * (b - a);
    double fc = f(c);
    double fd = f(d);
    for (int it = 0; it < iterations; ++it) {
        if (fc <= fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - invPhi * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + invPhi * (b - a);
            fd = f(d);
        }
    }
    double bestX = fc <= fd ? c : d;
    double bestF = std::min(fc, fd);
    for (double x : {lo, hi}) {
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

double linkTimeS(const BandLink &link, double bandwidthHz, double share)
{
    const double forward = flowTime(link.forward, bandwidthHz, share);
    const double backward = flowTime(link.backward, bandwidthHz, share);
    return link.serialised ? forward + backward : std::max(forward, backward);
}

double bandObjective(const BandProblem &problem, const std::vector<double> &shares)
{
    double sum = 0.0;
    for (std::size_t i = 0; i < problem.links.size(); ++i) {
        sum += linkSumValue(problem.links[i], problem.bandwidthHz, shares[i]);
    }
    return sum
        + problem.bottleneckWeight * std::max(problem.fixedMax, maxLinkTime(problem, shares));
}

std::vector<double> allocateBandwidth(const BandProblem &problem)
{
    const std::size_t n = problem.links.size();
    if (n == 0) {
        return {};
    }
    if (n == 1) {
        // One link gets the whole band whatever its flows: every path below ends in shares
        // normalised to Σ = 1 (x / x, or 1/n when the share is 0 or not a number). A pipeline
        // of one stage (the edge-tail plans of default.json) asks this in every BCD round.
        return {1.0};
    }
    std::vector<LinkTable> tables(n);
    for (std::size_t i = 0; i < n; ++i) {
        tables[i].build(problem.links[i], problem.bandwidthHz);
    }
    const std::vector<double> zeros(n, 0.0);
    std::vector<double> best = waterFill(tables, zeros);
    double bestValue = bandObjective(problem, best);
    const double wsMax = maxLinkTime(problem, best);
    if (problem.bottleneckWeight <= 0.0 || wsMax <= problem.fixedMax) {
        return best; // the bottleneck does not depend on β: pure water-filling is optimal
    }
    auto lowerFor = [&](double tau, double *sum) {
        std::vector<double> lower(n);
        *sum = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            lower[i] = tables[i].shareForTime(tau);
            *sum += lower[i];
        }
        return lower;
    };
    // Smallest achievable bottleneck: all links finish together (Σ t⁻¹(τ) = 1).
    double lo = 0.0;
    double hi = wsMax;
    for (int it = 0; it < 50 && hi - lo > 1e-12 * hi; ++it) {
        const double mid = 0.5 * (lo + hi);
        double sum = 0.0;
        lowerFor(mid, &sum);
        (sum > 1.0 ? lo : hi) = mid;
    }
    const double tauMin = std::max(hi, problem.fixedMax);
    if (tauMin >= wsMax) {
        return best;
    }
    // G(τ) = min over β with occupancy_i(β_i) ≤ τ of the objective: convex in τ.
    auto sharesFor = [&](double tau) {
        double sum = 0.0;
        std::vector<double> lower = lowerFor(tau, &sum);
        if (sum > 1.0) {
            for (double &l : lower) {
                l /= sum;
            }
        }
        return waterFill(tables, lower);
    };
    const double tau = goldenSectionMin(
        [&](double t) { return bandObjective(problem, sharesFor(t)); }, tauMin, wsMax, 22);
    std::vector<double> candidate = sharesFor(tau);
    const double value = bandObjective(problem, candidate);
    if (value < bestValue) {
        best = std::move(candidate);
        bestValue = value;
    }
    return best;
}

} // namespace collapipe
