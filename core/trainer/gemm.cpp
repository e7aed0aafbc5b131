// SPDX-License-Identifier: MIT
#include "core/trainer/gemm.h"

#ifdef COLLAPIPE_TRAINER_BLIS
#include <blis.h>
#endif

#include <cstdio>

namespace collapipe::ops {

void gemmF32(bool transA, bool transB, int m, int n, int k, float alpha, const float *a, int lda,
    const float *b, int ldb, float beta, float *c, int ldc)
{
    if (m <= 0 || n <= 0) {
        return;
    }
#ifdef COLLAPIPE_TRAINER_BLIS
    if (k <= 0) {
        // Nothing to multiply: only the beta scaling, which Eigen does without a BLAS call.
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
#ifdef COLLAPIPE_TRAINER_BLIS
    static char name[96];
    static const bool filled = [] {
        std::snprintf(name, sizeof name, "BLIS %s serial, %s kernels", bli_info_get_version_str(),
            bli_arch_string(bli_arch_query_id()));
        return true;
    }();
    (void)filled;
    return name;
#else
    return "Eigen (BLIS not found at configure time)";
#endif
}

} // namespace collapipe::ops
