// SPDX-License-Identifier: MIT
// Issue [7/7] (100,000 devices): the per-device panels (energy, queues, memory) above
// RoundPlot::kDeviceSeriesLimit devices: a bounded number of graphs and items, a legend that
// names the aggregates, and the devices of the clusters picked in the plots' bar.
#include "ui/plots/energy_plot.h"
#include "ui/plots/memory_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/queue_plot.h"
#include "ui/plots/reference_legend_item.h"
#include "ui_run_fixtures.h"

#include <QLineEdit>
#include <QLocale>
#include <QTest>

using namespace collapipe;
using collapipe::testing::gridRound;
using collapipe::testing::gridScenario;

namespace {

QStringList legendNames(QCustomPlot *plot)
{
    QStringList names;
    for (int i = 0; i < plot->legend->itemCount(); ++i) {
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i))) {
            names << item->plottable()->name();
        }
    }
    return names;
}

} // namespace

class TestPlotDevices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /// Issue [7/7] (100,000 devices): above RoundPlot::kDeviceSeriesLimit devices the energy,
    /// queue and memory panels hold a fixed number of graphs and items whatever the device count
    /// (before: one graph and one budget line per device, created and deleted in quadratic time).
    void manyDevicesDrawBoundedAggregates_data()
    {
        QTest::addColumn<int>("clusters");
        QTest::addColumn<int>("perCluster");
        QTest::newRow("5 x 10") << 5 << 10;
        QTest::newRow("100 x 10") << 100 << 10;
        QTest::newRow("2000 x 10") << 2000 << 10;
    }
    void manyDevicesDrawBoundedAggregates()
    {
        QFETCH(int, clusters);
        QFETCH(int, perCluster);
        const int devices = clusters * perCluster;
        QVERIFY(devices > RoundPlot::kDeviceSeriesLimit);
        PlotsView view;
        view.hub()->setScenario(gridScenario(clusters, perCluster));
        for (int t = 0; t < 3; ++t) {
            view.hub()->appendRound(gridRound(t, clusters, perCluster));
        }
        view.hub()->flushNow();
        const QString n = QLocale().toString(devices);
        for (RoundPlot *p : {static_cast<RoundPlot *>(view.energyPlot()),
                 static_cast<RoundPlot *>(view.queuePlot()),
                 static_cast<RoundPlot *>(view.memoryPlot())}) {
            QVERIFY2(p->aggregatesDevices(), qPrintable(p->objectName()));
            QCOMPARE(p->seriesCount(), 3);
            QCOMPARE(p->graphCount(), 3);
            // Cursor, "no data yet", one budget / capacity line at most: not one per device.
            QVERIFY2(p->itemCount() <= 4, qPrintable(QString::number(p->itemCount())));
            // The legend names what is drawn, and is shown.
            const QStringList names = legendNames(p);
            QVERIFY2(names.contains(QStringLiteral("mean of %1 devices").arg(n)),
                qPrintable(names.join(QLatin1Char('|'))));
            QVERIFY(names.contains(QStringLiteral("max of %1 devices").arg(n)));
            QVERIFY(names.contains(QStringLiteral("min–max band, %1 devices").arg(n)));
            QVERIFY(p->legend->visible());
            QCOMPARE(p->seriesBuffer(0).size(), std::size_t(3));
        }
        // Energy: device (c, d) spent 1 + c + d/100 J: min, max and mean over all devices.
        EnergyPlot *e = view.energyPlot();
        const int mean = e->seriesIndex(QStringLiteral("mean of %1 devices").arg(n));
        const int max = e->seriesIndex(QStringLiteral("max of %1 devices").arg(n));
        const int band = e->seriesIndex(QStringLiteral("min–max band, %1 devices").arg(n));
        QVERIFY(qAbs(e->seriesBuffer(band).at(0).value - 1.0) < 1e-9);
        QVERIFY(
            qAbs(e->seriesBuffer(max).at(0).value - (clusters + (perCluster - 1) / 100.0)) < 1e-9);
        const double expectedMean = 1.0 + (clusters - 1) / 2.0 + (perCluster - 1) / 200.0;
        QVERIFY(qAbs(e->seriesBuffer(mean).at(0).value - expectedMean) < 1e-9);
        QVERIFY(e->graph(band)->channelFillGraph() == e->graph(max));
    }

    /// Up to the limit a series per device, as before.
    void fewDevicesKeepASeriesEach()
    {
        PlotsView view;
        view.hub()->setScenario(gridScenario(4, 12)); // 48 devices
        view.hub()->appendRound(gridRound(0, 4, 12));
        view.hub()->flushNow();
        QVERIFY(!view.energyPlot()->aggregatesDevices());
        QCOMPARE(view.energyPlot()->seriesCount(), 48);
        QCOMPARE(view.queuePlot()->seriesCount(), 48);
        QVERIFY(view.energyPlot()->seriesIndex(QStringLiteral("c3-d11")) >= 0);
        // Another scenario drops the previous one's series.
        view.hub()->setScenario(gridScenario(1, 2));
        QCOMPARE(view.energyPlot()->seriesCount(), 2);
        QCOMPARE(view.energyPlot()->graphCount(), 2);
    }

    /// Picking a cluster adds its devices' series (back-filled from the hub's history); the
    /// aggregates stay; clearing the pick removes them.
    void pickingAClusterShowsItsDevices()
    {
        PlotsView view;
        view.hub()->setScenario(gridScenario(100, 10));
        QVERIFY(view.clusterPick()->isEnabled());
        for (int t = 0; t < 4; ++t) {
            view.hub()->appendRound(gridRound(t, 100, 10));
        }
        view.hub()->flushNow();
        QCOMPARE(view.pickClusters(QStringLiteral("C17")), 1);
        EnergyPlot *e = view.energyPlot();
        QCOMPARE(e->seriesCount(), 3 + 10);
        QCOMPARE(e->pickedSeriesCount(), 10);
        for (int d = 0; d < 10; ++d) {
            const int s = e->seriesIndex(QStringLiteral("c17-d%1").arg(d));
            QVERIFY(s >= 3);
            QCOMPARE(e->seriesBuffer(s).size(), std::size_t(4)); // the rounds before the pick
            QVERIFY(qAbs(e->seriesBuffer(s).at(2).value - (18.0 + d / 100.0)) < 1e-12);
        }
        QVERIFY(legendNames(e).contains(QStringLiteral("c17-d9")));
        QCOMPARE(view.queuePlot()->pickedSeriesCount(), 10);
        QCOMPARE(view.memoryPlot()->pickedSeriesCount(), 10);
        view.hub()->appendRound(gridRound(4, 100, 10));
        view.hub()->flushNow();
        QCOMPARE(e->seriesBuffer(e->seriesIndex(QStringLiteral("c17-d0"))).size(), std::size_t(5));
        // A token that names no cluster: an error naming it, the pick as it was.
        QCOMPARE(view.pickClusters(QStringLiteral("c1, c2 nosuch")), -1);
        QVERIFY2(
            view.pickError().contains(QStringLiteral("\"nosuch\"")), qPrintable(view.pickError()));
        QCOMPARE(e->pickedSeriesCount(), 10);
        QVERIFY(e->seriesIndex(QStringLiteral("c17-d0")) >= 0);
        // Two clusters (a range); then none: the aggregates only.
        QCOMPARE(view.pickClusters(QStringLiteral("c1..c2")), 2);
        QVERIFY(view.pickError().isEmpty());
        QCOMPARE(e->seriesCount(), 3 + 20);
        QCOMPARE(e->seriesIndex(QStringLiteral("c17-d0")), -1);
        QCOMPARE(view.pickClusters(QString()), 0);
        QCOMPARE(e->seriesCount(), 3);
        QCOMPARE(e->graphCount(), 3);
        // A pick is capped: the legend still names every series.
        view.pickClusters(QStringLiteral("c0 c1 c2 c3 c4 c5 c6 c7 c8 c9"));
        QVERIFY(e->pickedSeriesCount() <= RoundPlot::kDeviceSeriesLimit - 3);
        QVERIFY(e->legend->visible());
    }

    /// Above kDeviceSeriesLimit devices the memory panel shows used against available per
    /// device: each device's prediction as a share of its own capacity, the 100 % limit, the
    /// unit on the axis, every curve and the limit named in the legend.
    void aggregateMemoryShowsUseAgainstCapacity()
    {
        PlotsView view;
        view.hub()->setScenario(gridScenario(100, 10));
        for (int t = 0; t < 3; ++t) {
            RoundRecord r = gridRound(t, 100, 10);
            r.devices[5].memoryPredictedBytes = 5e9; // over its 4 GB
            view.hub()->appendRound(r);
        }
        view.hub()->flushNow();
        MemoryPlot *m = view.memoryPlot();
        QVERIFY(m->aggregatesDevices());
        QVERIFY2(m->yAxis->label().contains(QLatin1Char('%')), qPrintable(m->yAxis->label()));
        const QString n = QLocale().toString(1000);
        const int max = m->seriesIndex(QStringLiteral("max of %1 devices").arg(n));
        const int band = m->seriesIndex(QStringLiteral("min–max band, %1 devices").arg(n));
        QCOMPARE(m->seriesBuffer(max).at(0).value, 125.0); // 5 of 4 GB
        QCOMPARE(m->seriesBuffer(band).at(0).value, 25.0); // 1 of 4 GB
        QStringList named;
        for (int i = 0; i < m->legend->itemCount(); ++i) {
            if (auto *ref = qobject_cast<ReferenceLegendItem *>(m->legend->item(i))) {
                named << ref->name();
            }
        }
        QCOMPARE(named, QStringList{QStringLiteral("limit: each device's memory")});
        QVERIFY(m->yAxis->range().contains(100.0) && m->yAxis->range().contains(125.0));
        QVERIFY(m->title().contains(QLatin1Char('%')));
        // Back to a few devices: GB again, no limit entry left in the legend.
        view.hub()->setScenario(gridScenario(1, 2));
        QVERIFY(m->yAxis->label().startsWith(QStringLiteral("GB")));
        for (int i = 0; i < m->legend->itemCount(); ++i) {
            QVERIFY(!qobject_cast<ReferenceLegendItem *>(m->legend->item(i)));
        }
    }

    /// A skewed energy band (a few devices spend far more than the rest) goes logarithmic on
    /// its own when max > RoundPlot::kLogSpanRatio × the smallest positive value; the panel's
    /// menu can force either scale.
    void skewedEnergyGoesLogarithmic_data()
    {
        QTest::addColumn<int>("clusters");
        QTest::addColumn<double>("topJ");
        QTest::addColumn<bool>("log");
        QTest::newRow("aggregates, 500x") << 100 << 500.0 << true;
        QTest::newRow("aggregates, 50x") << 100 << 50.0 << false;
        QTest::newRow("a series per device, 500x") << 3 << 500.0 << true;
        QTest::newRow("a series per device, 50x") << 3 << 50.0 << false;
        QTest::newRow("a series per device, 5x") << 3 << 5.0 << false;
    }
    void skewedEnergyGoesLogarithmic()
    {
        QFETCH(int, clusters);
        QFETCH(double, topJ);
        QFETCH(bool, log);
        PlotsView view;
        view.hub()->setScenario(gridScenario(clusters, 10));
        for (int t = 0; t < 3; ++t) {
            RoundRecord r = gridRound(t, clusters, 10);
            for (DeviceRound &d : r.devices) {
                d.energyJ = d.device == 0 ? topJ : 1.0; // one device per cluster spends more
            }
            r.devices[1].energyJ = 0.0; // sat the round out: no say in the log axis' range
            view.hub()->appendRound(r);
        }
        view.hub()->flushNow();
        EnergyPlot *e = view.energyPlot();
        QVERIFY(e->offersLogScale());
        QCOMPARE(e->valueAxisIsLog(), log);
        QCOMPARE(e->yAxis->label().contains(QStringLiteral("log")), log);
        QVERIFY(e->yAxis->label().startsWith(QLatin1Char('J'))); // the unit stays
        if (log) {
            QVERIFY(e->yAxis->range().lower > 0.0 && e->yAxis->range().lower < 1.0);
            QVERIFY(e->yAxis->range().upper > topJ);
        }
        e->setValueScale(RoundPlot::ValueScale::Linear);
        QVERIFY(!e->valueAxisIsLog());
        QCOMPARE(e->yAxis->label(), QStringLiteral("J"));
        QCOMPARE(e->yAxis->range().lower, 0.0);
        e->setValueScale(RoundPlot::ValueScale::Log);
        QVERIFY(e->valueAxisIsLog());
        // Decade ticks even when the data span less than two decades (QCPAxisTickerLog falls
        // back to linear steps below 1.6 decades: labels bunched at the top of a log axis).
        QVERIFY2(e->yAxis->range().upper / e->yAxis->range().lower >= 50.0,
            qPrintable(QStringLiteral("%1 … %2")
                           .arg(e->yAxis->range().lower)
                           .arg(e->yAxis->range().upper)));
        e->setValueScale(RoundPlot::ValueScale::Auto);
        QCOMPARE(e->valueAxisIsLog(), log);
        // Panels that may hold zeros or negatives never go logarithmic.
        QVERIFY(!view.queuePlot()->offersLogScale() && !view.queuePlot()->valueAxisIsLog());
        QVERIFY(!view.memoryPlot()->offersLogScale());
    }
};

QTEST_MAIN(TestPlotDevices)
#include "tst_plot_devices.moc"
