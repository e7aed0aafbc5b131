// SPDX-License-Identifier: MIT
// Finite-difference gradient checks in double for every op, both block kinds and whole models
// of both families (issue [4/6] "Must show"). Bounds: max relative error < 1e-6 per op and
// block; < 2e-5 for whole models (measured ≈ 6e-6: deeper random nets put more curvature into
// the central difference with h = 1e-5, and some tensors' gradients are ~1e-5 in size).
#include "core/trainer/model.h"
#include "core/trainer/training_mode.h"
#include "tests/trainer/gradient_check.h"

#include <QTest>

using namespace collapipe;
using test::randomMat;
using test::relativeGradError;

namespace {
constexpr double kBound = 1e-6;
constexpr double kModelBound = 2e-5;

/// L = Σ R ⊙ out: dL/dout = R.
double weighted(const Mat<double> &out, const Mat<double> &r)
{
    return out.cwiseProduct(r).sum();
}

Param<double> asParam(const Mat<double> &m)
{
    Param<double> p;
    p.resize(int(m.rows()), int(m.cols()), false);
    p.w = m;
    return p;
}
} // namespace

class TrainerGradients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void linear();
    void layerNorm();
    void gelu();
    void attention_data();
    void attention();
    void crossEntropy();
    void embedding();
    void encoderBlock();
    void loraProjection();
    void loraEncoderBlock_data();
    void loraEncoderBlock();
    void decoderBlock();
    void wholeModel_data();
    void wholeModel();
};

#define CHECK_ERR(name, err) CHECK_ERR_BOUND(name, err, kBound)
#define CHECK_ERR_BOUND(name, err, kBound)                                                         \
    do {                                                                                           \
        const double e_ = (err);                                                                   \
        qInfo("%s: max rel error %.3g", name, e_);                                                 \
        QVERIFY2(e_ < kBound,                                                                      \
            qPrintable(QStringLiteral("%1: max relative error %2 ≥ %3")                            \
                           .arg(QLatin1String(name))                                               \
                           .arg(e_)                                                                \
                           .arg(kBound)));                                                         \
    } while (false)

void TrainerGradients::linear()
{
    std::mt19937_64 rng(1);
    Param<double> x = asParam(randomMat(rng, 6, 5)), w, b;
    w.resize(5, 4, true);
    test::randomizeParam(w, rng, 0.5);
    b.resize(1, 4, false);
    test::randomizeParam(b, rng, 0.5);
    const Mat<double> r = randomMat(rng, 6, 4);
    Mat<double> y, dx;
    ops::linearForward(x.w, w, b, y);
    ops::linearBackward(x.w, r, w, b, &dx);
    const auto loss = [&] {
        ops::linearForward(x.w, w, b, y);
        return weighted(y, r);
    };
    CHECK_ERR("linear dW", relativeGradError(w, w.g, loss));
    CHECK_ERR("linear db", relativeGradError(b, b.g, loss));
    CHECK_ERR("linear dx", relativeGradError(x, dx, loss));
}

void TrainerGradients::layerNorm()
{
    std::mt19937_64 rng(2);
    Param<double> x = asParam(randomMat(rng, 5, 7, 2.0)), g, b;
    g.resize(1, 7, false);
    test::randomizeParam(g, rng, 1.0);
    b.resize(1, 7, false);
    test::randomizeParam(b, rng, 1.0);
    const Mat<double> r = randomMat(rng, 5, 7);
    Mat<double> xhat, rstd, y, dx;
    ops::layerNormForward(x.w, g, b, xhat, rstd, y);
    ops::layerNormBackward(r, xhat, rstd, g, b, dx);
    const auto loss = [&] {
        ops::layerNormForward(x.w, g, b, xhat, rstd, y);
        return weighted(y, r);
    };
    CHECK_ERR("layernorm dgamma", relativeGradError(g, g.g, loss));
    CHECK_ERR("layernorm dbeta", relativeGradError(b, b.g, loss));
    CHECK_ERR("layernorm dx", relativeGradError(x, dx, loss));
}

