// SPDX-License-Identifier: MIT
// Issue [1/7] #9 and #10 through the real widgets: the compare view answers "which run reaches
// the accuracy sooner" on the simulated clock, frames its curves with a margin, shows every
// metric row with units and readable numbers and names runs by what differs; plot export writes
// a publication-size image with the whole legend, named after the plot.
#include "../sanitizer_build.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"
#include "ui/export/plot_export.h"
#include "ui/plots/axis_range.h"
#include "ui/plots/energy_plot.h"
#include "ui/plots/latency_plot.h"
#include "ui/plots/loss_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/queue_plot.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/runs_model.h"
#include "ui/runs/store_loader.h"
#include "ui_run_fixtures.h"

#include <QDoubleSpinBox>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;
using collapipe::testing::defaultScenario;
using collapipe::testing::syntheticRound;

namespace {
// CompareView reads off the UI thread: wait for its loaded() signal (the last one, when a
// target change started another read).
bool waitLoaded(CompareView &view, QString *error)
{
    QSignalSpy loaded(&view, &CompareView::loaded);
    if (!loaded.wait(10'000 * collapipe::test::kSlowdown)) {
        *error = QStringLiteral("the comparison was not loaded in time");
        return false;
    }
    *error = loaded.last().value(1).toString();
    return loaded.last().value(0).toBool();
}
} // namespace

class TestCompareExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    std::vector<qint64> m_ids;
    std::vector<qint64> m_single; ///< two runs with one accuracy evaluation each

    /// A run of `rounds` rounds where each round takes `secondsPerRound` simulated seconds and
    /// accuracy (measured every 2nd round) is the same per round for every run (same seed).
    qint64 writeRun(const QString &schedule, double secondsPerRound, int rounds)
    {
        QString error;
        auto store = RunStore::open(m_db, &error);
        if (!store) {
            qWarning("%s", qPrintable(error));
            return 0;
        }
        Scenario s = defaultScenario(rounds, true);
        s.optimizer.schedule = schedule == QLatin1String("1f1b") ? PipelineSchedule::OneFOneB
                                                                 : PipelineSchedule::GPipe;
        RunWriter writer(store.get());
        RunMeta meta;
        meta.name = QStringLiteral("default dssda s7"); // the same name for both, as in the Studio
        meta.scenarioName = s.name;
        meta.scenarioJson = QString::fromUtf8(scenarioToJson(s));
        meta.policy = s.optimizer.policy;
        meta.seed = 7;
        meta.roundsPlanned = rounds;
        std::int64_t id = 0;
        bool ok = writer.beginRun(meta, &id, &error);
        for (int t = 0; ok && t < rounds; ++t) {
            RoundRecord r = syntheticRound(t);
            r.latencyS = secondsPerRound;
            r.simTimeS = secondsPerRound * (t + 1);
            r.loss = 2.0 / (1.0 + t);
            r.energyJ = 2.1526e-05 * (1 + t); // tiny: must not read "2.1526e-05"
            r.accuracy = t % 2 == 1 ? 0.1 * (t + 1) / 2.0 : kNotMeasured; // 0.1, 0.2, … 0.5
            ok = writer.appendRound(r, &error);
        }
        ok = ok && writer.finish(RunStatus::Completed, QString(), &error);
        if (!ok) {
            qWarning("%s", qPrintable(error));
        }
        return ok ? id : 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(QStringLiteral("cmp.sqlite"));
        m_ids = {
            writeRun(QStringLiteral("gpipe"), 2.0, 10), writeRun(QStringLiteral("1f1b"), 1.0, 10)};
        QVERIFY(m_ids[0] > 0 && m_ids[1] > 0);
        m_single
            = {writeRun(QStringLiteral("gpipe"), 2.0, 2), writeRun(QStringLiteral("1f1b"), 1.0, 2)};
        QVERIFY(m_single[0] > 0 && m_single[1] > 0);
    }

