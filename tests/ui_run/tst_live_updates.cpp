// SPDX-License-Identifier: MIT
// Issue [7/7] "The Studio keeps up with the engine": a live run's rounds reach the views shared
// (no copy of their timelines), every round reaches the plots however the flushes coalesce them,
// and the tall Gantt draws the rows in sight.
#include "ui/plots/gantt_plot.h"
#include "ui/plots/gantt_view.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/round_plot.h"
#include "ui_run_fixtures.h"

#include <QScrollArea>
#include <QScrollBar>
#include <QTest>

using namespace collapipe;
using collapipe::testing::syntheticRound;

class TestLiveUpdates : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Issue [7/7]: a live run's rounds reach the hub shared. Rounds arriving in bursts between
    // Fast mode's slow flushes all reach every panel, the history holds the very records (no
    // copy), and the selected record handed on is the newest one, shared too.
    void sharedRoundsReachEveryPanelUncopied()
    {
        PlotsView view;
        PlotHub *hub = view.hub();
        hub->setRefreshInterval(250); // Fast mode's pace: many rounds per flush
        std::vector<SharedRound> sent;
        SharedRound selected;
        connect(hub, &PlotHub::selectedSharedChanged, this,
            [&selected](const SharedRound &r) { selected = r; });
        const int rounds = 23;
        for (int t = 0; t < rounds; ++t) {
            sent.push_back(shareRound(syntheticRound(t)));
            hub->appendShared(sent.back());
            if (t % 7 == 6) {
                QTRY_VERIFY(!hub->hasPending()); // the timer flushed the burst
            }
        }
        QTRY_VERIFY(!hub->hasPending());
        for (RoundPlot *p : view.panels()) {
            QVERIFY2(p->graphCount() > 0, qPrintable(p->objectName()));
            QCOMPARE(p->graph(0)->dataCount(), rounds);
            QCOMPARE(p->graph(0)->data()->at(rounds - 1)->key, double(rounds - 1));
        }
        QCOMPARE(int(hub->history().size()), rounds);
        for (int t = 0; t < rounds; ++t) {
            QCOMPARE(hub->history().find(t), sent[std::size_t(t)].get());
        }
        QVERIFY(selected);
        QCOMPARE(selected.get(), sent.back().get());
        QCOMPARE(hub->selectedRound(), rounds - 1);
    }

    /// Issue [7/7]: a tall Gantt draws only the rows in sight (and a margin); rows scrolled into
    /// sight are drawn then, and an export still draws every row.
    void ganttDrawsTheRowsInSight()
    {
        RoundRecord r = syntheticRound(0);
        r.devices.clear();
        r.events.clear();
        const int devices = 80;
        for (int d = 0; d < devices; ++d) {
            DeviceRound dev;
            dev.deviceId = QStringLiteral("dev-%1").arg(d);
            dev.device = d;
            dev.stage = d;
            r.devices.push_back(dev);
            r.events.push_back({0, {ResourceKind::Device, d, 0}, EventKind::Forward, 0, d, 0.01 * d,
                0.01 * d + 0.5});
        }
        GanttView view;
        view.resize(700, 360);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        GanttPlot *gantt = view.plot();
        gantt->setRecord(r);
        QVERIFY(collapipe::testing::ganttBuilt(gantt));
        QCoreApplication::processEvents();
        gantt->replot();
        QVERIFY2(gantt->rowCount() >= devices, qPrintable(QString::number(gantt->rowCount())));
        QVERIFY(gantt->height() > 3 * view.scrollArea()->viewport()->height());
        const auto forwardPixels = [&view] {
            const QImage shown = view.scrollArea()->viewport()->grab().toImage();
            const QRgb forward = GanttPlot::kindColor(EventKind::Forward).rgb();
            int n = 0;
            for (int y = 0; y < shown.height(); ++y) {
                for (int x = 0; x < shown.width(); ++x) {
                    n += shown.pixel(x, y) == forward ? 1 : 0;
                }
            }
            return n;
        };
        QVERIFY(forwardPixels() > 0);
        // The bottom rows were out of sight at the last draw: scrolled to, they are drawn.
        QScrollBar *bar = view.scrollArea()->verticalScrollBar();
        bar->setValue(bar->maximum());
        QTRY_VERIFY(forwardPixels() > 0);
        // An export lays out and draws every row, whatever is in sight.
        const QPixmap all = gantt->toPixmap(700, gantt->height());
        const QImage image = all.toImage();
        const QRgb forward = GanttPlot::kindColor(EventKind::Forward).rgb();
        int top = 0;
        for (int y = 0; y < image.height() / 4; ++y) {
            for (int x = 0; x < image.width(); ++x) {
                top += image.pixel(x, y) == forward ? 1 : 0;
            }
        }
        QVERIFY(top > 0);
        // Scrolled back up after the export: the top rows are drawn again on screen.
        bar->setValue(0);
        QTRY_VERIFY(forwardPixels() > 0);
    }
};

QTEST_MAIN(TestLiveUpdates)
#include "tst_live_updates.moc"
