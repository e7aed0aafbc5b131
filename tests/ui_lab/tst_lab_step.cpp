// SPDX-License-Identifier: MIT
// Issue [4/7] "The Lab", stepping with the trainer: each step's op runs in the real trainer and
// the tensor panel shows its output (shape and norm equal what the trainer's observer reports
// to the test), the canvas marks the op (device, receiving link) while the Lab is open, the
// what-if factors re-time every schedule without editing the scenario, and the step sequence
// exports as numbered PNGs (cancellable).
#include "core/trainer/federated_trainer.h"
#include "core/trainer/stage_ops.h"
#include "tests/ui_lab/lab_view_fixture.h"
#include "ui/canvas/topology_scene.h"
#include "ui/lab/lab_heat_map.h"
#include "ui/lab/lab_step_export.h"
#include "ui/lab/lab_tensor_panel.h"
#include "ui/lab/lab_trace.h"
#include "ui/lab/lab_what_if_bar.h"
#include "ui/model/topology_document.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QPushButton>
#include <QToolButton>
#include <QUndoStack>

#include <map>
#include <tuple>

using namespace collapipe;

class TstLabStep : public QObject, private test::LabViewFixture
{
    Q_OBJECT

    /// What the trainer's observer reports for every op of `kind` on the plan's cluster,
    /// gathered here on a trainer of the test's own (not through the Lab).
    struct Reported
    {
        int rows = 0;
        int columns = 0;
        double norm = 0.0;
    };
    using OpKey = std::tuple<int, int, int>; ///< stage, micro-batch, OpKind
    static std::map<OpKey, Reported> reportedByTrainer(const LabPlan &plan, ScheduleKind kind)
    {
        std::map<OpKey, Reported> out;
        std::vector<StageOp> ops;
        QString error;
        const Schedule schedule
            = makeSchedule(kind, int(plan.decision.stages.size()), plan.decision.microbatches);
        if (!stageOpsFromSchedule(schedule, &ops, &error)) {
            qWarning("%s", qPrintable(error));
            return out;
        }
        FederatedTrainer trainer;
        double loss = 0.0;
        if (!trainer.init(plan.scenario, &error)
            || !trainer.runObservedIteration(
                plan.cluster, plan.decision, ops,
                [&out](const OpOutput &o) {
                    out[{o.stage, o.microbatch, int(o.kind)}] = {int(o.tensor->rows()),
                        int(o.tensor->cols()), o.tensor->template cast<double>().norm()};
                },
                &loss, &error)) {
            qWarning("%s", qPrintable(error));
        }
        return out;
    }
    /// Waits until the tensor panel shows a tensor or a sentence for the current step.
    bool waitForTensorOrMessage() const
    {
        const LabTensorPanel *panel = view()->tensorPanel();
        const auto ready = [panel] {
            return panel->shownTensor().has_value()
                || !panel->detailText().contains(QLatin1String("Running"));
        };
        QDeadlineTimer deadline(60000);
        while (!ready() && !deadline.hasExpired()) {
            QTest::qWait(10);
        }
        return ready();
    }

private Q_SLOTS:
    void initTestCase() { setUpSettings(); }
    void init() { create(); }
    void cleanup() { window.reset(); }

