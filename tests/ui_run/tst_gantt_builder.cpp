// SPDX-License-Identifier: MIT
// "The UI thread never blocks", the Gantt's part: a drawn round (its timeline built from a live
// round's RoundTimelineInputs, its rows laid out, a rect per bar) is built on the Gantt's builder
// thread, never the GUI thread; the plot shows the last complete round until the one asked for
// arrives; after a burst of requests only the newest is drawn (the older results dropped); a
// filter change while a round is being built is not lost; a clear (another run or scenario)
// drops what is on its way, so no stale bars come back.
#include "core/sim/session.h"
#include "ui/plots/cluster_row_filter.h"
#include "ui/plots/gantt_plot.h"
#include "ui_run_fixtures.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace collapipe;

namespace gantt_builder_test {

/// Rounds of `scenario` run by the engine: with their events (`deferred` false) or without them,
/// each with what its events are built from.
struct Rounds
{
    std::vector<SharedRound> records;
    std::vector<std::shared_ptr<const RoundTimelineInputs>> inputs;
};

Rounds runRounds(const Scenario &scenario, int rounds, bool deferred)
{
    Rounds out;
    Session session;
    QString error;
    SessionOptions options;
    options.recordEvents = !deferred;
    options.deferEvents = deferred;
    if (!session.init(scenario, &error, options)) {
        qWarning("%s", qPrintable(error));
        return out;
    }
    for (int t = 0; t < rounds; ++t) {
        RoundRecord r;
        if (!session.runRound(&r, &error)) {
            qWarning("%s", qPrintable(error));
            return out;
        }
        out.records.push_back(shareRound(std::move(r)));
        out.inputs.push_back(session.takeTimelineInputs());
    }
    return out;
}

/// Waits (the event loop running) until the plot has nothing in flight.
bool settle(GanttPlot *gantt)
{
    return QTest::qWaitFor([gantt] { return !gantt->isBuilding(); }, 30'000);
}

} // namespace gantt_builder_test

class TestGanttBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timelineBuiltOffTheGuiThread()
    {
        const Scenario scenario = testing::defaultScenario(3, false);
        const gantt_builder_test::Rounds rounds = gantt_builder_test::runRounds(scenario, 3, true);
        QCOMPARE(int(rounds.records.size()), 3);
        QVERIFY(rounds.records[2]->events.empty());
        QVERIFY(rounds.inputs[2]);
        GanttPlot gantt;
        gantt.setScenario(scenario);
        GanttRequest request;
        request.record = rounds.records[2];
        request.timeline = rounds.inputs[2];
        gantt.showRound(request);
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCOMPARE(gantt.round(), 2);
        QVERIFY(gantt.barCount() > 0);
        // The builder's thread built it, not the GUI thread.
        QVERIFY(QThread::currentThread() == qApp->thread());
        QVERIFY(gantt.lastBuildThread() != nullptr);
        QVERIFY(gantt.lastBuildThread() != QThread::currentThreadId());
        QVERIFY(gantt.builderThread() != qApp->thread());
        QCOMPARE(gantt.timelinesBuilt(), 1);
        // The same round again: its events are not built twice.
        gantt.showRound(request);
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCOMPARE(gantt.timelinesBuilt(), 1);
        // The events equal the engine's own (the round run with its events in the record).
        const gantt_builder_test::Rounds eager = gantt_builder_test::runRounds(scenario, 3, false);
        GanttPlot reference;
        reference.setScenario(scenario);
        reference.setSharedRecord(eager.records[2]);
        QVERIFY(gantt_builder_test::settle(&reference));
        QCOMPARE(reference.barCount(), gantt.barCount());
        QCOMPARE(reference.rowLabels(), gantt.rowLabels());
        QCOMPARE(reference.summary(), gantt.summary());
    }

    void showsTheLastRoundUntilTheNextArrives()
    {
        GanttPlot gantt;
        gantt.setClusterIds({QStringLiteral("c0")});
        gantt.setRecord(testing::syntheticRound(0));
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCOMPARE(gantt.round(), 0);
        const QStringList rows = gantt.rowLabels();
        const int bars = gantt.barCount();
        QVERIFY(bars > 0);
        gantt.setTimelineNote(QStringLiteral("Round 0: a note"));
        QCOMPARE(gantt.timelineNote(), QStringLiteral("Round 0: a note"));
        gantt.setRecord(testing::syntheticRound(1, 5));
        gantt.setTimelineNote(QStringLiteral("Round 1: its own note"));
        // Asked for, not built yet: round 0 stays drawn (no empty frame between rounds), with
        // its own note; round 1's comes with it.
        QVERIFY(gantt.isBuilding());
        QCOMPARE(gantt.timelineNote(), QStringLiteral("Round 0: a note"));
        QCOMPARE(gantt.round(), 0);
        QCOMPARE(gantt.rowLabels(), rows);
        QCOMPARE(gantt.barCount(), bars);
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCOMPARE(gantt.round(), 1);
        QVERIFY(gantt.barCount() > bars);
        QCOMPARE(gantt.timelineNote(), QStringLiteral("Round 1: its own note"));
        gantt.setRecord(testing::syntheticRound(2));
        QVERIFY(gantt_builder_test::settle(&gantt));
        QVERIFY(gantt.timelineNote().isEmpty()); // none given: cleared with the round
    }

