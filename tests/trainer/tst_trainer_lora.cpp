// SPDX-License-Identifier: MIT
// Issue [6/7] "A living edge", parameter-efficient fine-tuning: with LoRA adapters on frozen
// projections (or a frozen embedding) a pipelined round through random segments still equals
// one ordinary step on the same batch within 1e-5 relative, for GPipe, 1F1B and the zero-bubble
// split (B then a deferred W); only the tensors the mode trains move; a LoRA model starts as the
// full model of the same seed. (The finite-difference checks are in tst_trainer_gradients.)
#include "core/trainer/federated_trainer.h"
#include "tests/trainer/trainer_fixtures.h"

#include <QTest>

#include <algorithm>

using namespace collapipe;

class TrainerLora : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pipelinedEqualsReference_data();
    void pipelinedEqualsReference();
    void startsFromTheFullModel();
};

void TrainerLora::pipelinedEqualsReference_data()
{
    QTest::addColumn<bool>("bert");
    QTest::addColumn<int>("schedule");
    QTest::addColumn<int>("micro");
    QTest::addColumn<int>("segSeed");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("targets");
    const int lora = int(TrainingMode::Lora);
    const int g = int(ScheduleKind::GPipe), f = int(ScheduleKind::OneFOneB);
    const int zb = int(ScheduleKind::ZeroBubbleH1);
    QTest::newRow("bert 1f1b M=4 lora both")
        << true << f << 4 << 3 << 0.0 << lora << int(LoraTargets::Both);
    QTest::newRow("bert gpipe M=3 lora attention")
        << true << g << 3 << 2 << 0.0 << lora << int(LoraTargets::Attention);
    QTest::newRow("bert zb-h1 M=5 lora both (W deferred)")
        << true << zb << 5 << 4 << 0.0 << lora << int(LoraTargets::Both);
    QTest::newRow("transformer 1f1b M=6 lora ffn dropout 0.2")
        << false << f << 6 << 7 << 0.2 << lora << int(LoraTargets::Ffn);
    QTest::newRow("bert 1f1b M=5 frozen embedding")
        << true << f << 5 << 4 << 0.0 << int(TrainingMode::FrozenEmbedding)
        << int(LoraTargets::Both);
}

void TrainerLora::pipelinedEqualsReference()
{
    QFETCH(bool, bert);
    QFETCH(int, schedule);
    QFETCH(int, micro);
    QFETCH(int, segSeed);
    QFETCH(double, dropout);
    QFETCH(int, mode);
    QFETCH(int, targets);
    Scenario s = test::smallScenario(bert ? ModelFamily::Bert : ModelFamily::Transformer, 1, 4, 5);
    s.training.dropout = dropout;
    s.training.mode = TrainingMode(mode);
    s.training.lora.rank = 4;
    s.training.lora.targets = LoraTargets(targets);
    std::mt19937_64 rng{std::uint64_t(segSeed)};
    FederatedTrainer piped, ref;
    QString err;
    QVERIFY2(piped.init(s, &err), qPrintable(err));
    QVERIFY2(ref.init(s, &err), qPrintable(err));
    ref.setReferenceMode(true);
    const std::vector<float> before = piped.globalParameters();
    // Two rounds with different random segments: the second moves blocks with their adapters
    // and AdamW state (frozen tensors travel as values only).
    for (int round = 0; round < 2; ++round) {
        Decision d;
        d.clusters.push_back(test::randomSegments(rng, 4, 5, micro, ScheduleKind(schedule)));
        d.clusters[0].microbatchSize = 4;
        TrainRoundResult a, b;
        QVERIFY2(
            piped.trainRound(d, {test::orderFor(d.clusters[0], micro)}, &a, &err), qPrintable(err));
        QVERIFY2(ref.trainRound(d, {}, &b, &err), qPrintable(err));
        QVERIFY(std::abs(a.loss - b.loss) <= 1e-5 * std::abs(b.loss));
        const double rel = test::relDiff(piped.globalParameters(), ref.globalParameters());
        qInfo("round %d: %zu stages, loss %.6f, parameter rel diff %.3g", round,
            d.clusters[0].stages.size(), a.loss, rel);
        QVERIFY2(rel <= 1e-5, qPrintable(QStringLiteral("relative difference %1").arg(rel)));
    }
    // Only what the mode trains has moved: of the embedding + encoder parameters, at most the
    // trained ones changed, and some did.
    const std::vector<float> after = piped.globalParameters();
    int changed = 0;
    for (int i = 0; i < piped.encoderParameterCount(); ++i) {
        changed += after[size_t(i)] != before[size_t(i)] ? 1 : 0;
    }
    qInfo("%d of %d encoder parameters changed, %d trained", changed, piped.encoderParameterCount(),
        piped.trainedEncoderParameterCount());
    QVERIFY(changed > 0);
    QVERIFY(changed <= piped.trainedEncoderParameterCount());
    if (s.training.mode == TrainingMode::Lora) {
        QVERIFY(piped.trainedEncoderParameterCount() < piped.encoderParameterCount() / 4);
    }
}

void TrainerLora::startsFromTheFullModel()
{
    // Same seed, same base weights: LoRA only adds adapters (B = 0), so the first round's loss
    // (taken before any step) is the full model's, and the embedding + base tensors of the LoRA
    // model are the full model's values in the same order.
    Scenario s = test::smallScenario(ModelFamily::Bert, 1, 2, 2);
    FederatedTrainer full, lora;
    QString err;
    QVERIFY2(full.init(s, &err), qPrintable(err));
    s.training.mode = TrainingMode::Lora;
    s.training.lora.rank = 2;
    s.training.lora.targets = LoraTargets::Ffn;
    QVERIFY2(lora.init(s, &err), qPrintable(err));
    const std::vector<float> a = full.globalParameters(), b = lora.globalParameters();
    // Per block: 12 base tensors then 2 adapters × (A, B); A [2 × 16] + B [32 × 2] for W1
    // (16 → 32) and A [2 × 32] + B [16 × 2] for W2 (32 → 16): 192 adapter parameters per block.
    QCOMPARE(b.size(), a.size() + 2 * 192);
    QCOMPARE(lora.trainedEncoderParameterCount(), 2 * 192);
    // Embedding (80 + 24) × 16 = 1664, a block's base tensors 2224 (P_TEB at d 16, d_ff 32).
    const auto same = [&](size_t fromA, size_t fromB, size_t n) {
        return std::equal(
            a.begin() + long(fromA), a.begin() + long(fromA + n), b.begin() + long(fromB));
    };
    QVERIFY(same(0, 0, 1664 + 2224));                    // embedding + block 0
    QVERIFY(same(1664 + 2224, 1664 + 2224 + 192, 2224)); // block 1
    QVERIFY(same(1664 + 2 * 2224, 1664 + 2 * 2224 + 384, a.size() - 1664 - 2 * 2224)); // head
    Decision d;
    d.clusters.push_back(test::stagesOf({1, 1}, 2));
    d.clusters[0].microbatchSize = 6;
    TrainRoundResult ra, rb;
    const auto ops = test::orderFor(d.clusters[0], 2);
    QVERIFY2(full.trainRound(d, {ops}, &ra, &err), qPrintable(err));
    QVERIFY2(lora.trainRound(d, {ops}, &rb, &err), qPrintable(err));
    QCOMPARE(ra.loss, rb.loss);
}

QTEST_GUILESS_MAIN(TrainerLora)
#include "tst_trainer_lora.moc"
