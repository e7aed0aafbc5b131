// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/encoder_block.h"

/// One pre-LN Transformer decoder block at the edge server (spec §1.2, §1.3 step 5):
///   y1 = y + MHSA_causal(LN1(y)),  y2 = y1 + MHA(LN2(y1), memory),  out = y2 + FFN(LN3(y2)).
namespace collapipe {

template <typename T> struct DecoderCache
{
    Mat<T> xhat1, rstd1, a1, qkv, probs1, ctx1;
    Mat<T> xhat2, rstd2, a2, q2, kv2, probs2, ctx2;
    Mat<T> xhat3, rstd3, a3, h1, h2;
};

template <typename T> struct DecoderBlock
{
    BlockDims dims;
    Param<T> ln1g, ln1b, wqkv, bqkv, wo1, bo1;       // causal self-attention
    Param<T> ln2g, ln2b, wq, bq, wkv, bkv, wo2, bo2; // cross-attention over the encoder output
    Param<T> ln3g, ln3b, w1, b1, w2, b2;             // feed-forward

    void init(const BlockDims &bd, int layers, std::mt19937_64 &rng)
    {
        dims = bd;
        const int d = bd.dModel;
        const double resid = 0.02 / std::sqrt(2.0 * layers);
        for (Param<T> *g : {&ln1g, &ln2g, &ln3g}) {
            g->resize(1, d, false);
            g->w.setOnes();
        }
        for (Param<T> *b : {&ln1b, &ln2b, &ln3b, &bo1, &bq, &bo2, &b2}) {
            b->resize(1, d, false);
        }
        wqkv.resize(d, 3 * d, true);
        wqkv.randomize(rng, 0.02);
        bqkv.resize(1, 3 * d, false);
        wo1.resize(d, d, true);
        wo1.randomize(rng, resid);
        wq.resize(d, d, true);
        wq.randomize(rng, 0.02);
        wkv.resize(d, 2 * d, true);
        wkv.randomize(rng, 0.02);
        bkv.resize(1, 2 * d, false);
        wo2.resize(d, d, true);
        wo2.randomize(rng, resid);
        w1.resize(d, bd.dFf, true);
        w1.randomize(rng, 0.02);
        b1.resize(1, bd.dFf, false);
        w2.resize(bd.dFf, d, true);
        w2.randomize(rng, resid);
    }

    std::vector<Param<T> *> params()
    {
        return {&ln1g, &ln1b, &wqkv, &bqkv, &wo1, &bo1, &ln2g, &ln2b, &wq, &bq, &wkv, &bkv, &wo2,
            &bo2, &ln3g, &ln3b, &w1, &b1, &w2, &b2};
    }

    /// y [B·tgt × d], memory [B·src × d], srcLen: valid encoder positions per sample.
    void forward(const Mat<T> &y, const Mat<T> &memory, int batch, int tgt, int src,
        const std::vector<int> &srcLen, DecoderCache<T> &c, Mat<T> &out) const
    {
        const int d = dims.dModel;
        ops::layerNormForward(y, ln1g, ln1b, c.xhat1, c.rstd1, c.a1);
        ops::linearForward(c.a1, wqkv, bqkv, c.qkv);
        const ops::AttnShape self{batch, tgt, tgt, dims.heads, d, true, nullptr};
        ops::attentionForward(c.qkv, 0, c.qkv, d, c.qkv, 2 * d, self, c.probs1, c.ctx1);
        Mat<T> y1, y2;
        ops::linearForward(c.ctx1, wo1, bo1, y1);
        y1 += y;
        ops::layerNormForward(y1, ln2g, ln2b, c.xhat2, c.rstd2, c.a2);
        ops::linearForward(c.a2, wq, bq, c.q2);
        ops::linearForward(memory, wkv, bkv, c.kv2);
        const ops::AttnShape cross{batch, tgt, src, dims.heads, d, false, &srcLen};
        ops::attentionForward(c.q2, 0, c.kv2, 0, c.kv2, d, cross, c.probs2, c.ctx2);
        ops::linearForward(c.ctx2, wo2, bo2, y2);
        y2 += y1;
        ops::layerNormForward(y2, ln3g, ln3b, c.xhat3, c.rstd3, c.a3);
        ops::linearForward(c.a3, w1, b1, c.h1);
        ops::geluForward(c.h1, c.h2);
        ops::linearForward(c.h2, w2, b2, out);
        out += y2;
    }

    /// dOut → dy (overwritten); dMemory ACCUMULATED (every decoder block reads the memory).
    void backward(const Mat<T> &dOut, const Mat<T> &memory, int batch, int tgt, int src,
        const std::vector<int> &srcLen, const DecoderCache<T> &c, Mat<T> &dy, Mat<T> &dMemory)
    {
        const int d = dims.dModel;
        Mat<T> dh2, dh1, da3, dy2, dctx2, dq2, dkv2, da2, dy1, dctx1, dqkv, da1, dmem;
        ops::linearBackward(c.h2, dOut, w2, b2, &dh2);
        ops::geluBackward(c.h1, dh2, dh1);
        ops::linearBackward(c.a3, dh1, w1, b1, &da3);
        ops::layerNormBackward(da3, c.xhat3, c.rstd3, ln3g, ln3b, dy2);
        dy2 += dOut;
        ops::linearBackward(c.ctx2, dy2, wo2, bo2, &dctx2);
        dq2.resize(c.q2.rows(), d);
        dkv2.resize(c.kv2.rows(), 2 * d);
        const ops::AttnShape cross{batch, tgt, src, dims.heads, d, false, &srcLen};
        ops::attentionBackward(
            c.q2, 0, c.kv2, 0, c.kv2, d, cross, c.probs2, dctx2, dq2, dkv2, dkv2);
        ops::linearBackward(memory, dkv2, wkv, bkv, &dmem);
        dMemory += dmem;
        ops::linearBackward(c.a2, dq2, wq, bq, &da2);
        ops::layerNormBackward(da2, c.xhat2, c.rstd2, ln2g, ln2b, dy1);
        dy1 += dy2;
        ops::linearBackward(c.ctx1, dy1, wo1, bo1, &dctx1);
        dqkv.resize(c.qkv.rows(), 3 * d);
        const ops::AttnShape self{batch, tgt, tgt, dims.heads, d, true, nullptr};
        ops::attentionBackward(
            c.qkv, 0, c.qkv, d, c.qkv, 2 * d, self, c.probs1, dctx1, dqkv, dqkv, dqkv);
        ops::linearBackward(c.a1, dqkv, wqkv, bqkv, &da1);
        ops::layerNormBackward(da1, c.xhat1, c.rstd1, ln1g, ln1b, dy);
        dy += dy1;
    }
};

} // namespace collapipe