void TrainerGradients::gelu()
{
    std::mt19937_64 rng(3);
    Param<double> x = asParam(randomMat(rng, 4, 9, 2.0));
    const Mat<double> r = randomMat(rng, 4, 9);
    Mat<double> y, dx;
    ops::geluBackward(x.w, r, dx);
    const auto loss = [&] {
        ops::geluForward(x.w, y);
        return weighted(y, r);
    };
    CHECK_ERR("gelu dx", relativeGradError(x, dx, loss));
}

void TrainerGradients::attention_data()
{
    QTest::addColumn<bool>("causal");
    QTest::addColumn<bool>("cross");
    QTest::addColumn<bool>("padding");
    QTest::newRow("self") << false << false << false;
    QTest::newRow("self+padding") << false << false << true;
    QTest::newRow("causal") << true << false << false;
    QTest::newRow("cross+padding") << false << true << true;
}

void TrainerGradients::attention()
{
    QFETCH(bool, causal);
    QFETCH(bool, cross);
    QFETCH(bool, padding);
    std::mt19937_64 rng(4);
    const int batch = 2, sq = 4, sk = cross ? 5 : 4, heads = 2, d = 6;
    const std::vector<int> lens = padding ? std::vector<int>{sk - 2, sk} : std::vector<int>{};
    const ops::AttnShape s{batch, sq, sk, heads, d, causal, padding ? &lens : nullptr};
    Param<double> q = asParam(randomMat(rng, batch * sq, d));
    Param<double> kv = asParam(randomMat(rng, batch * sk, 2 * d));
    const Mat<double> r = randomMat(rng, batch * sq, d);
    Mat<double> probs, out, dq(batch * sq, d), dkv(batch * sk, 2 * d);
    ops::attentionForward(q.w, 0, kv.w, 0, kv.w, d, s, probs, out);
    ops::attentionBackward(q.w, 0, kv.w, 0, kv.w, d, s, probs, r, dq, dkv, dkv);
    const auto loss = [&] {
        ops::attentionForward(q.w, 0, kv.w, 0, kv.w, d, s, probs, out);
        return weighted(out, r);
    };
    CHECK_ERR("attention dq", relativeGradError(q, dq, loss));
    CHECK_ERR("attention dk,dv", relativeGradError(kv, dkv, loss, 80));
}

void TrainerGradients::crossEntropy()
{
    std::mt19937_64 rng(5);
    Param<double> logits = asParam(randomMat(rng, 6, 5, 2.0));
    const std::vector<int> target{0, 4, -1, 2, 3, -1};
    Mat<double> dl;
    ops::softmaxCrossEntropy(logits.w, target, 0.25, &dl);
    const auto loss
        = [&] { return 0.25 * ops::softmaxCrossEntropy<double>(logits.w, target, 0.25, nullptr); };
    CHECK_ERR("cross-entropy dlogits", relativeGradError(logits, dl, loss));
    QCOMPARE(dl.row(2).norm(), 0.0); // ignored rows get no gradient
}

void TrainerGradients::embedding()
{
    std::mt19937_64 rng(6);
    Param<double> tok, pos;
    tok.resize(7, 4, true);
    test::randomizeParam(tok, rng, 1.0);
    pos.resize(3, 4, true);
    test::randomizeParam(pos, rng, 1.0);
    const std::vector<int> tokens{1, 3, 3, 0, 6, 1};
    const Mat<double> r = randomMat(rng, 6, 4);
    Mat<double> x;
    ops::embeddingBackward(tokens, 3, r, tok, pos);
    const auto loss = [&] {
        ops::embeddingForward(tokens, 3, tok, pos, x);
        return weighted(x, r);
    };
    CHECK_ERR("embedding dtok", relativeGradError(tok, tok.g, loss));
    CHECK_ERR("embedding dpos", relativeGradError(pos, pos.g, loss));
}

