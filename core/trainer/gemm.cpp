// SPDX-License-Identifier: MIT
#include "core/trainer/gemm.h"

#include "core/trainer/kernel_path.h"

#ifdef COLLAPIPE_TRAINER_BLIS
#include <blis.h>
#endif

#include <cstdio>
#include <cstring>
#include <vector>

namespace collapipe::ops {

namespace {

// ---- The fixed-order gemm ------------------------------------------------------------------
// Every output element is acc = 0; acc = acc + a(i,p)·b(p,j) for p = 0, 1, …, k−1 (each product
// and each sum rounded to float), then c = alpha·acc (+ beta·c). Vectors only ever run across
// output COLUMNS j, never along p, so the vector width (4, 8 or 16 floats) changes how many
// elements are computed at once, not how any one is computed: SSE2, AVX2 and AVX-512 give the
// same bits. The target has -ffp-contract=off (core/trainer/CMakeLists.txt), so a product and
// its sum are never fused into an FMA, whatever -march says.

using V4 = float __attribute__((vector_size(16)));
using V8 = float __attribute__((vector_size(32)));
using V16 = float __attribute__((vector_size(64)));

struct Args
{
    bool transA;
    int m, n, k;
    float alpha;
    const float *a;
    int lda;
    float beta;
    float *c;
    int ldc;
};

/// The final store, one formula for every path (vector or tail).
[[gnu::always_inline]] inline float finish(float acc, float c, float alpha, float beta)
{
    const float v = alpha == 1.0f ? acc : alpha * acc;
    if (beta == 0.0f) {
        return v; // C is not read: it may hold garbage
    }
    return beta == 1.0f ? c + v : beta * c + v;
}

/// MR rows × NV vectors of output from the packed panel (k × padded n, row stride ldp).
template <typename V, int MR, int NV>
[[gnu::always_inline]] inline void tile(
    const Args &g, const float *panel, int ldp, int i0, int j0, int rows)
{
    constexpr int W = int(sizeof(V) / sizeof(float));
    const long rs = g.transA ? 1 : g.lda; // a(i,p) = a[i·rs + p·ps]
    const long ps = g.transA ? g.lda : 1;
    V acc[MR][NV];
    for (int r = 0; r < MR; ++r) {
        for (int v = 0; v < NV; ++v) {
            acc[r][v] = V{};
        }
    }
    const float *arow[MR];
    for (int r = 0; r < MR; ++r) {
        arow[r] = g.a + long(i0 + (r < rows ? r : 0)) * rs;
    }
    for (int p = 0; p < g.k; ++p) {
        V b[NV];
        for (int v = 0; v < NV; ++v) {
            std::memcpy(&b[v], panel + long(p) * ldp + j0 + v * W, sizeof(V));
        }
        for (int r = 0; r < MR; ++r) {
            const float s = arow[r][long(p) * ps];
            for (int v = 0; v < NV; ++v) {
                const V prod = s * b[v];
                acc[r][v] = acc[r][v] + prod;
            }
        }
    }
    for (int r = 0; r < rows; ++r) {
        float *crow = g.c + long(i0 + r) * g.ldc;
        for (int v = 0; v < NV; ++v) {
            if (j0 + (v + 1) * W <= g.n) {
                // Whole vector inside C: finish()'s formula, lane-wise.
                const V val = g.alpha == 1.0f ? acc[r][v] : g.alpha * acc[r][v];
                V out = val;
                if (g.beta != 0.0f) {
                    V old;
                    std::memcpy(&old, crow + j0 + v * W, sizeof(V));
                    out = g.beta == 1.0f ? old + val : g.beta * old + val;
                }
                std::memcpy(crow + j0 + v * W, &out, sizeof(V));
                continue;
            }
            float out[W];
            std::memcpy(out, &acc[r][v], sizeof(V));
            for (int l = 0; l < W; ++l) {
                const int j = j0 + v * W + l;
                if (j < g.n) {
                    crow[j] = finish(out[l], crow[j], g.alpha, g.beta);
                }
            }
        }
    }
}

/// All of C: column blocks of NV vectors, then single vectors; rows in blocks of MR.
template <typename V, int MR, int NV>
[[gnu::always_inline]] inline void gemmPanel(const Args &g, const float *panel, int ldp)
{
    constexpr int W = int(sizeof(V) / sizeof(float));
    int j = 0;
    for (; j + NV * W <= ldp; j += NV * W) {
        int i = 0;
        for (; i + MR <= g.m; i += MR) {
            tile<V, MR, NV>(g, panel, ldp, i, j, MR);
        }
        if (i < g.m) {
            tile<V, MR, NV>(g, panel, ldp, i, j, g.m - i);
        }
    }
    // Narrow products (one attention head: 16 columns) and the last columns: one vector wide,
    // twice the rows so the sums still have enough independent chains.
    for (; j < ldp; j += W) {
        int i = 0;
        for (; i + 2 * MR <= g.m; i += 2 * MR) {
            tile<V, 2 * MR, 1>(g, panel, ldp, i, j, 2 * MR);
        }
        for (; i < g.m; i += MR) {
            tile<V, MR, 1>(g, panel, ldp, i, j, g.m - i < MR ? g.m - i : MR);
        }
    }
}

void gemmBaseline(const Args &g, const float *panel, int ldp)
{
    gemmPanel<V4, 4, 2>(g, panel, ldp);
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) void gemmAvx2(const Args &g, const float *panel, int ldp)
{
    gemmPanel<V8, 4, 2>(g, panel, ldp);
}

__attribute__((target("avx512f"))) void gemmAvx512(const Args &g, const float *panel, int ldp)
{
    gemmPanel<V16, 4, 4>(g, panel, ldp);
}
#endif

/// op(B) copied into a k × ldp row-major panel, ldp = n rounded up to 16 (the widest vector),
/// the padding zero: every column block is whole vectors, and B's transpose costs one pass.
const float *packB(bool transB, int n, int k, const float *b, int ldb, int *ldp)
{
    thread_local std::vector<float> panel;
    *ldp = (n + 15) / 16 * 16;
    panel.assign(size_t(k) * size_t(*ldp), 0.0f);
    for (int p = 0; p < k; ++p) {
        float *dst = panel.data() + size_t(p) * size_t(*ldp);
        if (transB) {
            for (int j = 0; j < n; ++j) {
                dst[j] = b[long(j) * ldb + p];
            }
        } else {
            std::memcpy(dst, b + long(p) * ldb, sizeof(float) * size_t(n));
        }
    }
    return panel.data();
}

void gemmFixedOrder(bool transA, bool transB, int m, int n, int k, float alpha, const float *a,
    int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
    int ldp = 0;
    const float *panel = packB(transB, n, k, b, ldb, &ldp);
    const Args g{transA, m, n, k, alpha, a, lda, beta, c, ldc};
    switch (kernels::activeIsa()) {
#if defined(__x86_64__) && defined(__GNUC__)
    case kernels::Isa::Avx512:
        gemmAvx512(g, panel, ldp);
        return;
    case kernels::Isa::Avx2:
        gemmAvx2(g, panel, ldp);
        return;
#endif
    default:
        gemmBaseline(g, panel, ldp);
        return;
    }
}

} // namespace

void gemmF32(bool transA, bool transB, int m, int n, int k, float alpha, const float *a, int lda,
    const float *b, int ldb, float beta, float *c, int ldc)
{
    if (m <= 0 || n <= 0) {
        return;
    }
#ifdef COLLAPIPE_TRAINER_BLIS
    if (kernels::currentMode() == kernels::Mode::Fastest && k > 0) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
            transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
#endif
    gemmFixedOrder(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

const char *gemmBackendName()
{
    static char name[128];
    thread_local char line[160];
#ifdef COLLAPIPE_TRAINER_BLIS
    static const bool filled = [] {
        std::snprintf(name, sizeof name, "BLIS %s serial, %s kernels", bli_info_get_version_str(),
            bli_arch_string(bli_arch_query_id()));
        return true;
    }();
    (void)filled;
    if (kernels::currentMode() == kernels::Mode::Fastest) {
        return name;
    }
#else
    (void)name;
#endif
    std::snprintf(
        line, sizeof line, "fixed-order gemm, %s vectors", kernels::isaName(kernels::activeIsa()));
    return line;
}

} // namespace collapipe::ops