    void paddedRangeNeverEndsAtTheData()
    {
        const auto [lo, hi] = paddedRange(1.0, 3.0);
        QVERIFY(lo < 1.0 && hi > 3.0);
        QCOMPARE(hi - 3.0, 0.12); // 6 % of the span
        // One accuracy point (0.42): a small band around it, not −2…2.
        const auto [alo, ahi] = paddedRange(42.0, 42.0);
        QVERIFY(alo < 42.0 && ahi > 42.0);
        QVERIFY(ahi - alo < 10.0);
        // Non-negative data that starts at zero: the axis starts at zero, the top is padded.
        const auto [zlo, zhi] = paddedRange(0.0, 5.0, true);
        QCOMPARE(zlo, 0.0);
        QVERIFY(zhi > 5.0);
        const auto [elo, ehi] = paddedRange(1.0, 0.0); // no data
        QCOMPARE(elo, 0.0);
        QCOMPARE(ehi, 1.0);
    }

    void comparesOnSimulatedTimeWithTimeToAccuracy()
    {
        CompareView view;
        view.resize(1280, 800);
        view.show();
        QString error;
        QVERIFY2(view.load(m_db, {m_ids[0], m_ids[1]}, &error), qPrintable(error));
        QVERIFY2(waitLoaded(view, &error), qPrintable(error));
        // x axis: simulated seconds; the 1F1B run (1 s per round) ends at 10 s, GPipe at 20 s.
        for (QCustomPlot *plot : view.plots()) {
            QVERIFY2(plot->xAxis->label().contains(QStringLiteral("simulated time")),
                qPrintable(plot->xAxis->label()));
            QVERIFY(plot->xAxis->range().upper >= 20.0);
            // Every curve strictly inside the value axis: none lies on the axis line.
            for (int g = 0; g < plot->graphCount(); ++g) {
                bool found = false;
                const QCPRange values = plot->graph(g)->getValueRange(found);
                if (found) {
                    QVERIFY2(plot->yAxis->range().lower < values.lower
                            && plot->yAxis->range().upper > values.upper,
                        qPrintable(plot->objectName()));
                }
            }
        }
        // Time to accuracy: the default target is the lowest final accuracy (0.5 for both); the
        // 1F1B run reaches 0.5 at round 9, after 10 s, GPipe after 20 s.
        const RunComparison &cmp = view.comparison();
        QCOMPARE(cmp.targetAccuracy, 0.5);
        QCOMPARE(cmp.metrics[0].key, QStringLiteral("time_to_target_s"));
        QCOMPARE(cmp.metrics[0].values[0], 20.0);
        QCOMPARE(cmp.metrics[0].values[1], 10.0);
        // A user-set target (30 %): evaluations 0.2 @ round 3 and 0.3 @ round 5.
        view.targetBox()->setValue(30.0);
        QVERIFY2(waitLoaded(view, &error), qPrintable(error));
        QCOMPARE(view.comparison().targetAccuracy, 0.3);
        QCOMPARE(view.comparison().metrics[0].values[0], 12.0);
        QCOMPARE(view.comparison().metrics[0].values[1], 6.0);
        QVERIFY2(view.timeToAccuracySummary().contains(QStringLiteral("6.00 s")),
            qPrintable(view.timeToAccuracySummary()));
        // The dashed target line is on the accuracy plot's axis.
        QCustomPlot *accuracy = view.plots().last();
        QCOMPARE(accuracy->itemCount(), 1);
        QVERIFY(accuracy->yAxis->range().contains(30.0));

        // Runs that differ only in the schedule are told apart by it: legend and columns.
        const QString first = view.plots().first()->graph(0)->name();
        const QString second = view.plots().first()->graph(1)->name();
        QVERIFY2(first.contains(QStringLiteral("gpipe")) && second.contains(QStringLiteral("1f1b")),
            qPrintable(first + QLatin1Char('|') + second));
        QVERIFY(
            view.metricsTable()->horizontalHeaderItem(1)->text().contains(QStringLiteral("gpipe")));

        // The metrics table: people's labels with units, readable numbers, every row visible.
        QTableWidget *t = view.metricsTable();
        QTest::qWait(50);
        int rowsHeight = 0;
        for (int r = 0; r < t->rowCount(); ++r) {
            rowsHeight += t->rowHeight(r);
            const QString label = t->item(r, 0)->text();
            QVERIFY2(!label.contains(QLatin1Char('_')), qPrintable(label)); // not a raw key
            for (int c = 1; c < t->columnCount(); ++c) {
                const QString text = t->item(r, c)->text();
                QVERIFY2(
                    !text.contains(QStringLiteral("e-")) && !text.contains(QStringLiteral("e+")),
                    qPrintable(label + QStringLiteral(": ") + text));
            }
        }
        QVERIFY(t->rowCount() >= 12);
        QCOMPARE(t->verticalScrollBar()->maximum(), 0);
        QVERIFY2(t->viewport()->height() >= rowsHeight,
            qPrintable(QStringLiteral("%1 < %2").arg(t->viewport()->height()).arg(rowsHeight)));
        bool energyInMicrojoules = false;
        for (int r = 0; r < t->rowCount(); ++r) {
            if (t->item(r, 0)->text().startsWith(QStringLiteral("Mean energy per round"))) {
                QVERIFY(t->item(r, 0)->text().contains(QStringLiteral("[J]")));
                energyInMicrojoules = t->item(r, 1)->text().endsWith(QStringLiteral("µJ"));
            }
        }
        QVERIFY(energyInMicrojoules);

        // The report carries the same answer.
        const QString folder = m_dir.filePath(QStringLiteral("report"));
        QVERIFY2(view.exportReport(folder, &error), qPrintable(error));
        QFile html(folder + QStringLiteral("/report.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(html.readAll());
        QVERIFY(text.contains(QStringLiteral("Simulated time to accuracy 30.0 %")));
        QVERIFY(text.contains(QStringLiteral("Simulated time to 90 % of the best final accuracy")));

        // The runs browser has a schedule column: the two runs of the same name differ there.
        RunsModel runs;
        RunsListing listing = readRunsListing(m_db);
        QVERIFY2(listing.ok, qPrintable(listing.error));
        runs.setRuns(std::move(listing.runs));
        const auto schedule = [&runs](qint64 id) {
            return runs.data(runs.index(runs.rowOf(id), RunsModel::ScheduleColumn)).toString();
        };
        QCOMPARE(schedule(m_ids[0]), QStringLiteral("GPipe"));
        QCOMPARE(schedule(m_ids[1]), QStringLiteral("1F1B"));
        QCOMPARE(runs.headerData(RunsModel::ScheduleColumn, Qt::Horizontal).toString(),
            QStringLiteral("schedule"));
    }

    void singleAccuracyPointGetsASensibleAxis()
    {
        CompareView view;
        QString error;
        QVERIFY2(view.load(m_db, {m_single[0], m_single[1]}, &error), qPrintable(error));
        QVERIFY2(waitLoaded(view, &error), qPrintable(error));
        QCustomPlot *accuracy = view.plots().last();
        // One evaluation per run, both 10 %: a band around 10 %, not −2…2 or 0…100.
        const QCPRange y = accuracy->yAxis->range();
        QVERIFY2(y.lower > 5.0 && y.lower < 10.0 && y.upper > 10.0 && y.upper < 15.0,
            qPrintable(QStringLiteral("%1…%2").arg(y.lower).arg(y.upper)));
    }

    void exportIsPublicationSizeWithTheWholeLegend()
    {
        PlotsView view;
        view.resize(834, 520); // the Studio's plots dock: each panel ~417 px wide, ~120 high
        view.show();
        Scenario s = defaultScenario(4, false);
        view.hub()->setScenario(s);
        for (int t = 0; t < 6; ++t) {
            RoundRecord r = syntheticRound(t);
            view.hub()->appendRound(r);
        }
        view.hub()->flushNow();
        QTest::qWait(20);
        QueuePlot *queues = view.queuePlot();
        // Every device of the scenario is named in the legend (16 devices in default.json).
        int devices = 0;
        for (const Cluster &c : s.topology.clusters) {
            devices += int(c.devices.size());
        }
        QVERIFY(queues->legend->visible());
        QVERIFY(queues->legend->itemCount() >= devices);
        QVERIFY(view.energyPlot()->legend->visible());

        QCOMPARE(defaultPlotFileName(queues), QStringLiteral("energy-queues.png"));
        QCOMPARE(defaultPlotFileName(view.energyPlot()), QStringLiteral("energy-per-round.png"));

        const QString png = m_dir.filePath(defaultPlotFileName(queues));
        QString error;
        QVERIFY2(exportPlot(queues, png, &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(2100, 1350)); // 7 in × 4.5 in at 300 dpi
        QVERIFY(std::abs(image.dotsPerMeterX() - 300.0 / 0.0254) < 2.0);
        bool whole = false;
        const QRect legend = legendRectAt(queues, PlotExportSize{}.logicalSize(), &whole);
        QVERIFY2(whole,
            qPrintable(QStringLiteral("legend %1,%2 %3×%4")
                           .arg(legend.x())
                           .arg(legend.y())
                           .arg(legend.width())
                           .arg(legend.height())));
        // The legend's area in the image is not blank: its entries were drawn.
        const double scale = 300.0 / 96.0;
        const QRect inImage(QPoint(int(legend.left() * scale), int(legend.top() * scale)),
            QPoint(int(legend.right() * scale), int(legend.bottom() * scale)));
        int dark = 0;
        for (int y = inImage.top(); y < inImage.bottom(); y += 2) {
            for (int x = inImage.left(); x < inImage.right(); x += 2) {
                dark += qGray(image.pixel(x, y)) < 128 ? 1 : 0;
            }
        }
        QVERIFY(dark > 50);
        // A custom size and resolution.
        QVERIFY(exportPlot(queues, png, &error, PlotExportSize{3.5, 2.5, 200}));
        QCOMPARE(QImage(png).size(), QSize(700, 500));
        QVERIFY(!exportPlot(queues, png, &error, PlotExportSize{0.0, 2.5, 200}));
        QVERIFY(error.contains(QStringLiteral("size")));
        // The screen layout is untouched by the export.
        QTest::qWait(20);
        QVERIFY(queues->viewport().width() < 1000);
    }

    void exportLeavesOutTheRoundCursor()
    {
        // The Studio probe: an exported plot carried the red selected-round cursor, a UI
        // selection of the moment. The export with a round selected is the one without; the
        // screen keeps its cursor.
        PlotsView view;
        view.resize(1000, 800);
        for (int t = 0; t < 10; ++t) {
            view.hub()->appendRound(syntheticRound(t));
        }
        view.hub()->flushNow();
        LatencyPlot *latency = view.latencyPlot();
        const auto cursorShown = [latency] {
            for (int i = 0; i < latency->itemCount(); ++i) {
                if (qobject_cast<QCPItemStraightLine *>(latency->item(i))
                    && latency->item(i)->visible()) {
                    return true;
                }
            }
            return false;
        };
        view.hub()->setSelectedRound(-1); // the hub selected the newest round
        QVERIFY(!cursorShown());
        QString error;
        const QString plain = m_dir.filePath(QStringLiteral("no-cursor.png"));
        QVERIFY2(exportPlot(latency, plain, &error), qPrintable(error));
        view.hub()->setSelectedRound(9); // the last round, as after a run
        QVERIFY(cursorShown());
        const QString selected = m_dir.filePath(QStringLiteral("round-selected.png"));
        QVERIFY2(exportPlot(latency, selected, &error), qPrintable(error));
        QVERIFY(QImage(plain) == QImage(selected));
        const QString side = m_dir.filePath(QStringLiteral("side.png"));
        QVERIFY2(
            exportPlotsSideBySide({latency}, side, &error, PlotExportSize{}), qPrintable(error));
        view.hub()->setSelectedRound(-1);
        const QString sidePlain = m_dir.filePath(QStringLiteral("side-plain.png"));
        QVERIFY2(exportPlotsSideBySide({latency}, sidePlain, &error, PlotExportSize{}),
            qPrintable(error));
        QVERIFY(QImage(side) == QImage(sidePlain));
        view.hub()->setSelectedRound(9);
        QVERIFY(cursorShown()); // still on screen after the exports
    }

    void emptyPlotsShowAnEmptyStateNotZeroToFive()
    {
        PlotsView view;
        view.resize(834, 520);
        view.show();
        QTest::qWait(20);
        LossPlot *loss = view.lossPlot();
        QVERIFY(loss->showsEmptyState());
        QCOMPARE(loss->yAxis2->range().upper, 1.0); // accuracy: 0–1 before any evaluation
        QCOMPARE(loss->yAxis->range().upper, 1.0);
        // Loss only, no accuracy yet: the accuracy axis still shows 0–1.
        RoundRecord r = syntheticRound(0);
        r.accuracy = kNotMeasured;
        view.hub()->appendRound(r);
        view.hub()->flushNow();
        QVERIFY(!loss->showsEmptyState());
        QCOMPARE(loss->yAxis2->range().upper, 1.0);
        view.hub()->clear();
        QVERIFY(loss->showsEmptyState());
    }
};

QTEST_MAIN(TestCompareExport)
#include "tst_compare_export.moc"
