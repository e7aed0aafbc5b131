// SPDX-License-Identifier: MIT
// The zero-bubble split of the encoder backward (issue [4/7]): B (input gradient) and W
// (weight gradient) of a block and of a device segment, checked against finite differences
// and against the fused backward, with W deferred past other micro-batches' forwards and B's.
#include "core/trainer/adamw.h"
#include "core/trainer/device_segment.h"
#include "tests/trainer/gradient_check.h"

#include <QTest>

#include <algorithm>

using namespace collapipe;
using test::randomMat;
using test::relativeGradError;

namespace {

/// max |a − b| / max(max |b|, 1e-30): one number per tensor, so a single wrong entry shows.
double relDiff(const Mat<float> &a, const Mat<float> &b)
{
    if (a.rows() != b.rows() || a.cols() != b.cols()) {
        return 1e30;
    }
    const double scale = std::max(double(b.cwiseAbs().maxCoeff()), 1e-30);
    return double((a - b).cwiseAbs().maxCoeff()) / scale;
}

Mat<float> randomFloat(std::mt19937_64 &rng, int rows, int cols)
{
    return randomMat(rng, rows, cols).cast<float>();
}

/// Two segments with the same weights: blocks 0..2 of width d 16, 4 heads, dFf 32.
constexpr int kFirst = 0, kLast = 2, kBatch = 3, kSeq = 6, kD = 16, kFf = 32;

DeviceSegment makeSegment()
{
    std::mt19937_64 rng(11);
    DeviceSegment seg;
    for (int b = kFirst; b <= kLast; ++b) {
        auto blk = std::make_unique<EncoderBlock<float>>();
        blk->init({kD, 4, kFf}, 3, rng);
        for (Param<float> *p : blk->params()) {
            // Not the 0.02 init: LN gains/biases away from 1/0 so every term matters.
            p->w += randomFloat(rng, int(p->w.rows()), int(p->w.cols())) * 0.1f;
        }
        seg.blocks[b] = std::move(blk);
    }
    return seg;
}

std::vector<Param<float> *> segmentParams(DeviceSegment &seg)
{
    std::vector<Param<float> *> out;
    for (auto &kv : seg.blocks) {
        for (Param<float> *p : kv.second->params()) {
            out.push_back(p);
        }
    }
    return out;
}

struct MicroBatch
{
    Mat<float> x, dy;
    std::vector<int> keyLen;
    Dropout drop;
};

std::vector<MicroBatch> makeMicroBatches(int count, float dropRate)
{
    std::mt19937_64 rng(5);
    std::vector<MicroBatch> out(static_cast<size_t>(count));
    for (int m = 0; m < count; ++m) {
        MicroBatch &mb = out[size_t(m)];
        mb.x = randomFloat(rng, kBatch * kSeq, kD);
        mb.dy = randomFloat(rng, kBatch * kSeq, kD);
        mb.keyLen = {kSeq, 2 + m % 4, kSeq - 1}; // padding masked as keys
        mb.drop.rate = dropRate;
        mb.drop.key = Dropout::keyFor(3, 1, 0);
        mb.drop = mb.drop.atSample(m * kBatch);
    }
    return out;
}

} // namespace

class BackwardSplit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void blockGradientCheck_data();
    void blockGradientCheck();
    void fusedIsBThenWBitForBit();
    void deferredMatchesFused_data();
    void deferredMatchesFused();
};

void BackwardSplit::blockGradientCheck_data()
{
    QTest::addColumn<float>("dropRate");
    QTest::newRow("no dropout") << 0.0f;
    QTest::newRow("dropout 0.3") << 0.3f;
}

