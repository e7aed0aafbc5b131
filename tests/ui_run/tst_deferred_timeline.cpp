// SPDX-License-Identifier: MIT
// Issue [7/7] "The Studio keeps up with the engine", the worker's part: with "store the Gantt
// timeline" off, a live cost-only run leaves each round's timeline to be built when the Gantt
// draws it (RoundTimelineInputs, roundEvents(), RunController::withTimeline()). The events so
// built equal the ones the engine puts in the record (fail-overs and sat-out clusters included),
// the Gantt draws a round the same either way, the engine builds no timeline for the rounds
// nobody draws, and a replay of a run stored without its timeline says so (and one whose
// timeline cannot be read says why).
#include "core/cost/timeline.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/session.h"
#include "ui/main_window.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/run_workspace.h"
#include "ui/runs/replay_controller.h"
#include "ui_run_fixtures.h"

#include <QCheckBox>
#include <QDockWidget>
#include <QFile>
#include <QFontMetrics>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;
using collapipe::testing::defaultScenario;

namespace deferred_timeline {

bool sameEvent(const TimelineEvent &a, const TimelineEvent &b)
{
    return a.cluster == b.cluster && a.resource == b.resource && a.kind == b.kind
        && a.microbatch == b.microbatch && a.stage == b.stage && a.startS == b.startS
        && a.endS == b.endS;
}

/// What the Gantt shows of its current round: rows, bars, summary and the picture.
struct GanttShot
{
    int round = -1;
    QStringList rows;
    int bars = 0;
    QString summary;
    QImage image;
};

GanttShot shoot(GanttPlot *gantt)
{
    gantt->replot();
    return {gantt->round(), gantt->rowLabels(), gantt->barCount(), gantt->summary(),
        gantt->toPixmap(900, 700).toImage()};
}

QCPTextElement *titleElement(GanttPlot *gantt)
{
    return qobject_cast<QCPTextElement *>(gantt->plotLayout()->element(0, 0));
}

QString ganttTitle(GanttPlot *gantt)
{
    QCPTextElement *title = titleElement(gantt);
    return title ? title->text() : QString();
}

QFont titleFont(GanttPlot *gantt)
{
    QCPTextElement *title = titleElement(gantt);
    return title ? title->font() : QFont();
}

} // namespace deferred_timeline

class TestDeferredTimeline : public QObject
{
    Q_OBJECT

private:
    /// Runs `rounds` rounds of `scenario` twice, with the events in the record and deferred,
    /// and compares every round's events; true in *churned when some round failed over or had a
    /// cluster sit out.
    void compareEagerAndDeferred(const Scenario &scenario, int rounds, bool *churned)
    {
        Session eager, deferred;
        QString error;
        SessionOptions eagerOptions;
        QVERIFY2(eager.init(scenario, &error, eagerOptions), qPrintable(error));
        SessionOptions deferredOptions;
        deferredOptions.recordEvents = false;
        deferredOptions.deferEvents = true;
        QVERIFY2(deferred.init(scenario, &error, deferredOptions), qPrintable(error));
        QVERIFY(!eager.takeTimelineInputs());
        *churned = false;
        for (int t = 0; t < rounds; ++t) {
            RoundRecord a, b;
            QVERIFY2(eager.runRound(&a, &error), qPrintable(error));
            QVERIFY2(deferred.runRound(&b, &error), qPrintable(error));
            QVERIFY(!eager.takeTimelineInputs());
            const std::shared_ptr<const RoundTimelineInputs> inputs = deferred.takeTimelineInputs();
            QVERIFY(inputs);
            QVERIFY(!deferred.takeTimelineInputs()); // handed out once
            QVERIFY(b.events.empty());               // the engine built none
            QCOMPARE(b.latencyS, a.latencyS);        // the same round otherwise
            QCOMPARE(b.objective, a.objective);
            for (const ClusterRound &c : a.clusters) {
                *churned = *churned || c.satOut || c.dropouts > 0;
            }
            const std::vector<TimelineEvent> built = roundEvents(*inputs);
            QVERIFY(!a.events.empty());
            QCOMPARE(built.size(), a.events.size());
            for (std::size_t i = 0; i < built.size(); ++i) {
                QVERIFY2(deferred_timeline::sameEvent(built[i], a.events[i]),
                    qPrintable(QStringLiteral("round %1 event %2: %3..%4 s, eager %5..%6 s")
                                   .arg(t)
                                   .arg(i)
                                   .arg(built[i].startS)
                                   .arg(built[i].endS)
                                   .arg(a.events[i].startS)
                                   .arg(a.events[i].endS)));
            }
        }
    }

private Q_SLOTS:
    void deferredEventsEqualEager()
    {
        bool churned = false;
        compareEagerAndDeferred(defaultScenario(6, false), 6, &churned);
        // Devices that drop out mid-round (fail-over: the events moved by the lost and recovery
        // time) and clusters that sit a round out (their stages still in the aggregation).
        Scenario campus;
        std::vector<ScenarioProblem> problems;
        QVERIFY(loadScenarioFile(
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/campus-day.json"), &campus,
            &problems));
        campus.training.train = false;
        campus.training.rounds = 40;
        compareEagerAndDeferred(campus, 40, &churned);
        QVERIFY2(churned, "campus-day had no fail-over or sat-out cluster in 40 rounds");
    }

