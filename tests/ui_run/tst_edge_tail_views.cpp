// SPDX-License-Identifier: MIT
// Edge offload made visible: when a cluster's edge server runs an encoder tail (EdgeTail), the
// canvas chip at the server, the decision table's edge row and the Gantt's edge row name its
// blocks; without a tail none of them does. And the memory plot keeps its two widths apart:
// profiled prediction vs capacity in GB, trainer-width prediction vs measured in MB.
// Issue [7/7]: cluster summary rows (their churn and deadline marks, a click opens and closes
// them) and the cluster filter bar; the Gantt keeps a run's resources across rounds.
#include "core/scenario/scenario_json.h"
#include "core/sim/session.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"
#include "ui/model/topology_document.h"
#include "ui/plots/cluster_filter_bar.h"
#include "ui/plots/cluster_row_filter.h"
#include "ui/plots/decision_table_model.h"
#include "ui/plots/decision_tree_model.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/gantt_row_cache.h"
#include "ui/plots/gantt_rows.h"
#include "ui/plots/memory_plot.h"
#include "ui/run/churn_status_label.h"
#include "ui_run_fixtures.h"

#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QtTest>

#include <cmath>

using namespace collapipe;

namespace {

DeviceRound device(int cluster, const QString &id, int stage, int first, int last)
{
    DeviceRound d;
    d.cluster = cluster;
    d.deviceId = id;
    d.stage = stage;
    d.firstBlock = first;
    d.lastBlock = last;
    d.microbatches = stage >= 0 ? 2 : 0;
    d.memoryPredictedBytes = stage >= 0 ? 2e9 : 0.0;
    d.memoryCapacityBytes = 4e9;
    return d;
}

/// default.json's c1 (index 0) offloads blocks 6–11 to bs1 after c1-d4 (0–3) and c1-d5 (4–5);
/// c2 (index 1) is a plain pipeline over all 12 blocks.
RoundRecord tailRound()
{
    RoundRecord r;
    r.round = 5;
    r.latencyS = 3.0;
    ClusterRound c1;
    c1.cluster = 0;
    c1.microbatches = 2;
    c1.edgeFirstBlock = 6;
    c1.edgeLastBlock = 11;
    c1.edgeMemoryBytes = 3.5e9;
    ClusterRound c2;
    c2.cluster = 1;
    c2.microbatches = 4;
    r.clusters = {c1, c2};
    r.devices = {device(0, QStringLiteral("c1-d4"), 0, 0, 3),
        device(0, QStringLiteral("c1-d5"), 1, 4, 5), device(0, QStringLiteral("c1-d1"), -1, -1, -1),
        device(1, QStringLiteral("c2-d1"), 0, 0, 11)};
    return r;
}

bool loadDefault(TopologyDocument *document)
{
    QString error;
    const bool ok = document->load(
        QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json"), &error);
    if (!ok) {
        qWarning("%s", qPrintable(error));
    }
    return ok;
}

} // namespace

class TestEdgeTailViews : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void canvasChipAtTheEdgeServer()
    {
        TopologyDocument document;
        QVERIFY(loadDefault(&document));
        TopologyScene scene(&document);
        scene.showRound(tailRound());
        const EdgeRunBadge *badge = scene.runOverlay()->edgeBadge(QStringLiteral("bs1"));
        QVERIFY(badge);
        QVERIFY(badge->isVisible());
        QCOMPARE(badge->lines(), QStringList{QStringLiteral("Campus cafe: blocks 6–11")});
        QVERIFY2(badge->toolTip().contains(QStringLiteral("blocks 6–11 (6)")),
            qPrintable(badge->toolTip()));
        QVERIFY(badge->boundingRect().width() > 0.0);
        // default.json's clusters lie up-left, right and below bs1: the chip goes left, clear.
        QCOMPARE(badge->side(), EdgeRunBadge::Side::Left);
        QVERIFY(badge->boundingRect().right() < 0.0);

        // A round without any tail: the chip goes away, and comes back with the next tail.
        RoundRecord plain = tailRound();
        plain.clusters[0].edgeFirstBlock = plain.clusters[0].edgeLastBlock = -1;
        plain.devices[1].lastBlock = 11;
        scene.showRound(plain);
        QVERIFY(!badge->isVisible());
        QVERIFY(badge->lines().isEmpty());
        scene.showRound(tailRound());
        QVERIFY(badge->isVisible());
        scene.clearRound();
        QVERIFY(!badge->isVisible());
    }