/// (a) Finite differences in double: B's dx and LayerNorm gradients, W's weight-matrix and
/// bias gradients of one block; each pass leaves the other's gradients untouched. Bound 1e-6 (tst_trainer_gradients' per-block).
void BackwardSplit::blockGradientCheck()
{
    QFETCH(float, dropRate);
    std::mt19937_64 rng(7);
    EncoderBlock<double> blk;
    blk.init({8, 2, 12}, 1, rng);
    for (Param<double> *p : blk.params()) {
        test::randomizeParam(*p, rng, 0.3);
    }
    const int batch = 2, seq = 5;
    const std::vector<int> lens{3, 5};
    Dropout drop;
    drop.rate = dropRate;
    drop.key = Dropout::keyFor(9, 2, 1);
    drop = drop.forLayer(4).atSample(6);
    const Dropout *dropPtr = drop.active() ? &drop : nullptr;
    Param<double> x;
    x.resize(batch * seq, 8, false);
    x.w = randomMat(rng, batch * seq, 8);
    const Mat<double> r = randomMat(rng, batch * seq, 8); // L = Σ R ⊙ y
    EncoderCache<double> c, probe;
    EncoderWeightStash<double> stash;
    Mat<double> y, dx;
    blk.forward(x.w, batch, seq, lens, c, y, dropPtr);
    blk.backwardInput(r, c, dx, stash, dropPtr);
    // B's contract: the LayerNorms' γ/β gradients are complete, no other gradient touched.
    for (const Param<double> *p :
        {&blk.wqkv, &blk.bqkv, &blk.wo, &blk.bo, &blk.w1, &blk.b1, &blk.w2, &blk.b2}) {
        QVERIFY2(p->g.isZero(0.0), "B wrote a weight-matrix or bias gradient");
    }
    std::vector<Mat<double>> lnAfterB;
    for (const Param<double> *p : {&blk.ln1g, &blk.ln1b, &blk.ln2g, &blk.ln2b}) {
        lnAfterB.push_back(p->g);
    }
    blk.backwardWeights(stash);
    int k = 0;
    for (const Param<double> *p : {&blk.ln1g, &blk.ln1b, &blk.ln2g, &blk.ln2b}) {
        QVERIFY2(p->g == lnAfterB[size_t(k++)], "W changed a LayerNorm gradient");
    }
    const auto loss = [&] {
        blk.forward(x.w, batch, seq, lens, probe, y, dropPtr);
        return y.cwiseProduct(r).sum();
    };
    const double errX = relativeGradError(x, dx, loss);
    qInfo("B: dx max rel error %.3g", errX);
    QVERIFY2(errX < 1e-6, qPrintable(QStringLiteral("B: dx relative error %1").arg(errX)));
    const char *names[]
        = {"ln1g", "ln1b", "wqkv", "bqkv", "wo", "bo", "ln2g", "ln2b", "w1", "b1", "w2", "b2"};
    int i = 0;
    for (Param<double> *p : blk.params()) {
        const Mat<double> g = p->g;
        QVERIFY2(!g.isZero(0.0), names[i]);
        const double err = relativeGradError(*p, g, loss, 24);
        qInfo("W: %s max rel error %.3g", names[i], err);
        QVERIFY2(err < 1e-6,
            qPrintable(
                QStringLiteral("W: %1 relative error %2").arg(QLatin1String(names[i])).arg(err)));
        ++i;
    }
}

/// The fused backward is B's core then W's core: run as B then W right away, the input
/// gradient and every parameter gradient are the same bits.
void BackwardSplit::fusedIsBThenWBitForBit()
{
    DeviceSegment fused = makeSegment(), split = makeSegment();
    const std::vector<MicroBatch> mbs = makeMicroBatches(2, 0.2f);
    for (const MicroBatch &mb : mbs) {
        std::vector<EncoderCache<float>> cf, cs;
        Mat<float> yf, ys, dxf, dxs;
        SegmentWeightStash stash;
        fused.forward(kFirst, kLast, mb.x, kBatch, kSeq, mb.keyLen, cf, yf, mb.drop);
        split.forward(kFirst, kLast, mb.x, kBatch, kSeq, mb.keyLen, cs, ys, mb.drop);
        fused.backward(kFirst, kLast, mb.dy, cf, dxf, mb.drop);
        split.backwardInput(kFirst, kLast, mb.dy, cs, dxs, stash, mb.drop);
        split.backwardWeights(stash);
        QVERIFY(dxf == dxs);
    }
    const std::vector<Param<float> *> pf = segmentParams(fused), ps = segmentParams(split);
    for (size_t i = 0; i < pf.size(); ++i) {
        QVERIFY2(pf[i]->g == ps[i]->g, qPrintable(QStringLiteral("tensor %1").arg(i)));
    }
}

void BackwardSplit::deferredMatchesFused_data()
{
    QTest::addColumn<float>("dropRate");
    QTest::newRow("no dropout") << 0.0f;
    QTest::newRow("dropout 0.2") << 0.2f;
}

