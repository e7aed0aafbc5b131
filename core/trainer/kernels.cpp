// SPDX-License-Identifier: MIT
#include "core/trainer/kernels.h"

#include "core/trainer/kernel_path.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace collapipe::kernels {

namespace {

/// Branch-free so that the loops below vectorise for every ISA. Only +, −, ×, ÷, min/max and
/// exact conversions, each rounded to float in source order (-ffp-contract=off): the same bits
/// whether a lane is scalar, SSE2, AVX2 or AVX-512 — and no libm, whose per-CPU variants (glibc
/// picks FMA versions of exp/log by CPUID) can differ in the last bit.
[[gnu::always_inline]] inline float expInline(float x)
{
    x = std::min(std::max(x, -87.0f), 88.0f);
    // n = round(x / ln 2) with the 1.5·2²³ trick (exact for |n| < 2²²), r = x − n·ln 2 in two
    // parts so r keeps full precision.
    const float shifter = 12582912.0f;
    const float n = (x * 1.44269504f + shifter) - shifter;
    const float r = (x - n * 0.693359375f) + n * 2.12194440e-4f;
    // exp(r) on |r| ≤ ln2/2: minimax polynomial (the classic single-precision coefficients).
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    const std::int32_t e = (static_cast<std::int32_t>(n) + 127) << 23;
    return p * std::bit_cast<float>(e);
}

/// tanh(u) = 1 − 2/(e^{2u} + 1): ±1 at the clamp ends, absolute error ~1e-7 near 0.
[[gnu::always_inline]] inline float tanhInline(float u)
{
    return 1.0f - 2.0f / (expInline(2.0f * u) + 1.0f);
}

constexpr float kGeluK = 0.7978845608028654f; // √(2/π)
constexpr float kGeluA = 0.044715f;

[[gnu::always_inline]] inline void geluForwardBody(const float *x, float *y, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) {
        const float v = x[i];
        const float t = tanhInline(kGeluK * (v + kGeluA * v * v * v));
        y[i] = 0.5f * v * (1.0f + t);
    }
}

[[gnu::always_inline]] inline void geluBackwardBody(
    const float *x, const float *dy, float *dx, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) {
        const float v = x[i];
        const float t = tanhInline(kGeluK * (v + kGeluA * v * v * v));
        const float dudx = kGeluK * (1.0f + 3.0f * kGeluA * v * v);
        dx[i] = dy[i] * (0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * dudx);
    }
}

[[gnu::always_inline]] inline void softmaxRowBody(float *p, int n, float scale)
{
    if (n <= 0) {
        return;
    }
    // 8 lanes in a fixed order for max and sum: vectorisable without -ffast-math, and the same
    // order in every clone, so a row's result does not depend on the ISA's vector width.
    float lane[8];
    std::fill_n(lane, 8, p[0]);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int j = 0; j < 8; ++j) {
            lane[j] = std::max(lane[j], p[i + j]);
        }
    }
    for (int j = 0; i + j < n; ++j) {
        lane[j] = std::max(lane[j], p[i + j]);
    }
    const float mx = std::max(std::max(std::max(lane[0], lane[1]), std::max(lane[2], lane[3])),
        std::max(std::max(lane[4], lane[5]), std::max(lane[6], lane[7])));
    for (int k = 0; k < n; ++k) {
        p[k] = expInline((p[k] - mx) * scale);
    }
    std::fill_n(lane, 8, 0.0f);
    for (i = 0; i + 8 <= n; i += 8) {
        for (int j = 0; j < 8; ++j) {
            lane[j] += p[i + j];
        }
    }
    for (int j = 0; i + j < n; ++j) {
        lane[j] += p[i + j];
    }
    const float sum
        = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
    const float inv = 1.0f / sum;
    for (int k = 0; k < n; ++k) {
        p[k] *= inv;
    }
}

// One copy of each loop per ISA, chosen by activeIsa() (kernel_path.h) — not target_clones,
// whose CPUID choice cannot be overridden, so the tests could not run the lower ISAs.
void geluForwardBaseline(const float *x, float *y, std::size_t n)
{
    geluForwardBody(x, y, n);
}
void geluBackwardBaseline(const float *x, const float *dy, float *dx, std::size_t n)
{
    geluBackwardBody(x, dy, dx, n);
}
void softmaxRowBaseline(float *p, int n, float scale)
{
    softmaxRowBody(p, n, scale);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define COLLAPIPE_X86_KERNELS 1
__attribute__((target("avx2"))) void geluForwardAvx2(const float *x, float *y, std::size_t n)
{
    geluForwardBody(x, y, n);
}
__attribute__((target("avx2"))) void geluBackwardAvx2(
    const float *x, const float *dy, float *dx, std::size_t n)
{
    geluBackwardBody(x, dy, dx, n);
}
__attribute__((target("avx2"))) void softmaxRowAvx2(float *p, int n, float scale)
{
    softmaxRowBody(p, n, scale);
}
__attribute__((target("avx512f"))) void geluForwardAvx512(const float *x, float *y, std::size_t n)
{
    geluForwardBody(x, y, n);
}
__attribute__((target("avx512f"))) void geluBackwardAvx512(
    const float *x, const float *dy, float *dx, std::size_t n)
{
    geluBackwardBody(x, dy, dx, n);
}
__attribute__((target("avx512f"))) void softmaxRowAvx512(float *p, int n, float scale)
{
    softmaxRowBody(p, n, scale);
}
#endif

} // namespace

float expApprox(float x)
{
    return expInline(x);
}

void geluForward(const float *x, float *y, std::size_t n)
{
#ifdef COLLAPIPE_X86_KERNELS
    switch (activeIsa()) {
    case Isa::Avx512:
        return geluForwardAvx512(x, y, n);
    case Isa::Avx2:
        return geluForwardAvx2(x, y, n);
    case Isa::Baseline:
        break;
    }
#endif
    geluForwardBaseline(x, y, n);
}

void geluBackward(const float *x, const float *dy, float *dx, std::size_t n)
{
#ifdef COLLAPIPE_X86_KERNELS
    switch (activeIsa()) {
    case Isa::Avx512:
        return geluBackwardAvx512(x, dy, dx, n);
    case Isa::Avx2:
        return geluBackwardAvx2(x, dy, dx, n);
    case Isa::Baseline:
        break;
    }
#endif
    geluBackwardBaseline(x, dy, dx, n);
}

void softmaxRow(float *p, int n, float scale)
{
#ifdef COLLAPIPE_X86_KERNELS
    switch (activeIsa()) {
    case Isa::Avx512:
        return softmaxRowAvx512(p, n, scale);
    case Isa::Avx2:
        return softmaxRowAvx2(p, n, scale);
    case Isa::Baseline:
        break;
    }
#endif
    softmaxRowBaseline(p, n, scale);
}

} // namespace collapipe::kernels
