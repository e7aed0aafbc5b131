// SPDX-License-Identifier: MIT
// The pure cost formulas of spec §2.1–2.5 against hand-computed values.
#include "core/cost/cost_terms.h"

#include <QTest>

#include <cmath>

using namespace collapipe;

namespace {
bool close(double a, double b, double rel = 1e-12)
{
    return std::abs(a - b) <= rel * std::max(1.0, std::abs(b));
}
} // namespace

class TstCostTerms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void blockFlops_data()
    {
        QTest::addColumn<int>("s");
        QTest::addColumn<int>("h");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("ff");
        QTest::addColumn<double>("forward");
        QTest::addColumn<double>("params");
        // BERT-base: 24·s·h² + 4·s²·h = 24·128·768² + 4·128²·768 = 1 811 939 328 + 50 331 648;
        // parameters 12h² + 13h = 7 077 888 + 9 984.
        QTest::newRow("bert-base") << 128 << 768 << 12 << 3072 << 1862270976.0 << 7087872.0;
        // Trainer size: 8·32·64² + 4·32²·64 + 4·32·64·256 = 1 048 576 + 262 144 + 2 097 152;
        // parameters 4·64² + 4·64 + 2·64·256 + 256 + 64 + 4·64 = 16384+256+32768+256+64+256.
        QTest::newRow("tiny") << 32 << 64 << 4 << 256 << 3407872.0 << 49984.0;
    }
    void blockFlops()
    {
        QFETCH(int, s);
        QFETCH(int, h);
        QFETCH(int, heads);
        QFETCH(int, ff);
        QFETCH(double, forward);
        QFETCH(double, params);
        const TransformerDims dims{h, heads, ff, s, 1000};
        QVERIFY2(close(blockForwardFlops(dims), forward),
            qPrintable(QString::number(blockForwardFlops(dims), 'f', 0)));
        QVERIFY(close(blockBackwardFlops(dims), 2.0 * forward));
        QVERIFY2(close(blockParameters(dims), params),
            qPrintable(QString::number(blockParameters(dims), 'f', 0)));
    }

    void segmentMemory_data()
    {
        QTest::addColumn<int>("blocks");
        QTest::addColumn<int>("b");
        QTest::addColumn<int>("inflight");
        QTest::addColumn<int>("q");
        QTest::addColumn<double>("bytes");
        // dims s=32, h=64, a=4, ff=256: P = 49 984; a_TEB = 8·32·64 + 2·32·256 + 4·32² + 2·32
        // = 36 928 elements per sample per block (147 712 B in fp32, 73 856 B in fp16).
        // 3 blocks, b=2, 4 in flight, fp32: state 3·49984·4·4 = 2 399 232; stash 4·2·3·147 712 =
        // 3 545 088; buffers 2·(2·32·64·4 + 2·32·4) = 33 280 → 5 977 600.
        QTest::newRow("fp32-3blocks-4inflight") << 3 << 2 << 4 << 4 << 5977600.0;
        // 1 block, b=1, 1 in flight, fp16: 49984·2·4 = 399 872; stash 73 856;
        // buffers 2·(32·64·2 + 32·4) = 8 448 → 482 176.
        QTest::newRow("fp16-1block") << 1 << 1 << 1 << 2 << 482176.0;
        // No stash (inflight 0): weights/grads/Adam + buffers only.
        QTest::newRow("no-stash") << 2 << 4 << 0 << 4
                                  << 2.0 * 49984 * 16 + 2.0 * (4 * 32 * 64 * 4 + 4 * 32 * 4);
    }
    void segmentMemory()
    {
        QFETCH(int, blocks);
        QFETCH(int, b);
        QFETCH(int, inflight);
        QFETCH(int, q);
        QFETCH(double, bytes);
        const TransformerDims dims{64, 4, 256, 32, 96};
        const double got = segmentMemoryBytes(dims, blocks, b, inflight, q);
        QVERIFY2(close(got, bytes), qPrintable(QString::number(got, 'f', 0)));
    }

    void activationBytes_data()
    {
        QTest::addColumn<int>("s");
        QTest::addColumn<int>("h");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("ff");
        QTest::addColumn<int>("q");
        QTest::addColumn<double>("bytes");
        // Trainer default: 4·(8·64·64 + 2·64·256 + 4·64² + 2·64) = 4·82 048.
        QTest::newRow("trainer-fp32") << 64 << 64 << 4 << 256 << 4 << 328192.0;
        // BERT-base, fp32: 4·(8·128·768 + 2·128·3072 + 12·128² + 2·128) = 4·1 769 728 — below
        // the Korthikanti fp32 figure 2·128·768·(34 + 5·12·128/768) = 8 650 752 (no dropout).
        QTest::newRow("bert-base-fp32") << 128 << 768 << 12 << 3072 << 4 << 7078912.0;
        QTest::newRow("bert-base-fp16") << 128 << 768 << 12 << 3072 << 2 << 3539456.0;
    }
    void activationBytes()
    {
        QFETCH(int, s);
        QFETCH(int, h);
        QFETCH(int, heads);
        QFETCH(int, ff);
        QFETCH(int, q);
        QFETCH(double, bytes);
        const TransformerDims dims{h, heads, ff, s, 1000};
        const double got = blockActivationBytes(dims, q);
        QVERIFY2(close(got, bytes), qPrintable(QString::number(got, 'f', 0)));
    }

    void energy_data()
    {
        QTest::addColumn<double>("computeW");
        QTest::addColumn<double>("busy");
        QTest::addColumn<double>("txW");
        QTest::addColumn<double>("tx");
        QTest::addColumn<double>("joules");
        QTest::newRow("phone") << 4.0 << 2.5 << 0.2 << 10.0 << 12.0;
        QTest::newRow("idle-radio") << 6.0 << 1.0 << 0.0 << 3.0 << 6.0;
        QTest::newRow("radio-only") << 5.0 << 0.0 << 0.1 << 0.5 << 0.05;
    }
    void energy()
    {
        QFETCH(double, computeW);
        QFETCH(double, busy);
        QFETCH(double, txW);
        QFETCH(double, tx);
        QFETCH(double, joules);
        QVERIFY(close(deviceEnergyJ(computeW, busy, txW, tx), joules));
    }

    void transfersAndTimes()
    {
        QVERIFY(close(transferTimeS(1e6, 8e6), 1.0));
        QVERIFY(std::isinf(transferTimeS(1.0, 0.0)));
        QCOMPARE(transferTimeS(0.0, 0.0), 0.0);
        QVERIFY(close(computeTimeS(3e12, 1.5e12), 2.0));
        const TransformerDims dims{768, 12, 3072, 128, 30522};
        // b·s·h·q + b·s·4 = 4·128·768·4 + 4·128·4.
        QVERIFY(close(boundaryPayloadBytes(dims, 4, 4), 1572864.0 + 2048.0));
        QVERIFY(close(uploadBytes(dims, 12, 4), 12.0 * 7087872 * 4));
    }

    void stash_data()
    {
        QTest::addColumn<int>("schedule");
        QTest::addColumn<int>("m");
        QTest::addColumn<int>("stages");
        QTest::addColumn<int>("stage");
        QTest::addColumn<int>("expected");
        QTest::newRow("gpipe") << int(PipelineSchedule::GPipe) << 8 << 4 << 0 << 8;
        // 1F1B: device stage j of S has S − j stages after it, the edge included (it runs the
        // head/decoder and any tail of every micro-batch): S − j warm-ups, peak S − j + 1.
        QTest::newRow("1f1b-first") << int(PipelineSchedule::OneFOneB) << 8 << 4 << 0 << 5;
        QTest::newRow("1f1b-last") << int(PipelineSchedule::OneFOneB) << 8 << 4 << 3 << 2;
        QTest::newRow("1f1b-one-stage") << int(PipelineSchedule::OneFOneB) << 8 << 1 << 0 << 2;
        QTest::newRow("1f1b-one-mb") << int(PipelineSchedule::OneFOneB) << 1 << 1 << 0 << 1;
        QTest::newRow("1f1b-few-mb") << int(PipelineSchedule::OneFOneB) << 2 << 4 << 0 << 2;
    }
    void stash()
    {
        QFETCH(int, schedule);
        QFETCH(int, m);
        QFETCH(int, stages);
        QFETCH(int, stage);
        QFETCH(int, expected);
        QCOMPARE(stashedMicrobatches(PipelineSchedule(schedule), m, stages, stage), expected);
    }

    void embeddingAndEdgeTailMemory()
    {
        // Issue 13 findings 3 and 5 at BERT-base sizes (fp32, AdamW).
        const TransformerDims dims{768, 12, 3072, 128, 30522};
        // P_emb = (V + s)·h = 23,539,200; ×4 B ×(2 + 2) = 376.6 MB.
        QVERIFY(close(embeddingStateBytes(dims, 4), (30522.0 + 128.0) * 768.0 * 4.0 * 4.0));
        QVERIFY(std::abs(embeddingStateBytes(dims, 4) - 376.6e6) < 0.1e6);
        // An fl device holds the embedding's state next to the encoder with its one micro-batch.
        QVERIFY(close(federatedDeviceMemoryBytes(dims, 12, 16, 4),
            embeddingStateBytes(dims, 4) + segmentMemoryBytes(dims, 12, 16, 1, 4)));
        // The edge tail stashes one micro-batch whatever M: 11 blocks at b = 1 are ≈ 1.25 GB of
        // state + 7.08 MB per block of activations, not ×16.
        QVERIFY(close(edgeTailMemoryBytes(dims, 11, 1, 4), segmentMemoryBytes(dims, 11, 1, 1, 4)));
        QVERIFY(segmentMemoryBytes(dims, 11, 1, 16, 4) - edgeTailMemoryBytes(dims, 11, 1, 4)
            > 15 * 11 * blockActivationBytes(dims, 4) * 0.999);
    }

    /// Issue [6/7]: what each training.mode trains, at BERT-base sizes, written out by hand.
    void trainedPartsPerMode()
    {
        const TransformerDims dims{768, 12, 3072, 128, 30522};
        TrainingSettings t;
        const TrainedParts full = trainedParts(dims, t);
        QCOMPARE(full.blockTrainableParams, 7087872.0);
        QCOMPARE(full.blockHeldParams, 7087872.0);
        QCOMPARE(full.embeddingTrainableParams, (30522.0 + 128.0) * 768.0);
        QCOMPARE(full.forwardFlops, 1862270976.0);
        QCOMPARE(full.backwardFlops, 2.0 * 1862270976.0);
        QCOMPARE(full.weightGradFraction, 0.5);
        // The full-mode overloads are the old formulas exactly (no fingerprint moves).
        QCOMPARE(
            segmentMemoryBytes(dims, full, 3, 4, 2.0, 4), segmentMemoryBytes(dims, 3, 4, 2.0, 4));
        QCOMPARE(modelUploadBytes(full, 12, 4), modelUploadBytes(dims, 12, 4));

        t.mode = TrainingMode::FrozenEmbedding;
        const TrainedParts frozen = trainedParts(dims, t);
        QCOMPARE(frozen.embeddingTrainableParams, 0.0);
        QCOMPARE(frozen.blockTrainableParams, 7087872.0);
        QCOMPARE(modelUploadBytes(frozen, 12, 4), 12.0 * 7087872.0 * 4.0);
        QCOMPARE(embeddingStateBytes(frozen, 4), (30522.0 + 128.0) * 768.0 * 4.0);

        t.mode = TrainingMode::Lora;
        t.lora.rank = 8;
        t.lora.targets = LoraTargets::Both;
        const TrainedParts lora = trainedParts(dims, t);
        // r·Σ(in + out) = 8·(4·768 + 2·768 + 2·(768 + 3072)) = 8·12288 = 98 304 per block.
        QCOMPARE(lora.blockTrainableParams, 98304.0);
        QCOMPARE(lora.blockHeldParams, 7087872.0 + 98304.0);
        QCOMPARE(lora.embeddingTrainableParams, 0.0);
        QCOMPARE(modelUploadBytes(lora, 12, 4), 12.0 * 98304.0 * 4.0); // 4.7 MB, not 434 MB
        // Forward + 2·s·r·Σ; backward = φ_B − weight gradients (8sh² + 4sh·d_ff) + 6·s·r·Σ.
        const double sr = 128.0 * 98304.0;
        const double weightGrads = 8.0 * 128 * 768.0 * 768 + 4.0 * 128 * 768 * 3072;
        QCOMPARE(lora.forwardFlops, 1862270976.0 + 2.0 * sr);
        QCOMPARE(lora.backwardFlops, 2.0 * 1862270976.0 - weightGrads + 6.0 * sr);
        QCOMPARE(lora.weightGradFraction, 4.0 * sr / lora.backwardFlops);
        // Memory: every value once, gradient + 2 moments for the adapters only.
        const double state = 3.0 * 4.0 * (7087872.0 + 98304.0 + 98304.0 * 3.0);
        QCOMPARE(segmentMemoryBytes(dims, lora, 3, 4, 0.0, 4),
            state + 2.0 * boundaryPayloadBytes(dims, 4, 4));
        t.lora.targets = LoraTargets::Attention;
        QCOMPARE(trainedParts(dims, t).blockTrainableParams, 8.0 * 6.0 * 768.0);
        t.lora.targets = LoraTargets::Ffn;
        QCOMPARE(trainedParts(dims, t).blockTrainableParams, 8.0 * 2.0 * (768.0 + 3072.0));
    }

    void microbatchModes()
    {
        TrainingSettings t;
        t.batchSize = 30;
        t.microbatchSize = 8;
        QCOMPARE(microbatchSizeFor(t, MicrobatchMode::Count, 3), 8);
        QCOMPARE(microbatchSizeFor(t, MicrobatchMode::Split, 4), 8); // ceil(30/4)
        QCOMPARE(microbatchSizeFor(t, MicrobatchMode::Split, 5), 6);
        QCOMPARE(microbatchSizeFor(t, MicrobatchMode::Split, 64), 1);
    }
};

QTEST_GUILESS_MAIN(TstCostTerms)
#include "tst_cost_terms.moc"
