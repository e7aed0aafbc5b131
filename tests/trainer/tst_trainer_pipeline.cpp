// SPDX-License-Identifier: MIT
// Pipelined == unpipelined (issue [4/6] "Must show"): one round through random segments,
// M micro-batches, GPipe and 1F1B, equals one ordinary step on the same batch within 1e-5
// relative; so does interleaved 1F1B with v chunks per device (issue [4/7]), whose chunks land
// on the devices core/pipeline's virtualStage() names; re-segmentation moves blocks; op-order
// validation; measured memory.
#include "core/pipeline/schedule_memory.h"
#include "core/trainer/chunk_layout.h"
#include "core/trainer/cluster_runtime.h"
#include "core/trainer/federated_trainer.h"
#include "core/trainer/round_plan.h"
#include "tests/trainer/trainer_fixtures.h"

#include <QFileInfo>
#include <QTest>

#include <numeric>

using namespace collapipe;

class TrainerPipeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void microbatchSizes_data();
    void microbatchSizes();
    void orders_data();
    void orders();
    void chunkedOrders_data();
    void chunkedOrders();
    void chunksLandOnTheirDevices_data();
    void chunksLandOnTheirDevices();
    void refusesChunksThatCannotBeCut();
    void interleavedEqualsReference_data();
    void interleavedEqualsReference();
    void chunkedEdgeTailEqualsReference();
    void pipelinedEqualsReference_data();
    void pipelinedEqualsReference();
    void baselineModes_data();
    void baselineModes();
    void resegmentationMovesBlocks();
    void gpipeStashesMoreThan1F1B();
    void rejectsBadOrder();
    void cancelStops();
};

void TrainerPipeline::microbatchSizes_data()
{
    QTest::addColumn<bool>("count");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("b");
    QTest::addColumn<std::vector<int>>("expect");
    QTest::newRow("split 16/4") << false << 16 << 4 << 0 << std::vector<int>{4, 4, 4, 4};
    QTest::newRow("split 10/4: ceil, last smaller")
        << false << 10 << 4 << 0 << std::vector<int>{3, 3, 3, 1};
    QTest::newRow("split 10/6: balanced")
        << false << 10 << 6 << 0 << std::vector<int>{2, 2, 2, 2, 1, 1};
    QTest::newRow("split 5/5") << false << 5 << 5 << 0 << std::vector<int>{1, 1, 1, 1, 1};
    QTest::newRow("count 3x4") << true << 16 << 3 << 4 << std::vector<int>{4, 4, 4};
}

void TrainerPipeline::microbatchSizes()
{
    QFETCH(bool, count);
    QFETCH(int, batch);
    QFETCH(int, m);
    QFETCH(int, b);
    QFETCH(std::vector<int>, expect);
    Scenario s = test::smallScenario(ModelFamily::Bert, 1, 1, 1);
    s.training.batchSize = batch;
    s.optimizer.microbatchMode = count ? MicrobatchMode::Count : MicrobatchMode::Split;
    ClusterDecision cd;
    cd.microbatches = m;
    cd.microbatchSize = b;
    std::vector<int> sizes;
    QString err;
    QVERIFY2(collapipe::microbatchSizes(s, cd, &sizes, &err), qPrintable(err));
    QCOMPARE(sizes, expect);
    cd.microbatches = batch + 1;
    QCOMPARE(collapipe::microbatchSizes(s, cd, &sizes, &err), count);
}

void TrainerPipeline::orders_data()
{
    QTest::addColumn<int>("stages");
    QTest::addColumn<int>("micro");
    QTest::newRow("1x1") << 1 << 1;
    QTest::newRow("3x2") << 3 << 2;
    QTest::newRow("4x8") << 4 << 8;
}

void TrainerPipeline::orders()
{
    QFETCH(int, stages);
    QFETCH(int, micro);
    QString err;
    QVERIFY2(validateStageOps(
                 scheduleStageOps(PipelineSchedule::GPipe, stages, micro), stages, micro, &err),
        qPrintable(err));
    const auto f1b = scheduleStageOps(PipelineSchedule::OneFOneB, stages, micro);
    QVERIFY2(validateStageOps(f1b, stages, micro, &err), qPrintable(err));
    // 1F1B bound (core/pipeline's, the edge counted as the last stage): stage j never holds
    // more than min(M, S − j + 1) forwards without their backward, and reaches it.
    std::vector<int> inflight(static_cast<size_t>(stages), 0);
    std::vector<int> peak(static_cast<size_t>(stages), 0);
    for (const StageOp &op : f1b) {
        inflight[size_t(op.stage)] += op.kind == OpKind::Backward ? -1 : 1;
        peak[size_t(op.stage)] = std::max(peak[size_t(op.stage)], inflight[size_t(op.stage)]);
    }
    for (int j = 0; j < stages; ++j) {
        QCOMPARE(
            peak[size_t(j)], stashedMicrobatches(PipelineSchedule::OneFOneB, micro, stages, j));
    }
}

