// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/tensor.h"

#include <type_traits>

/// The trainer's one matrix-product entry point. Every matmul of ops.h goes through it, on
/// row-major blocks given as pointer + leading dimension, so transposes and sub-blocks (one
/// attention head's columns of the fused QKV) cost no copies and weight gradients accumulate in
/// place (beta = 1).
///
/// fp32, kernel mode Reproducible (the default, kernel_path.h): the trainer's own gemm, whose
/// every output element is acc = 0; acc = acc + a(i,p)·b(p,j) for p = 0…k−1 (each step rounded
/// to float, never fused), then alpha·acc (+ beta·c) — vectorised across output columns only,
/// at the width of activeIsa(), so every ISA and build gives the same bits.
/// fp32, mode Fastest: BLIS (serial build) when CMake found it; its runtime CPU dispatch picks
/// per-CPU micro-kernels (blocked k, FMA), so results differ between CPU models.
/// double (the gradient checks) uses Eigen.
namespace collapipe::ops {

/// C[m×n] = alpha·op(A)·op(B) + beta·C; op(X) = Xᵀ when the flag is set. A is [m×k] (or [k×m]
/// when transposed), B is [k×n] (or [n×k]); lda/ldb/ldc are row strides in elements.
void gemmF32(bool transA, bool transB, int m, int n, int k, float alpha, const float *a, int lda,
    const float *b, int ldb, float beta, float *c, int ldc);

/// Which backend gemmF32 uses in the calling thread's mode, for benchmark reports.
const char *gemmBackendName();

template <typename T>
void gemmEigen(bool transA, bool transB, int m, int n, int k, T alpha, const T *a, int lda,
    const T *b, int ldb, T beta, T *c, int ldc)
{
    using CMap = Eigen::Map<const Mat<T>, 0, Eigen::OuterStride<>>;
    using OutMap = Eigen::Map<Mat<T>, 0, Eigen::OuterStride<>>;
    const CMap A(a, transA ? k : m, transA ? m : k, Eigen::OuterStride<>(lda));
    const CMap B(b, transB ? n : k, transB ? k : n, Eigen::OuterStride<>(ldb));
    OutMap C(c, m, n, Eigen::OuterStride<>(ldc));
    if (beta == T(0)) {
        C.setZero();
    } else if (beta != T(1)) {
        C *= beta;
    }
    if (transA && transB) {
        C.noalias() += alpha * (A.transpose() * B.transpose());
    } else if (transA) {
        C.noalias() += alpha * (A.transpose() * B);
    } else if (transB) {
        C.noalias() += alpha * (A * B.transpose());
    } else {
        C.noalias() += alpha * (A * B);
    }
}

template <typename T>
void gemm(bool transA, bool transB, int m, int n, int k, T alpha, const T *a, int lda, const T *b,
    int ldb, T beta, T *c, int ldc)
{
    if constexpr (std::is_same_v<T, float>) {
        gemmF32(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    } else {
        gemmEigen(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}

} // namespace collapipe::ops
