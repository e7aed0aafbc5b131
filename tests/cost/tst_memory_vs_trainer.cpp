// SPDX-License-Identifier: MIT
// Issue [4/6] "measured memory vs the predicted memory of [2/6] at the trainer's width": the cost
// model's segmentMemoryBytes() (spec §2.4) against the peak bytes core/trainer really holds per
// device in one round, for both schedules, several M and uneven segments. Goal ≤ 10 % per device;
// the accounting is exact up to the boundary buffers, so the bound asserted here is tighter.
// Issue [6/7]: the same in every training.mode (LoRA, frozen embedding), and the upload the cost
// model charges equals the bytes of what the trainer really trains and averages.
#include "core/cost/cost_terms.h"
#include "core/pipeline/pipeline_recursion.h"
#include "core/scenario/scenario_json.h"
#include "core/trainer/federated_trainer.h"
#include "core/trainer/stage_ops.h"

#include <QTest>

#include <cmath>

using namespace collapipe;

namespace {

/// The goal is 10 %; the model counts every stashed tensor of the trainer, so anything
/// above 2 % means the trainer and the cost model drifted apart (e.g. a new cached tensor).
constexpr double kMaxRelError = 0.02;

/// default.json, one cluster, one thread, one local iteration, split micro-batches.
bool loadDefault(Scenario *s)
{
    std::vector<ScenarioProblem> problems;
    const QString file = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");
    if (!loadScenarioFile(file, s, &problems)) {
        return false;
    }
    s->topology.clusters.resize(1);
    s->training.threads = 1;
    s->training.localIterations = 1;
    s->optimizer.microbatchMode = MicrobatchMode::Split;
    return true;
}

/// "full", "frozen_embedding", "lora:<targets>:<rank>".
void applyMode(const QString &mode, TrainingSettings *t)
{
    const QStringList parts = mode.split(QLatin1Char(':'));
    if (parts[0] == QLatin1String("lora")) {
        t->mode = TrainingMode::Lora;
        t->lora.targets = parts[1] == QLatin1String("attention") ? LoraTargets::Attention
            : parts[1] == QLatin1String("ffn")                   ? LoraTargets::Ffn
                                                                 : LoraTargets::Both;
        t->lora.rank = parts[2].toInt();
    } else if (parts[0] == QLatin1String("frozen_embedding")) {
        t->mode = TrainingMode::FrozenEmbedding;
    }
}

} // namespace

