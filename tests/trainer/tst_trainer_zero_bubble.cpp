// SPDX-License-Identifier: MIT
// Zero-bubble execution (issue [4/7]): the trainer runs ZB-H1's split backward — B (input
// gradient) then W (weight gradient, deferred) — and ZB-V's (two chunks per device in a V, the
// backward split), and one iteration's gradients and the loss after one AdamW step equal the
// unpipelined run and GPipe's within 1e-5 relative; broken B/W orders are refused.
#include "core/trainer/federated_trainer.h"
#include "core/trainer/stage_ops.h"
#include "tests/trainer/trainer_fixtures.h"

#include <QTest>

#include <map>
#include <numeric>

using namespace collapipe;

namespace {

/// S stages over blocks 0..L−1 split as evenly as possible, on devices in reverse order (stage j
/// on device S − 1 − j: the stage → device map is exercised, not the identity).
ClusterDecision evenSegments(int stages, int blocks, int microbatches)
{
    ClusterDecision cd;
    cd.microbatches = microbatches;
    cd.schedule = PipelineSchedule::GPipe; // unused: the ops are given
    int first = 0;
    for (int j = 0; j < stages; ++j) {
        const int count = blocks / stages + (j < blocks % stages ? 1 : 0);
        cd.stages.push_back(StageDecision{stages - 1 - j, first, first + count - 1});
        first += count;
    }
    return cd;
}

std::vector<StageOp> opsOf(ScheduleKind kind, int stages, int microbatches)
{
    std::vector<StageOp> ops;
    QString err;
    // ZB-V has two chunks whatever is asked; the others one.
    if (!stageOpsFromSchedule(makeSchedule(kind, stages, microbatches, 2), &ops, &err)) {
        qFatal("%s", qPrintable(err));
    }
    return ops;
}

double norm(const std::vector<float> &v)
{
    double s = 0;
    for (float x : v) {
        s += double(x) * double(x);
    }
    return std::sqrt(s);
}

} // namespace

class TrainerZeroBubble : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void zbH1Ops_data();
    void zbH1Ops();
    void matchesUnpipelinedAndGPipe_data();
    void matchesUnpipelinedAndGPipe();
    void rejectsBrokenSplitOrders();
    void deferredWeightsHoldMemory();
};

void TrainerZeroBubble::zbH1Ops_data()
{
    QTest::addColumn<int>("stages");
    QTest::addColumn<int>("micro");
    for (int s : {1, 2, 3, 4}) {
        for (int m : {1, 3, 4, 8}) {
            QTest::addRow("S=%d M=%d", s, m) << s << m;
        }
    }
}

void TrainerZeroBubble::zbH1Ops()
{
    QFETCH(int, stages);
    QFETCH(int, micro);
    const std::vector<StageOp> ops = opsOf(ScheduleKind::ZeroBubbleH1, stages, micro);
    QString err;
    QVERIFY2(validateStageOps(ops, stages, micro, &err), qPrintable(err));
    QCOMPARE(int(ops.size()), 3 * stages * micro); // F, B, W each once
    int w = 0;
    for (const StageOp &op : ops) {
        QVERIFY(op.kind != OpKind::Backward); // ZB-H1 never fuses
        w += op.kind == OpKind::BackwardWeight ? 1 : 0;
    }
    QCOMPARE(w, stages * micro);
}

void TrainerZeroBubble::matchesUnpipelinedAndGPipe_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("bert");
    QTest::addColumn<int>("stages");
    QTest::addColumn<int>("micro");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<int>("seed");
    const int h1 = int(ScheduleKind::ZeroBubbleH1), zbv = int(ScheduleKind::ZeroBubbleV);
    for (int s : {2, 3, 4}) {
        for (int m : {1, 3, 4, 8}) {
            QTest::addRow("zb-h1 bert S=%d M=%d", s, m) << h1 << true << s << m << 0.0 << 7;
        }
    }
    QTest::newRow("zb-h1 transformer S=3 M=4") << h1 << false << 3 << 4 << 0.0 << 7;
    // Dropout masks are keyed by sample, not by op: B and W see the forward's masks.
    QTest::newRow("zb-h1 bert S=3 M=8 dropout 0.3") << h1 << true << 3 << 8 << 0.3 << 7;
    // ZB-V: 2 chunks per device (δ = 2 or 4 blocks: 1 or 2 per chunk), two seeds.
    for (int seed : {7, 8}) {
        QTest::addRow("zb-v bert S=2 M=4 seed %d", seed) << zbv << true << 2 << 4 << 0.0 << seed;
        QTest::addRow("zb-v bert S=2 M=1 seed %d", seed) << zbv << true << 2 << 1 << 0.0 << seed;
        QTest::addRow("zb-v bert S=3 M=6 seed %d", seed) << zbv << true << 3 << 6 << 0.0 << seed;
        QTest::addRow("zb-v bert S=3 M=5 seed %d", seed) << zbv << true << 3 << 5 << 0.0 << seed;
    }
    QTest::newRow("zb-v transformer S=3 M=4") << zbv << false << 3 << 4 << 0.0 << 7;
    QTest::newRow("zb-v bert S=2 M=6 dropout 0.3") << zbv << true << 2 << 6 << 0.3 << 7;
}

