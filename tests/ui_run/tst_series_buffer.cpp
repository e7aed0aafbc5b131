// SPDX-License-Identifier: MIT
#include "ui/plots/round_history.h"
#include "ui/plots/series_buffer.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace collapipe;

class TestSeriesBuffer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendKeepsBothKeysAndPending()
    {
        SeriesBuffer b(10);
        b.append(0, 0.5, 3.0);
        b.append(1, 1.5, -2.0);
        QCOMPARE(b.size(), std::size_t(2));
        QCOMPARE(b.pendingCount(), std::size_t(2));
        QCOMPARE(b.at(1).key(XAxisMode::Round), 1.0);
        QCOMPARE(b.at(1).key(XAxisMode::SimTime), 1.5);
        b.markFlushed();
        QCOMPARE(b.pendingCount(), std::size_t(0));
        b.append(2, 2.5, 1.0);
        QCOMPARE(b.firstPending(), std::size_t(2));
    }

    void nonFiniteValuesAreGaps()
    {
        SeriesBuffer b;
        QVERIFY(!b.append(0, 0, std::numeric_limits<double>::quiet_NaN()));
        QVERIFY(!b.append(1, 1, std::numeric_limits<double>::infinity()));
        QVERIFY(b.isEmpty());
        QVERIFY(!b.valueRange().valid);
    }

    void trimKeepsWindowAndRecomputesRange_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("points");
        QTest::newRow("no trim") << 100 << 50;
        QTest::newRow("trim once") << 100 << 101;
        QTest::newRow("trim many") << 64 << 1000;
    }

    void trimKeepsWindowAndRecomputesRange()
    {
        QFETCH(int, capacity);
        QFETCH(int, points);
        SeriesBuffer b(static_cast<std::size_t>(capacity));
        // Decreasing values: every trim removes the current maximum, forcing a recomputation.
        for (int i = 0; i < points; ++i) {
            b.append(i, i * 0.5, 1000.0 - i);
        }
        QVERIFY(b.size() <= std::size_t(capacity));
        QCOMPARE(b.back().round, double(points - 1));
        QCOMPARE(b.takeTrimmed(), points > capacity);
        QVERIFY(!b.takeTrimmed()); // taken
        const ValueRange r = b.valueRange();
        QVERIFY(r.valid);
        QCOMPARE(r.upper, b.front().value);
        QCOMPARE(r.lower, 1000.0 - (points - 1));
    }

    void lowerBoundFindsKeys()
    {
        SeriesBuffer b;
        for (int i = 0; i < 10; ++i) {
            b.append(i, i * 2.0, i);
        }
        QCOMPARE(b.lowerBound(XAxisMode::Round, 3.0), std::size_t(3));
        QCOMPARE(b.lowerBound(XAxisMode::SimTime, 5.0), std::size_t(3));
        QCOMPARE(b.lowerBound(XAxisMode::Round, 99.0), std::size_t(10));
    }

    void historyIsBoundedAndSorted()
    {
        RoundHistory h(3);
        for (int t = 0; t < 5; ++t) {
            RoundRecord r;
            r.round = t;
            h.append(r);
        }
        QCOMPARE(h.size(), std::size_t(3));
        QVERIFY(h.find(1) == nullptr);
        QVERIFY(h.find(4) != nullptr);
        QCOMPARE(h.latest()->round, 4);
        RoundRecord back;
        back.round = 3; // a replay jumping back replaces the tail
        h.append(back);
        QCOMPARE(h.latest()->round, 3);
        QVERIFY(h.find(4) == nullptr);
    }

    // Issue [7/7]: the history is bounded in bytes. With a timeline budget of three rounds'
    // events, older rounds keep everything but their events; with a total budget, the oldest go.
    void historyKeepsTimelinesWithinItsBudget()
    {
        const auto roundWith = [](int t) {
            RoundRecord r;
            r.round = t;
            r.latencyS = 1.0 + t;
            r.devices.resize(4);
            r.devices[1].energyJ = 10.0 * t;
            r.clusters.resize(2);
            r.events.resize(100);
            r.events.back().endS = t;
            return r;
        };
        const std::size_t timeline = RoundHistory::timelineBytes(roundWith(0));
        const std::size_t compact = RoundHistory::compactBytes(roundWith(0));
        QVERIFY(timeline > 0 && compact > 0);
        RoundHistory h(512, 3 * timeline, 1u << 30);
        for (int t = 0; t < 10; ++t) {
            h.append(roundWith(t));
            QVERIFY(h.heldBytes() <= 3 * timeline + h.size() * compact);
        }
        QCOMPARE(h.size(), std::size_t(10));
        QCOMPARE(h.fullCount(), std::size_t(3));
        for (int t = 0; t < 10; ++t) {
            const RoundRecord *r = h.find(t);
            QVERIFY(r);
            QCOMPARE(h.hasTimeline(t), t >= 7);
            QCOMPARE(r->events.size(), std::size_t(t >= 7 ? 100 : 0));
            // A compact round keeps what the decision table, the canvas and the plots read.
            QCOMPARE(r->latencyS, 1.0 + t);
            QCOMPARE(r->devices.size(), std::size_t(4));
            QCOMPARE(r->devices[1].energyJ, 10.0 * t);
            QCOMPARE(r->clusters.size(), std::size_t(2));
        }
        // A replay jumping back drops whole and compact rounds alike and stays in budget.
        h.append(roundWith(5));
        QCOMPARE(h.size(), std::size_t(6));
        QCOMPARE(h.latest()->events.size(), std::size_t(100));
        QVERIFY(h.hasTimeline(5));

        // The total budget: room for four compact rounds and one timeline.
        RoundHistory small(512, timeline, timeline + 4 * compact);
        for (int t = 0; t < 10; ++t) {
            small.append(roundWith(t));
        }
        QVERIFY(small.heldBytes() <= timeline + 4 * compact);
        QCOMPARE(small.size(), std::size_t(4));
        QCOMPARE(small.records().front()->round, 6);
        QCOMPARE(small.latest()->events.size(), std::size_t(100)); // the newest stays whole
        // Even alone over budget, the newest round is kept.
        RoundHistory tiny(512, 1, 1);
        tiny.append(roundWith(1));
        tiny.append(roundWith(2));
        QCOMPARE(tiny.size(), std::size_t(1));
        QCOMPARE(tiny.latest()->events.size(), std::size_t(100));
    }

    // Shared records: the history holds the caller's round, not a copy of it.
    void historySharesRecords()
    {
        RoundHistory h;
        RoundRecord r;
        r.round = 2;
        r.events.resize(10);
        const SharedRound shared = shareRound(std::move(r));
        h.append(shared);
        QCOMPARE(h.findShared(2).get(), shared.get());
        QCOMPARE(h.find(2), shared.get());
        QVERIFY(!h.findShared(3));
    }
};

QTEST_GUILESS_MAIN(TestSeriesBuffer)
#include "tst_series_buffer.moc"