    void decisionTableEdgeRow()
    {
        DecisionTableModel model;
        model.setClusterIds({QStringLiteral("c1"), QStringLiteral("c2")});
        model.setRecord(tailRound());
        // Four device rows and one edge row, right after c1's last device row.
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(int(model.devices().size()), 4);
        QVERIFY(model.isEdgeRow(3));
        for (int row : {0, 1, 2, 4}) {
            QVERIFY(!model.isEdgeRow(row));
        }
        auto text = [&model](int row, int column) {
            return model.data(model.index(row, column)).toString();
        };
        QCOMPARE(text(3, DecisionTableModel::DeviceColumn), QStringLiteral("edge server"));
        QCOMPARE(text(3, DecisionTableModel::ClusterColumn), QStringLiteral("c1")); // the id
        QCOMPARE(text(3, DecisionTableModel::BlocksColumn), QStringLiteral("6–11 (6) + head"));
        QCOMPARE(text(3, DecisionTableModel::MemoryColumn), QStringLiteral("3.5 GB"));
        QCOMPARE(text(3, DecisionTableModel::PowerColumn), QString()); // blank, not "—"
        QCOMPARE(
            model.data(model.index(3, DecisionTableModel::BlocksColumn), Qt::UserRole).toInt(), 6);
        QCOMPARE(text(4, DecisionTableModel::DeviceColumn), QStringLiteral("c2-d1"));

        // Without a tail there is no edge row; without its memory the cell stays blank.
        RoundRecord noMemory = tailRound();
        noMemory.clusters[0].edgeMemoryBytes = kNotMeasured;
        model.setRecord(noMemory);
        QCOMPARE(text(3, DecisionTableModel::MemoryColumn), QString());
        model.setRecord(testing::syntheticRound(1));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(!model.isEdgeRow(0) && !model.isEdgeRow(1));
    }

    void decisionTableMarksChurn()
    {
        // Issue [6/7]: an absent device reads "away"; a cluster left out of FedAvg or hit by a
        // mid-round dropout is marked in the cluster column and explained in its tooltip.
        RoundRecord r = tailRound();
        r.devices[1].present = false;
        r.clusters[0].dropouts = 1;
        r.clusters[0].lostS = 0.5;
        r.clusters[0].recoveryS = 0.25;
        r.clusters[1].aggregated = false;
        DecisionTableModel model;
        model.setClusterIds({QStringLiteral("c1"), QStringLiteral("c2")});
        model.setRecord(r);
        auto text = [&model](int row, int column, int role = Qt::DisplayRole) {
            return model.data(model.index(row, column), role).toString();
        };
        QCOMPARE(text(1, DecisionTableModel::StageColumn), QStringLiteral("away"));
        QCOMPARE(text(0, DecisionTableModel::ClusterColumn), QStringLiteral("c1 ⟳1"));
        QCOMPARE(text(0, DecisionTableModel::ClusterColumn, Qt::UserRole), QStringLiteral("c1"));
        QVERIFY(text(0, DecisionTableModel::ClusterColumn, Qt::ToolTipRole)
                    .contains(QStringLiteral("0.5 s of work lost, 0.25 s recovery")));
        QCOMPARE(text(4, DecisionTableModel::ClusterColumn), QStringLiteral("c2 ✕ late"));
        QVERIFY(text(4, DecisionTableModel::ClusterColumn, Qt::ToolTipRole)
                    .contains(QStringLiteral("left out of this round's FedAvg")));
        QCOMPARE(model.data(model.index(4, DecisionTableModel::DeviceColumn), Qt::ForegroundRole)
                     .value<QColor>(),
            QColor(Qt::gray));
        r.clusters[1].satOut = true;
        r.clusters[1].satOutReason = QStringLiteral("infeasible: cluster c2: memory");
        model.setRecord(r);
        QCOMPARE(text(4, DecisionTableModel::ClusterColumn), QStringLiteral("c2 ✕ sat out"));
        QVERIFY(text(4, DecisionTableModel::ClusterColumn, Qt::ToolTipRole)
                    .contains(QStringLiteral("(infeasible: cluster c2: memory)")));
        // The run dock's line counts the clusters left out and says why the last one sat out.
        ChurnStatusLabel label(nullptr);
        label.addRound(r);
        QCOMPARE(label.satOutClusterRounds(), 1);
        QCOMPARE(label.lateClusterRounds(), 0);
        QVERIFY(!label.isHidden());
        QVERIFY2(label.text().contains(QStringLiteral("1 cluster-round(s) sat out"))
                && label.text().contains(QStringLiteral("infeasible: cluster c2: memory")),
            qPrintable(label.text()));
        r.clusters[0].aggregated = false; // nobody aggregated this round
        label.addRound(r);
        QCOMPARE(label.roundsWithoutAggregation(), 1);
        QCOMPARE(label.lateClusterRounds(), 1);
        label.reset();
        QVERIFY(label.isHidden());
        QCOMPARE(label.satOutClusterRounds(), 0);
    }

