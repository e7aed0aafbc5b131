// SPDX-License-Identifier: MIT
#include "core/scenario/scenario_json.h"
#include "core/sim/session.h"
#include "ui/export/plot_export.h"
#include "ui/main_window.h"
#include "ui/plots/axis_ticks.h"
#include "ui/plots/decision_table_model.h"
#include "ui/plots/energy_plot.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/gantt_view.h"
#include "ui/plots/latency_plot.h"
#include "ui/plots/loss_plot.h"
#include "ui/plots/memory_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/queue_plot.h"
#include "ui/run/run_workspace.h"
#include "ui_run_fixtures.h"

#include <QDockWidget>
#include <QFile>
#include <QHash>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace collapipe;
using collapipe::testing::syntheticRound;

class TestPlotHub : public QObject
{
    Q_OBJECT

    Scenario m_campus;
    std::vector<RoundRecord> m_campusRounds;

    /// The bundled campus day and its first 60 cost-only rounds (run once, shared).
    bool campusDay()
    {
        if (!m_campusRounds.empty()) {
            return true;
        }
        std::vector<ScenarioProblem> problems;
        if (!loadScenarioFile(
                QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/campus-day.json"),
                &m_campus, &problems)) {
            return false;
        }
        m_campus.training.train = false;
        Session session;
        QString error;
        if (!session.init(m_campus, &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        std::vector<RoundRecord> rounds(60);
        for (RoundRecord &r : rounds) {
            if (!session.runRound(&r, &error)) {
                qWarning("%s", qPrintable(error));
                return false;
            }
        }
        m_campusRounds = std::move(rounds);
        return true;
    }

private Q_SLOTS:
    void burstOfRoundsIsOneFlush()
    {
        PlotsView view;
        PlotHub *hub = view.hub();
        QSignalSpy flushed(hub, &PlotHub::flushed);
        for (int t = 0; t < 50; ++t) {
            hub->appendRound(syntheticRound(t));
        }
        QVERIFY(hub->hasPending());
        QCOMPARE(view.latencyPlot()->roundCount(), std::size_t(0)); // nothing drawn yet
        QVERIFY(flushed.wait(1000));
        QCOMPARE(flushed.count(), 1);
        QCOMPARE(flushed.first().first().toInt(), 50);
        for (RoundPlot *p : view.panels()) {
            QCOMPARE(p->roundCount(), std::size_t(50));
        }
    }

    /// Watch mode (issue #16): the round after a quiet interval is flushed on the next turn of
    /// the event loop (drawn in the engine's pause after it), not one interval later; a burst
    /// within the interval still goes in one flush. Fast mode keeps waiting.
    void leadingFlushDrawsAPacedRoundAtOnce()
    {
        PlotsView view;
        PlotHub *hub = view.hub();
        hub->setRefreshInterval(60'000); // a trailing flush this test never waits for
        hub->setLeadingFlush(true);
        QSignalSpy flushed(hub, &PlotHub::flushed);
        hub->appendRound(syntheticRound(0));
        QVERIFY(flushed.wait(5000));
        QCOMPARE(flushed.count(), 1);
        for (int t = 1; t < 10; ++t) {
            hub->appendRound(syntheticRound(t));
        }
        QVERIFY(!flushed.wait(300)); // within the interval: coalesced
        QVERIFY(hub->hasPending());
        hub->flushNow();
        QCOMPARE(flushed.count(), 2);
        QCOMPARE(flushed.last().first().toInt(), 9);

        PlotsView fast;
        fast.hub()->setRefreshInterval(60'000);
        QSignalSpy fastFlushed(fast.hub(), &PlotHub::flushed);
        fast.hub()->appendRound(syntheticRound(0));
        QVERIFY(!fastFlushed.wait(300));
        QVERIFY(fast.hub()->hasPending());
    }

    void panelsHoldTheRecordValues()
    {
        PlotsView view;
        std::vector<RoundRecord> rounds;
        for (int t = 0; t < 10; ++t) {
            rounds.push_back(syntheticRound(t));
        }
        view.hub()->appendRounds(rounds);
        view.hub()->flushNow();
        // Latency: the top of the stack is T(t).
        LatencyPlot *lat = view.latencyPlot();
        QCOMPARE(lat->seriesCount(), LatencyPlot::kParts);
        const SeriesBuffer &top
            = lat->seriesBuffer(LatencyPlot::seriesOfPart(LatencyPlot::kParts - 1));
        QCOMPARE(top.size(), std::size_t(10));
        QVERIFY(qAbs(top.at(3).value - rounds[3].latencyS) < 1e-12);
        QCOMPARE(lat->graph(LatencyPlot::seriesOfPart(0))->dataCount(), 10);
        // Queues: one series per device.
        QueuePlot *q = view.queuePlot();
        QCOMPARE(q->seriesCount(), 2);
        QCOMPARE(q->seriesBuffer(1).at(9).value, rounds[9].devices[1].energyQueueJ);
        // Memory: predicted in GB; measured NaN (training off) leaves no point.
        MemoryPlot *mem = view.memoryPlot();
        const int predicted = mem->seriesIndex(QStringLiteral("phone-1"));
        QVERIFY(predicted >= 0);
        QCOMPARE(mem->seriesBuffer(predicted).at(0).value, 2.0);
        QCOMPARE(mem->seriesBuffer(mem->seriesIndex(QStringLiteral("phone-1 measured"))).size(),
            std::size_t(0));
        // Loss every round; accuracy only where measured (t = 4, 9).
        LossPlot *loss = view.lossPlot();
        QCOMPARE(loss->seriesBuffer(0).size(), std::size_t(10));
        QCOMPARE(loss->seriesBuffer(1).size(), std::size_t(2));
    }

    void pickInOnePanelSelectsEverywhere()
    {
        PlotsView view;
        view.resize(1200, 900);
        GanttPlot gantt;
        DecisionTableModel table;
        PlotHub *hub = view.hub();
        connect(hub, &PlotHub::selectedRecordChanged, &gantt, &GanttPlot::setRecord);
        connect(hub, &PlotHub::selectedRecordChanged, &table, &DecisionTableModel::setRecord);
        for (int t = 0; t < 20; ++t) {
            hub->appendRound(syntheticRound(t, 2 + t % 3));
        }
        hub->flushNow();
        QCOMPARE(hub->selectedRound(), 19); // follows the newest round while live
        QSignalSpy picked(hub, &PlotHub::selectedRoundChanged);
        Q_EMIT view.energyPlot()->roundPicked(7);
        QCOMPARE(picked.count(), 1);
        for (RoundPlot *p : view.panels()) {
            QCOMPARE(p->selectedRound(), 7);
        }
        QTRY_COMPARE(gantt.round(), 7); // built off the GUI thread
        QCOMPARE(table.round(), 7);
        QCOMPARE(table.rowCount(), 2);
        QVERIFY(!hub->followLatest()); // a pick stops following
        hub->appendRound(syntheticRound(20));
        hub->flushNow();
        QCOMPARE(hub->selectedRound(), 7);
    }

    void clickPicksNearestRound()
    {
        PlotsView view;
        view.resize(1200, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (int t = 0; t < 30; ++t) {
            view.hub()->appendRound(syntheticRound(t));
        }
        view.hub()->flushNow();
        RoundPlot *plot = view.queuePlot();
        plot->replot();
        const QPoint at(int(plot->xAxis->coordToPixel(12.2)), plot->axisRect()->center().y());
        QSignalSpy spy(plot, &RoundPlot::roundPicked);
        QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().toInt(), 12);
        QCOMPARE(view.latencyPlot()->selectedRound(), 12);
    }

    void simTimeAxisRebuildsKeys()
    {
        PlotsView view;
        for (int t = 0; t < 5; ++t) {
            view.hub()->appendRound(syntheticRound(t));
        }
        view.hub()->flushNow();
        view.hub()->setXAxisMode(XAxisMode::SimTime);
        QCPGraph *g = view.lossPlot()->graph(0);
        QCOMPARE(g->dataCount(), 5);
        QCOMPARE(g->data()->at(2)->key, syntheticRound(2).simTimeS);
        QCOMPARE(view.lossPlot()->roundAt(syntheticRound(3).simTimeS + 0.01), 3);
        view.hub()->setXAxisMode(XAxisMode::Round);
        QCOMPARE(g->data()->at(2)->key, 2.0);
    }

    void capacityTrimsGraphData()
    {
        PlotsView view;
        for (RoundPlot *p : view.panels()) {
            p->setCapacity(100);
        }
        for (int t = 0; t < 400; ++t) {
            view.hub()->appendRound(syntheticRound(t));
            if (t % 37 == 0) {
                view.hub()->flushNow();
            }
        }
        view.hub()->flushNow();
        QCPGraph *g = view.lossPlot()->graph(0);
        QVERIFY2(g->dataCount() <= 100, qPrintable(QString::number(g->dataCount())));
        QCOMPARE(g->dataCount(), int(view.lossPlot()->seriesBuffer(0).size()));
        QCOMPARE(g->data()->at(g->dataCount() - 1)->key, 399.0);
        QCOMPARE(g->data()->at(0)->key, view.lossPlot()->seriesBuffer(0).front().round);
    }

    /// Issue [6/7]: a dropout, a re-plan, a deadline miss and a rejoin are one marker each on
    /// every panel, named in a legend row of their own, placed at their rounds (and times), and
    /// gone when the next run starts.
    void churnMarkersOnEveryPanel()
    {
        PlotsView view;
        std::vector<RoundRecord> rounds;
        for (int t = 0; t < 10; ++t) {
            RoundRecord r = syntheticRound(t);
            r.devices[1].present = t < 2 || t >= 6;      // phone-1 leaves at 2, is back at 6
            r.clusters[0].dropouts = t == 3 ? 1 : 0;     // a mid-round dropout: re-plan
            r.clusters[0].aggregated = t != 4 && t != 8; // over the deadline twice
            rounds.push_back(r);
        }
        // Two batches, as a live run delivers them: the detector keeps who was present.
        view.hub()->appendRounds({rounds.begin(), rounds.begin() + 5});
        view.hub()->flushNow();
        view.hub()->appendRounds({rounds.begin() + 5, rounds.end()});
        view.hub()->flushNow();
        const std::vector<std::pair<ChurnKind, std::vector<int>>> expected
            = {{ChurnKind::Dropout, {2}}, {ChurnKind::Replan, {3}},
                {ChurnKind::DeadlineMiss, {4, 8}}, {ChurnKind::Rejoin, {6}}};
        QCOMPARE(view.panels().size(), 5);
        for (RoundPlot *p : view.panels()) {
            const ChurnMarkers &m = p->churnMarkers();
            QCOMPARE(m.markerCount(), 5);
            for (const auto &[kind, at] : expected) {
                QCOMPARE(m.markerCount(kind), int(at.size()));
            }
            QCOMPARE(int(m.events().size()), 5);
            for (const ChurnEvent &e : m.events()) {
                const auto it = std::find_if(expected.begin(), expected.end(),
                    [&](const auto &x) { return x.first == e.kind; });
                QVERIFY(
                    std::find(it->second.begin(), it->second.end(), e.round) != it->second.end());
            }
            QVERIFY(m.legend());
            QCOMPARE(m.legend()->itemCount(), 4); // one entry per kind, named with its count
            QStringList names;
            for (int i = 0; i < m.legend()->itemCount(); ++i) {
                auto *item = qobject_cast<QCPPlottableLegendItem *>(m.legend()->item(i));
                QVERIFY(item);
                names << item->plottable()->name();
            }
            // Full names, or short ones in a narrow panel (the view is not laid out here).
            const QString joined = names.join(QLatin1Char('|'));
            QVERIFY2(joined == QStringLiteral("dropout ×1|re-plan ×1|deadline miss ×2|rejoin ×1")
                    || joined == QStringLiteral("drop ×1|re-plan ×1|late ×2|back ×1"),
                qPrintable(joined));
            QVERIFY(m.describe(6).join(QLatin1Char(' ')).contains(QStringLiteral("phone-1")));
        }
        // Every legend row fits its panel at the smallest size the view allows (at 1280 x 800 the
        // latency panel cut its churn row by 3 px and its own legend's last entry).
        view.resize(640, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCoreApplication::processEvents();
        for (RoundPlot *p : view.panels()) {
            // QCustomPlot squeezes a row below its minimum when the widget is too short (a
            // legend's entries are then cut): the panel holds each legend row's minimum height.
            const QCPLegend *markers = p->churnMarkers().legend();
            int row = 50; // the axis rect's own minimum
            if (p->legend->visible() && p->legend->layout() == p->plotLayout()) {
                row = std::max(row, p->legend->minimumOuterSizeHint().height());
            }
            QVERIFY2(p->height() >= row + markers->minimumOuterSizeHint().height() + 16,
                qPrintable(p->title()));
        }
        view.hide();
        // The markers follow the x axis: at the round's simulated time in time mode.
        view.hub()->setXAxisMode(XAxisMode::SimTime);
        QCOMPARE(view.latencyPlot()->churnMarkers().markerCount(), 5);
        view.hub()->setXAxisMode(XAxisMode::Round);
        // A new run clears them (and the legend row) on every panel.
        view.hub()->clear();
        for (RoundPlot *p : view.panels()) {
            QCOMPARE(p->churnMarkers().markerCount(), 0);
            QVERIFY(!p->churnMarkers().legend());
            // Title and axis rect again (and a device legend moved below a narrow plot).
            QCOMPARE(p->plotLayout()->rowCount(),
                p->legendPlace() == RoundPlot::LegendPlace::Below ? 3 : 2);
        }
        view.hub()->appendRounds({syntheticRound(0), syntheticRound(1)});
        view.hub()->flushNow();
        for (RoundPlot *p : view.panels()) {
            QCOMPARE(p->churnMarkers().markerCount(), 0);
        }
    }

    /// Issue [7/7] "The Studio keeps up with the engine": every panel ran the churn detector on
    /// every round (~1,000 device lookups each at 100 x 10). The hub now detects once per round
    /// and its panels share the result, whatever their number; a panel without a hub detects
    /// on its own, with the same markers.
    void churnDetectedOncePerRound()
    {
        PlotsView view;
        LatencyPlot extra; // a sixth panel on the same hub
        view.hub()->addPanel(&extra);
        std::vector<RoundRecord> rounds;
        for (int t = 0; t < 8; ++t) {
            RoundRecord r = syntheticRound(t);
            r.devices[1].present = t < 2 || t >= 5; // leaves at 2, back at 5
            rounds.push_back(r);
        }
        const long long before = ChurnDetector::takeCount();
        view.hub()->appendRounds({rounds.begin(), rounds.begin() + 3});
        view.hub()->flushNow();
        view.hub()->appendRounds({rounds.begin() + 3, rounds.end()});
        view.hub()->flushNow();
        QCOMPARE(int(view.hub()->panels().size()), 6);
        QCOMPARE(ChurnDetector::takeCount() - before, 8LL);
        LatencyPlot alone; // no hub: its own detector
        alone.appendRounds(rounds);
        alone.flush();
        QCOMPARE(ChurnDetector::takeCount() - before, 16LL);
        for (const RoundPlot *p : view.hub()->panels()) {
            QCOMPARE(p->churnMarkers().markerCount(ChurnKind::Dropout), 1);
            QCOMPARE(p->churnMarkers().markerCount(ChurnKind::Rejoin), 1);
            QCOMPARE(p->churnMarkers().describe(2), alone.churnMarkers().describe(2));
            QCOMPARE(p->churnMarkers().describe(5), alone.churnMarkers().describe(5));
        }
        // A new run starts from everyone present again, on the hub as on its own.
        view.hub()->clear();
        view.hub()->appendRounds({rounds[3]}); // phone-1 away: a dropout at round 3
        view.hub()->flushNow();
        QCOMPARE(extra.churnMarkers().markerCount(ChurnKind::Dropout), 1);
        QCOMPARE(extra.churnMarkers().events().front().round, 3);
        view.hub()->clear();
    }

    /// The bundled campus day, 60 cost-only rounds through the hub: every panel draws exactly
    /// the run's churn events, counted here from the records themselves.
    void campusDayMarkersMatchTheRun()
    {
        QVERIFY(campusDay());
        const Scenario &s = m_campus;
        const std::vector<RoundRecord> &rounds = m_campusRounds;
        int events = 0;
        QHash<QString, bool> was;
        for (const RoundRecord &r : rounds) {
            bool left = false;
            bool back = false;
            for (const DeviceRound &d : r.devices) {
                left = left || (was.value(d.deviceId, true) && !d.present);
                back = back || (!was.value(d.deviceId, true) && d.present);
                was.insert(d.deviceId, d.present);
            }
            bool replan = false;
            bool late = false;
            for (const ClusterRound &c : r.clusters) {
                replan = replan || c.dropouts > 0;
                late = late || (!c.aggregated && !c.satOut);
            }
            events += int(left) + int(back) + int(replan) + int(late);
        }
        QVERIFY2(events >= 10, qPrintable(QString::number(events)));
        PlotsView view;
        view.hub()->setScenario(s);
        for (const RoundRecord &r : rounds) {
            view.hub()->appendRound(r); // as a live run delivers them
        }
        view.hub()->flushNow();
        for (RoundPlot *p : view.panels()) {
            QCOMPARE(p->churnMarkers().markerCount(), events);
        }
    }

    void tickLabelsNeverOverlap_data()
    {
        QTest::addColumn<QSize>("screen");
        QTest::newRow("1280x800") << QSize(1280, 800);
        QTest::newRow("1600x1000") << QSize(1600, 1000);
    }

    /// 1280 x 800: the device legend beside the energy panels left ~70 px of plot and the round
    /// axis' labels ran together ("0102030405060"). On every panel of a campus-day run, in the
    /// Studio's plots dock at both screen sizes: no two tick labels (x, y or y2) overlap, and the
    /// plot keeps at least 40 % of its panel's width (a legend that would squeeze it goes below).
    void tickLabelsNeverOverlap()
    {
        QFETCH(QSize, screen);
        QVERIFY(campusDay());
        MainWindow window;
        RunWorkspace *ws = RunWorkspace::install(&window);
        window.openInitial(
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/campus-day.json"));
        window.resize(screen);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        PlotsView *view = ws->plots();
        QVERIFY(ws->dock(QStringLiteral("plotsDock"))->isVisible());
        view->hub()->setScenario(m_campus);
        view->hub()->appendRounds(m_campusRounds);
        view->hub()->flushNow();
        for (const XAxisMode mode : {XAxisMode::Round, XAxisMode::SimTime}) {
            view->hub()->setXAxisMode(mode);
            QCoreApplication::processEvents();
            for (RoundPlot *p : view->panels()) {
                p->replot();
            }
            QCoreApplication::processEvents();
            for (RoundPlot *p : view->panels()) {
                const QString where = QStringLiteral("%1 at %2x%3, %4: ")
                                          .arg(p->objectName())
                                          .arg(screen.width())
                                          .arg(screen.height())
                                          .arg(mode == XAxisMode::Round ? QStringLiteral("round")
                                                                        : QStringLiteral("time"));
                QVERIFY2(p->axisRect()->width() >= 0.4 * p->width(),
                    qPrintable(where
                        + QStringLiteral("plot %1 of %2 px")
                              .arg(p->axisRect()->width())
                              .arg(p->width())));
                QList<QRect> labels;
                for (QCPAxis *axis : {p->xAxis, p->yAxis, p->yAxis2}) {
                    const QList<QRect> rects = tickLabelRects(axis);
                    if (axis == p->xAxis || (axis == p->yAxis && p->yAxis->visible())) {
                        QVERIFY2(rects.size() >= 2,
                            qPrintable(where + QStringLiteral("%1 tick labels").arg(rects.size())));
                    }
                    labels += rects;
                }
                for (int i = 0; i < labels.size(); ++i) {
                    for (int j = i + 1; j < labels.size(); ++j) {
                        QVERIFY2(!labels[i].intersects(labels[j]),
                            qPrintable(where
                                + QStringLiteral("labels at %1,%2 and %3,%4 overlap")
                                      .arg(labels[i].x())
                                      .arg(labels[i].y())
                                      .arg(labels[j].x())
                                      .arg(labels[j].y())));
                    }
                }
            }
        }
        view->hub()->setXAxisMode(XAxisMode::Round);
    }

    void ganttRowsBarsAndSummary()
    {
        GanttPlot gantt;
        const RoundRecord r = syntheticRound(3, 4);
        gantt.setRecord(r);
        QVERIFY(collapipe::testing::ganttBuilt(&gantt));
        QCOMPARE(gantt.barCount(), int(r.events.size()));
        // phone-0, the link phone-0→phone-1, phone-1, in pipeline order.
        QCOMPARE(gantt.rowLabels(),
            QStringList({QStringLiteral("phone-0"), QStringLiteral("phone-0→phone-1"),
                QStringLiteral("phone-1")}));
        QVERIFY2(
            gantt.summary().contains(QStringLiteral("bubble 25.0 %")), qPrintable(gantt.summary()));
        QVERIFY(gantt.summary().contains(QStringLiteral("Round 3")));
        gantt.clearRound();
        QCOMPARE(gantt.barCount(), 0);
    }

    void decisionTableColumns()
    {
        DecisionTableModel model;
        model.setRecord(syntheticRound(1));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(DecisionTableModel::ColumnCount));
        const QModelIndex blocks = model.index(1, DecisionTableModel::BlocksColumn);
        QCOMPARE(model.data(blocks).toString(), QStringLiteral("6–11 (6)"));
        QCOMPARE(model.data(blocks, Qt::UserRole).toInt(), 6);
        QCOMPARE(model.data(model.index(0, DecisionTableModel::RateColumn)).toString(),
            QStringLiteral("50 Mbit/s"));
        // The cluster's schedule on each of its rows, with v when interleaved (issue [4/7]).
        RoundRecord r = syntheticRound(1);
        r.clusters[0].schedule = ScheduleKind::Interleaved;
        r.clusters[0].interleave = 3;
        model.setRecord(r);
        const QModelIndex schedule = model.index(1, DecisionTableModel::ScheduleColumn);
        QCOMPARE(model.data(schedule).toString(), QStringLiteral("interleaved v=3"));
        QCOMPARE(model.data(schedule, Qt::UserRole).toString(), QStringLiteral("interleaved"));
        QCOMPARE(model.headerData(DecisionTableModel::ScheduleColumn, Qt::Horizontal).toString(),
            QStringLiteral("schedule"));
        r.clusters[0].schedule = ScheduleKind::ZeroBubbleV;
        model.setRecord(r);
        QCOMPARE(model.data(model.index(0, DecisionTableModel::ScheduleColumn)).toString(),
            QStringLiteral("zb-v"));
    }

    /// In the Gantt view the colour legend is a fixed strip under the rows; an exported Gantt
    /// (a PNG or PDF for a paper) still carries its own legend row.
    void ganttExportKeepsItsLegend()
    {
        QTemporaryDir dir;
        GanttView view;
        view.resize(700, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        GanttPlot *gantt = view.plot();
        gantt->setRecord(syntheticRound(3, 4));
        QVERIFY(collapipe::testing::ganttBuilt(gantt));
        gantt->replot();
        QVERIFY(view.legendStrip()->isVisible());
        QVERIFY(gantt->legend);
        QVERIFY(gantt->legend->layout() != gantt->plotLayout()); // on screen: the strip's
        for (const QString &name : {QStringLiteral("png"), QStringLiteral("pdf")}) {
            QString error;
            QVERIFY2(exportPlot(gantt, dir.filePath(QStringLiteral("gantt.") + name), &error),
                qPrintable(error));
            // The export's layout (QCustomPlot keeps it until the next replot) had the legend.
            QVERIFY2(gantt->legend->layout() == gantt->plotLayout() && gantt->legend->visible(),
                qPrintable(name));
            QVERIFY(!gantt->legend->outerRect().isEmpty());
            QCOMPARE(gantt->legend->itemCount(), int(GanttPlot::legendKinds().size()));
            gantt->replot();
            QVERIFY(gantt->legend->layout() != gantt->plotLayout());
        }
    }

    void exportsPngPdfCsv()
    {
        QTemporaryDir dir;
        PlotsView view;
        view.resize(1000, 800);
        for (int t = 0; t < 10; ++t) {
            view.hub()->appendRound(syntheticRound(t));
        }
        view.hub()->flushNow();
        QString error;
        const QString png = dir.filePath(QStringLiteral("latency.png"));
        QVERIFY2(exportPlot(view.latencyPlot(), png, &error), qPrintable(error));
        QImage image(png);
        QCOMPARE(image.size(), QSize(2100, 1350)); // 7 in × 4.5 in at 300 dpi
        const QString pdf = dir.filePath(QStringLiteral("latency.pdf"));
        QVERIFY2(exportPlot(view.latencyPlot(), pdf, &error), qPrintable(error));
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(4) == "%PDF");
        const QString svg = dir.filePath(QStringLiteral("latency.svg"));
        QVERIFY2(exportPlot(view.latencyPlot(), svg, &error), qPrintable(error));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("<path") || svgText.contains("<polyline"));
        QVERIFY(!exportPlot(view.latencyPlot(), dir.filePath(QStringLiteral("x.bmpx")), &error));
        QVERIFY(error.contains(QStringLiteral("bmpx")));

        DecisionTableModel model;
        model.setRecord(syntheticRound(2));
        const QString csv = dir.filePath(QStringLiteral("decision.csv"));
        QVERIFY2(exportModelCsv(model, csv, &error), qPrintable(error));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csvFile.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith("cluster,device,stage"));
        QVERIFY2(lines[1].contains(",50000000,"), lines[1].constData()); // SI rate, not "50 Mbit/s"
    }
};

QTEST_MAIN(TestPlotHub)
#include "tst_plot_hub.moc"
