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
};

QTEST_GUILESS_MAIN(TestSeriesBuffer)
#include "tst_series_buffer.moc"