void TrainerGradients::encoderBlock()
{
    std::mt19937_64 rng(7);
    EncoderBlock<double> blk;
    blk.init({8, 2, 12}, 1, rng);
    for (Param<double> *p : blk.params()) {
        test::randomizeParam(*p, rng, 0.3); // not the 0.02 init: exercise every path
    }
    const int batch = 2, seq = 5;
    const std::vector<int> lens{3, 5};
    Param<double> x = asParam(randomMat(rng, batch * seq, 8));
    const Mat<double> r = randomMat(rng, batch * seq, 8);
    EncoderCache<double> c;
    Mat<double> y, dx;
    blk.forward(x.w, batch, seq, lens, c, y);
    blk.backward(r, c, dx);
    const auto loss = [&] {
        blk.forward(x.w, batch, seq, lens, c, y);
        return weighted(y, r);
    };
    double worst = relativeGradError(x, dx, loss);
    for (Param<double> *p : blk.params()) {
        const Mat<double> g = p->g;
        worst = std::max(worst, relativeGradError(*p, g, loss, 24));
    }
    CHECK_ERR("encoder block (all params + dx)", worst);
}

void TrainerGradients::loraProjection()
{
    // One adapted projection alone: y = x·W + b + s·(x·Aᵀ)·Bᵀ with W, b frozen.
    std::mt19937_64 rng(21);
    Param<double> x = asParam(randomMat(rng, 6, 5)), w, b;
    w.resize(5, 4, true);
    test::randomizeParam(w, rng, 0.5);
    b.resize(1, 4, false);
    test::randomizeParam(b, rng, 0.5);
    w.freeze();
    b.freeze();
    LoraAdapter<double> l;
    l.init(5, 4, 3, 6.0, rng);
    QCOMPARE(l.scale, 2.0);
    QVERIFY(l.b.w.isZero()); // B starts at zero: the adapted projection equals the base one
    test::randomizeParam(l.b, rng, 0.5);
    const Mat<double> r = randomMat(rng, 6, 4);
    Mat<double> y, dx;
    const auto forward = [&] {
        ops::linearForward(x.w, w, b, y);
        ops::loraForward(x.w, l, y);
    };
    forward();
    ops::linearBackwardInput(r, w, dx);
    ops::loraBackwardInput(r, l, dx);
    ops::linearBackwardWeights(x.w, r, w, b); // frozen: must neither write nor crash
    ops::loraBackwardWeights(x.w, r, l);
    const auto loss = [&] {
        forward();
        return weighted(y, r);
    };
    CHECK_ERR("lora dA", relativeGradError(l.a, l.a.g, loss));
    CHECK_ERR("lora dB", relativeGradError(l.b, l.b.g, loss));
    CHECK_ERR("lora dx", relativeGradError(x, dx, loss));
    QCOMPARE(w.g.size(), Eigen::Index(0));
    QCOMPARE(b.g.size(), Eigen::Index(0));
}

void TrainerGradients::loraEncoderBlock_data()
{
    QTest::addColumn<int>("targets");
    QTest::newRow("attention") << int(LoraTargets::Attention);
    QTest::newRow("ffn") << int(LoraTargets::Ffn);
    QTest::newRow("both") << int(LoraTargets::Both);
}