void TrainerPipeline::chunkedOrders_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("stages");
    QTest::addColumn<int>("chunks");
    QTest::addColumn<int>("micro");
    for (int s : {2, 3, 4}) {
        for (int m : {1, 4, 6}) {
            QTest::addRow("interleaved S=%d v=2 M=%d", s, m)
                << int(ScheduleKind::Interleaved) << s << 2 << m;
            QTest::addRow("zb-v S=%d M=%d", s, m) << int(ScheduleKind::ZeroBubbleV) << s << 2 << m;
        }
    }
    QTest::newRow("interleaved S=3 v=3 M=5") << int(ScheduleKind::Interleaved) << 3 << 3 << 5;
}

void TrainerPipeline::chunkedOrders()
{
    // Every op of the schedule, in a dependency-respecting order over the v·S virtual stages,
    // each at the chain position core/pipeline gives its (stage, chunk).
    QFETCH(int, kind);
    QFETCH(int, stages);
    QFETCH(int, chunks);
    QFETCH(int, micro);
    const auto k = ScheduleKind(kind);
    std::vector<StageOp> ops;
    QString err;
    QVERIFY2(
        stageOpsFromSchedule(makeSchedule(k, stages, micro, chunks), &ops, &err), qPrintable(err));
    const int opsPerChunk = splitsBackward(k) ? 3 : 2;
    QCOMPARE(int(ops.size()), opsPerChunk * chunks * stages * micro);
    QVERIFY2(validateStageOps(ops, chunks * stages, micro, &err), qPrintable(err));
    for (const StageOp &op : ops) {
        QCOMPARE(op.virtualStage, virtualStage(k, stages, op.stage, op.chunk));
    }
    ChainLayout layout;
    QVERIFY2(chainLayoutOf(ops, stages, &layout, &err), qPrintable(err));
    QCOMPARE(layout.chunks, chunks);
    // Chunk-less schedules name no chunk: their ops stay whole stages.
    QVERIFY(namesChunks(ops));
    QVERIFY(!namesChunks(scheduleStageOps(ScheduleKind::ZeroBubbleH1, stages, micro, 1)));
    QVERIFY(!namesChunks(scheduleStageOps(ScheduleKind::Interleaved, stages, micro, 1)));
    // A hand-made order that deadlocks (stage 0 starts with a backward) is refused, by name.
    Schedule bad = makeSchedule(ScheduleKind(kind), stages, micro, chunks);
    std::reverse(bad.perStage[0].begin(), bad.perStage[0].end());
    QVERIFY(!stageOpsFromSchedule(bad, &ops, &err));
    QVERIFY2(err.contains(QStringLiteral("deadlocks after")), qPrintable(err));
}

void TrainerPipeline::chunksLandOnTheirDevices_data()
{
    // Device stage j runs on device S − 1 − j (stagesOf). Blocks are laid along the chain of
    // virtual stages; each device's set is written out here, not derived.
    QTest::addColumn<int>("kind");
    QTest::addColumn<std::vector<int>>("deltas");
    QTest::addColumn<std::vector<std::vector<int>>>("byStage"); // blocks of device stage j
    const int il = int(ScheduleKind::Interleaved), zbv = int(ScheduleKind::ZeroBubbleV);
    // Interleaved: chain = (stage 0, chunk 0), (1, 0), …, (S − 1, 0), (0, 1), …: the hop from
    // the last device back to the first.
    QTest::newRow("interleaved S=2 δ 2,2")
        << il << std::vector<int>{2, 2} << std::vector<std::vector<int>>{{0, 2}, {1, 3}};
    QTest::newRow("interleaved S=3 δ 2,4,2")
        << il << std::vector<int>{2, 4, 2}
        << std::vector<std::vector<int>>{{0, 4}, {1, 2, 5, 6}, {3, 7}};
    // ZB-V: down the stages with chunk 0, back up with chunk 1: stage 0 holds the first and the
    // last block, the last stage two adjacent ones (the turn).
    QTest::newRow("zb-v S=2 δ 2,2")
        << zbv << std::vector<int>{2, 2} << std::vector<std::vector<int>>{{0, 3}, {1, 2}};
    QTest::newRow("zb-v S=3 δ 2,4,2")
        << zbv << std::vector<int>{2, 4, 2}
        << std::vector<std::vector<int>>{{0, 7}, {1, 2, 5, 6}, {3, 4}};
}