    /// Issue [4/7] "The Lab" item 1 and 5: each step's op is the trainer's. Walks GPipe and ZB-H1
    /// op by op: the highlighted op (stage, micro-batch, kind), the memory cursor at its end,
    /// and the tensor in the panel — its shape and Frobenius norm equal what the trainer's
    /// observer reports for that op on a trainer of the test's own.
    void steppedOpShowsTheTrainersTensor()
    {
        openOnPreset({1600, 1000});
        QList<QCheckBox *> boxes = view()->scheduleBoxes();
        boxes[1]->setChecked(false);
        boxes[3]->setChecked(true); // GPipe and ZB-H1
        const LabPlan &plan = view()->plan();
        const int S = plan.stageCount;
        const int M = plan.microbatches;
        LabTensorPanel *panel = view()->tensorPanel();
        QVERIFY2(
            panel->detailText().contains(QLatin1String("Next")), qPrintable(panel->detailText()));
        for (const auto &[name, kind] : {std::pair{QStringLiteral("GPipe"), ScheduleKind::GPipe},
                 std::pair{QStringLiteral("ZB-H1"), ScheduleKind::ZeroBubbleH1}}) {
            LabChart *c = chart(name);
            QVERIFY(c);
            panel->scheduleBox()->setCurrentIndex(int(view()->charts().indexOf(c)));
            Q_EMIT panel->scheduleChanged(panel->currentSchedule());
            const std::map<OpKey, Reported> reported = reportedByTrainer(plan, kind);
            QCOMPARE(int(reported.size()), c->stepCount()); // every op observed once
            const std::vector<LabEvent> ops
                = computeOps(plan.schedules[std::size_t(c->scheduleIndex())].withLinks);
            bool sawWeight = false;
            for (int k = 0; k < c->stepCount(); ++k) {
                QElapsedTimer traced;
                traced.start();
                view()->setStep(k);
                QVERIFY(waitForTensorOrMessage());
                if (k == 0) {
                    qInfo("%s: the trainer's iteration reached the panel in %lld ms",
                        qPrintable(name), traced.elapsed());
                }
                const LabEvent *op = c->currentOp();
                QVERIFY(op);
                // The highlighted op is the k-th to start; the memory cursor sits at its end.
                QCOMPARE(op->stage, ops[std::size_t(k)].stage);
                QCOMPARE(op->microbatch, ops[std::size_t(k)].microbatch);
                QCOMPARE(int(op->op), int(ops[std::size_t(k)].op));
                QCOMPARE(c->cursorS(), op->endS);
                QCOMPARE(c->stashedAtCursor(op->stage), expectedStash(ops, op->stage, op->endS));
                QVERIFY2(panel->shownTensor().has_value(), qPrintable(panel->detailText()));
                const LabOpTensor &t = *panel->shownTensor();
                QCOMPARE(t.stage, op->stage);
                QCOMPARE(t.microbatch, op->microbatch);
                QCOMPARE(int(t.op), int(op->op));
                const auto it = reported.find({op->stage, op->microbatch, int(op->op)});
                QVERIFY(it != reported.end());
                QCOMPARE(t.rows, it->second.rows);
                QCOMPARE(t.columns, it->second.columns);
                QVERIFY2(std::abs(t.frobenius - it->second.norm) <= 1e-9 * it->second.norm
                        && t.frobenius > 0.0,
                    qPrintable(QStringLiteral("step %1: panel ‖T‖ %2, trainer %3")
                                   .arg(k)
                                   .arg(t.frobenius, 0, 'g', 17)
                                   .arg(it->second.norm, 0, 'g', 17)));
                QVERIFY(panel->heatMap()->hasTensor());
                QVERIFY2(panel->detailText().contains(
                             QStringLiteral("shape %1 × %2").arg(t.rows).arg(t.columns)),
                    qPrintable(panel->detailText()));
                if (op->op == OpKind::BackwardWeight) {
                    sawWeight = true;
                    QCOMPARE(t.rows, plan.scenario.model.trainer.dFf); // W2's gradient: dFf × d
                    QCOMPARE(t.rowAxis, QStringLiteral("FFN unit"));
                } else {
                    QCOMPARE(t.columns, plan.scenario.model.trainer.dModel);
                    QCOMPARE(t.rowAxis, QStringLiteral("token"));
                }
            }
            QCOMPARE(sawWeight, kind == ScheduleKind::ZeroBubbleH1);
        }
        QCOMPARE(2 * S * M, chart(QStringLiteral("GPipe"))->stepCount());
    }