void TrainerGradients::loraEncoderBlock()
{
    // Every adapter of a block and dx, through the fused backward and through B then W (the
    // zero-bubble split): the split must give the same gradients.
    QFETCH(int, targets);
    const LoraTargets t = LoraTargets(targets);
    std::mt19937_64 rng(8);
    EncoderBlock<double> blk;
    blk.init({8, 2, 12}, 1, rng);
    for (Param<double> *p : blk.params()) {
        test::randomizeParam(*p, rng, 0.3);
    }
    blk.adaptLora(2, 4.0, t != LoraTargets::Ffn, t != LoraTargets::Attention, rng);
    const int adapters = t == LoraTargets::Both ? 4 : 2;
    QCOMPARE(int(blk.params().size()), 12 + 2 * adapters);
    for (Param<double> *p : blk.params()) {
        if (p->trainable) {
            test::randomizeParam(*p, rng, 0.3);
        }
    }
    const int batch = 2, seq = 5;
    const std::vector<int> lens{3, 5};
    Param<double> x = asParam(randomMat(rng, batch * seq, 8));
    const Mat<double> r = randomMat(rng, batch * seq, 8);
    EncoderCache<double> c;
    Mat<double> y, dx;
    blk.forward(x.w, batch, seq, lens, c, y);
    blk.backward(r, c, dx);
    const auto loss = [&] {
        blk.forward(x.w, batch, seq, lens, c, y);
        return weighted(y, r);
    };
    double worst = relativeGradError(x, dx, loss);
    std::vector<Mat<double>> fused;
    for (Param<double> *p : blk.params()) {
        if (!p->trainable) {
            QCOMPARE(p->g.size(), Eigen::Index(0));
            continue;
        }
        fused.push_back(p->g);
        worst = std::max(worst, relativeGradError(*p, p->g, loss, 24));
        p->g.setZero();
    }
    CHECK_ERR("lora encoder block (adapters + dx)", worst);
    QCOMPARE(int(fused.size()), 2 * adapters);
    EncoderWeightStash<double> stash;
    Mat<double> dxSplit;
    blk.forward(x.w, batch, seq, lens, c, y);
    blk.backwardInput(r, c, dxSplit, stash);
    blk.backwardWeights(stash);
    double splitDiff = (dxSplit - dx).cwiseAbs().maxCoeff();
    size_t k = 0;
    for (Param<double> *p : blk.params()) {
        if (p->trainable) {
            splitDiff = std::max(splitDiff, (p->g - fused[k++]).cwiseAbs().maxCoeff());
        }
    }
    QVERIFY2(splitDiff < 1e-12, qPrintable(QStringLiteral("B + W vs fused: %1").arg(splitDiff)));
}

void TrainerGradients::decoderBlock()
{
    std::mt19937_64 rng(8);
    DecoderBlock<double> blk;
    blk.init({8, 2, 12}, 1, rng);
    for (Param<double> *p : blk.params()) {
        test::randomizeParam(*p, rng, 0.3);
    }
    const int batch = 2, tgt = 4, src = 5;
    const std::vector<int> lens{5, 2};
    Param<double> y = asParam(randomMat(rng, batch * tgt, 8));
    Param<double> mem = asParam(randomMat(rng, batch * src, 8));
    const Mat<double> r = randomMat(rng, batch * tgt, 8);
    DecoderCache<double> c;
    Mat<double> out, dy, dmem = Mat<double>::Zero(batch * src, 8);
    blk.forward(y.w, mem.w, batch, tgt, src, lens, c, out);
    blk.backward(r, mem.w, batch, tgt, src, lens, c, dy, dmem);
    const auto loss = [&] {
        blk.forward(y.w, mem.w, batch, tgt, src, lens, c, out);
        return weighted(out, r);
    };
    double worst = std::max(relativeGradError(y, dy, loss), relativeGradError(mem, dmem, loss));
    for (Param<double> *p : blk.params()) {
        const Mat<double> g = p->g;
        worst = std::max(worst, relativeGradError(*p, g, loss, 24));
    }
    CHECK_ERR("decoder block (all params + dy + dmemory)", worst);
}

void TrainerGradients::wholeModel_data()
{
    QTest::addColumn<bool>("bert");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<int>("mode");
    const int full = int(TrainingMode::Full), lora = int(TrainingMode::Lora);
    QTest::newRow("bert: embedding + 2 blocks + pooled classifier") << true << 0.0 << full;
    QTest::newRow("transformer: embedding + 2 blocks + 2 decoder blocks + LM head")
        << false << 0.0 << full;
    // A fixed mask (fixed key): the masked model is a deterministic function of the weights.
    QTest::newRow("bert with dropout 0.3 (fixed mask)") << true << 0.3 << full;
    QTest::newRow("transformer with dropout 0.3 (fixed mask)") << false << 0.3 << full;
    // Issue [6/7]: LoRA adapters on every projection, base and embedding frozen.
    QTest::newRow("bert, lora rank 2 on both") << true << 0.0 << lora;
    QTest::newRow("transformer, lora rank 2 on both, dropout 0.3") << false << 0.3 << lora;
    QTest::newRow("bert, frozen embedding") << true << 0.0 << int(TrainingMode::FrozenEmbedding);
}

