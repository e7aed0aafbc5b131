// SPDX-License-Identifier: MIT
#include "core/trainer/gemm.h"

#ifdef COLLAPIPE_TRAINER_OPENBLAS
#include <cblas.h>
#endif

#include <cstdio>

namespace collapipe::ops {

void gemmF32(bool transA, bool transB, int m, int n, int k, float alpha, const float *a, int lda,
    const float *b, int ldb, float beta, float *c, int ldc)
{
    if (m <= 0 || n <= 0) {
        return;
    }
#ifdef COLLAPIPE_TRAINER_OPENBLAS
    // The trainer's cluster threads are the only parallelism (issue [4/6] "never oversubscribe").
    // We link the serial variant, but Debian's alternatives may load the pthread/OpenMP variant
    // of libopenblas.so.0 at run time (e.g. an installed binary without our RPATH), so pin it.
    static const bool pinned = [] {
        openblas_set_num_threads(1);
        return true;
    }();
    (void)pinned;
    if (k <= 0) {
        // BLAS leaves C untouched when k = 0 only if beta = 1; scale explicitly otherwise.
        gemmEigen(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
        transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#else
    gemmEigen(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#endif
}

const char *gemmBackendName()
{
#ifdef COLLAPIPE_TRAINER_OPENBLAS
    static char name[96];
    static const bool filled = [] {
        std::snprintf(
            name, sizeof name, "OpenBLAS %s (%s)", openblas_get_corename(), openblas_get_config());
        return true;
    }();
    (void)filled;
    return name;
#else
    return "Eigen (no OpenBLAS found at configure time)";
#endif
}

} // namespace collapipe::ops