    /// A chunked schedule runs in the trainer too: the panel shows the op's chunk. One the
    /// trainer refuses on a plan (v does not divide a stage's blocks) says why in words.
    void chunkedScheduleShowsItsChunk()
    {
        openOnPreset({1600, 1000});
        QList<QCheckBox *> boxes = view()->scheduleBoxes();
        boxes[2]->setChecked(true); // interleaved v = 2
        LabChart *inter = chart(QStringLiteral("Interleaved 1F1B (v = 2)"));
        QVERIFY(inter);
        LabTensorPanel *panel = view()->tensorPanel();
        panel->scheduleBox()->setCurrentIndex(int(view()->charts().indexOf(inter)));
        Q_EMIT panel->scheduleChanged(panel->currentSchedule());
        bool sawChunk1 = false;
        for (int k = 0; k < inter->stepCount(); k += 3) {
            view()->setStep(k);
            QVERIFY(waitForTensorOrMessage());
            QVERIFY2(panel->shownTensor().has_value(), qPrintable(panel->detailText()));
            const LabEvent *op = inter->currentOp();
            QCOMPARE(panel->shownTensor()->chunk, op->chunk);
            QCOMPARE(panel->shownTensor()->stage, op->stage);
            QVERIFY2(panel->headerText().contains(QStringLiteral("chunk %1").arg(op->chunk)),
                qPrintable(panel->headerText()));
            sawChunk1 = sawChunk1 || op->chunk == 1;
        }
        QVERIFY(sawChunk1);
        // S0 with 3 blocks and S1 with 1: two chunks cannot cut them.
        ClusterDecision odd = view()->plan().decision;
        QVERIFY(odd.stages.size() >= 2);
        odd.stages[0].lastBlock = odd.stages[0].firstBlock + 2;
        odd.stages[1].firstBlock = odd.stages[0].lastBlock + 1;
        const LabTrace refused = traceLabSchedule(
            view()->plan().scenario, view()->plan().cluster, odd, ScheduleKind::Interleaved, 2);
        QVERIFY(!refused.executed);
        QVERIFY(refused.ops.empty());
        QVERIFY2(refused.message.contains(QLatin1String("did not run this schedule")),
            qPrintable(refused.message));
    }

    /// At 1280 × 800 the panel stands beside one to three charts; with four it steps aside (the
    /// Lab would pass the screen's width) and its button says why.
    void tensorPanelMakesRoomForFourCharts()
    {
        openOnPreset({1280, 800});
        QVERIFY(view()->tensorPanel()->isVisible());
        const QList<QCheckBox *> boxes = view()->scheduleBoxes();
        boxes[2]->setChecked(true);
        QVERIFY(view()->tensorPanel()->isVisible());
        boxes[3]->setChecked(true);
        QCOMPARE(view()->charts().size(), 4);
        QVERIFY(!view()->tensorPanel()->isVisible());
        QVERIFY(!view()->tensorButton()->isEnabled());
        QVERIFY(view()->tensorButton()->toolTip().contains(QLatin1String("uncheck one")));
        QTest::qWait(50);
        QVERIFY2(view()->minimumSizeHint().width() <= 1280,
            qPrintable(
                QStringLiteral("the Lab needs %1 px").arg(view()->minimumSizeHint().width())));
        boxes[3]->setChecked(false);
        QVERIFY(view()->tensorPanel()->isVisible());
    }