void TrainerGradients::wholeModel()
{
    QFETCH(bool, bert);
    QFETCH(double, dropout);
    QFETCH(int, mode);
    Dropout drop;
    drop.rate = float(dropout);
    drop.key = Dropout::keyFor(7, 3, 1);
    const Dropout *dp = dropout > 0 ? &drop : nullptr;
    std::mt19937_64 rng(9);
    const int vocab = 11, seq = 5, tgt = 4;
    const BlockDims bd{8, 2, 12};
    Embedding<double> emb;
    emb.init(vocab, seq, 8, rng);
    std::vector<EncoderBlock<double>> blocks(2);
    for (auto &b : blocks) {
        b.init(bd, 2, rng);
    }
    Head<double> head;
    head.init({bert ? ModelFamily::Bert : ModelFamily::Transformer, bd, 2, 3, vocab, tgt}, rng);
    TrainingSettings training;
    training.mode = TrainingMode(mode);
    training.lora.rank = 2;
    applyTrainingMode(training, emb, blocks);
    ModelView<double> view{&emb, {&blocks[0], &blocks[1]}, &head};
    for (Param<double> *p : view.params()) {
        test::randomizeParam(*p, rng, 0.3); // LoRA's B too: a zero B hides dA
    }
    TokenBatch mb;
    mb.size = 3;
    mb.srcLen = seq;
    mb.src = {4, 5, 6, 0, 0, 7, 8, 9, 10, 4, 5, 5, 0, 0, 0};
    mb.srcValid = {3, 5, 2};
    if (bert) {
        mb.labels = {0, 2, 1};
    } else {
        mb.tgtLen = tgt;
        mb.decIn = {1, 4, 5, 0, 1, 6, 7, 8, 1, 9, 0, 0};
        mb.decTarget = {4, 5, 2, -1, 6, 7, 8, 2, 9, 2, -1, -1};
    }
    const double scale = 1.0 / mb.lossTerms();
    forwardBackward(view, mb, scale, true, dp);
    const auto loss = [&] { return scale * forwardBackward(view, mb, scale, false, dp); };
    double worst = 0;
    const auto all = view.params();
    int trained = 0;
    for (size_t k = 0; k < all.size(); ++k) {
        Param<double> *p = all[k];
        if (!p->trainable) {
            QCOMPARE(p->g.size(), Eigen::Index(0)); // frozen: no gradient held or written
            continue;
        }
        ++trained;
        const Mat<double> g = p->g;
        const double e = relativeGradError(*p, g, loss, 16);
        if (e > kBound) {
            qInfo("tensor %d [%dx%d] |g|max %.3g: %.3g", int(k), int(g.rows()), int(g.cols()),
                g.cwiseAbs().maxCoeff(), e);
        }
        worst = std::max(worst, e);
    }
    // Full: every tensor; LoRA: 2 blocks × 4 projections × (A, B) + the head's tensors.
    const int headTensors = int(head.params().size());
    const int expected = mode == int(TrainingMode::Lora) ? 16 + headTensors
        : mode == int(TrainingMode::FrozenEmbedding)     ? int(all.size()) - 2
                                                         : int(all.size());
    QCOMPARE(trained, expected);
    CHECK_ERR_BOUND(bert ? "whole model (bert)" : "whole model (transformer)", worst, kModelBound);
}

QTEST_GUILESS_MAIN(TrainerGradients)
#include "tst_trainer_gradients.moc"
