// SPDX-License-Identifier: MIT
#include "core/optimizer/resource_search.h"

#include "core/types/special_values.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
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
    /// ln(−(Σ w·t)'(β)), −inf if zero; point i is valid once bit i of `known` is set (derivAt()).
    mutable double logNegDeriv[kPoints];
    mutable std::uint64_t known = 0;
    double logOcc[kPoints]; ///< ln(occupancy(β))
    bool flat = false;      ///< no weighted traffic: derivative ≡ 0
    BandLink link;          ///< what the table samples (derivAt() fills points on demand)
    double bandwidthHz = 0.0;

    static double logBeta(int i) { return kMinLog * (1.0 - double(i) / (kPoints - 1)); }

    /// exp(logBeta(i)) for every grid point: the same std::exp of the same argument, computed
    /// once per process instead of once per point of every table (the same bits).
    static const double *betas()
    {
        static const std::vector<double> table = [] {
            std::vector<double> t(kPoints);
            for (int i = 0; i < kPoints; ++i) {
                t[std::size_t(i)] = std::exp(logBeta(i));
            }
            return t;
        }();
        return table.data();
    }

    bool hasOcc = false; ///< logOcc filled (buildOccupancy()): only the τ search reads it

    /// Point i of the derivative half: the same expression whenever it is computed.
    void fillDeriv(int i) const
    {
        const double d = linkSumDerivative(link, bandwidthHz, betas()[i]);
        logNegDeriv[i] = d < 0.0 ? std::log(-d) : -kInf;
        known |= std::uint64_t(1) << i;
    }
    double derivAt(int i) const
    {
        if (!(known >> i & 1u)) {
            fillDeriv(i);
        }
        return logNegDeriv[i];
    }

    /// The derivative half, point by point when a multiplier search reads it (a search touches
    /// the few points around its answer: ~a third of them); the occupancy half waits until the
    /// τ search needs it (a problem whose bottleneck does not depend on β returns after the
    /// first water-filling). `flat` needs every point unless one of them is already negative:
    /// the full band's point decides it for any link with weighted traffic.
    void build(const BandLink &l, double w)
    {
        link = l;
        bandwidthHz = w;
        known = 0;
        hasOcc = false;
        // A point is −inf exactly when its derivative is not negative (ln of a positive
        // double is never −inf), so the stored points tell `flat` without recomputing them.
        fillDeriv(kPoints - 1);
        flat = logNegDeriv[kPoints - 1] == -kInf;
        for (int i = 0; flat && i < kPoints - 1; ++i) {
            fillDeriv(i);
            flat = logNegDeriv[i] == -kInf;
        }
    }

    void buildOccupancy()
    {
        const double *beta0 = betas();
        for (int i = 0; i < kPoints; ++i) {
            const double occ = linkTimeS(link, bandwidthHz, beta0[i]);
            logOcc[i] = occ > 0.0 ? std::log(occ) : -kInf;
        }
        hasOcc = true;
    }

    /// β where the decreasing sequence `at(i)` (in log) crosses `target`, log-linear.
    template <typename At> static double crossing(const At &at, double target)
    {
        int lo = 0;
        int hi = kPoints - 1;
        if (at(hi) >= target) {
            return 1.0;
        }
        if (at(lo) <= target) {
            return betas()[0];
        }
        while (hi - lo > 1) {
            const int mid = (lo + hi) / 2;
            (at(mid) > target ? lo : hi) = mid;
        }
        const double a = at(lo);
        const double b = at(hi);
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
        return std::clamp(crossing([this](int i) { return derivAt(i); }, logLambda), lower, 1.0);
    }

    /// Smallest share with occupancy ≤ τ (given as ln τ); > 1 if even the full band is slower.
    double shareForLogTime(double logTau) const
    {
        if (logOcc[kPoints - 1] > logTau) {
            return kInf;
        }
        return crossing([this](int i) { return logOcc[i]; }, logTau);
    }
};

/// LinkTable::build() of recent links, per thread (direct-mapped on a hash of the link's
/// inputs, compared bit for bit): a table depends on the link alone, and the BCD and the
/// screening candidates of one cluster ask for the same links (same devices, powers, M) many
/// times. A hit copies the table a build would compute from the same inputs (the same bits).
struct LinkTableMemo
{
    static constexpr std::size_t kSlots = 256;
    struct Slot
    {
        bool used = false;
        double key[7] = {};
        LinkTable table;
    };
    std::vector<Slot> slots = std::vector<Slot>(kSlots);
};