    void burstDrawsOnlyTheNewest()
    {
        Scenario scenario = testing::scaleScenarioFromDefault();
        QVERIFY(!scenario.topology.clusters.empty());
        scenario.training.train = false; // the cost model alone
        const gantt_builder_test::Rounds rounds = gantt_builder_test::runRounds(scenario, 6, false);
        QCOMPARE(int(rounds.records.size()), 6);
        GanttPlot gantt;
        gantt.setScenario(scenario);
        QList<int> drawn;
        connect(&gantt, &GanttPlot::rowsChanged, &gantt, [&] { drawn << gantt.round(); });
        const quint64 before = gantt.generation();
        for (const SharedRound &r : rounds.records) { // a replay scrubbed fast
            gantt.setSharedRecord(r);
        }
        QCOMPARE(gantt.generation(), before + rounds.records.size());
        QVERIFY(gantt_builder_test::settle(&gantt));
        // Only the last one asked for was drawn: the one in flight and those it replaced dropped.
        QCOMPARE(drawn, QList<int>{5});
        QCOMPARE(gantt.round(), 5);
        QCOMPARE(gantt.buildsShown(), 1);
        QCOMPARE(gantt.buildsDropped(), int(rounds.records.size()) - 1);
        QVERIFY(gantt.lastBuildThread() != QThread::currentThreadId());

        // A filter change while a round is in flight: the round comes with the filter applied.
        drawn.clear();
        gantt.setSharedRecord(rounds.records[2]);
        gantt.filter()->setPickedClusters({3, 4});
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCOMPARE(gantt.round(), 2);
        QCOMPARE(gantt.shownClusterCount(), 2);
        QCOMPARE(drawn, QList<int>{2});
        // And one while idle lays the shown round out again, off the GUI thread too.
        gantt.filter()->setPickedClusters({});
        QVERIFY(gantt.isBuilding());
        QCOMPARE(gantt.shownClusterCount(), 2); // still the last layout until it arrives
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCOMPARE(gantt.shownClusterCount(), gantt.clusterCount());
        QVERIFY(gantt.lastBuildThread() != QThread::currentThreadId());
    }

    void clearDropsWhatIsOnItsWay()
    {
        Scenario scenario = testing::scaleScenarioFromDefault();
        scenario.training.train = false;
        const gantt_builder_test::Rounds rounds = gantt_builder_test::runRounds(scenario, 2, true);
        QCOMPARE(int(rounds.records.size()), 2);
        GanttPlot gantt;
        gantt.setScenario(scenario);
        GanttRequest request;
        request.record = rounds.records[0];
        request.timeline = rounds.inputs[0];
        gantt.showRound(request);
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCOMPARE(gantt.round(), 0);
        // Another run starts (RunPanel clears the Gantt) while round 1 is being built, and a
        // request made before the clear waits behind it: neither may be drawn afterwards.
        request.record = rounds.records[1];
        request.timeline = rounds.inputs[1];
        gantt.showRound(request);
        gantt.setSharedRecord(rounds.records[1]);
        gantt.clearRound();
        QCOMPARE(gantt.round(), -1);
        QCOMPARE(gantt.rowCount(), 0);
        QCOMPARE(gantt.barCount(), 0);
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCoreApplication::processEvents();
        QCOMPARE(gantt.round(), -1);
        QCOMPARE(gantt.rowCount(), 0);
        QCOMPARE(gantt.barCount(), 0);
        QCOMPARE(gantt.buildsShown(), 1);

        // Another scenario (other cluster ids) clears it the same way.
        gantt.showRound(request);
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCOMPARE(gantt.round(), 1);
        gantt.setSharedRecord(rounds.records[0]);
        gantt.setScenario(testing::defaultScenario(2, false));
        QVERIFY(gantt_builder_test::settle(&gantt));
        QCOMPARE(gantt.round(), -1);
        QCOMPARE(gantt.barCount(), 0);
    }
};

QTEST_MAIN(TestGanttBuilder)
#include "tst_gantt_builder.moc"