    void clusterSummaryRowsMarkChurn()
    {
        // Issue [7/7] with [6/7]: the cluster's summary row (decision table and Gantt) says what
        // churn and the deadline did: re-planned after a dropout, late, sat out.
        RoundRecord r = tailRound();
        r.clusters[0].dropouts = 1;
        r.clusters[0].lostS = 0.5;
        r.clusters[0].recoveryS = 0.25;
        r.clusters[1].aggregated = false;
        ClusterRound c3;
        c3.cluster = 2;
        c3.satOut = true;
        c3.aggregated = false;
        r.clusters.push_back(c3);
        r.devices.push_back(device(2, QStringLiteral("c3-d1"), -1, -1, -1));
        r.devices.back().present = false;
        r.devices[0].bandwidthShare = 0.25;
        r.devices[1].bandwidthShare = 0.75;
        r.devices[0].powerW = 0.1;
        r.devices[1].powerW = 0.2;
        const QStringList ids{QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c3")};
        DecisionTableModel model;
        ClusterRowFilter filter;
        DecisionTreeModel tree(&model, &filter);
        model.setClusterIds(ids);
        filter.setClusterIds(ids);
        model.setRecord(r);
        QCOMPARE(tree.rowCount(), 3);
        auto text = [&tree](int row, int column, int role = Qt::DisplayRole) {
            return tree.data(tree.index(row, column), role).toString();
        };
        const int status = DecisionTreeModel::statusColumn();
        QCOMPARE(text(0, status), QStringLiteral("⟳1 re-planned (+0.75 s)"));
        QCOMPARE(text(1, status), QStringLiteral("late: not in FedAvg"));
        QCOMPARE(text(2, status), QStringLiteral("sat out"));
        QVERIFY(text(0, status, Qt::ToolTipRole).contains(QStringLiteral("then re-planned")));
        QCOMPARE(
            tree.headerData(status, Qt::Horizontal).toString(), QStringLiteral("round status"));
        QCOMPARE(text(0, DecisionTableModel::ClusterColumn), QStringLiteral("c1 ⟳1"));
        QCOMPARE(text(2, DecisionTableModel::ClusterColumn), QStringLiteral("c3 ✕ sat out"));
        // c1's summary: 2 of its 3 devices hold blocks 0–5, the edge 6–11; Σβ, Σp.
        QCOMPARE(
            text(0, DecisionTableModel::DeviceColumn), QStringLiteral("2 of 3 devices + edge"));
        QCOMPARE(text(0, DecisionTableModel::BlocksColumn), QStringLiteral("0–5 · edge 6–11"));
        QCOMPARE(text(0, DecisionTableModel::MicrobatchesColumn), QStringLiteral("2"));
        QCOMPARE(text(0, DecisionTableModel::BandwidthColumn), QStringLiteral("Σ 100.0 %"));
        QCOMPARE(text(0, DecisionTableModel::PowerColumn), QStringLiteral("Σ 0.3 W"));
        // Its children: the three devices and the edge row, as the flat table has them.
        const QModelIndex c1 = tree.index(0, 0);
        QCOMPARE(tree.rowCount(c1), 4);
        QCOMPARE(tree.data(tree.index(3, DecisionTableModel::DeviceColumn, c1)).toString(),
            QStringLiteral("edge server"));
        QCOMPARE(tree.rowCount(tree.index(0, status)), 0); // only column 0 has children

        // The Gantt's summary rows carry the same marks; busy spans merge.
        r.events = {{0, {ResourceKind::Device, 0, 0}, EventKind::Forward, 0, 0, 0.0, 1.0},
            {0, {ResourceKind::Device, 1, 0}, EventKind::Forward, 0, 1, 0.5, 1.2},
            {1, {ResourceKind::Device, 0, 0}, EventKind::Forward, 0, 0, 1.5, 2.0}};
        GanttPlot gantt;
        gantt.setClusterIds(ids);
        gantt.setRecord(r);
        QVERIFY(collapipe::testing::ganttBuilt(&gantt));
        QCOMPARE(gantt.clusterCount(), 3); // c3 has no events but a row (it sat out)
        QStringList summaries;
        for (int row = 0; row < gantt.rowCount(); ++row) {
            if (gantt.isSummaryRow(row)) {
                summaries << gantt.rowLabels().at(row);
            }
        }
        QCOMPARE(summaries.size(), 3);
        QVERIFY2(summaries[0].startsWith(QStringLiteral("c1 "))
                && summaries[0].endsWith(QStringLiteral("⟳1")),
            qPrintable(summaries[0]));
        QVERIFY2(summaries[1].endsWith(QStringLiteral("✕ late")), qPrintable(summaries[1]));
        QVERIFY2(summaries[2].endsWith(QStringLiteral("✕ sat out")), qPrintable(summaries[2]));
        // A click on a summary row (not a drag) closes its cluster; another opens it again.
        gantt.resize(600, 400);
        gantt.replot();
        const int open = gantt.rowCount();
        const QPoint c1Summary(
            int(gantt.xAxis->coordToPixel(0.5)), int(gantt.yAxis->coordToPixel(0)));
        QTest::mouseClick(&gantt, Qt::LeftButton, {}, c1Summary);
        QVERIFY(collapipe::testing::ganttBuilt(&gantt));
        QVERIFY2(
            gantt.rowCount() < open, qPrintable(gantt.rowLabels().join(QStringLiteral(" | "))));
        QVERIFY(!gantt.filter()->isExpanded(0));
        QVERIFY(gantt.rowLabels().at(0).startsWith(QStringLiteral("c1 ▸")));
        gantt.replot();
        QTest::mouseClick(&gantt, Qt::LeftButton, {}, c1Summary);
        QVERIFY(collapipe::testing::ganttBuilt(&gantt));
        QCOMPARE(gantt.rowCount(), open);
        using Spans = std::vector<std::pair<double, double>>;
        QCOMPARE(mergeSpans({{1.5, 2.0}, {0.0, 1.0}, {0.5, 0.8}, {1.0, 1.2}}),
            Spans({{0.0, 1.2}, {1.5, 2.0}}));
    }

    void clusterFilterBarDrivesTheFilter()
    {
        // Issue [7/7]: the bar's search (after a short pause in typing) and picker reach the
        // filter; a new scenario rebuilds the picker and clears the search.
        ClusterRowFilter filter;
        ClusterFilterBar bar(&filter);
        filter.setClusterIds({QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c3")});
        QCOMPARE(bar.pickerList()->count(), 3);
        bar.searchEdit()->setText(QStringLiteral("c2-d"));
        QVERIFY(filter.searchText().isEmpty()); // not yet: typing goes on
        QTRY_COMPARE(filter.searchText(), QStringLiteral("c2-d"));
        QVERIFY(filter.deviceMatches(QStringLiteral("C2-D4")));
        QVERIFY(!filter.deviceMatches(QStringLiteral("c1-d4")));
        bar.pickerList()->item(2)->setCheckState(Qt::Checked);
        QCOMPARE(filter.pickedClusters(), QSet<int>({2}));
        QVERIFY(filter.isPicked(2) && !filter.isPicked(0));
        filter.setClusterIds({QStringLiteral("a"), QStringLiteral("b")});
        QCOMPARE(bar.pickerList()->count(), 2);
        QVERIFY(filter.pickedClusters().isEmpty());
        QVERIFY(bar.searchEdit()->text().isEmpty());
        QVERIFY(filter.searchText().isEmpty());
    }

    void clusterFilterHashesDeviceNamesOnlyForASearch()
    {
        // Issue [7/7] "The UI thread never blocks": File > Open of 100,000 devices hashed every
        // device name twice (Gantt, decision table) on the GUI thread. The lookup is now made
        // by the first device search, and made again after another scenario.
        auto scenarioNamed = [](const QString &deviceName) {
            Scenario s;
            Cluster c;
            c.id = QStringLiteral("c1");
            c.name = QStringLiteral("Lab");
            for (int i = 1; i <= 3; ++i) {
                Device d;
                d.id = QStringLiteral("c1-d%1").arg(i);
                d.name = i == 2 ? deviceName : QString();
                c.devices.push_back(d);
            }
            s.topology.clusters.push_back(c);
            return s;
        };
        ClusterRowFilter filter;
        filter.setScenario(scenarioNamed(QStringLiteral("Kitchen phone")));
        QVERIFY(!filter.deviceNameIndexBuilt());
        QVERIFY(!filter.deviceMatches(QStringLiteral("c1-d2"))); // no search: nothing matches
        QVERIFY(!filter.deviceNameIndexBuilt());
        filter.setSearchText(QStringLiteral("kitchen"));
        QVERIFY(filter.deviceMatches(QStringLiteral("c1-d2")));
        QVERIFY(!filter.deviceMatches(QStringLiteral("c1-d1")));
        QVERIFY(filter.deviceNameIndexBuilt());
        // The same clusters with another name: the old name must not match any more.
        filter.setScenario(scenarioNamed(QStringLiteral("Garden sensor")));
        QVERIFY(!filter.deviceNameIndexBuilt());
        QCOMPARE(filter.searchText(), QStringLiteral("kitchen")); // same cluster list: kept
        QVERIFY(!filter.deviceMatches(QStringLiteral("c1-d2")));
        filter.setSearchText(QStringLiteral("GARDEN"));
        QVERIFY(filter.deviceMatches(QStringLiteral("c1-d2")));
        filter.setSearchText(QStringLiteral("C1-D3"));
        QVERIFY(filter.deviceMatches(QStringLiteral("c1-d3"))); // by its id
    }

    void decisionTableTrainerColumn()
    {
        RoundRecord r = testing::syntheticRound(1);
        r.devices[0].memoryPredictedTrainerBytes = 2.5e6;
        r.devices[0].memoryMeasuredBytes = 2.52e6;
        DecisionTableModel model;
        model.setRecord(r);
        QCOMPARE(int(DecisionTableModel::TrainerMemoryColumn) + 1,
            int(DecisionTableModel::MeasuredColumn)); // side by side
        QCOMPARE(
            model.headerData(DecisionTableModel::TrainerMemoryColumn, Qt::Horizontal).toString(),
            QStringLiteral("predicted (trainer)"));
        // The Studio probe: "bandwidth β" read as a rate; β is the device's share of the
        // cluster's D2D band (spec §2.2), shown in %.
        QCOMPARE(model.headerData(DecisionTableModel::BandwidthColumn, Qt::Horizontal).toString(),
            QStringLiteral("D2D share β"));
        QCOMPARE(model.data(model.index(0, DecisionTableModel::TrainerMemoryColumn)).toString(),
            QStringLiteral("2.5 MB"));
        QCOMPARE(model.data(model.index(0, DecisionTableModel::MeasuredColumn)).toString(),
            QStringLiteral("2.52 MB"));
        QCOMPARE(model.data(model.index(1, DecisionTableModel::TrainerMemoryColumn)).toString(),
            QStringLiteral("—"));
    }

    void ganttEdgeRowNamesTheTail()
    {
        RoundRecord r = testing::syntheticRound(3, 2);
        r.devices[1].lastBlock = 8;
        r.clusters[0].edgeFirstBlock = 9;
        r.clusters[0].edgeLastBlock = 11;
        r.events.push_back(TimelineEvent{0, {ResourceKind::EdgeServer, kEdgeServerNode, 0},
            EventKind::DecoderForward, 0, 2, 0.3, 0.4});
        GanttPlot gantt;
        gantt.setRecord(r);
        QVERIFY(collapipe::testing::ganttBuilt(&gantt));
        QCOMPARE(gantt.edgeTailText(0), QStringLiteral("blocks 9–11 + head"));
        QVERIFY2(gantt.rowLabels().contains(QStringLiteral("edge · blocks 9–11 + head")),
            qPrintable(gantt.rowLabels().join(QStringLiteral(" | "))));
        QVERIFY2(gantt.summary().contains(QStringLiteral("edge runs blocks 9–11 + head")),
            qPrintable(gantt.summary()));
        r.clusters[0].edgeFirstBlock = r.clusters[0].edgeLastBlock = -1;
        gantt.setRecord(r);
        QVERIFY(collapipe::testing::ganttBuilt(&gantt));
        QVERIFY(gantt.edgeTailText(0).isEmpty());
        QVERIFY2(gantt.rowLabels().contains(QStringLiteral("edge")),
            qPrintable(gantt.rowLabels().join(QStringLiteral(" | "))));
    }

    /// Issue [7/7] "The Studio keeps up with the engine": a 100 × 10 round lays ~2,300
    /// resource rows and ~75,000 events out. Rounds of one plan reuse the rows (GanttRowCache);
    /// every layout equals a fresh one, a filter change lays the rows out again from the kept
    /// structure, and other cluster ids (another scenario) build it anew.
    void ganttReusesItsRowsAcrossRounds()
    {
        const Scenario big = collapipe::testing::scaleScenarioFromDefault();
        QCOMPARE(int(big.topology.clusters.size()), collapipe::testing::kScaleClusters);
        Scenario s = big;
        s.training.train = false;
        Session session;
        QString error;
        QVERIFY2(session.init(s, &error), qPrintable(error));
        GanttPlot gantt;
        gantt.setScenario(s);
        ClusterRowFilter *filter = gantt.filter();
        const auto expectFresh = [&](const RoundRecord &r) {
            QHash<int, QString> tails;
            for (int c = 0; c < gantt.clusterCount() + 1; ++c) {
                if (!gantt.edgeTailText(c).isEmpty()) {
                    tails.insert(c, gantt.edgeTailText(c));
                }
            }
            const GanttLayout fresh = layoutGanttRows(r, *filter, tails);
            QCOMPARE(int(fresh.rows.size()), gantt.rowCount());
            QCOMPARE(fresh.fullRowCount, gantt.fullRowCount());
            QCOMPARE(fresh.shownClusters, gantt.shownClusterCount());
            for (std::size_t i = 0; i < fresh.rows.size(); ++i) {
                const GanttRow &a = fresh.rows[i];
                const GanttRow &b = gantt.rows()[i];
                QCOMPARE(b.label, a.label);
                QCOMPARE(b.cluster, a.cluster);
                QCOMPARE(b.summary, a.summary);
                QCOMPARE(b.highlighted, a.highlighted);
                QVERIFY(b.spans == a.spans);
                QVERIFY(b.laneResources == a.laneResources);
                QVERIFY(b.laneBusyS == a.laneBusyS);
                QCOMPARE(b.lanes.size(), a.lanes.size());
            }
            int bars = 0;
            for (int row : fresh.rowOfEvent) {
                bars += row >= 0 ? 1 : 0;
            }
            int spans = 0;
            for (const GanttRow &row : fresh.rows) {
                spans += int(row.spans.size());
            }
            QCOMPARE(gantt.barCount(), bars + spans);
        };
        constexpr int kRounds = 3;
        for (int t = 0; t < kRounds; ++t) {
            RoundRecord r;
            QVERIFY2(session.runRound(&r, &error), qPrintable(error));
            gantt.setRecord(r);
            QVERIFY(collapipe::testing::ganttBuilt(&gantt));
            expectFresh(r);
            if (QTest::currentTestFailed()) {
                return;
            }
            if (t + 1 < kRounds) {
                continue;
            }
            qInfo("%d rounds of %zu events: rows built %d times, reused %d times", kRounds,
                r.events.size(), gantt.rowCache().builds(), gantt.rowCache().reuses());
            // The plan changes every round (other stages, other links), the resources and their
            // names do not: collected once, then reused.
            QCOMPARE(gantt.rowCache().builds(), 1);
            QVERIFY(gantt.rowCache().reuses() >= kRounds);
            QVERIFY(gantt.rowCache().resourceCount()
                >= gantt.fullRowCount() - collapipe::testing::kScaleClusters);
            {
                QElapsedTimer clock;
                clock.start();
                const GanttLayout fresh = layoutGanttRows(r, *filter, {});
                const qint64 freshNs = clock.nsecsElapsed();
                GanttRowCache cache = gantt.rowCache();
                clock.restart();
                const GanttLayout kept = cache.layout(r, *filter, {});
                qInfo("layout of round %d: %.1f ms fresh, %.1f ms from the kept resources", r.round,
                    freshNs / 1e6, clock.nsecsElapsed() / 1e6);
                QCOMPARE(kept.rows.size(), fresh.rows.size());
            }
            // A filter change: the rows again from the kept structure, and right.
            const int builds = gantt.rowCache().builds();
            QSignalSpy rows(&gantt, &GanttPlot::rowsChanged);
            filter->toggleExpanded(41);
            QVERIFY(collapipe::testing::ganttBuilt(&gantt));
            QCOMPARE(rows.count(), 1);
            QVERIFY(gantt.rowCount() > collapipe::testing::kScaleClusters);
            expectFresh(r);
            filter->setSearchText(QStringLiteral("c7-d"));
            QVERIFY(collapipe::testing::ganttBuilt(&gantt));
            expectFresh(r);
            QCOMPARE(gantt.rowCache().builds(), builds);
            filter->setSearchText(QString());
            QVERIFY(collapipe::testing::ganttBuilt(&gantt));
            // Other cluster ids: the labels change, the rows are built again.
            QStringList ids;
            for (const Cluster &c : big.topology.clusters) {
                ids << c.id;
            }
            ids[0] = QStringLiteral("renamed");
            gantt.setClusterIds(ids);
            gantt.setRecord(r);
            QVERIFY(collapipe::testing::ganttBuilt(&gantt));
            QVERIFY(gantt.rowCache().builds() > builds);
            QVERIFY(gantt.rowLabels().at(0).startsWith(QStringLiteral("renamed")));
            expectFresh(r);
        }
    }

    void memoryPlotKeepsTheWidthsApart()
    {
        MemoryPlot plot;
        RoundRecord off = testing::syntheticRound(0);
        plot.appendRounds({off});
        plot.flush();
        QVERIFY(!plot.showsTrainerWidth()); // training off: one axis, GB
        QVERIFY(!plot.yAxis2->visible());
        QVERIFY(plot.title().contains(QStringLiteral("profiled")));

        RoundRecord on = testing::syntheticRound(1);
        on.devices[0].memoryPredictedTrainerBytes = 2.5e6;
        on.devices[0].memoryMeasuredBytes = 2.52e6;
        plot.appendRounds({on});
        plot.flush();
        QVERIFY(plot.showsTrainerWidth());
        QVERIFY(plot.yAxis2->visible());
        QVERIFY(plot.yAxis2->label().startsWith(QStringLiteral("MB")));
        QVERIFY(plot.title().contains(QStringLiteral("measured")));
        QVERIFY(plot.yAxis->label().startsWith(QStringLiteral("GB")));
        QVERIFY(plot.title().contains(QStringLiteral("trainer")));
        const int profiled = plot.seriesIndex(QStringLiteral("phone-0"));
        const int trainer = plot.seriesIndex(QStringLiteral("phone-0 predicted (trainer)"));
        const int measured = plot.seriesIndex(QStringLiteral("phone-0 measured"));
        QVERIFY(profiled >= 0 && trainer >= 0 && measured >= 0);
        QCOMPARE(plot.seriesBuffer(profiled).at(1).value, 1.0); // GB
        QCOMPARE(plot.seriesBuffer(trainer).at(0).value, 2.5);  // MB, same unit as measured
        QCOMPARE(plot.seriesBuffer(measured).at(0).value, 2.52);
        QVERIFY2(plot.yAxis2->range().upper >= 2.52 && plot.yAxis2->range().upper < 4.0,
            qPrintable(QStringLiteral("right axis up to %1").arg(plot.yAxis2->range().upper)));
        plot.clearData();
        QVERIFY(!plot.showsTrainerWidth());
    }
};

QTEST_MAIN(TestEdgeTailViews)
#include "tst_edge_tail_views.moc"