void TrainerZeroBubble::matchesUnpipelinedAndGPipe()
{
    QFETCH(int, kind);
    QFETCH(bool, bert);
    QFETCH(int, stages);
    QFETCH(int, micro);
    QFETCH(double, dropout);
    QFETCH(int, seed);
    const bool v = ScheduleKind(kind) == ScheduleKind::ZeroBubbleV;
    // ZB-V cuts each stage's δ blocks into 2 chunks: δ 2, 4, 2, … (uneven chunk sizes).
    std::vector<int> deltas;
    for (int j = 0; j < stages; ++j) {
        deltas.push_back(j % 2 == 1 ? 4 : 2);
    }
    const int blocks = v ? std::accumulate(deltas.begin(), deltas.end(), 0) : 5;
    Scenario s
        = test::smallScenario(bert ? ModelFamily::Bert : ModelFamily::Transformer, 1, 4, blocks);
    s.training.dropout = dropout;
    s.training.seed = seed;
    FederatedTrainer zb, gpipe, ref;
    QString err;
    for (FederatedTrainer *t : {&zb, &gpipe, &ref}) {
        QVERIFY2(t->init(s, &err), qPrintable(err));
        t->setRecordGradients(true);
    }
    ref.setReferenceMode(true);
    Decision d;
    d.clusters.push_back(v ? test::stagesOf(deltas, micro) : evenSegments(stages, blocks, micro));
    const std::vector<StageOp> zbOps = opsOf(ScheduleKind(kind), stages, micro);
    const std::vector<StageOp> gpipeOps = opsOf(ScheduleKind::GPipe, stages, micro);
    // Round 0: one iteration's gradients. Round 1: its loss is the loss after one AdamW step.
    for (int round = 0; round < 2; ++round) {
        TrainRoundResult a, g, r;
        QVERIFY2(zb.trainRound(d, {zbOps}, &a, &err), qPrintable(err));
        QVERIFY2(gpipe.trainRound(d, {gpipeOps}, &g, &err), qPrintable(err));
        QVERIFY2(ref.trainRound(d, {}, &r, &err), qPrintable(err));
        const std::vector<float> gz = zb.lastGradients(0), gg = gpipe.lastGradients(0),
                                 gr = ref.lastGradients(0);
        QVERIFY(!gr.empty() && gz.size() == gr.size() && gg.size() == gr.size());
        QVERIFY(norm(gr) > 0);
        // The encoder part alone (embedding + blocks): W's gradients live there.
        const size_t enc = size_t(zb.encoderParameterCount());
        const std::vector<float> ez(gz.begin(), gz.begin() + long(enc)),
            er(gr.begin(), gr.begin() + long(enc)), eg(gg.begin(), gg.begin() + long(enc));
        const double relRef = test::relDiff(gz, gr), relEnc = test::relDiff(ez, er),
                     relGPipe = test::relDiff(ez, eg);
        const double relParams = test::relDiff(zb.globalParameters(), ref.globalParameters());
        qInfo("round %d: loss zb %.7f gpipe %.7f ref %.7f; gradient rel diff vs ref %.3g "
              "(encoder %.3g), vs gpipe %.3g; parameters vs ref %.3g",
            round, a.loss, g.loss, r.loss, relRef, relEnc, relGPipe, relParams);
        QVERIFY2(relRef <= 1e-5 && relEnc <= 1e-5,
            qPrintable(QStringLiteral("gradients vs unpipelined: %1 (encoder %2)")
                           .arg(relRef)
                           .arg(relEnc)));
        QVERIFY2(relGPipe <= 1e-5, qPrintable(QStringLiteral("vs GPipe: %1").arg(relGPipe)));
        QVERIFY2(relParams <= 1e-5, qPrintable(QStringLiteral("parameters %1").arg(relParams)));
        QVERIFY2(std::abs(a.loss - r.loss) <= 1e-5 * std::abs(r.loss),
            qPrintable(QStringLiteral("loss %1 vs unpipelined %2").arg(a.loss).arg(r.loss)));
        QVERIFY2(std::abs(a.loss - g.loss) <= 1e-5 * std::abs(g.loss),
            qPrintable(QStringLiteral("loss %1 vs GPipe %2").arg(a.loss).arg(g.loss)));
        // Every stage's device reports its memory.
        QCOMPARE(int(a.clusters[0].devices.size()), stages);
        for (const DeviceTrainStats &dev : a.clusters[0].devices) {
            QVERIFY(dev.measuredPeakBytes > 0);
        }
    }
}