void TrainerPipeline::chunksLandOnTheirDevices()
{
    QFETCH(int, kind);
    QFETCH(std::vector<int>, deltas);
    QFETCH(std::vector<std::vector<int>>, byStage);
    const int S = int(deltas.size()), M = 4;
    const int blocks = std::accumulate(deltas.begin(), deltas.end(), 0);
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, S, blocks);
    const ClusterDecision cd = test::stagesOf(deltas, M);
    const std::vector<StageOp> ops = scheduleStageOps(ScheduleKind(kind), S, M, 2);
    ClusterPlan plan;
    QString err;
    QVERIFY2(planCluster(s, 0, cd, &ops, &plan, &err), qPrintable(err));
    QCOMPARE(int(plan.decision.stages.size()), 2 * S); // one segment per virtual stage
    // The runtime really moves each block to that device (blocks without weights: only where
    // they sit matters here).
    ClusterRuntime runtime;
    runtime.init(S + 1, Embedding<float>(), std::vector<EncoderBlock<float>>(size_t(blocks)),
        Head<float>(), {}, 1);
    QVERIFY2(runtime.assignSegments(plan.decision, &err), qPrintable(err));
    for (int j = 0; j < S; ++j) {
        const DeviceSegment &dev = runtime.devices()[size_t(S - 1 - j)];
        std::vector<int> held;
        QStringList names;
        for (const auto &kv : dev.blocks) {
            held.push_back(kv.first);
            names << QString::number(kv.first);
        }
        QVERIFY2(held == byStage[size_t(j)],
            qPrintable(QStringLiteral("stage %1 (device %2) holds blocks {%3}")
                           .arg(j)
                           .arg(S - 1 - j)
                           .arg(names.join(QLatin1Char(',')))));
    }
    // And trains there: every device reports memory, stage 0's device (first and, in ZB-V,
    // last chunk) included.
    FederatedTrainer t;
    QVERIFY2(t.init(s, &err), qPrintable(err));
    Decision d;
    d.clusters = {cd};
    TrainRoundResult r;
    QVERIFY2(t.trainRound(d, {ops}, &r, &err), qPrintable(err));
    QCOMPARE(int(r.clusters[0].devices.size()), S);
    for (const DeviceTrainStats &dev : r.clusters[0].devices) {
        QVERIFY(dev.measuredPeakBytes > 0);
        // Received from the control unit on the first round: its δ blocks, nothing more.
        QCOMPARE(
            dev.bytesMovedIn / r.bytesMoved, double(deltas[size_t(S - 1 - dev.device)]) / blocks);
    }
}

void TrainerPipeline::refusesChunksThatCannotBeCut()
{
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, 3, 5);
    FederatedTrainer t;
    QString err;
    QVERIFY2(t.init(s, &err), qPrintable(err));
    const std::vector<float> before = t.globalParameters();
    struct Case
    {
        const char *name;
        std::vector<int> deltas;
        std::vector<StageOp> ops;
        const char *message;
    };
    const Case cases[] = {
        {"interleaved v=2, δ 3 on stage 0", {3, 2},
            scheduleStageOps(ScheduleKind::Interleaved, 2, 4, 2),
            "stage 0 (device 1): δ = 3 blocks [0, 2] cannot be cut into v = 2 chunks"},
        {"zb-v, δ 1 on stage 2", {2, 2, 1}, scheduleStageOps(ScheduleKind::ZeroBubbleV, 3, 4, 2),
            "stage 2 (device 0): δ = 1 blocks [4, 4] cannot be cut into v = 2 chunks"},
        {"interleaved v=3, δ 2", {2, 3}, scheduleStageOps(ScheduleKind::Interleaved, 2, 4, 3),
            "stage 0 (device 1): δ = 2 blocks [0, 1] cannot be cut into v = 3 chunks"},
        {"ops of 3 stages, decision of 2", {2, 3},
            scheduleStageOps(ScheduleKind::ZeroBubbleV, 3, 4, 2), "out of range (2 device stages)"},
    };
    std::vector<Case> all(std::begin(cases), std::end(cases));
    all.push_back({"two chain positions for one chunk", {2, 2},
        scheduleStageOps(ScheduleKind::ZeroBubbleV, 2, 4, 2), "another op puts"});
    all.back().ops[0].virtualStage = 3; // stage 0's chunk 0 is virtual stage 0, not 3
    for (const Case &c : all) {
        Decision d;
        d.clusters = {test::stagesOf(c.deltas, 4)};
        TrainRoundResult r;
        QVERIFY2(!t.trainRound(d, {c.ops}, &r, &err), c.name);
        QVERIFY2(err.contains(QString::fromUtf8(c.message)),
            qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(c.name), err)));
        QVERIFY(t.globalParameters() == before); // refused before touching the model
    }
}

