// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/trainer/decoder_block.h"
#include "core/trainer/token_batch.h"

/// The edge server's part of the model (spec §1.2, §1.3 step 5): the encoder's final LayerNorm,
/// then either a mean-pooled classifier (BERT preset) or decoder blocks + LM head (Transformer
/// preset, teacher forcing). One call runs forward, loss and backward for a micro-batch.
namespace collapipe {

struct HeadDims
{
    ModelFamily family = ModelFamily::Bert;
    BlockDims block;
    int decoderBlocks = 2;
    int classes = 4;
    int vocab = 96;
    int tgtLen = 0; ///< decoder positions (seq2seq)
};

template <typename T> struct Head
{
    HeadDims dims;
    Param<T> lnfg, lnfb;                 // final encoder LayerNorm [1×d]
    Param<T> wc, bc;                     // BERT: [d×C], [1×C]
    Param<T> dtok, dpos;                 // Transformer: decoder embedding [V×d], [tgt×d]
    std::vector<DecoderBlock<T>> blocks; // Transformer
    Param<T> lndg, lndb, wlm, blm;       // Transformer: final LN, LM head [d×V], [1×V]

    void init(const HeadDims &hd, std::mt19937_64 &rng)
    {
        dims = hd;
        const int d = hd.block.dModel;
        lnfg.resize(1, d, false);
        lnfg.w.setOnes();
        lnfb.resize(1, d, false);
        if (hd.family == ModelFamily::Bert) {
            wc.resize(d, hd.classes, true);
            wc.randomize(rng, 0.02);
            bc.resize(1, hd.classes, false);
            return;
        }
        dtok.resize(hd.vocab, d, true);
        dtok.randomize(rng, 0.02);
        dpos.resize(hd.tgtLen, d, true);
        dpos.randomize(rng, 0.02);
        blocks.resize(size_t(hd.decoderBlocks));
        for (auto &b : blocks) {
            b.init(hd.block, hd.decoderBlocks, rng);
        }
        lndg.resize(1, d, false);
        lndg.w.setOnes();
        lndb.resize(1, d, false);
        wlm.resize(d, hd.vocab, true);
        wlm.randomize(rng, 0.02);
        blm.resize(1, hd.vocab, false);
    }

    std::vector<Param<T> *> params()
    {
        std::vector<Param<T> *> p{&lnfg, &lnfb};
        if (dims.family == ModelFamily::Bert) {
            p.insert(p.end(), {&wc, &bc});
            return p;
        }
        p.insert(p.end(), {&dtok, &dpos});
        for (auto &b : blocks) {
            for (Param<T> *q : b.params()) {
                p.push_back(q);
            }
        }
        p.insert(p.end(), {&lndg, &lndb, &wlm, &blm});
        return p;
    }

    /// Summed loss over mb's loss terms. With dEnc: gradients of (loss·gradScale) accumulated
    /// into the head's params and dEnc [B·src × d] overwritten with ∂/∂(encoder output).
    /// With logits: the classifier logits [B×C] or LM logits [B·tgt×V] are returned.
    double run(const Mat<T> &enc, const TokenBatch &mb, T gradScale, Mat<T> *dEnc,
        Mat<T> *logitsOut = nullptr)
    {
        Mat<T> xhat, rstd, mem;
        ops::layerNormForward(enc, lnfg, lnfb, xhat, rstd, mem);
        Mat<T> dMem;
        double loss = dims.family == ModelFamily::Bert
            ? classify(mem, mb, gradScale, dEnc ? &dMem : nullptr, logitsOut)
            : decode(mem, mb, gradScale, dEnc ? &dMem : nullptr, logitsOut);
        if (dEnc) {
            ops::layerNormBackward(dMem, xhat, rstd, lnfg, lnfb, *dEnc);
        }
        return loss;
    }

private:
    /// Mean over each sample's valid positions, then a linear classifier.
    double classify(
        const Mat<T> &mem, const TokenBatch &mb, T gradScale, Mat<T> *dMem, Mat<T> *logitsOut)
    {
        const int s = mb.srcLen;
        Mat<T> pooled(mb.size, mem.cols()), logits, dLogits, dPooled;
        const long d = long(mem.cols());
        pooled.setZero();
        for (int b = 0; b < mb.size; ++b) {
            // Column sums in a fixed order (fixed_order.h), then / n as Eigen's mean() did.
            const T *rows = mem.data() + Eigen::Index(b) * s * d;
            const int n = mb.srcValid[size_t(b)];
            fixed::addColumnSumsOf<T>(
                n, d, [rows, d](long r, long j) { return rows[r * d + j]; }, pooled.row(b).data());
            pooled.row(b) /= T(n);
        }
        ops::linearForward(pooled, wc, bc, logits);
        if (logitsOut) {
            *logitsOut = logits;
        }
        const double loss
            = ops::softmaxCrossEntropy(logits, mb.labels, gradScale, dMem ? &dLogits : nullptr);
        if (dMem) {
            ops::linearBackward(pooled, dLogits, wc, bc, &dPooled);
            dMem->setZero(mem.rows(), mem.cols());
            for (int b = 0; b < mb.size; ++b) {
                const int n = mb.srcValid[size_t(b)];
                dMem->middleRows(Eigen::Index(b) * s, n).rowwise() = dPooled.row(b) / T(n);
            }
        }
        return loss;
    }

    /// Teacher-forced decoder over decIn, cross-entropy against decTarget.
    double decode(
        const Mat<T> &mem, const TokenBatch &mb, T gradScale, Mat<T> *dMem, Mat<T> *logitsOut)
    {
        const int tgt = mb.tgtLen;
        std::vector<Mat<T>> ys(blocks.size() + 1);
        std::vector<DecoderCache<T>> caches(blocks.size());
        ops::embeddingForward(mb.decIn, tgt, dtok, dpos, ys[0]);
        for (size_t i = 0; i < blocks.size(); ++i) {
            blocks[i].forward(
                ys[i], mem, mb.size, tgt, mb.srcLen, mb.srcValid, caches[i], ys[i + 1]);
        }
        Mat<T> xhat, rstd, a, logits, dLogits, da, dy, dyPrev;
        ops::layerNormForward(ys.back(), lndg, lndb, xhat, rstd, a);
        ops::linearForward(a, wlm, blm, logits);
        if (logitsOut) {
            *logitsOut = logits;
        }
        const double loss
            = ops::softmaxCrossEntropy(logits, mb.decTarget, gradScale, dMem ? &dLogits : nullptr);
        if (!dMem) {
            return loss;
        }
        ops::linearBackward(a, dLogits, wlm, blm, &da);
        ops::layerNormBackward(da, xhat, rstd, lndg, lndb, dy);
        dMem->setZero(mem.rows(), mem.cols());
        for (size_t i = blocks.size(); i-- > 0;) {
            blocks[i].backward(
                dy, mem, mb.size, tgt, mb.srcLen, mb.srcValid, caches[i], dyPrev, *dMem);
            dy.swap(dyPrev);
        }
        ops::embeddingBackward(mb.decIn, tgt, dy, dtok, dpos);
        return loss;
    }
};

} // namespace collapipe