/// The memo slot of a link; `key` receives the link's inputs.
LinkTableMemo::Slot &linkTableSlot(const BandLink &link, double bandwidthHz, double (&key)[7])
{
    thread_local LinkTableMemo memo;
    const double in[7] = {link.forward.bits, link.forward.snr, link.forward.sumWeight,
        link.backward.bits, link.backward.snr, link.backward.sumWeight,
        bandwidthHz * (link.serialised ? -1.0 : 1.0)};
    std::memcpy(key, in, sizeof in);
    std::uint64_t hash = 14695981039346656037ull;
    for (double k : in) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &k, sizeof bits);
        hash = (hash ^ bits) * 1099511628211ull;
        hash ^= hash >> 29;
    }
    return memo.slots[std::size_t(hash % LinkTableMemo::kSlots)];
}

/// LinkTable::build() of `link`, from the memo when it holds the same link.
void linkTableOf(const BandLink &link, double bandwidthHz, LinkTable *out)
{
    double key[7];
    LinkTableMemo::Slot &slot = linkTableSlot(link, bandwidthHz, key);
    if (slot.used && std::memcmp(slot.key, key, sizeof key) == 0) {
        *out = slot.table;
        return;
    }
    out->build(link, bandwidthHz);
    slot.used = true;
    std::memcpy(slot.key, key, sizeof key);
    slot.table = *out;
}

/// Fills `table`'s occupancy half (LinkTable::buildOccupancy()) unless it has it, and keeps it
/// in the memo slot if that still holds this link.
void linkOccupancyOf(const BandLink &link, double bandwidthHz, LinkTable *table)
{
    if (table->hasOcc) {
        return;
    }
    table->buildOccupancy();
    double key[7];
    LinkTableMemo::Slot &slot = linkTableSlot(link, bandwidthHz, key);
    if (slot.used && std::memcmp(slot.key, key, sizeof key) == 0) {
        slot.table = *table;
    }
}

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

/// bandObjective() and maxLinkTime() of the same shares in one pass: each flow's time (a
/// logarithm) is computed once and used in both, with the sums and maxima of the two functions
/// in their order (the same bits as calling both).
double objectiveAndMaxLinkTime(
    const BandProblem &problem, const std::vector<double> &shares, double *maxLinkOut)
{
    double sum = 0.0;
    double max = 0.0;
    for (std::size_t i = 0; i < problem.links.size(); ++i) {
        const BandLink &link = problem.links[i];
        const double forward = flowTime(link.forward, problem.bandwidthHz, shares[i]);
        const double backward = flowTime(link.backward, problem.bandwidthHz, shares[i]);
        double value = 0.0; // linkSumValue()
        if (link.forward.sumWeight != 0.0) {
            value += link.forward.sumWeight * forward;
        }
        if (link.backward.sumWeight != 0.0) {
            value += link.backward.sumWeight * backward;
        }
        sum += value;
        max = std::max(max, link.serialised ? forward + backward : std::max(forward, backward));
    }
    if (maxLinkOut) {
        *maxLinkOut = max;
    }
    return sum + problem.bottleneckWeight * std::max(problem.fixedMax, max);
}

} // namespace

double goldenSectionMin(
    const std::function<double(double)> &f, double lo, double hi, int iterations, double *value)
{
    return goldenSectionMinOf(f, lo, hi, iterations, value);
}

double linkTimeS(const BandLink &link, double bandwidthHz, double share)
{
    const double forward = flowTime(link.forward, bandwidthHz, share);
    const double backward = flowTime(link.backward, bandwidthHz, share);
    return link.serialised ? forward + backward : std::max(forward, backward);
}

double bandObjective(const BandProblem &problem, const std::vector<double> &shares)
{
    return objectiveAndMaxLinkTime(problem, shares, nullptr);
}