void TrainerPipeline::interleavedEqualsReference_data()
{
    QTest::addColumn<std::vector<int>>("deltas");
    QTest::addColumn<int>("micro");
    QTest::addColumn<int>("seed");
    for (int seed : {7, 8}) {
        QTest::addRow("S=2 δ 2,4 M=4 seed %d", seed) << std::vector<int>{2, 4} << 4 << seed;
        QTest::addRow("S=2 δ 2,2 M=3 seed %d", seed) << std::vector<int>{2, 2} << 3 << seed;
        QTest::addRow("S=3 δ 2,4,2 M=6 seed %d", seed) << std::vector<int>{2, 4, 2} << 6 << seed;
        // S does not divide M: the next multiple's order with the extra micro-batches left out.
        QTest::addRow("S=3 δ 2,2,2 M=4 seed %d", seed) << std::vector<int>{2, 2, 2} << 4 << seed;
    }
}

void TrainerPipeline::interleavedEqualsReference()
{
    // Interleaved 1F1B, v = 2: each device runs two non-contiguous chunks; one local
    // iteration's parameters after the AdamW step and the loss equal the unpipelined step.
    QFETCH(std::vector<int>, deltas);
    QFETCH(int, micro);
    QFETCH(int, seed);
    const int S = int(deltas.size());
    Scenario s = test::smallScenario(
        ModelFamily::Bert, 1, S, std::accumulate(deltas.begin(), deltas.end(), 0));
    s.training.seed = seed;
    FederatedTrainer piped, ref;
    QString err;
    QVERIFY2(piped.init(s, &err), qPrintable(err));
    QVERIFY2(ref.init(s, &err), qPrintable(err));
    ref.setReferenceMode(true);
    Decision d;
    d.clusters = {test::stagesOf(deltas, micro)};
    const std::vector<StageOp> ops = scheduleStageOps(ScheduleKind::Interleaved, S, micro, 2);
    // Round 0: parameters after one step. Round 1: its loss is the loss after that step.
    for (int round = 0; round < 2; ++round) {
        TrainRoundResult a, b;
        QVERIFY2(piped.trainRound(d, {ops}, &a, &err), qPrintable(err));
        QVERIFY2(ref.trainRound(d, {}, &b, &err), qPrintable(err));
        const double rel = test::relDiff(piped.globalParameters(), ref.globalParameters());
        qInfo("round %d: loss %.7f vs %.7f, parameter rel diff %.3g", round, a.loss, b.loss, rel);
        QVERIFY2(std::abs(a.loss - b.loss) <= 1e-5 * std::abs(b.loss),
            qPrintable(QStringLiteral("loss %1 vs unpipelined %2").arg(a.loss).arg(b.loss)));
        QVERIFY2(rel <= 1e-5, qPrintable(QStringLiteral("relative difference %1").arg(rel)));
    }
}

