// SPDX-License-Identifier: MIT
// The Studio's Experiments view (issue [5/7]) in the real main window, offscreen: a 2 x 2
// experiment with two policies, cost model only, run from the view on its worker thread; the
// curve plot then has the expected lines and points, the UI thread kept answering while it ran,
// a click on a plotted point opens exactly that point's run as a replay, and the experiment
// file saved by the view loads back and is what `collapipe experiment` reads. An experiment of
// policies and seeds alone fills the "Per policy" tab (a dot and 95 % CI bar per policy, issue
// 17), cleared when another experiment is loaded.
#include "core/experiment/experiment.h"
#include "experiments_fixture.h"
#include "tests/sanitizer_build.h"
#include "tests/test_settings.h"
#include "ui/experiments/experiments_window.h"
#include "ui/main_window.h"
#include "ui/plots/gantt_plot.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"
#include "ui/runs/replay_controller.h"

#include <QAction>
#include <QComboBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

#include <memory>

using namespace collapipe;

namespace {

std::vector<QCPGraph *> graphsWithData(QCustomPlot *plot)
{
    std::vector<QCPGraph *> graphs;
    for (int i = 0; i < plot->graphCount(); ++i) {
        if (plot->graph(i)->dataCount() > 0) {
            graphs.push_back(plot->graph(i));
        }
    }
    return graphs;
}

} // namespace

