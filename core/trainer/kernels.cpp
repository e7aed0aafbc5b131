// SPDX-License-Identifier: MIT
#include "core/trainer/kernels.h"

#include <algorithm>
#include <bit>
#include <cstdint>

// One clone per ISA; the loader's ifunc resolver picks the best one the CPU supports.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define COLLAPIPE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define COLLAPIPE_CLONES
#endif

namespace collapipe::kernels {

namespace {

/// Branch-free so that the loops below vectorise in every clone.
inline float expInline(float x)
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
inline float tanhInline(float u)
{
    return 1.0f - 2.0f / (expInline(2.0f * u) + 1.0f);
}

constexpr float kGeluK = 0.7978845608028654f; // √(2/π)
constexpr float kGeluA = 0.044715f;

} // namespace

float expApprox(float x)
{
    return expInline(x);
}

COLLAPIPE_CLONES void geluForward(const float *x, float *y, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) {
        const float v = x[i];
        const float t = tanhInline(kGeluK * (v + kGeluA * v * v * v));
        y[i] = 0.5f * v * (1.0f + t);
    }
}

COLLAPIPE_CLONES void geluBackward(const float *x, const float *dy, float *dx, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) {
        const float v = x[i];
        const float t = tanhInline(kGeluK * (v + kGeluA * v * v * v));
        const float dudx = kGeluK * (1.0f + 3.0f * kGeluA * v * v);
        dx[i] = dy[i] * (0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * dudx);
    }
}

COLLAPIPE_CLONES void softmaxRow(float *p, int n, float scale)
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

} // namespace collapipe::kernels