    void liveGanttBuildsOnlyWhatItDraws()
    {
        QTemporaryDir tmp;
        MainWindow window;
        RunWorkspace *ws = RunWorkspace::install(&window);
        window.openInitial(QString());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        RunPanel *panel = ws->runPanel();
        RunController *controller = ws->controller();
        PlotHub *hub = ws->plots()->hub();
        GanttPlot *gantt = ws->gantt();
        const QString db = tmp.filePath(QStringLiteral("runs.sqlite"));
        panel->setDatabasePath(db);
        const int rounds = 8;

        // Timeline not stored: the engine builds none; the Gantt builds the rounds it draws.
        panel->storeEventsBox()->setChecked(false);
        const long long before = roundTimelineBuildCount();
        const int builtBefore = gantt->timelinesBuilt();
        QVERIFY(testing::runToEnd(ws, window.document(), rounds, 60'000));
        const qint64 lazyRun = controller->runId();
        const long long builds = roundTimelineBuildCount() - before;
        QCOMPARE(builds, (long long)(gantt->timelinesBuilt() - builtBefore));
        QVERIFY2(builds < rounds, qPrintable(QString::number(builds)));
        QTRY_COMPARE(gantt->round(), rounds - 1);
        QVERIFY(gantt->barCount() > 0);
        gantt->setAnimated(false);
        std::vector<deferred_timeline::GanttShot> lazy;
        for (const int t : {rounds - 1, 0, 3}) {
            hub->setSelectedRound(t);
            QTRY_COMPARE(gantt->round(), t);
            QVERIFY(gantt->timelineNote().isEmpty());
            lazy.push_back(deferred_timeline::shoot(gantt));
        }
        const long long picked = roundTimelineBuildCount();
        hub->setSelectedRound(3); // the same round again: built once
        QCoreApplication::processEvents();
        QCOMPARE(roundTimelineBuildCount(), picked);

        // The same run with the timeline in every record (stored): the Gantt draws the same.
        panel->storeEventsBox()->setChecked(true);
        QVERIFY(testing::runToEnd(ws, window.document(), rounds, 60'000));
        const qint64 storedRun = controller->runId();
        QVERIFY(!hub->history().find(rounds - 1)->events.empty());
        for (const deferred_timeline::GanttShot &shot : lazy) {
            hub->setSelectedRound(shot.round);
            QTRY_COMPARE(gantt->round(), shot.round);
            const deferred_timeline::GanttShot eager = deferred_timeline::shoot(gantt);
            QCOMPARE(shot.rows, eager.rows);
            QCOMPARE(shot.bars, eager.bars);
            QCOMPARE(shot.summary, eager.summary);
            QVERIFY2(
                shot.image == eager.image, qPrintable(QStringLiteral("round %1").arg(shot.round)));
        }

        // The Gantt out of sight: nothing is built while the run streams.
        panel->storeEventsBox()->setChecked(false);
        ws->dock(QStringLiteral("ganttDock"))->close();
        QCoreApplication::processEvents();
        const long long hidden = roundTimelineBuildCount();
        QVERIFY(testing::runToEnd(ws, window.document(), rounds, 60'000));
        QCoreApplication::processEvents();
        QCOMPARE(roundTimelineBuildCount(), hidden);
        QDockWidget *ganttDock = ws->dock(QStringLiteral("ganttDock"));
        ganttDock->show(); // the missed round is built when it shows
        ganttDock->raise();
        QTRY_COMPARE(gantt->round(), rounds - 1);
        QVERIFY(gantt->barCount() > 0);
        QCOMPARE(roundTimelineBuildCount(), hidden + 1);

        // Only the newest rounds' inputs held: an older round says its timeline is not kept.
        controller->setTimelineBudgetBytes(1);
        hub->setSelectedRound(0);
        QTRY_COMPARE(gantt->round(), 0);
        QVERIFY2(gantt->timelineNote().contains(QStringLiteral("round 0 not kept in memory")),
            qPrintable(gantt->timelineNote()));
        controller->setTimelineBudgetBytes(std::size_t(64) << 20);

        // Replays: the stored timeline is drawn; a run stored without one says so.
        QSignalSpy opened(ws->replay(), &ReplayController::opened);
        QVERIFY(ws->openReplay(db, storedRun, true));
        QVERIFY(opened.wait(30'000));
        ws->replay()->setRoundIndex(2);
        QTRY_VERIFY(gantt->round() == 2 && gantt->barCount() > 0);
        QVERIFY(gantt->timelineNote().isEmpty());
        ws->clearRunViews();
        QVERIFY(ws->openReplay(db, lazyRun, true));
        QVERIFY(opened.wait(30'000));
        ws->replay()->setRoundIndex(2);
        QTRY_VERIFY2(gantt->timelineNote().contains(QStringLiteral("stored without it")),
            qPrintable(gantt->timelineNote()));
        QCOMPARE(gantt->round(), 2);
        // The first hour (guiprobe, 1280 x 800): the whole note was the title's third line, cut
        // at both edges of the Gantt, over a 1-ns time axis. The title names the note in a
        // few words, every line in the plot's width, over the round's latency.
        {
            const QStringList lines = deferred_timeline::ganttTitle(gantt).split(QLatin1Char('\n'));
            QCOMPARE(lines.last(), QStringLiteral("Round 2 has no timeline"));
            const QFontMetrics metrics(deferred_timeline::titleFont(gantt));
            for (const QString &line : lines) {
                QVERIFY2(metrics.horizontalAdvance(line) < gantt->width(), qPrintable(line));
            }
            const RoundRecord *stored = ws->plots()->hub()->history().find(2);
            QVERIFY(stored);
            QVERIFY2(gantt->xAxis->range().upper >= stored->latencyS,
                qPrintable(QString::number(gantt->xAxis->range().upper)));
        }
        ws->replay()->setRoundIndex(4); // every round of it says so
        QTRY_COMPARE(gantt->round(), 4);
        QTRY_VERIFY2(gantt->timelineNote().contains(QStringLiteral("stored without it")),
            qPrintable(gantt->timelineNote()));

        // A timeline that cannot be read (the database went away) says so, with the reason: it
        // is not a run stored without its timeline.
        ws->clearRunViews();
        QVERIFY(ws->openReplay(db, storedRun, true));
        QVERIFY(opened.wait(30'000));
        ws->replay()->setRoundIndex(1);
        QTRY_VERIFY(gantt->round() == 1 && gantt->barCount() > 0);
        QVERIFY(QFile::rename(db, db + QStringLiteral(".moved")));
        ws->replay()->setRoundIndex(3);
        QTRY_COMPARE(gantt->round(), 3);
        QTRY_VERIFY2(gantt->timelineNote().contains(QStringLiteral("could not be read")),
            qPrintable(gantt->timelineNote()));
        QVERIFY2(!gantt->timelineNote().contains(QStringLiteral("stored without it")),
            qPrintable(gantt->timelineNote()));
        QCOMPARE(gantt->barCount(), 0);
        QVERIFY(QFile::rename(db + QStringLiteral(".moved"), db));
    }
};

QTEST_MAIN(TestDeferredTimeline)
#include "tst_deferred_timeline.moc"
