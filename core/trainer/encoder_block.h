// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/dropout.h"
#include "core/trainer/lora.h"
#include "core/trainer/ops.h"

#include <vector>

/// One pre-LN Transformer encoder block (TEB; spec §1.2):
///   x1 = x + Wo·MHSA(LN1(x)),  y = x1 + W2·GELU(W1·LN2(x1)).
namespace collapipe {

/// Sizes shared by every block of one model.
struct BlockDims
{
    int dModel = 64;
    int heads = 4;
    int dFf = 256;
};

/// What backward needs from forward, per micro-batch — the "stashed activations" of spec §2.4.
template <typename T> struct EncoderCache
{
    Mat<T> xhat1, rstd1, a1, qkv, probs, ctx, xhat2, rstd2, a2, h1, h2;
    std::vector<int> keyLen;
    int batch = 0, seq = 0;

    double bytes() const
    {
        return matBytes(xhat1) + matBytes(rstd1) + matBytes(a1) + matBytes(qkv) + matBytes(probs)
            + matBytes(ctx) + matBytes(xhat2) + matBytes(rstd2) + matBytes(a2) + matBytes(h1)
            + matBytes(h2);
    }
};

/// What a block's input-gradient pass (B) leaves for its weight-gradient pass (W), per
/// micro-batch (zero-bubble schedules, issue [4/7]): the inputs of the four weight matrices,
/// moved out of the forward cache (no copy), and the gradients at their outputs, which B
/// computes anyway and keeps instead of dropping. Per sample 8·s·d + 2·s·dFf floats — the
/// least the four weight products need without recomputing anything. The rest of the cache
/// (x̂1, x̂2, qkv, probs, h1, rstd1, rstd2) is free once B has run: B also accumulates the
/// LayerNorms' γ/β gradients (two column sums each), so W needs neither x̂ nor dL/dLN-output.
template <typename T> struct EncoderWeightStash
{
    Mat<T> a1, ctx, a2, h2; ///< inputs of Wqkv, Wo, W1, W2 [N×d, N×d, N×d, N×dFf]
    /// dL/d(output) of W2 (after the dropout mask), W1 (GELU input), Wo (masked), Wqkv.
    Mat<T> dOut2, dh1, dOut1, dqkv;

    double bytes() const
    {
        return matBytes(a1) + matBytes(ctx) + matBytes(a2) + matBytes(h2) + matBytes(dOut2)
            + matBytes(dh1) + matBytes(dOut1) + matBytes(dqkv);
    }
};

template <typename T> struct EncoderBlock
{
    BlockDims dims;
    Param<T> ln1g, ln1b, wqkv, bqkv, wo, bo, ln2g, ln2b, w1, b1, w2, b2;
    /// LoRA adapters of Wqkv, Wo, W1, W2 (training.mode = lora); inactive (empty) otherwise.
    LoraAdapter<T> qkvLora, oLora, ffn1Lora, ffn2Lora;

    /// Shapes: LN [1×d], Wqkv [d×3d], Wo [d×d], W1 [d×dFf], W2 [dFf×d]. GPT-2 style init:
    /// N(0, 0.02²), residual projections scaled by 1/√(2·layers).
    void init(const BlockDims &bd, int layers, std::mt19937_64 &rng)
    {
        dims = bd;
        const int d = bd.dModel;
        ln1g.resize(1, d, false);
        ln1g.w.setOnes();
        ln1b.resize(1, d, false);
        wqkv.resize(d, 3 * d, true);
        wqkv.randomize(rng, 0.02);
        bqkv.resize(1, 3 * d, false);
        wo.resize(d, d, true);
        wo.randomize(rng, 0.02 / std::sqrt(2.0 * layers));
        bo.resize(1, d, false);
        ln2g.resize(1, d, false);
        ln2g.w.setOnes();
        ln2b.resize(1, d, false);
        w1.resize(d, bd.dFf, true);
        w1.randomize(rng, 0.02);
        b1.resize(1, bd.dFf, false);
        w2.resize(bd.dFf, d, true);
        w2.randomize(rng, 0.02 / std::sqrt(2.0 * layers));
        b2.resize(1, d, false);
    }

    /// Adapters on the chosen projections (A ~ N(0, 1/in), B = 0) and every base tensor
    /// frozen: from now on only the adapters train (core/MODEL.md "Parameter-efficient
    /// fine-tuning").
    void adaptLora(int rank, double alpha, bool attention, bool ffn, std::mt19937_64 &rng)
    {
        for (Param<T> *p : params()) {
            p->freeze();
        }
        const int d = dims.dModel;
        if (attention) {
            qkvLora.init(d, 3 * d, rank, alpha, rng);
            oLora.init(d, d, rank, alpha, rng);
        }
        if (ffn) {
            ffn1Lora.init(d, dims.dFf, rank, alpha, rng);
            ffn2Lora.init(dims.dFf, d, rank, alpha, rng);
        }
    }

    /// Base tensors, then the active adapters' A and B (the order FedAvg and the checks use).
    std::vector<Param<T> *> params() { return paramsOf(*this); }
    std::vector<const Param<T> *> params() const { return paramsOf(*this); }

    /// x, y: [batch·seq × d]; keyLen: valid positions per sample (padding masked as keys).
    /// drop (training only): inverted dropout on the attention and FFN outputs before each
    /// residual add, its layer and sample offset already set.
    void forward(const Mat<T> &x, int batch, int seq, const std::vector<int> &keyLen,
        EncoderCache<T> &c, Mat<T> &y, const Dropout *drop = nullptr) const
    {
        c.batch = batch;
        c.seq = seq;
        c.keyLen = keyLen;
        ops::layerNormForward(x, ln1g, ln1b, c.xhat1, c.rstd1, c.a1);
        ops::linearForward(c.a1, wqkv, bqkv, c.qkv);
        ops::loraForward(c.a1, qkvLora, c.qkv);
        const ops::AttnShape s{batch, seq, seq, dims.heads, dims.dModel, false, &c.keyLen};
        ops::attentionForward(
            c.qkv, 0, c.qkv, dims.dModel, c.qkv, 2 * dims.dModel, s, c.probs, c.ctx);
        // Per-thread scratch (see backward).
        thread_local Mat<T> x1;
        ops::linearForward(c.ctx, wo, bo, x1);
        ops::loraForward(c.ctx, oLora, x1);
        if (drop) {
            drop->apply(x1, seq, 0);
        }
        x1 += x;
        ops::layerNormForward(x1, ln2g, ln2b, c.xhat2, c.rstd2, c.a2);
        ops::linearForward(c.a2, w1, b1, c.h1);
        ops::loraForward(c.a2, ffn1Lora, c.h1);
        ops::geluForward(c.h1, c.h2);
        ops::linearForward(c.h2, w2, b2, y);
        ops::loraForward(c.h2, ffn2Lora, y);
        if (drop) {
            drop->apply(y, seq, 1);
        }
        y += x1;
    }

    /// dy → dx (overwritten); parameter gradients accumulated. drop: the forward's, so the
    /// regenerated masks are the same. Exactly B then W: the same bits as the split passes.
    void backward(
        const Mat<T> &dy, const EncoderCache<T> &c, Mat<T> &dx, const Dropout *drop = nullptr)
    {
        // Per-thread scratch reused across calls: fresh ~1 MB buffers per block cost page
        // faults (perf); each is fully overwritten before it is read, so reuse is exact.
        thread_local EncoderWeightStash<T> g;
        const Mat<T> &dOut2 = inputGradients(dy, c, dx, g, drop, false);
        weightGradients(c, g, dOut2);
    }

    /// B (zero-bubble input-gradient pass): dy → dx (overwritten) and the LayerNorms' γ/β
    /// gradients accumulated; no weight-matrix or bias gradient is touched. Fills `s` for
    /// backwardWeights and moves W's inputs out of `c` (swapped with s's old buffers, so pooled
    /// allocations keep circulating): `c` is spent.
    void backwardInput(const Mat<T> &dy, EncoderCache<T> &c, Mat<T> &dx, EncoderWeightStash<T> &s,
        const Dropout *drop = nullptr)
    {
        inputGradients(dy, c, dx, s, drop, true);
        s.a1.swap(c.a1);
        s.ctx.swap(c.ctx);
        s.a2.swap(c.a2);
        s.h2.swap(c.h2);
    }

    /// W (zero-bubble weight-gradient pass): accumulates this micro-batch's gradients of Wqkv,
    /// Wo, W1, W2 and their biases from what its backwardInput kept: four matmuls and four column
    /// sums, no forward recompute. W of several micro-batches may be pending and run in any
    /// order (each adds its own terms).
    void backwardWeights(const EncoderWeightStash<T> &s) { weightGradients(s, s, s.dOut2); }

private:
    template <typename Self> static auto paramsOf(Self &self)
    {
        std::vector<decltype(&self.wqkv)> p{&self.ln1g, &self.ln1b, &self.wqkv, &self.bqkv,
            &self.wo, &self.bo, &self.ln2g, &self.ln2b, &self.w1, &self.b1, &self.w2, &self.b2};
        for (auto *l : {&self.qkvLora, &self.oLora, &self.ffn1Lora, &self.ffn2Lora}) {
            if (l->active()) {
                p.push_back(&l->a);
                p.push_back(&l->b);
            }
        }
        return p;
    }

    /// Returns W2's output gradient: g.dOut2, or dy itself when it is the same values and the
    /// caller does not need a copy that outlives dy (`keepDy` false, the fused pass).
    const Mat<T> &inputGradients(const Mat<T> &dy, const EncoderCache<T> &c, Mat<T> &dx,
        EncoderWeightStash<T> &g, const Dropout *drop, bool keepDy)
    {
        thread_local Mat<T> dh2, da2, dx1Masked, dctx, da1;
        const bool dropping = drop && drop->active();
        if (dropping || keepDy) {
            g.dOut2 = dy;
            if (dropping) {
                drop->apply(g.dOut2, c.seq, 1);
            }
        }
        const Mat<T> &dOut2 = dropping || keepDy ? g.dOut2 : dy;
        ops::linearBackwardInput(dOut2, w2, dh2);
        ops::loraBackwardInput(dOut2, ffn2Lora, dh2);
        ops::geluBackward(c.h1, dh2, g.dh1);
        ops::linearBackwardInput(g.dh1, w1, da2);
        ops::loraBackwardInput(g.dh1, ffn1Lora, da2);
        // dL/dx1 (residual stream): without dropout it is also Wo's output gradient.
        Mat<T> &dx1 = dropping ? dx1Masked : g.dOut1;
        ops::layerNormBackwardParams(da2, c.xhat2, ln2g, ln2b);
        ops::layerNormBackwardInput(da2, c.xhat2, c.rstd2, ln2g, dx1);
        dx1 += dy;
        if (dropping) {
            g.dOut1 = dx1;
            drop->apply(g.dOut1, c.seq, 0);
        }
        ops::linearBackwardInput(g.dOut1, wo, dctx);
        ops::loraBackwardInput(g.dOut1, oLora, dctx);
        g.dqkv.resize(c.qkv.rows(), c.qkv.cols());
        const ops::AttnShape s{c.batch, c.seq, c.seq, dims.heads, dims.dModel, false, &c.keyLen};
        ops::attentionBackward(c.qkv, 0, c.qkv, dims.dModel, c.qkv, 2 * dims.dModel, s, c.probs,
            dctx, g.dqkv, g.dqkv, g.dqkv);
        ops::linearBackwardInput(g.dqkv, wqkv, da1);
        ops::loraBackwardInput(g.dqkv, qkvLora, da1);
        ops::layerNormBackwardParams(da1, c.xhat1, ln1g, ln1b);
        ops::layerNormBackwardInput(da1, c.xhat1, c.rstd1, ln1g, dx);
        dx += dx1;
        return dOut2;
    }

    /// `a`: an EncoderCache (fused) or an EncoderWeightStash (split) — same member names.
    template <typename Acts>
    void weightGradients(const Acts &a, const EncoderWeightStash<T> &g, const Mat<T> &dOut2)
    {
        ops::linearBackwardWeights(a.h2, dOut2, w2, b2);
        ops::loraBackwardWeights(a.h2, dOut2, ffn2Lora);
        ops::linearBackwardWeights(a.a2, g.dh1, w1, b1);
        ops::loraBackwardWeights(a.a2, g.dh1, ffn1Lora);
        ops::linearBackwardWeights(a.ctx, g.dOut1, wo, bo);
        ops::loraBackwardWeights(a.ctx, g.dOut1, oLora);
        ops::linearBackwardWeights(a.a1, g.dqkv, wqkv, bqkv);
        ops::loraBackwardWeights(a.a1, g.dqkv, qkvLora);
    }
};

} // namespace collapipe
