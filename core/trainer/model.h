// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/dropout.h"
#include "core/trainer/head.h"

/// The whole model as one unpipelined function: CU embedding → encoder blocks → edge head.
/// The pipelined trainer runs the same pieces stage by stage; this path is the reference
/// "ordinary step" and what the double-precision gradient checks differentiate.
namespace collapipe {

/// Token + position embedding at the control unit (spec §1.3 step 3): tok [V×d], pos [S×d].
template <typename T> struct Embedding
{
    Param<T> tok, pos;

    void init(int vocab, int seq, int d, std::mt19937_64 &rng)
    {
        tok.resize(vocab, d, true);
        tok.randomize(rng, 0.02);
        pos.resize(seq, d, true);
        pos.randomize(rng, 0.02);
    }
    std::vector<Param<T> *> params() { return {&tok, &pos}; }
};

/// Non-owning view of a model whose blocks may live in different places.
template <typename T> struct ModelView
{
    Embedding<T> *embedding = nullptr;
    std::vector<EncoderBlock<T> *> blocks; ///< in encoder order
    Head<T> *head = nullptr;

    std::vector<Param<T> *> params() const
    {
        std::vector<Param<T> *> p = embedding->params();
        for (EncoderBlock<T> *b : blocks) {
            for (Param<T> *q : b->params()) {
                p.push_back(q);
            }
        }
        for (Param<T> *q : head->params()) {
            p.push_back(q);
        }
        return p;
    }
};

/// Encoder output [B·S × d] of a batch (no caches kept).
template <typename T> Mat<T> encodeOnly(const ModelView<T> &m, const TokenBatch &mb)
{
    Mat<T> x, y;
    ops::embeddingForward(mb.src, mb.srcLen, m.embedding->tok, m.embedding->pos, x);
    EncoderCache<T> cache;
    for (const EncoderBlock<T> *b : m.blocks) {
        b->forward(x, mb.size, mb.srcLen, mb.srcValid, cache, y);
        x.swap(y);
    }
    return x;
}

/// Summed loss over mb; if `backward`, accumulates the gradients of (loss·gradScale) into
/// every parameter of the view. drop: training-mode dropout (mb is a whole mini-batch, or the
/// slice starting at drop->sampleOffset).
template <typename T>
double forwardBackward(const ModelView<T> &m, const TokenBatch &mb, T gradScale, bool backward,
    const Dropout *drop = nullptr)
{
    std::vector<Mat<T>> xs(m.blocks.size() + 1);
    std::vector<EncoderCache<T>> caches(m.blocks.size());
    std::vector<Dropout> layerDrop;
    if (drop) {
        for (size_t i = 0; i < m.blocks.size(); ++i) {
            layerDrop.push_back(drop->forLayer(int(i)));
        }
    }
    const auto dropOf = [&](size_t i) { return drop ? &layerDrop[i] : nullptr; };
    ops::embeddingForward(mb.src, mb.srcLen, m.embedding->tok, m.embedding->pos, xs[0]);
    if (drop) {
        drop->forLayer(-1).apply(xs[0], mb.srcLen, 0);
    }
    for (size_t i = 0; i < m.blocks.size(); ++i) {
        m.blocks[i]->forward(
            xs[i], mb.size, mb.srcLen, mb.srcValid, caches[i], xs[i + 1], dropOf(i));
    }
    Mat<T> dy, dx;
    const double loss = m.head->run(xs.back(), mb, gradScale, backward ? &dy : nullptr);
    if (!backward) {
        return loss;
    }
    for (size_t i = m.blocks.size(); i-- > 0;) {
        m.blocks[i]->backward(dy, caches[i], dx, dropOf(i));
        dy.swap(dx);
    }
    if (drop) {
        drop->forLayer(-1).apply(dy, mb.srcLen, 0);
    }
    ops::embeddingBackward(mb.src, mb.srcLen, dy, m.embedding->tok, m.embedding->pos);
    return loss;
}

} // namespace collapipe