    /// Item 2: on a cluster of the canvas's scenario the current op is marked on the canvas
    /// (the device of its stage, the receiver of its output); closing the Lab or editing the
    /// scenario clears the mark.
    void canvasMarksTheCurrentOp()
    {
        QString error;
        TopologyDocument *doc = window->document();
        QVERIFY2(doc->load(view()->defaultPresetPath(), &error), qPrintable(error));
        window->resize(1600, 1000);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QSignalSpy shown(view(), &LabView::planShown);
        lab->openAction()->trigger();
        view()->showCluster(0);
        QVERIFY(shown.wait(20000) || !shown.isEmpty());
        QVERIFY2(view()->plan().ok, qPrintable(view()->plan().error));
        TopologyScene *scene = window->scene();
        QVERIFY(!scene->labStep());
        const Cluster &cluster = doc->scenario().topology.clusters.front();
        const LabPlan &plan = view()->plan();
        const int S = plan.stageCount;
        LabChart *gpipe = chart(QStringLiteral("GPipe"));
        QVERIFY(gpipe);
        for (int k = 0; k < gpipe->stepCount(); ++k) {
            view()->setStep(k);
            const LabEvent *op = gpipe->currentOp();
            QVERIFY(scene->labStep().has_value());
            const LabStepMark &mark = *scene->labStep();
            const QString device
                = cluster.devices[std::size_t(plan.stageDevice[std::size_t(op->stage)])].id;
            QCOMPARE(mark.device, (ItemRef{ItemKind::Device, device}));
            ItemRef to;
            if (op->op == OpKind::Forward) {
                to = op->stage + 1 < S ? ItemRef{ItemKind::Device,
                         cluster.devices[std::size_t(plan.stageDevice[std::size_t(op->stage + 1)])]
                             .id}
                                       : ItemRef{ItemKind::EdgeServer, cluster.edgeServerId};
            } else {
                to = op->stage > 0 ? ItemRef{ItemKind::Device,
                         cluster.devices[std::size_t(plan.stageDevice[std::size_t(op->stage - 1)])]
                             .id}
                                   : ItemRef{ItemKind::ControlUnit, cluster.controlUnit.id};
            }
            QCOMPARE(mark.to, to);
            QVERIFY(mark.opText.contains(QStringLiteral("micro-batch %1").arg(op->microbatch)));
            QVERIFY(scene->labStepItem());
            QVERIFY(scene->labStepItem()->isVisible());
        }
        lab->dock()->hide();
        QVERIFY(!scene->labStep());
        QVERIFY(!scene->labStepItem());
        lab->open();
        view()->setStep(2);
        QVERIFY(scene->labStep());
        // An edit of the scenario clears the mark.
        QVERIFY(doc->setProperty({ItemKind::Device, cluster.devices.front().id},
            QStringLiteral("compute_flops"), 5e11, &error));
        QVERIFY(!scene->labStep());
        // The teaching preset is not on the canvas: no mark.
        view()->showPreset();
        QVERIFY(shown.wait(20000));
        view()->setStep(2);
        QVERIFY(!scene->labStep());
    }

    /// Item 3: slowing a stage or a link re-times every shown schedule at once; the scenario
    /// and its undo history stay untouched; reset gives the planned times back exactly.
    void whatIfRetimesEverySchedule()
    {
        openOnPreset({1600, 1000});
        const LabPlan before = view()->plan();
        const bool modified = window->document()->isModified();
        LabWhatIfBar *bar = view()->whatIfBar();
        QCOMPARE(bar->stageBoxes().size(), before.stageCount);
        QCOMPARE(bar->linkBoxes().size(), before.stageCount + 1);
        view()->whatIfButton()->setChecked(true);
        QVERIFY(bar->isVisibleTo(view()));
        view()->setStep(9);
        QElapsedTimer retimed;
        retimed.start();
        bar->stageBoxes()[1]->setValue(0.5); // S1 at half speed
        qInfo("re-timing %zu schedules and redrawing the charts: %lld ms", before.schedules.size(),
            retimed.elapsed());
        const LabPlan &slow = view()->plan();
        for (std::size_t i = 0; i < before.schedules.size(); ++i) {
            QVERIFY2(slow.schedules[i].makespanS > before.schedules[i].makespanS * 1.05,
                qPrintable(QStringLiteral("%1: %2 s → %3 s")
                               .arg(before.schedules[i].kind.name)
                               .arg(before.schedules[i].makespanS)
                               .arg(slow.schedules[i].makespanS)));
            QVERIFY(
                slow.schedules[i].computeOnlyMakespanS > before.schedules[i].computeOnlyMakespanS);
        }
        // The charts show the new times: the last op ends at the new compute-only makespan.
        LabChart *gpipe = chart(QStringLiteral("GPipe"));
        QVERIFY(gpipe);
        QCOMPARE(gpipe->step(), 9); // the step stays
        double lastEnd = 0.0;
        for (const LabEvent &e : gpipe->shownEvents()) {
            lastEnd = std::max(lastEnd, e.endS);
        }
        QCOMPARE(lastEnd, slow.schedules[0].makespanS);
        // A slower link lengthens the with-links makespan only; compute only stays.
        const double computeOnly = slow.schedules[0].computeOnlyMakespanS;
        const double withLinks = slow.schedules[0].makespanS;
        bar->linkBoxes()[1]->setValue(0.25);
        QVERIFY(view()->plan().schedules[0].makespanS > withLinks);
        QCOMPARE(view()->plan().schedules[0].computeOnlyMakespanS, computeOnly);
        QCOMPARE(window->document()->isModified(), modified); // the scenario is untouched
        bar->resetButton()->click();
        for (std::size_t i = 0; i < before.schedules.size(); ++i) {
            QCOMPARE(view()->plan().schedules[i].makespanS, before.schedules[i].makespanS);
        }
        QVERIFY(view()->plan().whatIf.isIdentity());
    }