void TrainerPipeline::chunkedEdgeTailEqualsReference()
{
    // Edge tail under a chunked schedule: the edge's blocks follow the chain's last virtual
    // stage (interleaved: the last device's chunk 1; ZB-V: stage 0's chunk 1).
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, 2, 6);
    for (ScheduleKind kind : {ScheduleKind::Interleaved, ScheduleKind::ZeroBubbleV}) {
        FederatedTrainer t, ref;
        QString err;
        QVERIFY2(t.init(s, &err), qPrintable(err));
        QVERIFY2(ref.init(s, &err), qPrintable(err));
        ref.setReferenceMode(true);
        ClusterDecision cd = test::stagesOf({2, 2}, 3); // blocks 0-3 on the devices, 4-5 edge
        cd.mode = ClusterDecision::Mode::EdgeTail;
        Decision d;
        d.clusters = {cd};
        TrainRoundResult a, b;
        QVERIFY2(t.trainRound(d, {scheduleStageOps(kind, 2, 3, 2)}, &a, &err), qPrintable(err));
        QVERIFY2(ref.trainRound(d, {}, &b, &err), qPrintable(err));
        const double rel = test::relDiff(t.globalParameters(), ref.globalParameters());
        qInfo("%s: loss %.7f vs %.7f, parameter rel diff %.3g", scheduleName(kind), a.loss, b.loss,
            rel);
        QVERIFY2(rel <= 1e-5, qPrintable(QStringLiteral("relative difference %1").arg(rel)));
        QVERIFY(std::abs(a.loss - b.loss) <= 1e-5 * std::abs(b.loss));
        QCOMPARE(int(a.clusters[0].devices.size()), 2); // the edge is not a device
    }
}

void TrainerPipeline::pipelinedEqualsReference_data()
{
    QTest::addColumn<bool>("bert");
    QTest::addColumn<bool>("gpipe");
    QTest::addColumn<int>("micro");
    QTest::addColumn<int>("segSeed");
    QTest::addColumn<bool>("countMode");
    QTest::addColumn<double>("dropout");
    QTest::newRow("bert gpipe M=1") << true << true << 1 << 1 << false << 0.0;
    QTest::newRow("bert gpipe M=3") << true << true << 3 << 2 << false << 0.0;
    QTest::newRow("bert 1f1b M=4") << true << false << 4 << 3 << false << 0.0;
    QTest::newRow("bert 1f1b M=5 (uneven split)") << true << false << 5 << 4 << false << 0.0;
    QTest::newRow("bert 1f1b count M=3 b=4") << true << false << 3 << 5 << true << 0.0;
    QTest::newRow("transformer gpipe M=2") << false << true << 2 << 6 << false << 0.0;
    QTest::newRow("transformer 1f1b M=6") << false << false << 6 << 7 << false << 0.0;
    // Dropout masks are keyed by the sample's index in the mini-batch, not by micro-batch.
    QTest::newRow("bert 1f1b M=5 dropout 0.3") << true << false << 5 << 8 << false << 0.3;
    QTest::newRow("transformer gpipe M=3 dropout 0.2") << false << true << 3 << 9 << false << 0.2;
}

void TrainerPipeline::pipelinedEqualsReference()
{
    QFETCH(bool, bert);
    QFETCH(bool, gpipe);
    QFETCH(int, micro);
    QFETCH(int, segSeed);
    QFETCH(bool, countMode);
    QFETCH(double, dropout);
    Scenario s = test::smallScenario(bert ? ModelFamily::Bert : ModelFamily::Transformer, 1, 4, 5);
    if (countMode) {
        s.optimizer.microbatchMode = MicrobatchMode::Count;
    }
    s.training.dropout = dropout;
    std::mt19937_64 rng{std::uint64_t(segSeed)};
    FederatedTrainer piped, ref;
    QString err;
    QVERIFY2(piped.init(s, &err), qPrintable(err));
    QVERIFY2(ref.init(s, &err), qPrintable(err));
    ref.setReferenceMode(true);
    // Two rounds with different random segments: the second also exercises block moves and
    // AdamW state travelling with the blocks.
    for (int round = 0; round < 2; ++round) {
        Decision d;
        d.clusters.push_back(test::randomSegments(
            rng, 4, 5, micro, gpipe ? PipelineSchedule::GPipe : PipelineSchedule::OneFOneB));
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
        QVERIFY(a.clusters[0].samples == (countMode ? micro * 4 : s.training.batchSize));
    }
    if (dropout > 0) {
        // The masks are really applied: the same first round without dropout differs.
        Scenario s0 = s;
        s0.training.dropout = 0;
        FederatedTrainer plain, masked;
        QVERIFY2(plain.init(s0, &err), qPrintable(err));
        QVERIFY2(masked.init(s, &err), qPrintable(err));
        std::mt19937_64 rng2{std::uint64_t(segSeed)};
        Decision d;
        d.clusters.push_back(test::randomSegments(
            rng2, 4, 5, micro, gpipe ? PipelineSchedule::GPipe : PipelineSchedule::OneFOneB));
        d.clusters[0].microbatchSize = 4;
        TrainRoundResult a, b;
        const auto order = test::orderFor(d.clusters[0], micro);
        QVERIFY2(plain.trainRound(d, {order}, &a, &err), qPrintable(err));
        QVERIFY2(masked.trainRound(d, {order}, &b, &err), qPrintable(err));
        qInfo("first-round loss without dropout %.6f, with %.6f", a.loss, b.loss);
        QVERIFY(std::abs(a.loss - b.loss) > 1e-4);
    }
}

