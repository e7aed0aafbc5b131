// SPDX-License-Identifier: MIT
// The trainer executes the real [2/6] timeline: ops taken from buildTimeline()'s events (sorted
// by start) form a valid order, and training in that order equals the unpipelined step.
#include "core/cost/timeline.h"
#include "core/trainer/federated_trainer.h"
#include "tests/trainer/trainer_fixtures.h"

#include <QTest>

using namespace collapipe;

class TrainerTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsTimeline_data();
    void followsTimeline();
};

void TrainerTimeline::followsTimeline_data()
{
    QTest::addColumn<bool>("gpipe");
    QTest::addColumn<int>("micro");
    QTest::newRow("gpipe M=4") << true << 4;
    QTest::newRow("1f1b M=4") << false << 4;
    QTest::newRow("1f1b M=6") << false << 6;
}

void TrainerTimeline::followsTimeline()
{
    QFETCH(bool, gpipe);
    QFETCH(int, micro);
    Scenario s = test::smallScenario(ModelFamily::Bert, 1, 3, 6);
    // Heterogeneous devices so the timeline interleaves stages unevenly.
    const double speed[3] = {2e9, 0.5e9, 1e9};
    for (int k = 0; k < 3; ++k) {
        s.topology.clusters[0].devices[size_t(k)].computeFlops = speed[k];
    }
    ClusterChannel ch;
    ch.deviceCount = 3;
    ch.d2dGain.assign(16, 1e-9);
    ch.d2dDistanceM.assign(16, 50.0);
    ch.d2eGain.assign(4, 1e-11);
    ch.d2eDistanceM.assign(4, 300.0);
    ClusterDecision cd;
    cd.microbatches = micro;
    cd.microbatchSize = (s.training.batchSize + micro - 1) / micro;
    cd.schedule = gpipe ? PipelineSchedule::GPipe : PipelineSchedule::OneFOneB;
    cd.controlUnitShare = 0.25;
    cd.stages = {StageDecision{2, 0, 1, 0.25, 0.2}, StageDecision{0, 2, 4, 0.25, 0.2},
        StageDecision{1, 5, 5, 0.25, 0.2}};
    const Timeline tl = buildTimeline(s, 0, ch, cd);
    const std::vector<StageOp> ops = stageOpsFromTimeline(tl.events, 0);
    QString err;
    QVERIFY2(validateStageOps(ops, 3, micro, &err), qPrintable(err));
    FederatedTrainer piped, ref;
    QVERIFY2(piped.init(s, &err), qPrintable(err));
    QVERIFY2(ref.init(s, &err), qPrintable(err));
    ref.setReferenceMode(true);
    Decision d;
    d.clusters = {cd};
    TrainRoundResult a, b;
    QVERIFY2(piped.trainRound(d, {ops}, &a, &err), qPrintable(err));
    QVERIFY2(ref.trainRound(d, {}, &b, &err), qPrintable(err));
    const double rel = test::relDiff(piped.globalParameters(), ref.globalParameters());
    qInfo("timeline order (%zu ops): parameter rel diff %.3g", ops.size(), rel);
    QVERIFY(rel <= 1e-5);
}

QTEST_GUILESS_MAIN(TrainerTimeline)
#include "tst_trainer_timeline.moc"