    /// "Apply speeds" writes the stage factors into the scenario on the canvas as undoable
    /// edits of the stages' devices' compute_flops, then the bar is back at 1 ×.
    void applySpeedsEditsTheScenarioUndoably()
    {
        QString error;
        TopologyDocument *doc = window->document();
        QVERIFY2(doc->load(view()->defaultPresetPath(), &error), qPrintable(error));
        window->show();
        QSignalSpy shown(view(), &LabView::planShown);
        lab->openAction()->trigger();
        view()->showCluster(0);
        QVERIFY(shown.wait(20000) || !shown.isEmpty());
        QVERIFY2(view()->plan().ok, qPrintable(view()->plan().error));
        const LabPlan plan = view()->plan();
        const Cluster before = doc->scenario().topology.clusters.front();
        const int undoBefore = doc->undoStack()->count();
        view()->whatIfBar()->stageBoxes()[2]->setValue(2.0);
        QCOMPARE(doc->undoStack()->count(), undoBefore); // what-if alone edits nothing
        view()->whatIfBar()->applyButton()->click();
        const std::size_t d = std::size_t(plan.stageDevice[2]);
        QCOMPARE(doc->scenario().topology.clusters.front().devices[d].computeFlops,
            2.0 * before.devices[d].computeFlops);
        QCOMPARE(doc->undoStack()->count(), undoBefore + 1);
        QVERIFY(view()->whatIfBar()->whatIf().isIdentity());
        doc->undoStack()->undo();
        QCOMPARE(doc->scenario().topology.clusters.front().devices[d].computeFlops,
            before.devices[d].computeFlops);
    }

    /// Item 4: every step as a numbered PNG, then a cancelled export stops early.
    void exportsNumberedSteps()
    {
        openOnPreset({1280, 800});
        view()->scheduleBoxes()[1]->setChecked(false); // GPipe alone: fewer pixels per step
        view()->setStep(4);
        QTemporaryDir dir;
        LabStepExport *exporter = view()->stepExport();
        QSignalSpy progressed(exporter, &LabStepExport::progressed);
        QSignalSpy finished(exporter, &LabStepExport::finished);
        QString error;
        const QString folder = dir.filePath(QStringLiteral("steps"));
        QElapsedTimer exported;
        exported.start();
        QVERIFY2(exporter->start(folder, &error), qPrintable(error));
        QVERIFY(finished.wait(120000));
        qInfo("%d step images in %lld ms", view()->stepCount(), exported.elapsed());
        QCOMPARE(finished.last().at(0).toBool(), true);
        const int steps = view()->stepCount();
        const QStringList files
            = QDir(folder).entryList({QStringLiteral("step_*.png")}, QDir::Files, QDir::Name);
        QCOMPARE(int(files.size()), steps);
        QCOMPARE(progressed.size(), steps);
        QCOMPARE(files.first(), QStringLiteral("step_001.png"));
        QCOMPARE(files.last(), QStringLiteral("step_%1.png").arg(steps, 3, 10, QLatin1Char('0')));
        for (const QString &f : files) {
            QVERIFY2(QFileInfo(QDir(folder).filePath(f)).size() > 1000, qPrintable(f));
        }
        QVERIFY(QImage(QDir(folder).filePath(files.first()))
            != QImage(QDir(folder).filePath(files.last())));
        QCOMPARE(view()->step(), 4); // restored
        // Cancelled after the first file: fewer files, finished(false, "cancelled").
        const QString again = dir.filePath(QStringLiteral("again"));
        QVERIFY(exporter->start(again, &error));
        connect(exporter, &LabStepExport::progressed, exporter, &LabStepExport::cancel);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.last().at(0).toBool(), false);
        QCOMPARE(finished.last().at(1).toString(), QStringLiteral("cancelled"));
        QCOMPARE(int(QDir(again).entryList({QStringLiteral("step_*.png")}, QDir::Files).size()), 1);
    }
};

QTEST_MAIN(TstLabStep)
#include "tst_lab_step.moc"