/// allocateBandwidth()'s per-thread memo: the last 64 problems of two or more links and their
/// shares. The BCD of one cluster often asks the same problem again (a candidate whose DP
/// repeats the segments, another order with the same devices in use); a hit returns the shares
/// the solve would compute from the same inputs, compared bit for bit (issue [5/7]).
namespace bandmemo {

/// Every input of allocateBandwidth() as raw doubles (compared bit for bit).
void keyOf(const BandProblem &problem, std::vector<double> *key)
{
    key->clear();
    key->push_back(problem.bandwidthHz);
    key->push_back(problem.bottleneckWeight);
    key->push_back(problem.fixedMax);
    for (const BandLink &link : problem.links) {
        for (const LinkFlow *flow : {&link.forward, &link.backward}) {
            key->push_back(flow->bits);
            key->push_back(flow->snr);
            key->push_back(flow->sumWeight);
        }
        key->push_back(link.serialised ? 1.0 : 0.0);
    }
}

struct Entry
{
    std::vector<double> key;
    std::vector<double> shares;
};

struct Memo
{
    static constexpr std::size_t kEntries = 64;
    std::vector<Entry> entries;
    std::size_t next = 0;
    std::vector<double> key;
};

} // namespace bandmemo

std::vector<double> allocateBandwidth(const BandProblem &problem)
{
    thread_local bandmemo::Memo memo;
    if (problem.links.size() >= 2) {
        bandmemo::keyOf(problem, &memo.key);
        for (const bandmemo::Entry &e : memo.entries) {
            if (e.key.size() == memo.key.size()
                && std::memcmp(e.key.data(), memo.key.data(), e.key.size() * sizeof(double)) == 0) {
                return e.shares;
            }
        }
        std::vector<double> shares = allocateBandwidthUncached(problem);
        if (memo.entries.size() < bandmemo::Memo::kEntries) {
            memo.entries.push_back({memo.key, shares});
        } else {
            memo.entries[memo.next] = {memo.key, shares};
            memo.next = (memo.next + 1) % bandmemo::Memo::kEntries;
        }
        return shares;
    }
    return allocateBandwidthUncached(problem);
}

std::vector<double> allocateBandwidthUncached(const BandProblem &problem)
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
        linkTableOf(problem.links[i], problem.bandwidthHz, &tables[i]);
    }
    const std::vector<double> zeros(n, 0.0);
    std::vector<double> best = waterFill(tables, zeros);
    double wsMax = 0.0;
    double bestValue = objectiveAndMaxLinkTime(problem, best, &wsMax);
    if (problem.bottleneckWeight <= 0.0 || wsMax <= problem.fixedMax) {
        return best; // the bottleneck does not depend on β: pure water-filling is optimal
    }
    for (std::size_t i = 0; i < n; ++i) {
        linkOccupancyOf(problem.links[i], problem.bandwidthHz, &tables[i]);
    }
    std::vector<double> lower(n);
    auto lowerFor = [&](double tau, double *sum) {
        const double logTau = std::log(tau); // once per τ, not twice per link
        *sum = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            lower[i] = tables[i].shareForLogTime(logTau);
            *sum += lower[i];
        }
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
        lowerFor(tau, &sum);
        if (sum > 1.0) {
            for (double &l : lower) {
                l /= sum;
            }
        }
        return waterFill(tables, lower);
    };
    // The golden section returns one of the τ it evaluated: keep each one's shares and value
    // instead of solving the returned τ again (the same function of the same τ).
    struct Evaluated
    {
        double tau = 0.0;
        double value = 0.0;
        std::vector<double> shares;
    };
    std::vector<Evaluated> evaluated;
    evaluated.reserve(32);
    const double tau = goldenSectionMin(
        [&](double t) {
            Evaluated e{t, 0.0, sharesFor(t)};
            e.value = bandObjective(problem, e.shares);
            evaluated.push_back(std::move(e));
            return evaluated.back().value;
        },
        tauMin, wsMax, 22);
    for (Evaluated &e : evaluated) {
        if (e.tau == tau) { // bit-equal: the returned argument is one of the evaluated ones
            if (e.value < bestValue) {
                best = std::move(e.shares);
                bestValue = e.value;
            }
            return best;
        }
    }
    std::vector<double> candidate = sharesFor(tau);
    const double value = bandObjective(problem, candidate);
    if (value < bestValue) {
        best = std::move(candidate);
        bestValue = value;
    }
    return best;
}

} // namespace collapipe
