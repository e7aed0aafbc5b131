// SPDX-License-Identifier: MIT
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

/// Reductions and scalar functions whose result is fixed by the source, not by the CPU or the
/// compiler flags (issue [3/7] finding 8). Eigen's reductions (sum, mean, colwise sums,
/// squaredNorm) split a sum over packets of 4, 8 or 16 floats depending on -march, and its fast
/// float sqrt is an rsqrt estimate refined by one Newton step (its value differs between Intel
/// and AMD); glibc's exp/log/pow/cos pick FMA variants by CPUID. The trainer's float path uses
/// these instead. Every function adds in one fixed order and only uses +, −, ×, ÷ and sqrt
/// (IEEE exact), so each result is the same bits on any x86-64 CPU at any vector width; the
/// target is built with -ffp-contract=off so nothing is fused. Templated on the scalar so the
/// gradient checks (double) run the same code.
namespace collapipe::fixed {

/// Σ f(i), i < n: eight interleaved partial sums (lane i mod 8, each in increasing i), then
/// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)). The lanes let the compiler vectorise the
/// loop without reassociating anything.
template <typename T, typename F> T sumOf(long n, F f)
{
    T lane[8] = {};
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int j = 0; j < 8; ++j) {
            lane[j] += f(i + j);
        }
    }
    for (int j = 0; i + j < n; ++j) {
        lane[j] += f(i + j);
    }
    return ((lane[0] + lane[1]) + (lane[2] + lane[3]))
        + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

template <typename T> T sum(const T *x, long n)
{
    return sumOf<T>(n, [x](long i) { return x[i]; });
}

/// out[j] += Σ_r f(r, j) for r < rows (the sum over r in increasing order, from 0), j < cols.
template <typename T, typename F> void addColumnSumsOf(long rows, long cols, F f, T *out)
{
    thread_local std::vector<T> acc;
    acc.assign(size_t(cols), T(0));
    for (long r = 0; r < rows; ++r) {
        for (long j = 0; j < cols; ++j) {
            acc[size_t(j)] += f(r, j);
        }
    }
    for (long j = 0; j < cols; ++j) {
        out[j] += acc[size_t(j)];
    }
}

/// Natural log of x > 0 to ~1 ulp: x = m·2^e with m in [√½, √2), ln x = e·ln 2 + 2·atanh(t),
/// t = (m − 1)/(m + 1), |t| ≤ 0.172, atanh by its series to t^25 (error < 1e-19).
inline double log(double x)
{
    if (!(x > 0.0) || std::isinf(x)) {
        return x == 0.0 ? -HUGE_VAL : (x > 0.0 ? x : std::nan(""));
    }
    int e = 0;
    double m = std::frexp(x, &e); // exact: m in [0.5, 1)
    if (m < 0.70710678118654752) {
        m *= 2.0;
        --e;
    }
    const double t = (m - 1.0) / (m + 1.0);
    const double t2 = t * t;
    double series = 1.0 / 25.0;
    for (int k = 23; k >= 1; k -= 2) {
        series = series * t2 + 1.0 / double(k);
    }
    const double ln2Hi = 0.693147180369123816490; // ln 2 split so e·ln2Hi is exact
    const double ln2Lo = 1.90821492927058770002e-10;
    return double(e) * ln2Hi + (double(e) * ln2Lo + 2.0 * t * series);
}

/// base^n for n ≥ 0 by repeated squaring (only products: the same bits everywhere).
inline double powInt(double base, int n)
{
    double result = 1.0;
    for (; n > 0; n >>= 1) {
        if (n & 1) {
            result *= base;
        }
        base *= base;
    }
    return result;
}

/// A uniform draw in [0, 1) as libstdc++'s std::generate_canonical<double, 53> makes it from a
/// 64-bit engine: the 64-bit word rounded to double, times 2⁻⁶⁴, kept below 1 (the conversion
/// and the power-of-two product are exact IEEE operations: the same bits on every CPU).
inline double canonicalUniform(std::mt19937_64 &rng)
{
    const double r = double(rng()) * 0x1.0p-64;
    return r >= 1.0 ? 0x1.fffffffffffffp-1 : r;
}

/// n draws of N(0, stddev²) from the engine: Marsaglia's polar method as libstdc++'s
/// std::normal_distribution<double> runs it (uniforms by canonicalUniform(), a pair rejected
/// while s > 1 or s = 0, the pair's second value y·mult returned first and x·mult second, each
/// times stddev), with the own log above instead of libm's. So the float weights equal those of
/// the std::normal_distribution init the trainer used before the reproducible kernels (draws
/// compared bit for bit in tst_trainer_kernels): only a last-bit difference of the two logs
/// could tell them apart in double. A pair's second value is dropped at the end of a tensor, as
/// a fresh std::normal_distribution per tensor did.
template <typename T> void fillNormal(std::mt19937_64 &rng, double stddev, T *out, long n)
{
    long i = 0;
    while (i < n) {
        double x = 0.0, y = 0.0, s = 0.0;
        do {
            x = 2.0 * canonicalUniform(rng) - 1.0;
            y = 2.0 * canonicalUniform(rng) - 1.0;
            s = x * x + y * y;
        } while (s > 1.0 || s == 0.0);
        const double mult = std::sqrt(-2.0 * fixed::log(s) / s);
        out[i++] = T(y * mult * stddev);
        if (i < n) {
            out[i++] = T(x * mult * stddev);
        }
    }
}

} // namespace collapipe::fixed
