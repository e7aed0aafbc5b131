// SPDX-License-Identifier: MIT
// Issue [7/7] (100,000 devices): the per-device panels (energy, queues, memory) above
// RoundPlot::kDeviceSeriesLimit devices: a bounded number of graphs and items, a legend that
// names the aggregates, and the devices of the clusters picked in the plots' bar.
#include "ui/plots/energy_plot.h"
#include "ui/plots/memory_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/queue_plot.h"
#include "ui_run_fixtures.h"

#include <QLineEdit>
#include <QLocale>
#include <QTest>

using namespace collapipe;
using collapipe::testing::syntheticRound;

namespace {

/// C clusters "c0".."c{C-1}" of K devices "c{n}-d{k}" (budget 1 J each).
Scenario gridScenario(int clusters, int devicesPerCluster)
{
    Scenario s;
    s.topology.clusters.resize(static_cast<std::size_t>(clusters));
    for (int c = 0; c < clusters; ++c) {
        Cluster &cluster = s.topology.clusters[static_cast<std::size_t>(c)];
        cluster.id = QStringLiteral("c%1").arg(c);
        cluster.devices.resize(static_cast<std::size_t>(devicesPerCluster));
        for (int d = 0; d < devicesPerCluster; ++d) {
            cluster.devices[static_cast<std::size_t>(d)].id
                = QStringLiteral("c%1-d%2").arg(c).arg(d);
        }
    }
    return s;
}

/// Round t of gridScenario(): device (c, d) spent 1 + c + d / 100 J; its queue 0.1 t J.
RoundRecord gridRound(int t, int clusters, int devicesPerCluster)
{
    RoundRecord r = syntheticRound(t);
    r.devices.clear();
    r.devices.reserve(static_cast<std::size_t>(clusters * devicesPerCluster));
    for (int c = 0; c < clusters; ++c) {
        for (int d = 0; d < devicesPerCluster; ++d) {
            DeviceRound dev;
            dev.cluster = c;
            dev.device = d;
            dev.deviceId = QStringLiteral("c%1-d%2").arg(c).arg(d);
            dev.energyJ = 1.0 + c + d / 100.0;
            dev.energyQueueJ = 0.1 * t;
            dev.memoryPredictedBytes = 1e9;
            dev.memoryCapacityBytes = 4e9;
            r.devices.push_back(dev);
        }
    }
    return r;
}

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
        // Two clusters; then none: the aggregates only.
        QCOMPARE(view.pickClusters(QStringLiteral("c1, c2 nosuch")), 2);
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
};

QTEST_MAIN(TestPlotDevices)
#include "tst_plot_devices.moc"