void TrainerPipeline::baselineModes_data()
{
    QTest::addColumn<bool>("federated");
    QTest::addColumn<int>("microbatches");
    QTest::addColumn<int>("tailStages"); // device stages in front of an edge tail
    QTest::newRow("fl: 3 devices each hold the full encoder") << true << 1 << 0;
    QTest::newRow("sl: device runs blocks 0-1, the edge the rest") << false << 1 << 1;
    QTest::newRow("edge tail: 2 device stages (blocks 0-2), the edge 3-4, M = 3")
        << false << 3 << 2;
}

void TrainerPipeline::baselineModes()
{
    QFETCH(bool, federated);
    QFETCH(int, microbatches);
    QFETCH(int, tailStages);
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, 3, 5);
    FederatedTrainer t, ref;
    QString err;
    QVERIFY2(t.init(s, &err), qPrintable(err));
    QVERIFY2(ref.init(s, &err), qPrintable(err));
    ref.setReferenceMode(true);
    Decision d;
    ClusterDecision cd;
    cd.microbatches = microbatches;
    cd.schedule = PipelineSchedule::OneFOneB;
    if (federated) {
        cd.mode = ClusterDecision::Mode::FederatedFull;
        cd.stages = {StageDecision{0, 0, 4}, StageDecision{2, 0, 4}, StageDecision{1, 0, 4}};
    } else if (tailStages == 1) {
        cd.mode = ClusterDecision::Mode::EdgeTail;
        cd.stages = {StageDecision{1, 0, 1}};
    } else {
        cd.mode = ClusterDecision::Mode::EdgeTail;
        cd.stages = {StageDecision{2, 0, 1}, StageDecision{0, 2, 2}};
    }
    d.clusters = {cd};
    TrainRoundResult a, b;
    // The ops of these modes come from the plan, not from the caller's list.
    QVERIFY2(t.trainRound(d, {{}}, &a, &err), qPrintable(err));
    QVERIFY2(ref.trainRound(d, {}, &b, &err), qPrintable(err));
    const double rel = test::relDiff(t.globalParameters(), ref.globalParameters());
    QVERIFY2(rel <= 1e-5, qPrintable(QStringLiteral("relative difference %1").arg(rel)));
    const auto &devs = a.clusters[0].devices;
    QCOMPARE(int(devs.size()), federated ? 3 : tailStages);
    if (tailStages == 2) {
        // The edge's blocks are not a device's: only the two device stages report memory.
        QCOMPARE(devs[0].device + devs[1].device, 2);
        QVERIFY(devs[0].device != devs[1].device);
        QVERIFY(devs[0].measuredPeakBytes > 0 && devs[1].measuredPeakBytes > 0);
        return;
    }
    QCOMPARE(devs[0].device, federated ? 0 : 1);
    if (federated) {
        QCOMPARE(devs[1].measuredPeakBytes, devs[0].measuredPeakBytes);
    }
}

