// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>

/// fp32 element-wise kernels of the trainer's hot ops (GELU, softmax). The portable build has
/// SSE2 only, where Eigen's exp/tanh ran 5-6x slower than with -march=native (GELU forward over
/// 1024×256: 1.22 ms vs 0.19 ms). These are plain loops compiled once per ISA (baseline, AVX2,
/// AVX-512), the copy picked by kernels::activeIsa() (kernel_path.h). Each element is the same
/// sequence of IEEE float operations in every copy (no FMA: -ffp-contract=off; sums in 8 fixed
/// lanes; own exp, no libm), so every ISA gives the same bits (tst_trainer_kernels).
namespace collapipe::kernels {

/// exp(x) to ~2 ulp on [-87, 88] (Cody-Waite range reduction + degree-6 polynomial); clamped
/// outside, so very negative inputs give ~1e-38 instead of 0 (harmless after normalisation).
float expApprox(float x);

/// y = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (the tanh GELU of ops.h), n elements.
void geluForward(const float *x, float *y, std::size_t n);

/// dx = dy · d/dx GELU(x), n elements.
void geluBackward(const float *x, const float *dy, float *dx, std::size_t n);

/// In place over one attention row: p[i] = exp((p[i] − max)·scale) / Σ for i < n.
void softmaxRow(float *p, int n, float scale);

} // namespace collapipe::kernels
