// SPDX-License-Identifier: MIT
// Issue [7/7] "The Studio keeps up with the engine", the Gantt's part: an old round of a live run
// whose timeline the history let go says so instead of showing empty lanes; the row names are
// drawn for the rows in sight (not by QCustomPlot for every row on every replot) and keep their
// margin; the fixed time-axis strip stops replotting once its ticks fit (a hidden strip used to
// replot ~120 times a second).
#include "ui/main_window.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/gantt_rows.h"
#include "ui/plots/gantt_view.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/run_workspace.h"
#include "ui_run_fixtures.h"

#include <QLabel>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QScrollBar>
#include <QTest>

using namespace collapipe;
using collapipe::testing::syntheticRound;

namespace gantt_in_sight {

/// A round of one cluster of `devices` devices, each with a forward bar (one row each).
RoundRecord tallRound(int t, int devices)
{
    RoundRecord r = syntheticRound(t);
    r.devices.clear();
    r.events.clear();
    for (int d = 0; d < devices; ++d) {
        DeviceRound dev;
        dev.deviceId = QStringLiteral("device-%1").arg(d);
        dev.device = d;
        dev.stage = d;
        r.devices.push_back(dev);
        r.events.push_back(
            {0, {ResourceKind::Device, d, 0}, EventKind::Forward, 0, d, 0.01 * d, 0.01 * d + 0.5});
    }
    return r;
}

/// Dark (text) pixels of the viewport left of the plot's axis rect.
int labelInk(GanttView *view)
{
    GanttPlot *gantt = view->plot();
    QWidget *viewport = view->scrollArea()->viewport();
    const QImage shown = viewport->grab().toImage();
    const int right = gantt->mapTo(viewport, gantt->axisRect()->rect().topLeft()).x() - 2;
    int ink = 0;
    for (int y = 0; y < shown.height(); ++y) {
        for (int x = 0; x < std::min(right, shown.width()); ++x) {
            ink += qGray(shown.pixel(x, y)) < 110 ? 1 : 0;
        }
    }
    return ink;
}

/// occupancySpans() as it was: every edge as a (time, ±1) pair, all sorted together.
std::vector<LaneSpan> occupancyByEdgeSort(
    const std::vector<std::pair<double, double>> &intervals, GanttLane lane)
{
    std::vector<std::pair<double, int>> edges;
    for (const auto &[start, end] : intervals) {
        if (end > start) {
            edges.emplace_back(start, 1);
            edges.emplace_back(end, -1);
        }
    }
    std::sort(edges.begin(), edges.end());
    std::vector<LaneSpan> spans;
    int busy = 0;
    for (std::size_t i = 0; i < edges.size(); ++i) {
        busy += edges[i].second;
        const double from = edges[i].first;
        const double to = i + 1 < edges.size() ? edges[i + 1].first : from;
        if (busy <= 0 || to <= from) {
            continue;
        }
        if (!spans.empty() && spans.back().busy == busy && spans.back().end >= from) {
            spans.back().end = to;
        } else {
            spans.push_back({from, to, lane, busy});
        }
    }
    return spans;
}

} // namespace gantt_in_sight