void TrainerZeroBubble::rejectsBrokenSplitOrders()
{
    const int S = 2, M = 3;
    const std::vector<StageOp> good = opsOf(ScheduleKind::ZeroBubbleH1, S, M);
    QString err;
    QVERIFY2(validateStageOps(good, S, M, &err), qPrintable(err));
    const auto findOp = [&good](OpKind kind, int stage, int mb) {
        for (size_t i = 0; i < good.size(); ++i) {
            if (good[i].kind == kind && good[i].stage == stage && good[i].microbatch == mb) {
                return i;
            }
        }
        qFatal("op not found");
    };
    const size_t w = findOp(OpKind::BackwardWeight, 1, 1);
    const size_t b = findOp(OpKind::BackwardInput, 1, 1);
    struct Case
    {
        const char *name;
        std::vector<StageOp> ops;
        const char *message;
    };
    std::vector<Case> cases;
    {
        auto ops = good;
        ops.erase(ops.begin() + long(w));
        cases.push_back(
            {"W skipped", ops, "lacks the backward-weight W of stage 1, micro-batch 1"});
    }
    {
        auto ops = good;
        ops.insert(ops.begin() + long(w) + 1, good[w]);
        cases.push_back({"W twice", ops, "backward-weight W): appears twice"});
    }
    {
        auto ops = good;
        const StageOp moved = ops[w];
        ops.erase(ops.begin() + long(w));
        ops.insert(ops.begin() + long(b), moved); // W right before its B
        cases.push_back({"W before its B", ops, "runs before the op it depends on"});
    }
    {
        auto ops = good;
        ops.insert(ops.begin() + long(w) + 1, StageOp{1, 1, OpKind::Backward});
        cases.push_back({"fused and split", ops, "mixes a fused backward with a split one"});
    }
    {
        auto ops = good;
        ops[b].kind = OpKind::Backward; // fused backward, then a W with no B
        cases.push_back({"W after a fused backward", ops, "mixes a fused backward"});
    }
    for (const Case &c : cases) {
        QVERIFY2(!validateStageOps(c.ops, S, M, &err), c.name);
        QVERIFY2(err.contains(QLatin1String(c.message)),
            qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(c.name), err)));
    }
    // The trainer refuses them too, before touching the model.
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, 2, 2);
    FederatedTrainer t;
    QVERIFY2(t.init(s, &err), qPrintable(err));
    const std::vector<float> before = t.globalParameters();
    Decision d;
    d.clusters.push_back(evenSegments(S, 2, M));
    TrainRoundResult r;
    QVERIFY(!t.trainRound(d, {cases[0].ops}, &r, &err));
    QVERIFY2(err.contains(QLatin1String("backward-weight W")), qPrintable(err));
    QVERIFY(t.globalParameters() == before);
}

void TrainerZeroBubble::deferredWeightsHoldMemory()
{
    // ZB-H1 keeps a micro-batch's W stash past its B: the last stage holds up to S + 1 caches or
    // stashes (core/MODEL.md "Schedules") where 1F1B holds 2 caches, while stage 0 holds no more
    // than GPipe's M caches. Measured bytes, so the B/W accounting is exercised.
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, 2, 2);
    const int S = 2, M = 6;
    QString err;
    std::map<ScheduleKind, std::pair<double, double>> peak; // kind → (stage 0, last stage)
    for (ScheduleKind kind :
        {ScheduleKind::GPipe, ScheduleKind::OneFOneB, ScheduleKind::ZeroBubbleH1}) {
        FederatedTrainer t;
        QVERIFY2(t.init(s, &err), qPrintable(err));
        Decision d;
        d.clusters.push_back(evenSegments(S, 2, M)); // stage 0 on device 1, stage 1 on device 0
        TrainRoundResult r;
        QVERIFY2(t.trainRound(d, {opsOf(kind, S, M)}, &r, &err), qPrintable(err));
        double byDevice[2] = {0, 0};
        for (const DeviceTrainStats &dev : r.clusters[0].devices) {
            byDevice[dev.device] = dev.measuredPeakBytes;
        }
        peak[kind] = {byDevice[1], byDevice[0]};
    }
    qInfo("measured peak, stage 0 / last: GPipe %.0f / %.0f, 1F1B %.0f / %.0f, ZB-H1 %.0f / %.0f",
        peak[ScheduleKind::GPipe].first, peak[ScheduleKind::GPipe].second,
        peak[ScheduleKind::OneFOneB].first, peak[ScheduleKind::OneFOneB].second,
        peak[ScheduleKind::ZeroBubbleH1].first, peak[ScheduleKind::ZeroBubbleH1].second);
    QVERIFY(peak[ScheduleKind::ZeroBubbleH1].second > peak[ScheduleKind::OneFOneB].second);
    QVERIFY(peak[ScheduleKind::ZeroBubbleH1].first < peak[ScheduleKind::GPipe].first);
}

QTEST_GUILESS_MAIN(TrainerZeroBubble)
#include "tst_trainer_zero_bubble.moc"
