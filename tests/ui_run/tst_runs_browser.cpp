// SPDX-License-Identifier: MIT
#include "../sanitizer_build.h"
#include "core/scenario/scenario_json.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"
#include "ui/plots/decision_table_model.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/round_plot.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/replay_bar.h"
#include "ui/runs/replay_controller.h"
#include "ui/runs/runs_browser.h"
#include "ui/runs/runs_model.h"
#include "ui_run_fixtures.h"

#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;
using collapipe::testing::defaultScenario;
using collapipe::testing::syntheticRound;

namespace {
// Store reads arrive by queued call from the loader's thread: wait for them, never assume.
constexpr int kWaitMs = 10'000 * collapipe::test::kSlowdown;

// Waits for the next emission of a (bool ok, QString error) signal; true when it said ok.
bool waitOk(QSignalSpy &spy, QString *error)
{
    if (spy.isEmpty() && !spy.wait(kWaitMs)) {
        *error = QStringLiteral("no result within %1 ms").arg(kWaitMs);
        return false;
    }
    const QList<QVariant> args = spy.takeFirst();
    *error = args.value(1).toString();
    return args.value(0).toBool();
}
} // namespace

class TestRunsBrowser : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    std::vector<qint64> m_ids;

    qint64 writeRun(std::uint64_t seed, int rounds, int microbatches)
    {
        QString error;
        auto store = RunStore::open(m_db, &error);
        if (!store) {
            qWarning("%s", qPrintable(error));
            return 0;
        }
        Scenario s = defaultScenario(rounds, false);
        s.training.seed = seed;
        RunWriter writer(store.get());
        RunMeta meta;
        meta.name = QStringLiteral("run seed %1").arg(seed);
        meta.scenarioName = s.name;
        meta.scenarioJson = QString::fromUtf8(scenarioToJson(s));
        meta.policy = s.optimizer.policy;
        meta.seed = seed;
        meta.roundsPlanned = rounds;
        std::int64_t id = 0;
        bool ok = writer.beginRun(meta, &id, &error);
        for (int t = 0; ok && t < rounds; ++t) {
            ok = writer.appendRound(syntheticRound(t, microbatches), &error);
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
        m_db = m_dir.filePath(QStringLiteral("runs.sqlite"));
        m_ids = {writeRun(1, 8, 3), writeRun(2, 6, 4)};
        QVERIFY(m_ids[0] > 0 && m_ids[1] > 0);
    }

    void listsAndRenames()
    {
        RunsBrowser browser;
        QSignalSpy refreshed(&browser, &RunsBrowser::refreshed);
        QSignalSpy edited(&browser, &RunsBrowser::edited);
        QString error;
        browser.setDatabasePath(m_db);
        QVERIFY2(waitOk(refreshed, &error), qPrintable(error));
        QCOMPARE(browser.model()->rowCount(), 2);
        const int row = browser.model()->rowOf(m_ids[0]);
        QVERIFY(row >= 0);
        QCOMPARE(
            browser.model()->data(browser.model()->index(row, RunsModel::StatusColumn)).toString(),
            QStringLiteral("completed"));
        QCOMPARE(
            browser.model()->data(browser.model()->index(row, RunsModel::RoundsColumn)).toString(),
            QStringLiteral("8 / 8"));
        browser.renameRun(m_ids[0], QStringLiteral("baseline"));
        QVERIFY2(waitOk(edited, &error), qPrintable(error));
        QVERIFY2(waitOk(refreshed, &error), qPrintable(error));
        QCOMPARE(browser.model()->run(browser.model()->rowOf(m_ids[0])).name,
            QStringLiteral("baseline"));
    }

    void longNamesAreElidedInTheMiddle()
    {
        // The Studio probe at 1600 px: an experiment's long run names widened the name column so
        // the result columns needed horizontal scrolling. The column stays at most
        // kMaxNameChars wide, the name elided in the middle and whole in its tooltip.
        RunsBrowser browser;
        browser.resize(1200, 300);
        browser.show();
        QSignalSpy refreshed(&browser, &RunsBrowser::refreshed);
        QSignalSpy edited(&browser, &RunsBrowser::edited);
        QString error;
        browser.setDatabasePath(m_db);
        QVERIFY2(waitOk(refreshed, &error), qPrintable(error));
        const QString longName = QStringLiteral(
            "view test · optimizer.v=1000 · training.local_iterations=4 · uniform · seed 1 · "
            "default · 2026-12-05");
        browser.renameRun(m_ids[1], longName);
        QVERIFY2(waitOk(edited, &error), qPrintable(error));
        QVERIFY2(waitOk(refreshed, &error), qPrintable(error));
        QTableView *table = browser.table();
        const int row = browser.model()->rowOf(m_ids[1]);
        const QFontMetrics metrics = table->fontMetrics();
        QVERIFY2(table->columnWidth(RunsModel::NameColumn) <= metrics.averageCharWidth() * 36,
            qPrintable(QString::number(table->columnWidth(RunsModel::NameColumn))));
        QVERIFY(table->columnWidth(RunsModel::NameColumn) < metrics.horizontalAdvance(longName));
        QCOMPARE(table->textElideMode(), Qt::ElideMiddle);
        QCOMPARE(browser.model()
                     ->data(browser.model()->index(row, RunsModel::NameColumn), Qt::ToolTipRole)
                     .toString(),
            longName);
        QVERIFY(!table->wordWrap()); // wrapped, the cell showed the first line, cut at its end
        QCoreApplication::processEvents();
        int columns = 0;
        for (int c = 0; c < RunsModel::ColumnCount; ++c) {
            columns += table->columnWidth(c);
        }
        // Every column in view at 1200 px (the long name alone took ~600).
        QVERIFY2(columns <= table->viewport()->width(),
            qPrintable(QStringLiteral("%1 of %2").arg(columns).arg(table->viewport()->width())));
        browser.renameRun(m_ids[1], QStringLiteral("run seed 2"));
        QVERIFY2(waitOk(edited, &error), qPrintable(error));
        QVERIFY2(waitOk(refreshed, &error), qPrintable(error));
    }

    void replaySliderSelectsRoundEverywhere()
    {
        ReplayBar bar;
        PlotsView view;
        GanttPlot gantt;
        DecisionTableModel table;
        connect(view.hub(), &PlotHub::selectedRecordChanged, &gantt, &GanttPlot::setRecord);
        connect(
            view.hub(), &PlotHub::selectedRecordChanged, &table, &DecisionTableModel::setRecord);
        ReplayController replay(view.hub());
        connect(&replay, &ReplayController::opened, &bar,
            [&bar](qint64 id, int rounds) { bar.openRun(id, QString(), rounds); });
        connect(&bar, &ReplayBar::indexChanged, &replay, &ReplayController::setRoundIndex);
        connect(&replay, &ReplayController::roundChanged, &bar, &ReplayBar::setRound);
        QSignalSpy opened(&replay, &ReplayController::opened);
        QSignalSpy events(&replay, &ReplayController::eventsLoaded);
        replay.open(m_db, m_ids[1]);
        QVERIFY(opened.wait(kWaitMs));
        QCOMPARE(replay.roundCount(), 6);
        QVERIFY(bar.slider()->isEnabled());
        QCOMPARE(bar.slider()->maximum(), 5);
        for (RoundPlot *p : view.panels()) {
            QCOMPARE(p->roundCount(), std::size_t(6));
        }
        bar.slider()->setValue(4);
        QVERIFY2(bar.roundLabel()->text().contains(QStringLiteral("round 4")),
            qPrintable(bar.roundLabel()->text()));
        for (RoundPlot *p : view.panels()) {
            QCOMPARE(p->selectedRound(), 4);
        }
        QTRY_COMPARE(gantt.round(), 4); // built off the GUI thread
        // The timeline arrives after the round's other data, read off the UI thread.
        while (events.isEmpty() || events.last().at(0).toInt() != 4) {
            QVERIFY(events.wait(kWaitMs));
        }
        // The timeline came back from the store: 3 events per micro-batch, M = 4.
        QTRY_COMPARE(gantt.barCount(), int(syntheticRound(4, 4).events.size()));
        QCOMPARE(table.round(), 4);
        QCOMPARE(table.rowCount(), 2);
        QCOMPARE(table.devices()[1].firstBlock, 6);
    }

    void compareAndExportReport()
    {
        CompareView view;
        QString error;
        QSignalSpy loaded(&view, &CompareView::loaded);
        QVERIFY(!view.load(m_db, {m_ids[0]}, &error)); // needs 2–4
        QVERIFY2(view.load(m_db, {m_ids[0], m_ids[1]}, &error), qPrintable(error));
        QVERIFY2(waitOk(loaded, &error), qPrintable(error));
        QVERIFY(view.metricsTable()->rowCount() > 3);
        QCOMPARE(view.metricsTable()->columnCount(), 1 + 1 + 2); // metric, run 0, run 1, Δ
        bool seedDiffers = false;
        for (int r = 0; r < view.configTable()->rowCount(); ++r) {
            seedDiffers |= view.configTable()->item(r, 0)->text().contains(QStringLiteral("seed"));
        }
        QVERIFY(seedDiffers);
        QCOMPARE(view.plots().first()->graphCount(), 2);
        QCOMPARE(view.plots().first()->graph(1)->dataCount(), 6);
        const QString folder = m_dir.filePath(QStringLiteral("report"));
        QVERIFY2(view.exportReport(folder, &error), qPrintable(error));
        for (const char *f : {"latency.png", "energy.png", "loss.png", "accuracy.png",
                 "metrics.csv", "config.csv", "report.html"}) {
            QVERIFY2(QFileInfo(folder + QLatin1Char('/') + QLatin1String(f)).size() > 0, f);
        }
    }

    void deleteRemovesRun()
    {
        RunsBrowser browser;
        QSignalSpy refreshed(&browser, &RunsBrowser::refreshed);
        QSignalSpy edited(&browser, &RunsBrowser::edited);
        QString error;
        browser.setDatabasePath(m_db);
        QVERIFY2(waitOk(refreshed, &error), qPrintable(error));
        const qint64 extra = writeRun(3, 2, 2);
        browser.refresh();
        QVERIFY2(waitOk(refreshed, &error), qPrintable(error));
        QCOMPARE(browser.model()->rowCount(), 3);
        browser.deleteRun(extra);
        QVERIFY2(waitOk(edited, &error), qPrintable(error));
        QVERIFY2(waitOk(refreshed, &error), qPrintable(error));
        QCOMPARE(browser.model()->rowCount(), 2);
        QCOMPARE(browser.model()->rowOf(extra), -1);
    }
};

QTEST_MAIN(TestRunsBrowser)
#include "tst_runs_browser.moc"