void TrainerPipeline::resegmentationMovesBlocks()
{
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, 3, 4);
    FederatedTrainer t;
    QString err;
    QVERIFY2(t.init(s, &err), qPrintable(err));
    auto make = [](std::vector<std::array<int, 3>> stages) {
        Decision d;
        ClusterDecision cd;
        cd.microbatches = 2;
        for (auto [dev, first, last] : stages) {
            StageDecision sd;
            sd.device = dev;
            sd.firstBlock = first;
            sd.lastBlock = last;
            cd.stages.push_back(sd);
        }
        d.clusters.push_back(cd);
        return d;
    };
    const Decision a = make({{0, 0, 1}, {1, 2, 3}}), b = make({{0, 0, 0}, {1, 1, 3}});
    TrainRoundResult r;
    QVERIFY2(t.trainRound(a, {scheduleStageOps(PipelineSchedule::GPipe, 2, 2)}, &r, &err),
        qPrintable(err));
    const double perBlock = r.clusters[0].devices[0].bytesMovedIn / 2; // first dispatch: 2 blocks
    QVERIFY(perBlock > 0);
    QVERIFY2(t.trainRound(a, {scheduleStageOps(PipelineSchedule::GPipe, 2, 2)}, &r, &err),
        qPrintable(err));
    QCOMPARE(r.bytesMoved, 0.0); // same segments: nothing moves
    QVERIFY2(t.trainRound(b, {scheduleStageOps(PipelineSchedule::GPipe, 2, 2)}, &r, &err),
        qPrintable(err));
    QCOMPARE(r.bytesMoved, perBlock); // block 1 moved from device 0 to device 1
    QCOMPARE(r.clusters[0].devices[1].bytesMovedIn, perBlock);
}

void TrainerPipeline::gpipeStashesMoreThan1F1B()
{
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, 2, 2);
    QString err;
    double peak[2] = {0, 0};
    for (int k = 0; k < 2; ++k) {
        FederatedTrainer t;
        QVERIFY2(t.init(s, &err), qPrintable(err));
        Decision d;
        d.clusters.push_back(ClusterDecision());
        d.clusters[0].microbatches = 6;
        d.clusters[0].stages = {StageDecision{0, 0, 0}, StageDecision{1, 1, 1}};
        TrainRoundResult r;
        QVERIFY2(t.trainRound(d,
                     {k == 0 ? scheduleStageOps(PipelineSchedule::GPipe, 2, 6)
                             : scheduleStageOps(PipelineSchedule::OneFOneB, 2, 6)},
                     &r, &err),
            qPrintable(err));
        peak[k] = r.clusters[0].devices[0].measuredPeakBytes;
    }
    qInfo("stage 0 measured peak: GPipe %.0f B, 1F1B %.0f B", peak[0], peak[1]);
    QVERIFY(peak[0] > peak[1] * 1.5); // 6 stashed micro-batches vs 2
}

void TrainerPipeline::rejectsBadOrder()
{
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, 2, 2);
    FederatedTrainer t;
    QString err;
    QVERIFY2(t.init(s, &err), qPrintable(err));
    Decision d;
    d.clusters.push_back(ClusterDecision());
    d.clusters[0].microbatches = 2;
    d.clusters[0].stages = {StageDecision{0, 0, 0}, StageDecision{1, 1, 1}};
    auto ops = scheduleStageOps(PipelineSchedule::GPipe, 2, 2);
    std::swap(ops.front(), ops.back()); // a backward first
    TrainRoundResult r;
    QVERIFY(!t.trainRound(d, {ops}, &r, &err));
    QVERIFY2(err.contains(QStringLiteral("runs before")), qPrintable(err));
    d.clusters[0].stages[1].lastBlock = 2; // encoder has 2 blocks
    QVERIFY(!t.trainRound(d, {scheduleStageOps(PipelineSchedule::GPipe, 2, 2)}, &r, &err));
    QVERIFY2(err.contains(QStringLiteral("encoder has 2 blocks")), qPrintable(err));
}

void TrainerPipeline::cancelStops()
{
    const Scenario s = test::smallScenario(ModelFamily::Bert, 1, 2, 2);
    FederatedTrainer t;
    QString err;
    QVERIFY2(t.init(s, &err), qPrintable(err));
    int calls = 0;
    t.setCancelCheck([&calls] { return ++calls > 3; });
    Decision d;
    d.clusters.push_back(ClusterDecision());
    d.clusters[0].microbatches = 2;
    d.clusters[0].stages = {StageDecision{0, 0, 0}, StageDecision{1, 1, 1}};
    TrainRoundResult r;
    QVERIFY(!t.trainRound(d, {scheduleStageOps(PipelineSchedule::GPipe, 2, 2)}, &r, &err));
    QVERIFY2(err.contains(QStringLiteral("cancelled")), qPrintable(err));
    QCOMPARE(calls, 4); // checked before every micro-batch op
}

QTEST_GUILESS_MAIN(TrainerPipeline)
#include "tst_trainer_pipeline.moc"