class TestExperimentsView : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_settingsDir;
    std::unique_ptr<MainWindow> m_window;
    RunWorkspace *m_ws = nullptr;
    ExperimentsView *m_view = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(test::useTestSettings(m_settingsDir.path()));
        m_window = std::make_unique<MainWindow>();
        m_ws = RunWorkspace::install(m_window.get());
        m_view = installExperimentsWindow(m_window.get(), m_ws);
        m_window->resize(1280, 800);
        m_window->openInitial(QString());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_ws->runPanel()->setDatabasePath(m_dir.filePath(QStringLiteral("runs.sqlite")));
        // View ▸ Experiments… opens the window on the Run panel's database.
        auto *open = m_window->findChild<QAction *>(QStringLiteral("openExperiments"));
        QVERIFY(open);
        QVERIFY(m_window->viewMenu()->actions().contains(open));
        open->trigger();
        QVERIFY(QTest::qWaitForWindowExposed(m_view));
        QCOMPARE(m_view->databasePath(), m_dir.filePath(QStringLiteral("runs.sqlite")));
    }

    void cleanupTestCase()
    {
        m_ws->controller()->shutdown();
        m_window.reset();
    }

    void emptyFiguresSayWhatIsMissing()
    {
        // The first hour (guiprobe, 1280 x 800): before any run every tab showed a 0–5 grid
        // squeezed to the width of its title, "mean_latency_s vs  (mean over 0 seeds)", and
        // nothing saying why it was empty. Each empty figure fills its tab, draws no made-up
        // tick values and names what is missing.
        for (int tab = 0; tab < m_view->tabs()->count(); ++tab) {
            m_view->tabs()->setCurrentIndex(tab);
            QCoreApplication::processEvents();
            auto *plot = qobject_cast<QCustomPlot *>(m_view->tabs()->currentWidget());
            if (!plot) {
                plot = m_view->tabs()->currentWidget()->findChild<QCustomPlot *>();
            }
            QVERIFY(plot);
            plot->replot(QCustomPlot::rpImmediateRefresh);
            const QString where = m_view->tabs()->tabText(tab);
            auto *title = qobject_cast<QCPTextElement *>(plot->plotLayout()->element(0, 0));
            QVERIFY2(title, qPrintable(where));
            QVERIFY2(!title->text().contains(QLatin1String("  "))
                    && !title->text().contains(QLatin1String("0 seeds")),
                qPrintable(where + QStringLiteral(": ") + title->text()));
            QVERIFY2(plot->axisRect()->width() > plot->width() * 3 / 4,
                qPrintable(QStringLiteral("%1: axes %2 px wide of %3")
                               .arg(where)
                               .arg(plot->axisRect()->width())
                               .arg(plot->width())));
            QVERIFY2(!plot->xAxis->tickLabels() && !plot->yAxis->tickLabels(), qPrintable(where));
            QStringList notes;
            for (int i = 0; i < plot->itemCount(); ++i) {
                if (auto *text = qobject_cast<QCPItemText *>(plot->item(i))) {
                    notes << text->text();
                }
            }
            QVERIFY2(notes.size() == 1 && !notes.first().isEmpty(), qPrintable(where));
        }
        m_view->tabs()->setCurrentIndex(0);
    }

    void runsAndFillsThePlot()
    {
        // The UI thread keeps turning while the experiment runs: a timer ticks throughout.
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
        ticker.start(20);
        const QString message
            = testing::runAndWait(m_view, testing::smallGrid(), 60'000 * test::kSlowdown);
        ticker.stop();
        QVERIFY2(message.isEmpty(), qPrintable(message));
        QVERIFY2(ticks > 0, "the UI thread did not run while the experiment ran");
        QCOMPARE(m_view->points().size(), std::size_t(8)); // 2 x 2 x 2 policies x 1 seed
        QVERIFY(!m_view->isRunning());

        // Along optimizer.v (the first axis): a line per policy and local-iterations value, two
        // points each; one seed, so no band.
        QCOMPARE(m_view->curveAxis()->currentText(), QStringLiteral("optimizer.v"));
        QCOMPARE(m_view->curveAxis()->count(), 2);
        m_view->curveMetric()->setCurrentText(QStringLiteral("mean_latency_s"));
        const std::vector<QCPGraph *> lines = graphsWithData(m_view->curvePlot());
        QCOMPARE(lines.size(), std::size_t(4));
        for (QCPGraph *g : lines) {
            QCOMPARE(g->dataCount(), 2);
        }
        QCOMPARE(m_view->curveRuns().pointCount(), 8);
        // Legend: two policies and two line styles.
        QCOMPARE(m_view->curvePlot()->legend->itemCount(), 4);
    }

    void clickOnAPointOpensItsRun()
    {
        QCustomPlot *plot = m_view->curvePlot();
        plot->replot(); // lay out now: the click maps pixels through the axes
        QCPGraph *line = graphsWithData(plot).front();
        // The first line is uniform at training.local_iterations=1; its first point optimizer.v=10.
        QCOMPARE(line->name(), QStringLiteral("uniform, training.local_iterations=1"));
        qint64 expected = 0;
        for (const StoredPoint &p : m_view->points()) {
            if (p.policy == QLatin1String("uniform")
                && p.coordinates.value(QLatin1String("optimizer.v")).toDouble() == 10.0
                && p.coordinates.value(QLatin1String("training.local_iterations")).toInt() == 1) {
                expected = p.runId;
            }
        }
        QVERIFY(expected > 0);
        const auto first = line->data()->begin();
        const QPoint at(qRound(plot->xAxis->coordToPixel(first->key)),
            qRound(plot->yAxis->coordToPixel(first->value)));
        QSignalSpy requested(m_view, &ExperimentsView::openRunRequested);
        QSignalSpy opened(m_ws->replay(), &ReplayController::opened);
        QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.front().at(1).toLongLong(), expected);
        QVERIFY(opened.wait(20'000 * test::kSlowdown));
        QCOMPARE(m_ws->replay()->runId(), expected);
        // The Studio probe: the Gantt told to turn on "store the Gantt timeline" or drop
        // `--events off`, neither of which made this run; an experiment stores no timeline
        // unless its file asks for one.
        QVERIFY(m_ws->replay()->madeByExperiment());
        m_ws->replay()->setRoundIndex(1);
        QTRY_VERIFY2(
            m_ws->gantt()->timelineNote().contains(QStringLiteral("made by an experiment")),
            qPrintable(m_ws->gantt()->timelineNote()));
        QVERIFY2(!m_ws->gantt()->timelineNote().contains(QStringLiteral("store the Gantt")),
            qPrintable(m_ws->gantt()->timelineNote()));
        QVERIFY2(!m_ws->gantt()->timelineNote().contains(QStringLiteral("--events off")),
            qPrintable(m_ws->gantt()->timelineNote()));
    }

    void rerunSkipsStoredPoints()
    {
        QSignalSpy finished(m_view, &ExperimentsView::runFinished);
        const QString message
            = testing::runAndWait(m_view, testing::smallGrid(), 60'000 * test::kSlowdown);
        QVERIFY2(message.isEmpty(), qPrintable(message));
        QVERIFY2(m_view->statusText().contains(QStringLiteral("0 point(s) completed"))
                || m_view->statusText().contains(QStringLiteral("Done: 0")),
            qPrintable(m_view->statusText()));
        QCOMPARE(m_view->points().size(), std::size_t(8));
    }

    void badValuesNameTheField()
    {
        ExperimentDraft bad = testing::smallGrid();
        bad.axes[0].values = QStringLiteral("10, -1");
        const QString message = testing::runAndWait(m_view, bad, 30'000 * test::kSlowdown);
        QVERIFY2(message.contains(QStringLiteral("optimizer.v"))
                && message.contains(QStringLiteral("-1")),
            qPrintable(message));
        bad.axes[0].values = QStringLiteral("5:1:1");
        QString error;
        m_view->form()->setDraft(bad);
        QVERIFY(!m_view->startRun(&error));
        QVERIFY2(error.contains(QStringLiteral("axes[0] (optimizer.v): range '5:1:1'")),
            qPrintable(error));
    }

    void savedFileLoadsBackAndParses()
    {
        m_view->form()->setDraft(testing::smallGrid(QStringLiteral("saved")));
        m_view->useCanvasScenario();
        const QString path = m_dir.filePath(QStringLiteral("saved.json"));
        QString error;
        QVERIFY2(m_view->saveExperiment(path, &error), qPrintable(error));
        ExperimentSpec spec;
        std::vector<ExperimentProblem> problems;
        QVERIFY(loadExperimentFile(path, &spec, &problems));
        QCOMPARE(experimentPointCount(spec), std::size_t(8));
        m_view->form()->setDraft(ExperimentDraft{});
        QVERIFY2(m_view->loadExperiment(path, &error), qPrintable(error));
        const ExperimentDraft back = m_view->form()->draft();
        QCOMPARE(back.name, QStringLiteral("saved"));
        QCOMPARE(back.axes.size(), std::size_t(2));
        QCOMPARE(back.axes[1].values, QStringLiteral("1, 4"));
        QCOMPARE(back.policies, (QStringList{QStringLiteral("uniform"), QStringLiteral("fl")}));
        QVERIFY(back.scenario.isObject());
    }

    void policiesOnlyShowsOneDotPerPolicyThenClears()
    {
        // Issue 17: an experiment of policies and seeds alone has no axis to draw a curve along;
        // the "Per policy" tab draws the report's policies-METRIC figure, filled as points
        // finish: one dot per policy at its mean over the seeds, a 95 % CI error bar on each.
        ExperimentDraft draft = testing::smallGrid(QStringLiteral("policies only"));
        draft.axes.clear();
        draft.seeds = QStringLiteral("1, 2");
        m_view->tabs()->setCurrentIndex(1);
        QCOMPARE(m_view->tabs()->currentWidget()->findChild<QCustomPlot *>(), m_view->policyPlot());
        m_view->policyMetric()->setCurrentText(QStringLiteral("mean_latency_s"));
        const QString message = testing::runAndWait(m_view, draft, 60'000 * test::kSlowdown);
        QVERIFY2(message.isEmpty(), qPrintable(message));
        QCOMPARE(m_view->points().size(), std::size_t(4)); // 2 policies x 2 seeds
        QCustomPlot *plot = m_view->policyPlot();
        const std::vector<QCPGraph *> dots = graphsWithData(plot);
        QCOMPARE(dots.size(), std::size_t(2));
        QStringList names;
        for (QCPGraph *dot : dots) {
            QCOMPARE(dot->dataCount(), 1);
            names << dot->name();
        }
        QCOMPARE(names,
            QStringList({QStringLiteral("uniform: mean of 2 seeds"),
                QStringLiteral("fl: mean of 2 seeds")}));
        int bars = 0;
        for (int i = 0; i < plot->plottableCount(); ++i) {
            auto *b = qobject_cast<QCPErrorBars *>(plot->plottable(i));
            if (b && b->dataCount() > 0) {
                ++bars;
                QVERIFY(b->dataPlottable() == dots[0] || b->dataPlottable() == dots[1]);
            }
        }
        QCOMPARE(bars, 2);
        QCOMPARE(m_view->policyRuns().pointCount(), 2);
        // The legend names the dots and what the bars are (a grid: empty cells are skipped).
        QStringList legend;
        for (int i = 0; i < plot->legend->itemCount(); ++i) {
            if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i))) {
                legend << item->plottable()->name();
            }
        }
        QCOMPARE(legend,
            QStringList(
                {QStringLiteral("uniform: mean of 2 seeds"), QStringLiteral("fl: mean of 2 seeds"),
                    QStringLiteral("error bar: 95 % CI over seeds (Student t)")}));

        // Another experiment loaded: the last one's dots go.
        QString error;
        QVERIFY2(m_view->loadExperiment(m_dir.filePath(QStringLiteral("saved.json")), &error),
            qPrintable(error));
        QVERIFY(m_view->points().empty());
        QVERIFY(graphsWithData(plot).empty());
        QCOMPARE(m_view->policyRuns().pointCount(), 0);
        m_view->tabs()->setCurrentIndex(0);
    }
};

QTEST_MAIN(TestExperimentsView)
#include "tst_experiments_view.moc"
