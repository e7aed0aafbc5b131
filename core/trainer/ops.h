// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/gemm.h"
#include "core/trainer/kernels.h"
#include "core/trainer/tensor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

/// Forward/backward pairs of the Transformer's ops (spec §1.3; style.md rule 13). Shapes are
/// given as [rows × cols]; N = tokens of the micro-batch (samples × positions). Backward
/// functions ACCUMULATE into parameter gradients and OVERWRITE input gradients.
///
/// Every sum is taken in a fixed order (fixed_order.h) and every product goes through gemm, so
/// the float results do not depend on the CPU or -march (issue [3/7] finding 8); Eigen is used
/// for element-wise expressions only (exact per element).
namespace collapipe::ops {

// ---- Linear: Y[N×out] = X[N×in]·W[in×out] + b[1×out] --------------------------------------
template <typename T>
void linearForward(const Mat<T> &x, const Param<T> &w, const Param<T> &b, Mat<T> &y)
{
    const int n = int(x.rows()), in = int(w.w.rows()), out = int(w.w.cols());
    y.resize(n, out);
    y.rowwise() = b.w.row(0);
    gemm<T>(false, false, n, out, in, T(1), x.data(), in, w.w.data(), out, T(1), y.data(), out);
}

/// Weight half of linearBackward (zero-bubble "W"): dW += Xᵀ·dY, db += column sums of dY; a
/// frozen tensor (Param::trainable false) gets nothing and costs nothing.
template <typename T>
void linearBackwardWeights(const Mat<T> &x, const Mat<T> &dy, Param<T> &w, Param<T> &b)
{
    const int n = int(dy.rows()), in = int(w.w.rows()), out = int(w.w.cols());
    if (w.trainable) {
        gemm<T>(true, false, in, out, n, T(1), x.data(), in, dy.data(), out, T(1), w.g.data(), out);
    }
    if (b.trainable) {
        const T *dyp = dy.data();
        fixed::addColumnSumsOf<T>(
            n, out, [dyp, out](long r, long j) { return dyp[r * out + j]; }, b.g.data());
    }
}

/// Input half of linearBackward (zero-bubble "B"): dX = dY·Wᵀ; reads W, writes no gradient.
template <typename T> void linearBackwardInput(const Mat<T> &dy, const Param<T> &w, Mat<T> &dx)
{
    const int n = int(dy.rows()), in = int(w.w.rows()), out = int(w.w.cols());
    dx.resize(n, in);
    gemm<T>(false, true, n, in, out, T(1), dy.data(), out, w.w.data(), out, T(0), dx.data(), in);
}

/// Both halves; the two never read what the other writes, so the split gives the same bits.
template <typename T>
void linearBackward(const Mat<T> &x, const Mat<T> &dy, Param<T> &w, Param<T> &b, Mat<T> *dx)
{
    linearBackwardWeights(x, dy, w, b);
    if (dx) {
        linearBackwardInput(dy, w, *dx);
    }
}

// ---- LayerNorm over features (eps 1e-5): y = x̂·γ + β, x̂ = (x − μ)·rstd ----------------------
template <typename T>
void layerNormForward(
    const Mat<T> &x, const Param<T> &g, const Param<T> &b, Mat<T> &xhat, Mat<T> &rstd, Mat<T> &y)
{
    const Eigen::Index n = x.rows(), d = x.cols();
    xhat.resize(n, d);
    rstd.resize(n, 1);
    y.resize(n, d);
    for (Eigen::Index i = 0; i < n; ++i) {
        const T *xi = x.data() + i * d;
        const T mean = fixed::sum(xi, d) / T(d);
        const T var = fixed::sumOf<T>(d, [xi, mean](long j) {
            return (xi[j] - mean) * (xi[j] - mean);
        }) / T(d);
        const T r = T(1) / std::sqrt(var + T(1e-5));
        rstd(i, 0) = r;
        xhat.row(i) = (x.row(i).array() - mean) * r;
        y.row(i) = xhat.row(i).cwiseProduct(g.w.row(0)) + b.w.row(0);
    }
}

/// Parameter half of layerNormBackward ("W"): dγ += column sums of dY ⊙ x̂, dβ += of dY.
template <typename T>
void layerNormBackwardParams(const Mat<T> &dy, const Mat<T> &xhat, Param<T> &g, Param<T> &b)
{
    const Eigen::Index n = dy.rows(), d = dy.cols();
    const T *dyp = dy.data(), *xh = xhat.data();
    if (g.trainable) {
        fixed::addColumnSumsOf<T>(
            n, d, [dyp, xh, d](long r, long j) { return dyp[r * d + j] * xh[r * d + j]; },
            g.g.data());
    }
    if (b.trainable) {
        fixed::addColumnSumsOf<T>(
            n, d, [dyp, d](long r, long j) { return dyp[r * d + j]; }, b.g.data());
    }
}

/// Input half of layerNormBackward ("B"): dX from dY, x̂, rstd and γ; writes no gradient.
template <typename T>
void layerNormBackwardInput(
    const Mat<T> &dy, const Mat<T> &xhat, const Mat<T> &rstd, const Param<T> &g, Mat<T> &dx)
{
    const Eigen::Index n = dy.rows(), d = dy.cols();
    const T *dyp = dy.data(), *xh = xhat.data(), *gw = g.w.data();
    dx.resize(n, d);
    for (Eigen::Index i = 0; i < n; ++i) {
        const T *dyi = dyp + i * d, *xi = xh + i * d;
        const T meanD = fixed::sumOf<T>(d, [dyi, gw](long j) { return dyi[j] * gw[j]; }) / T(d);
        const T meanDX
            = fixed::sumOf<T>(d, [dyi, gw, xi](long j) { return (dyi[j] * gw[j]) * xi[j]; }) / T(d);
        const auto dxhat = dy.row(i).cwiseProduct(g.w.row(0));
        dx.row(i) = rstd(i, 0) * (dxhat.array() - meanD - xhat.row(i).array() * meanDX);
    }
}

template <typename T>
void layerNormBackward(
    const Mat<T> &dy, const Mat<T> &xhat, const Mat<T> &rstd, Param<T> &g, Param<T> &b, Mat<T> &dx)
{
    layerNormBackwardParams(dy, xhat, g, b);
    layerNormBackwardInput(dy, xhat, rstd, g, dx);
}

// ---- GELU, tanh approximation (as GPT-2 / llm.c; PyTorch approximate="tanh") ---------------
template <typename T> void geluForward(const Mat<T> &x, Mat<T> &y)
{
    if constexpr (std::is_same_v<T, float>) {
        y.resize(x.rows(), x.cols());
        kernels::geluForward(x.data(), y.data(), size_t(x.size()));
        return;
    }
    const T k = T(0.7978845608028654); // sqrt(2/π)
    y = (T(0.5) * x.array() * (T(1) + (k * (x.array() + T(0.044715) * x.array().cube())).tanh()))
            .matrix();
}

template <typename T> void geluBackward(const Mat<T> &x, const Mat<T> &dy, Mat<T> &dx)
{
    if constexpr (std::is_same_v<T, float>) {
        dx.resize(x.rows(), x.cols());
        kernels::geluBackward(x.data(), dy.data(), dx.data(), size_t(x.size()));
        return;
    }
    const T k = T(0.7978845608028654);
    const auto xa = x.array();
    const auto t = (k * (xa + T(0.044715) * xa.cube())).tanh();
    const auto dudx = k * (T(1) + T(3 * 0.044715) * xa.square());
    dx = (dy.array() * (T(0.5) * (T(1) + t) + T(0.5) * xa * (T(1) - t.square()) * dudx)).matrix();
}

// ---- Multi-head scaled dot-product attention ---------------------------------------------------
/// Where Q, K, V live: column offsets into (possibly fused) projection matrices.
struct AttnShape
{
    int batch = 1;
    int sq = 1; ///< query positions per sample
    int sk = 1; ///< key positions per sample
    int heads = 1;
    int dModel = 1;
    bool causal = false;                      ///< key j > query i masked (decoder self-attention)
    const std::vector<int> *keyLen = nullptr; ///< per sample: keys ≥ len masked (padding)
};

/// out[B·sq × d] = concat_h softmax(Q_h K_hᵀ/√dh + mask) V_h; probs[B·H·sq × sk] cached.
/// Masked keys (padding ≥ keyLen) are left out of the products, not just zeroed: their
/// probabilities are exactly 0, so the result is the same and the padding costs no FLOPs.
template <typename T>
void attentionForward(const Mat<T> &q, int qCol, const Mat<T> &k, int kCol, const Mat<T> &v,
    int vCol, const AttnShape &s, Mat<T> &probs, Mat<T> &out)
{
    const int dh = s.dModel / s.heads;
    const T scale = T(1) / std::sqrt(T(dh));
    const int ldq = int(q.cols()), ldk = int(k.cols()), ldv = int(v.cols()), ldo = s.dModel;
    probs.resize(Eigen::Index(s.batch) * s.heads * s.sq, s.sk);
    out.resize(Eigen::Index(s.batch) * s.sq, s.dModel);
    for (int b = 0; b < s.batch; ++b) {
        const int len = s.keyLen ? (*s.keyLen)[b] : s.sk;
        const T *qb = q.data() + Eigen::Index(b) * s.sq * ldq + qCol;
        const T *kb = k.data() + Eigen::Index(b) * s.sk * ldk + kCol;
        const T *vb = v.data() + Eigen::Index(b) * s.sk * ldv + vCol;
        T *ob = out.data() + Eigen::Index(b) * s.sq * ldo;
        for (int h = 0; h < s.heads; ++h) {
            auto p = probs.block(Eigen::Index(b * s.heads + h) * s.sq, 0, s.sq, s.sk);
            gemm<T>(false, true, s.sq, len, dh, T(1), qb + h * dh, ldq, kb + h * dh, ldk, T(0),
                p.data(), s.sk);
            for (int i = 0; i < s.sq; ++i) {
                const int valid = s.causal ? std::min(len, i + 1) : len;
                auto row = p.row(i);
                if constexpr (std::is_same_v<T, float>) {
                    kernels::softmaxRow(row.data(), valid, scale);
                } else {
                    const T mx = row.head(valid).maxCoeff();
                    row.head(valid) = ((row.head(valid).array() - mx) * scale).exp().matrix();
                    row.head(valid) /= row.head(valid).sum();
                }
                row.tail(s.sk - valid).setZero();
            }
            gemm<T>(false, false, s.sq, dh, len, T(1), p.data(), s.sk, vb + h * dh, ldv, T(0),
                ob + h * dh, ldo);
        }
    }
}

/// Writes dQ, dK, dV into the given column blocks (each block written exactly once).
template <typename T>
void attentionBackward(const Mat<T> &q, int qCol, const Mat<T> &k, int kCol, const Mat<T> &v,
    int vCol, const AttnShape &s, const Mat<T> &probs, const Mat<T> &dOut, Mat<T> &dq, Mat<T> &dk,
    Mat<T> &dv)
{
    const int dh = s.dModel / s.heads;
    const T scale = T(1) / std::sqrt(T(dh));
    const int ldq = int(q.cols()), ldk = int(k.cols()), ldv = int(v.cols()), ldo = s.dModel;
    const int ldgq = int(dq.cols()), ldgk = int(dk.cols()), ldgv = int(dv.cols());
    Mat<T> dp(s.sq, s.sk);
    for (int b = 0; b < s.batch; ++b) {
        const int len = s.keyLen ? (*s.keyLen)[b] : s.sk;
        const Eigen::Index qRow = Eigen::Index(b) * s.sq, kRow = Eigen::Index(b) * s.sk;
        for (int h = 0; h < s.heads; ++h) {
            const auto p = probs.block(Eigen::Index(b * s.heads + h) * s.sq, 0, s.sq, s.sk);
            const T *dO = dOut.data() + qRow * ldo + h * dh;
            const T *qb = q.data() + qRow * ldq + qCol + h * dh;
            const T *kb = k.data() + kRow * ldk + kCol + h * dh;
            const T *vb = v.data() + kRow * ldv + vCol + h * dh;
            T *dvb = dv.data() + kRow * ldgv + vCol + h * dh;
            T *dkb = dk.data() + kRow * ldgk + kCol + h * dh;
            gemm<T>(true, false, len, dh, s.sq, T(1), p.data(), s.sk, dO, ldo, T(0), dvb, ldgv);
            gemm<T>(false, true, s.sq, len, dh, T(1), dO, ldo, vb, ldv, T(0), dp.data(), s.sk);
            // Softmax backward: dS = P ⊙ (dP − rowsum(dP ⊙ P)), then the 1/√dh scale.
            for (int i = 0; i < s.sq; ++i) {
                T *dpi = dp.data() + Eigen::Index(i) * s.sk;
                const T *pi = p.data() + Eigen::Index(i) * s.sk;
                const T rs = fixed::sumOf<T>(len, [dpi, pi](long j) { return dpi[j] * pi[j]; });
                for (int j = 0; j < len; ++j) {
                    dpi[j] = pi[j] * (dpi[j] - rs) * scale;
                }
            }
            gemm<T>(false, false, s.sq, dh, len, T(1), dp.data(), s.sk, kb, ldk, T(0),
                dq.data() + qRow * ldgq + qCol + h * dh, ldgq);
            gemm<T>(true, false, len, dh, s.sq, T(1), dp.data(), s.sk, qb, ldq, T(0), dkb, ldgk);
            // Masked keys get no gradient; their rows are still written (each block exactly once).
            for (int j = len; j < s.sk; ++j) {
                std::fill_n(dvb + Eigen::Index(j) * ldgv, dh, T(0));
                std::fill_n(dkb + Eigen::Index(j) * ldgk, dh, T(0));
            }
        }
    }
}

// ---- Softmax cross-entropy --------------------------------------------------------------------
/// Sum over rows with target ≥ 0 of −log softmax(logits)[target]; rows with target < 0 are
/// ignored (padding). dLogits = (softmax − onehot)·gradScale on counted rows, 0 elsewhere.
template <typename T>
double softmaxCrossEntropy(
    const Mat<T> &logits, const std::vector<int> &target, T gradScale, Mat<T> *dLogits)
{
    double loss = 0.0;
    if (dLogits) {
        dLogits->setZero(logits.rows(), logits.cols());
    }
    for (Eigen::Index i = 0; i < logits.rows(); ++i) {
        const int t = target[size_t(i)];
        if (t < 0) {
            continue;
        }
        // Own exp (float) and log (double), fixed-order sum: no libm, no Eigen packet math.
        const T *li = logits.data() + i * logits.cols();
        const long c = long(logits.cols());
        T mx = li[0];
        for (long j = 1; j < c; ++j) {
            mx = li[j] > mx ? li[j] : mx;
        }
        thread_local std::vector<T> e;
        e.resize(size_t(c));
        for (long j = 0; j < c; ++j) {
            if constexpr (std::is_same_v<T, float>) {
                e[size_t(j)] = kernels::expApprox(li[j] - mx);
            } else {
                e[size_t(j)] = std::exp(li[j] - mx); // double: the gradient checks only
            }
        }
        const T sum = fixed::sum(e.data(), c);
        loss += fixed::log(double(sum)) + double(mx) - double(li[t]);
        if (dLogits) {
            T *dl = dLogits->data() + i * c;
            for (long j = 0; j < c; ++j) {
                dl[j] = e[size_t(j)] / sum * gradScale;
            }
            dl[t] -= gradScale;
        }
    }
    return loss;
}

// ---- Token + position embedding ------------------------------------------------------------
/// x[B·S × d] row b·S+t = tok[tokens[b·S+t]] + pos[t].
template <typename T>
void embeddingForward(
    const std::vector<int> &tokens, int seq, const Param<T> &tok, const Param<T> &pos, Mat<T> &x)
{
    const Eigen::Index n = Eigen::Index(tokens.size());
    x.resize(n, tok.w.cols());
    for (Eigen::Index i = 0; i < n; ++i) {
        x.row(i) = tok.w.row(tokens[size_t(i)]) + pos.w.row(i % seq);
    }
}

template <typename T>
void embeddingBackward(
    const std::vector<int> &tokens, int seq, const Mat<T> &dx, Param<T> &tok, Param<T> &pos)
{
    for (Eigen::Index i = 0; i < dx.rows(); ++i) {
        if (tok.trainable) {
            tok.g.row(tokens[size_t(i)]) += dx.row(i);
        }
        if (pos.trainable) {
            pos.g.row(i % seq) += dx.row(i);
        }
    }
}

} // namespace collapipe::ops
