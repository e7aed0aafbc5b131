// SPDX-License-Identifier: MIT
// Issue [4/7] "The Lab", the Studio view: View ▸ Pipeline Lab opens on the teaching preset with
// GPipe and 1F1B side by side; stepping op by op highlights the same step in every chart (the
// k-th compute op of each schedule), the memory cursor counts the stashed micro-batches, compute
// only hides the link rows, the side by side exports as PNG/SVG/PDF, and at 1280 × 800 no two
// micro-batch labels overlap and every Gantt row keeps a label's height.
#include "tests/ui_lab/lab_view_fixture.h"
#include "ui/lab/lab_source_model.h"
#include "ui/model/topology_document.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QImage>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace collapipe;

class TstLabView : public QObject, private test::LabViewFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setUpSettings(); }
    void init() { create(); }
    void cleanup() { window.reset(); }

    void menuEntryOpensTheLab()
    {
        bool listed = false;
        for (QAction *a : window->viewMenu()->actions()) {
            listed = listed || a == lab->openAction();
        }
        QVERIFY(listed);
        QCOMPARE(
            lab->openAction()->text().remove(QLatin1Char('&')), QStringLiteral("Pipeline Lab"));
        QVERIFY(!lab->dock()->isVisible()); // the editor first; the Lab on request
        openOnPreset({1600, 1000});
        QCOMPARE(view()->charts().size(), 2);
        QVERIFY(chart(QStringLiteral("GPipe")));
        QVERIFY(chart(QStringLiteral("1F1B")));
        // The scenario on the canvas offers its clusters too.
        QVERIFY(view()->sourceBox()->count() >= 2);
    }

    void sourcePickerListsEveryClusterWithoutCopies()
    {
        // Issue #16 (the Studio opens 100,000 devices): the picker was filled one entry at a time
        // from a copy of the scenario on every open and edit. Now a model reads the document's
        // scenario when a row is shown: every cluster is still listed, by its current id and
        // device count, and the picked cluster or the preset stays picked across a reset.
        TopologyDocument *document = window->document();
        QComboBox *box = view()->sourceBox();
        QVERIFY(!qobject_cast<QStandardItemModel *>(box->model())); // no entry per cluster
        QCOMPARE(box->model(), view()->sourceModel());
        Scenario big = document->scenario();
        const Cluster first = big.topology.clusters.front();
        big.topology.clusters.clear();
        constexpr int kClusters = 3000;
        for (int c = 0; c < kClusters; ++c) {
            Cluster cluster = first;
            cluster.id = QStringLiteral("big%1").arg(c);
            cluster.controlUnit.id = QStringLiteral("big%1-cu").arg(c);
            cluster.devices.resize(std::size_t(1 + c % 3));
            for (std::size_t d = 0; d < cluster.devices.size(); ++d) {
                cluster.devices[d].id = QStringLiteral("big%1-d%2").arg(c).arg(d);
            }
            big.topology.clusters.push_back(cluster);
        }
        document->reset(big);
        QCOMPARE(box->count(), kClusters + 1);
        QCOMPARE(box->itemText(0), QStringLiteral("this scenario · cluster big0 (1 devices)"));
        QCOMPARE(box->itemText(kClusters - 1),
            QStringLiteral("this scenario · cluster big%1 (%2 devices)")
                .arg(kClusters - 1)
                .arg(1 + (kClusters - 1) % 3));
        QCOMPARE(box->itemData(kClusters - 1).toInt(), kClusters - 1);
        QCOMPARE(box->itemData(kClusters).toInt(), -1); // the teaching preset, last
        QCOMPARE(box->currentIndex(), kClusters);       // it stays picked
        // A cluster picked stays picked when the scenario changes under it, and the rows follow
        // an edit of the document without the Lab being told the new scenario.
        view()->showCluster(2999);
        QCOMPARE(box->currentIndex(), 2999);
        QCOMPARE(
            box->itemText(2999), QStringLiteral("this scenario · cluster big2999 (3 devices)"));
        document->removeItems({{ItemKind::Device, QStringLiteral("big2999-d0")}});
        QCOMPARE(
            box->itemText(2999), QStringLiteral("this scenario · cluster big2999 (2 devices)"));
        QCOMPARE(box->currentIndex(), 2999);
        // Fewer clusters: the picked one is gone, the preset is picked.
        big.topology.clusters.resize(10);
        document->reset(big);
        QCOMPARE(box->count(), 11);
        QCOMPARE(box->currentIndex(), 10);
        QCOMPARE(box->itemText(9), QStringLiteral("this scenario · cluster big9 (1 devices)"));
    }

    void stepsOpByOpInEveryChart()
    {
        openOnPreset({1600, 1000});
        LabChart *gpipe = chart(QStringLiteral("GPipe"));
        LabChart *ofob = chart(QStringLiteral("1F1B"));
        QVERIFY(gpipe && ofob);
        const LabPlan &plan = view()->plan();
        const int S = plan.stageCount;
        const int M = plan.microbatches;
        QCOMPARE(gpipe->stepCount(), 2 * S * M);
        QCOMPARE(ofob->stepCount(), 2 * S * M);
        QVERIFY(!gpipe->currentOp());

        // Step 1: the first forward of micro-batch 0 on stage 0, in both schedules.
        view()->nextStep();
        for (LabChart *c : {gpipe, ofob}) {
            const LabEvent *op = c->currentOp();
            QVERIFY(op);
            QCOMPARE(op->microbatch, 0);
            QCOMPARE(op->stage, 0);
            QCOMPARE(op->resource.from, plan.stageDevice[0]);
            QCOMPARE(int(op->kind), int(EventKind::Forward));
            QCOMPARE(c->stashedAtCursor(0), 1);
            QCOMPARE(c->memoryLaneLabels().value(0), QStringLiteral("S0:  1"));
        }
        QVERIFY2(view()->stepText().contains(QLatin1String("micro-batch 0 on S0")),
            qPrintable(view()->stepText()));

        // Walk every step: the highlighted op is the k-th op to start, each device's ops come
        // in micro-batch order, and the memory cursor matches a count made here.
        const std::vector<LabEvent> gpipeOps = computeOps(plan.schedules[0].withLinks);
        const std::vector<LabEvent> ofobOps = computeOps(plan.schedules[1].withLinks);
        int firstBackwardStash = -1;
        int ofobPeak0 = 0;
        for (int k = 0; k < 2 * S * M; ++k) {
            view()->setStep(k);
            QCOMPARE(gpipe->step(), k);
            const LabEvent *g = gpipe->currentOp();
            const LabEvent *o = ofob->currentOp();
            QVERIFY(g && o);
            QCOMPARE(g->startS, gpipeOps[std::size_t(k)].startS);
            QCOMPARE(o->startS, ofobOps[std::size_t(k)].startS);
            for (int j = 0; j < S; ++j) {
                QCOMPARE(gpipe->stashedAtCursor(j), expectedStash(gpipeOps, j, g->endS));
                QCOMPARE(ofob->stashedAtCursor(j), expectedStash(ofobOps, j, o->endS));
            }
            if (g->kind == EventKind::Backward && firstBackwardStash < 0) {
                // GPipe: the first backward runs on the last stage for micro-batch 0, when
                // stage 0 holds every micro-batch's activations.
                QCOMPARE(g->microbatch, 0);
                QCOMPARE(g->stage, S - 1);
                firstBackwardStash = gpipe->stashedAtCursor(0);
            }
            ofobPeak0 = std::max(ofobPeak0, ofob->stashedAtCursor(0));
        }
        QCOMPARE(firstBackwardStash, M);
        // 1F1B: stage 0 holds one micro-batch per stage after it, the edge's head included.
        QCOMPARE(ofobPeak0, std::min(S + 1, M));
        // The last op: the backward of the last micro-batch on stage 0; nothing stays stashed.
        for (LabChart *c : {gpipe, ofob}) {
            QCOMPARE(int(c->currentOp()->kind), int(EventKind::Backward));
            QCOMPARE(c->currentOp()->stage, 0);
            QCOMPARE(c->stashedAtCursor(0), 0);
        }
        view()->nextStep(); // past the end: stays on the last op
        QCOMPARE(view()->step(), 2 * S * M - 1);
        view()->previousStep();
        QCOMPARE(view()->step(), 2 * S * M - 2);
        QCOMPARE(gpipe->step(), 2 * S * M - 2);
    }

    void playAdvancesAtTheChosenSpeed()
    {
        openOnPreset({1600, 1000});
        view()->speedSlider()->setValue(20); // 20 ops/s
        view()->setStep(-1);
        view()->setPlaying(true);
        QTRY_VERIFY_WITH_TIMEOUT(view()->step() >= 3, 5000);
        view()->setPlaying(false);
        const int stopped = view()->step();
        QTest::qWait(300);
        QCOMPARE(view()->step(), stopped);
    }

    void computeOnlyHidesLinkRows()
    {
        openOnPreset({1600, 1000});
        const int S = view()->plan().stageCount;
        for (LabChart *c : view()->charts()) {
            const QStringList rows = c->rowLabels();
            QCOMPARE(rows.size(), 2 * S + 3); // CU, S stages, S + 1 hops, edge
            QVERIFY(rows.contains(QStringLiteral("link CU–S0")));
            QVERIFY(rows.contains(QStringLiteral("link S%1–edge").arg(S - 1)));
            const auto links = std::count_if(c->shownEvents().begin(), c->shownEvents().end(),
                [](const LabEvent &e) { return e.resource.kind == ResourceKind::Link; });
            QVERIFY(links > 0);
        }
        view()->setStep(5);
        view()->computeOnlyBox()->setChecked(true);
        QCOMPARE(view()->charts().size(), 2);
        for (LabChart *c : view()->charts()) {
            QVERIFY(c->isComputeOnly());
            const QStringList rows = c->rowLabels();
            QCOMPARE(rows.size(), S);
            for (const LabEvent &e : c->shownEvents()) {
                QCOMPARE(int(e.resource.kind), int(ResourceKind::Device)); // no link, CU, edge
            }
            for (const QString &r : rows) {
                QVERIFY2(!r.contains(QLatin1String("link")) && !r.startsWith(QLatin1String("CU")),
                    qPrintable(r));
            }
            QCOMPARE(c->step(), 5); // the step survives the mode switch
            // The bubble figures are defined where they are shown.
            QVERIFY(c->bubbleToolTip(LabChart::Bubble::Textbook)
                        .contains(QStringLiteral("(S − 1) / (M + S − 1)")));
            QVERIFY(!c->bubbleToolTip(LabChart::Bubble::ComputeOnly).isEmpty());
            QVERIFY(c->bubbleText(LabChart::Bubble::Textbook).contains(QLatin1String("27.3 %")));
        }
        view()->computeOnlyBox()->setChecked(false);
        QCOMPARE(view()->charts().first()->rowLabels().size(), 2 * S + 3);
    }

    void oneScheduleAloneAndNeverNone()
    {
        openOnPreset({1600, 1000});
        const QList<QCheckBox *> boxes = view()->scheduleBoxes();
        QCOMPARE(boxes.size(), 5);
        boxes[1]->setChecked(false);
        QCOMPARE(view()->charts().size(), 1);
        boxes[0]->setChecked(false); // refused: one schedule stays
        QVERIFY(boxes[0]->isChecked());
        QCOMPARE(view()->charts().size(), 1);
        for (int i = 1; i < 4; ++i) {
            boxes[i]->setChecked(true);
        }
        QCOMPARE(view()->charts().size(), 4);
        boxes[4]->setChecked(true); // refused: four at most
        QVERIFY(!boxes[4]->isChecked());
        QCOMPARE(view()->charts().size(), 4);
    }

    /// Every new schedule steps to its own end with nothing stashed; B and W are told apart;
    /// the chunk is in the tooltip; differing op counts clamp per chart and say so.
    void newSchedulesStepToTheEnd()
    {
        openOnPreset({1600, 1000});
        const QList<QCheckBox *> boxes = view()->scheduleBoxes();
        boxes[0]->setChecked(false); // 1F1B, interleaved, ZB-H1, ZB-V
        boxes[2]->setChecked(true);
        boxes[3]->setChecked(true);
        boxes[4]->setChecked(true);
        QCOMPARE(view()->charts().size(), 4);
        const LabPlan &plan = view()->plan();
        const int S = plan.stageCount;
        const int M = plan.microbatches;
        LabChart *inter = chart(QStringLiteral("Interleaved 1F1B (v = 2)"));
        LabChart *zbh1 = chart(QStringLiteral("ZB-H1"));
        LabChart *zbv = chart(QStringLiteral("ZB-V"));
        QVERIFY(inter && zbh1 && zbv);
        QCOMPARE(inter->stepCount(), 2 * S * M * 2);
        QCOMPARE(zbh1->stepCount(), 3 * S * M);
        QCOMPARE(zbv->stepCount(), 3 * S * M * 2);
        QCOMPARE(view()->stepCount(), 3 * S * M * 2);
        view()->setStep(view()->stepCount() - 1);
        for (LabChart *c : view()->charts()) {
            QCOMPARE(c->step(), c->stepCount() - 1); // clamped per chart
            for (int j = 0; j < S; ++j) {
                QCOMPARE(c->stashedAtCursor(j), 0);
            }
        }
        QVERIFY2(view()->stepLabel()->toolTip().contains(QLatin1String("different op counts")),
            qPrintable(view()->stepLabel()->toolTip()));
        bool sawW = false;
        bool sawChunk1 = false;
        for (const LabEvent &e : zbv->shownEvents()) {
            sawW = sawW || e.op == OpKind::BackwardWeight;
            sawChunk1 = sawChunk1 || (e.resource.kind == ResourceKind::Device && e.chunk == 1);
        }
        QVERIFY(sawW && sawChunk1);
        QVERIFY(zbv->bubbleText(LabChart::Bubble::Textbook).contains(QStringLiteral("—")));
        QVERIFY(
            zbv->bubbleToolTip(LabChart::Bubble::Textbook).contains(QLatin1String("no closed")));
        QVERIFY(inter->bubbleToolTip(LabChart::Bubble::Textbook)
                    .contains(QStringLiteral("(S − 1) / (v·M + S − 1)")));
        QVERIFY(
            zbh1->bubbleToolTip(LabChart::Bubble::Textbook).contains(QStringLiteral("F + B − W")));
        QVERIFY(zbh1->legendNames().contains(QStringLiteral("weight grad W")));
        QVERIFY(zbh1->legendNames().contains(QStringLiteral("backward (input grad B)")));
    }

    void exportsSideBySide()
    {
        openOnPreset({1600, 1000});
        view()->setStep(10);
        QTemporaryDir dir;
        for (const char *suffix : {"png", "svg", "pdf"}) {
            const QString path = dir.filePath(QStringLiteral("lab.") + QLatin1String(suffix));
            QString error;
            QVERIFY2(view()->exportSideBySide(path, &error), qPrintable(error));
            QVERIFY2(QFileInfo(path).size() > 1000, qPrintable(path));
        }
        const QImage png(dir.filePath(QStringLiteral("lab.png")));
        QCOMPARE(png.size(), QSize(1950, 900)); // 2 × 6.5 in × 6 in at 150 dpi
        QString error;
        QVERIFY(!view()->exportSideBySide(dir.filePath(QStringLiteral("lab.bmp")), &error));
        QVERIFY2(error.contains(QLatin1String("lab.bmp")), qPrintable(error));
    }

    void labelsDoNotOverlapAt1280x800_data()
    {
        QTest::addColumn<bool>("computeOnly");
        QTest::newRow("with links") << false;
        QTest::newRow("compute only") << true;
    }
    void labelsDoNotOverlapAt1280x800()
    {
        QFETCH(bool, computeOnly);
        openOnPreset({1280, 800});
        view()->computeOnlyBox()->setChecked(computeOnly);
        view()->setStep(7);
        int labelled = 0;
        for (LabChart *c : view()->charts()) {
            c->replot(QCustomPlot::rpImmediateRefresh); // lays out at the final size
            const QList<QRectF> rects = c->visibleLabelRects();
            labelled += int(rects.size());
            for (int a = 0; a < rects.size(); ++a) {
                QVERIFY2(c->axisRect()->rect().contains(rects[a].toRect()),
                    qPrintable(QStringLiteral("%1: label %2 outside the plot")
                                   .arg(c->scheduleName())
                                   .arg(a)));
                for (int b = a + 1; b < rects.size(); ++b) {
                    QVERIFY2(!rects[a].intersects(rects[b]),
                        qPrintable(QStringLiteral("%1: labels %2 and %3 overlap")
                                       .arg(c->scheduleName())
                                       .arg(a)
                                       .arg(b)));
                }
            }
            // Row labels on the time axis' left need a line each.
            const int line = QFontMetrics(QFont(c->font().family(), 8)).height();
            QVERIFY2(c->rowPixels() >= line,
                qPrintable(QStringLiteral("%1: %2 px per row, a label needs %3")
                               .arg(c->scheduleName())
                               .arg(c->rowPixels())
                               .arg(line)));
        }
        // Most bars are wide enough for their number (the labels are the point).
        const int bars = view()->charts().first()->labelledBarCount() * view()->charts().size();
        QVERIFY2(labelled * 2 >= bars,
            qPrintable(QStringLiteral("%1 of %2 bars labelled").arg(labelled).arg(bars)));
    }
};

QTEST_MAIN(TstLabView)
#include "tst_lab_view.moc"