/// (b) 3 blocks, 4 micro-batches: fused backward per micro-batch vs B in the order 0, 1, 3, 2
/// with each W deferred past other micro-batches' forwards and B's (up to three pending), the
/// stashes and caches taken from pools as an executor would. Input gradients and accumulated
/// weight gradients ≤ 1e-5 relative; the stash holds exactly the documented bytes.
/// (c) then one AdamW step on both: parameters ≤ 1e-5 relative.
void BackwardSplit::deferredMatchesFused()
{
    QFETCH(float, dropRate);
    constexpr int kMicro = 4;
    DeviceSegment fused = makeSegment(), split = makeSegment();
    const std::vector<MicroBatch> mbs = makeMicroBatches(kMicro, dropRate);

    std::vector<Mat<float>> dxFused(kMicro), dxSplit(kMicro);
    for (int m = 0; m < kMicro; ++m) {
        const MicroBatch &mb = mbs[size_t(m)];
        std::vector<EncoderCache<float>> c;
        Mat<float> y;
        fused.forward(kFirst, kLast, mb.x, kBatch, kSeq, mb.keyLen, c, y, mb.drop);
        fused.backward(kFirst, kLast, mb.dy, c, dxFused[size_t(m)], mb.drop);
    }

    std::vector<std::vector<EncoderCache<float>>> caches(kMicro);
    std::vector<SegmentWeightStash> pending(kMicro), stashPool;
    std::vector<std::vector<EncoderCache<float>>> cachePool;
    int maxPending = 0, nowPending = 0;
    const double expectBytes
        = 4.0 * kBatch * (8.0 * kSeq * kD + 2.0 * kSeq * kFf) * (kLast - kFirst + 1);
    const auto F = [&](int m) {
        const MicroBatch &mb = mbs[size_t(m)];
        if (!cachePool.empty()) {
            caches[size_t(m)] = std::move(cachePool.back());
            cachePool.pop_back();
        }
        Mat<float> y;
        split.forward(kFirst, kLast, mb.x, kBatch, kSeq, mb.keyLen, caches[size_t(m)], y, mb.drop);
    };
    const auto B = [&](int m) {
        const MicroBatch &mb = mbs[size_t(m)];
        SegmentWeightStash &s = pending[size_t(m)];
        if (!stashPool.empty()) {
            s = std::move(stashPool.back());
            stashPool.pop_back();
        }
        split.backwardInput(
            kFirst, kLast, mb.dy, caches[size_t(m)], dxSplit[size_t(m)], s, mb.drop);
        QCOMPARE(s.bytes(), expectBytes);
        cachePool.push_back(std::move(caches[size_t(m)])); // spent: W needs none of it
        maxPending = std::max(maxPending, ++nowPending);
    };
    const auto W = [&](int m) {
        split.backwardWeights(pending[size_t(m)]);
        stashPool.push_back(std::move(pending[size_t(m)]));
        --nowPending;
    };
    F(0);
    F(1);
    B(0);
    F(2);
    B(1);
    F(3);
    B(3);
    W(1);
    B(2);
    W(3);
    W(0);
    W(2);
    QCOMPARE(maxPending, 3);

    // Every number is measured before any is checked, so a broken split shows in (b) and (c).
    double worstDx = 0, worstGrad = 0, worstParam = 0;
    for (int m = 0; m < kMicro; ++m) {
        worstDx = std::max(worstDx, relDiff(dxSplit[size_t(m)], dxFused[size_t(m)]));
    }
    const std::vector<Param<float> *> pf = segmentParams(fused), ps = segmentParams(split);
    for (size_t i = 0; i < pf.size(); ++i) {
        QVERIFY2(!pf[i]->g.isZero(0.0f), qPrintable(QStringLiteral("tensor %1: no grad").arg(i)));
        worstGrad = std::max(worstGrad, relDiff(ps[i]->g, pf[i]->g));
    }
    const AdamWSettings opt{1e-2, 0.01, 1.0};
    adamwStep(pf, opt);
    adamwStep(ps, opt);
    for (size_t i = 0; i < pf.size(); ++i) {
        worstParam = std::max(worstParam, relDiff(ps[i]->w, pf[i]->w));
    }
    qInfo("deferred vs fused, max rel: dx %.3g, grads %.3g, params after AdamW %.3g", worstDx,
        worstGrad, worstParam);
    QVERIFY2(worstDx <= 1e-5, "(b) input gradients differ");
    QVERIFY2(worstGrad <= 1e-5, "(b) accumulated weight gradients differ");
    QVERIFY2(worstParam <= 1e-5, "(c) parameters after one AdamW step differ");
}

QTEST_GUILESS_MAIN(BackwardSplit)
#include "tst_backward_split.moc"