class TestGanttInSight : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void droppedTimelineSaysSo()
    {
        MainWindow window;
        RunWorkspace *ws = RunWorkspace::install(&window);
        window.openInitial(QString());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        PlotHub *hub = ws->plots()->hub();
        // Room for two rounds' timelines: the older rounds keep everything but theirs.
        hub->setTimelineBudget(2 * RoundHistory::timelineBytes(syntheticRound(0)));
        const int rounds = 6;
        for (int t = 0; t < rounds; ++t) {
            hub->appendRound(syntheticRound(t));
        }
        hub->flushNow();
        QVERIFY(!hub->history().hasTimeline(0));
        QVERIFY(hub->history().hasTimeline(rounds - 1));
        QVERIFY(hub->timelineDropped(0));
        QVERIFY(!hub->timelineDropped(rounds - 1));
        GanttPlot *gantt = ws->gantt();
        GanttView *view = ws->ganttView();
        QTRY_COMPARE(gantt->round(), rounds - 1);
        QVERIFY(gantt->timelineNote().isEmpty());
        QVERIFY(!view->noteStrip()->isVisibleTo(view));

        hub->setSelectedRound(1); // picked: its timeline is no longer in memory
        QTRY_COMPARE(gantt->round(), 1);
        QVERIFY2(gantt->timelineNote().contains(QStringLiteral("round 1 not kept in memory")),
            qPrintable(gantt->timelineNote()));
        QVERIFY(view->noteStrip()->isVisibleTo(view));
        QCOMPARE(view->noteStrip()->text(), gantt->timelineNote());

        hub->setSelectedRound(rounds - 1); // a round with its timeline: no note
        QTRY_COMPARE(gantt->round(), rounds - 1);
        QVERIFY(gantt->barCount() > 0);
        QVERIFY(gantt->timelineNote().isEmpty());
        QVERIFY(!view->noteStrip()->isVisibleTo(view));
    }

    void rowNamesInSightWithTheirMargin()
    {
        GanttView view;
        view.resize(700, 360);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        GanttPlot *gantt = view.plot();
        const int devices = 80;
        gantt->setRecord(gantt_in_sight::tallRound(0, devices));
        QVERIFY(collapipe::testing::ganttBuilt(gantt));
        QCoreApplication::processEvents();
        gantt->replot();
        QVERIFY(gantt->height() > 3 * view.scrollArea()->viewport()->height());
        // QCustomPlot's own tick labels are off; the margin still holds the widest name.
        QVERIFY(!gantt->yAxis->tickLabels());
        const int widest = QFontMetrics(gantt->yAxis->tickLabelFont())
                               .horizontalAdvance(QStringLiteral("device-79"));
        QVERIFY2(gantt->axisRect()->rect().left() > widest,
            qPrintable(QStringLiteral("axis rect at %1 px, name %2 px")
                           .arg(gantt->axisRect()->rect().left())
                           .arg(widest)));
        QTRY_VERIFY(gantt_in_sight::labelInk(&view) > 0);
        const int left = gantt->axisRect()->rect().left();
        QScrollBar *bar = view.scrollArea()->verticalScrollBar();
        bar->setValue(bar->maximum()); // rows out of sight at the last draw: named when shown
        QTRY_VERIFY(gantt_in_sight::labelInk(&view) > 0);
        QCOMPARE(gantt->axisRect()->rect().left(), left); // scrolling moves no column
        // An export names every row (its top quarter has names too).
        const QImage all = gantt->toPixmap(700, gantt->height()).toImage();
        int ink = 0;
        for (int y = 0; y < all.height() / 4; ++y) {
            for (int x = 0; x < left - 2; ++x) {
                ink += qGray(all.pixel(x, y)) < 110 ? 1 : 0;
            }
        }
        QVERIFY(ink > 0);
    }

    /// The summary lanes' occupancy walks sorted starts and ends (issue #16) instead of sorting
    /// every edge: the same stretches as the edge sort, on intervals sorted or not, with shared
    /// ends, touching and empty intervals.
    void occupancyMatchesTheEdgeSort()
    {
        QRandomGenerator random(16);
        for (int trial = 0; trial < 400; ++trial) {
            std::vector<std::pair<double, double>> intervals;
            const int n = int(random.bounded(40));
            for (int i = 0; i < n; ++i) {
                // Coarse times: many ties between starts and ends.
                const double start = random.bounded(20) * 0.25;
                const double length = random.bounded(6) * 0.25; // 0: an empty interval
                intervals.emplace_back(start, start + length);
            }
            if (trial % 2 == 0) {
                std::sort(intervals.begin(), intervals.end()); // as the Gantt's lanes come
            }
            const auto expected
                = gantt_in_sight::occupancyByEdgeSort(intervals, GanttLane::Transfer);
            const auto got = occupancySpans(intervals, GanttLane::Transfer);
            QCOMPARE(got.size(), expected.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                QCOMPARE(got[i].start, expected[i].start);
                QCOMPARE(got[i].end, expected[i].end);
                QCOMPARE(got[i].busy, expected[i].busy);
                QCOMPARE(got[i].lane, GanttLane::Transfer);
            }
        }
    }

    void timeAxisStripSettles()
    {
        MainWindow window; // the Studio's own layout: the strip hidden until the rows overflow
        RunWorkspace *ws = RunWorkspace::install(&window);
        window.openInitial(QString());
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        GanttView *view = ws->ganttView();
        int stripReplots = 0;
        connect(view->axisStrip(), &QCustomPlot::afterReplot, this, [&] { ++stripReplots; });
        for (const int devices : {2, 120, 2}) { // rows that fit, overflow, fit again
            view->plot()->setRecord(gantt_in_sight::tallRound(0, devices));
            QTest::qWait(200);
            stripReplots = 0;
            QTest::qWait(300); // nothing changes meanwhile: nothing to replot
            QVERIFY2(stripReplots <= 1,
                qPrintable(QStringLiteral("%1 rows: %2 strip replots while idle")
                               .arg(view->plot()->rowCount())
                               .arg(stripReplots)));
        }
        // The case that looped: the strip hidden with no length (as before the dock's first
        // layout), and the Gantt's time range changing (a new round, a zoom). Its tick fit then
        // alternated between two steps, each fit queued another replot: ~700 replots in 0.3 s
        // here with the fix off (visible-only, at most kStripRefitPasses fits per change).
        QVERIFY(!view->axisStrip()->isVisible());
        view->axisStrip()->resize(0, view->axisStrip()->height());
        for (const double end : {1.0, 60.0}) {
            stripReplots = 0;
            view->plot()->xAxis->setRange(0.0, end);
            QTest::qWait(300);
            QVERIFY2(stripReplots <= 1,
                qPrintable(QStringLiteral("hidden strip of no length, range 0–%1 s: %2 replots "
                                          "while idle")
                               .arg(end)
                               .arg(stripReplots)));
        }
    }
};

QTEST_MAIN(TestGanttInSight)
#include "tst_gantt_in_sight.moc"