class TstMemoryVsTrainer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perDevice_data()
    {
        QTest::addColumn<int>("schedule");
        QTest::addColumn<int>("m");
        QTest::addColumn<QList<int>>("cuts"); // last block of each stage but the last
        QTest::addColumn<QString>("mode");
        const auto g = int(PipelineSchedule::GPipe);
        const auto f = int(PipelineSchedule::OneFOneB);
        const QString full = QStringLiteral("full");
        QTest::newRow("gpipe-M1-4/4/4") << g << 1 << QList<int>{3, 7} << full;
        QTest::newRow("gpipe-M4-4/4/4") << g << 4 << QList<int>{3, 7} << full;
        QTest::newRow("1f1b-M4-4/4/4") << f << 4 << QList<int>{3, 7} << full;
        QTest::newRow("1f1b-M8-2/7/3") << f << 8 << QList<int>{1, 8} << full;
        QTest::newRow("gpipe-M2-1/11") << g << 2 << QList<int>{0} << full;
        QTest::newRow("1f1b-M4-4/4/4 lora both r8")
            << f << 4 << QList<int>{3, 7} << QStringLiteral("lora:both:8");
        QTest::newRow("gpipe-M2-1/11 lora attention r4")
            << g << 2 << QList<int>{0} << QStringLiteral("lora:attention:4");
        QTest::newRow("1f1b-M8-2/7/3 lora ffn r16")
            << f << 8 << QList<int>{1, 8} << QStringLiteral("lora:ffn:16");
        QTest::newRow("1f1b-M4-4/4/4 frozen embedding")
            << f << 4 << QList<int>{3, 7} << QStringLiteral("frozen_embedding");
    }
    void perDevice()
    {
        QFETCH(int, schedule);
        QFETCH(int, m);
        QFETCH(QList<int>, cuts);
        QFETCH(QString, mode);
        Scenario s;
        QVERIFY(loadDefault(&s));
        applyMode(mode, &s.training);
        const int l = s.model.encoderBlocks;
        QVERIFY(cuts.back() < l - 1);

        ClusterDecision cd;
        cd.microbatches = m;
        cd.schedule = PipelineSchedule(schedule);
        int first = 0;
        for (int j = 0; j <= int(cuts.size()); ++j) {
            const int last = j < int(cuts.size()) ? cuts[j] : l - 1;
            cd.stages.push_back(StageDecision{j, first, last});
            first = last + 1;
        }
        const int stages = int(cd.stages.size());
        QVERIFY(int(s.topology.clusters[0].devices.size()) >= stages);
        Decision d;
        d.clusters = {cd};
        // core/pipeline's schedule, what the Session hands the trainer through the timeline:
        // 1F1B counts the edge as the last stage.
        const std::vector<StageOp> ops = scheduleStageOps(cd.schedule, stages, m);
        FederatedTrainer trainer;
        QString err;
        QVERIFY2(trainer.init(s, &err), qPrintable(err));
        TrainRoundResult r;
        QVERIFY2(trainer.trainRound(d, {ops}, &r, &err), qPrintable(err));
        QCOMPARE(int(r.clusters[0].devices.size()), stages);

        const int b = microbatchSizeFor(s.training, MicrobatchMode::Split, m);
        for (int j = 0; j < stages; ++j) {
            const DeviceTrainStats &ds = r.clusters[0].devices[size_t(j)];
            const double predicted = segmentMemoryBytes(s.model.trainer,
                trainedParts(s.model.trainer, s.training), cd.stages[size_t(j)].blockCount(), b,
                stashedMicrobatches(cd.schedule, m, stages, j), 4);
            const double rel = (predicted - ds.measuredPeakBytes) / ds.measuredPeakBytes;
            qInfo("stage %d (%d blocks, b=%d): measured %.0f B, predicted %.0f B, %+.2f%%", j,
                cd.stages[size_t(j)].blockCount(), b, ds.measuredPeakBytes, predicted, 100.0 * rel);
            QVERIFY2(std::abs(rel) <= kMaxRelError,
                qPrintable(QStringLiteral("stage %1: predicted %2 B vs measured %3 B")
                               .arg(j)
                               .arg(predicted, 0, 'f', 0)
                               .arg(ds.measuredPeakBytes, 0, 'f', 0)));
        }
    }

    void uploadIsWhatTheTrainerTrains_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("full") << QStringLiteral("full");
        QTest::newRow("frozen embedding") << QStringLiteral("frozen_embedding");
        QTest::newRow("lora both r8") << QStringLiteral("lora:both:8");
        QTest::newRow("lora attention r2") << QStringLiteral("lora:attention:2");
        QTest::newRow("lora ffn r16") << QStringLiteral("lora:ffn:16");
    }
    /// The bytes the cost model uploads per round (embedding + every block, at the trainer's
    /// width) equal 4 bytes × the parameters the trainer really trains and FedAvg averages; with
    /// LoRA that is the adapters' size, r·Σ(in + out) per block, written out here.
    void uploadIsWhatTheTrainerTrains()
    {
        QFETCH(QString, mode);
        Scenario s;
        QVERIFY(loadDefault(&s));
        applyMode(mode, &s.training);
        FederatedTrainer trainer;
        QString err;
        QVERIFY2(trainer.init(s, &err), qPrintable(err));
        const TransformerDims &t = s.model.trainer;
        const int l = s.model.encoderBlocks;
        const double charged = modelUploadBytes(trainedParts(t, s.training), l, 4);
        const double trained = 4.0 * trainer.trainedEncoderParameterCount();
        qInfo("%s: charged %.0f B, trained %.0f B of %.0f B", qPrintable(mode), charged, trained,
            4.0 * trainer.encoderParameterCount());
        QCOMPARE(charged, trained);
        if (s.training.mode == TrainingMode::Lora) {
            const double h = t.dModel, f = t.dFf, r = s.training.lora.rank;
            const double attention = r * (h + 3 * h) + r * (h + h);
            const double ffn = r * (h + f) + r * (f + h);
            const LoraTargets k = s.training.lora.targets;
            const double perBlock
                = (k == LoraTargets::Ffn ? 0 : attention) + (k == LoraTargets::Attention ? 0 : ffn);
            QCOMPARE(charged, 4.0 * l * perBlock);
        } else if (s.training.mode == TrainingMode::FrozenEmbedding) {
            QCOMPARE(charged, modelUploadBytes(t, l, 4) - 4.0 * embeddingParameters(t));
        } else {
            QCOMPARE(charged, modelUploadBytes(t, l, 4));
        }
    }
};

QTEST_GUILESS_MAIN(TstMemoryVsTrainer)
#include "tst_memory_vs_trainer.moc"
