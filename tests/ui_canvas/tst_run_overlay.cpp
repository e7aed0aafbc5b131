// SPDX-License-Identifier: MIT
// The canvas during a run (issue [6/6] "Run it live"): segment chips, load and memory gauges,
// idle dimming and the pipeline's hops, fed by synthetic RoundRecords and by a real cost-only
// Session round; clearRound() restores the editing view; the overlay survives document edits.
#include "core/sim/session.h"
#include "run_overlay_fixture.h"
#include "ui/canvas/device_item.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/pipeline_hop_item.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/canvas/waypoint_path_item.h"
#include "ui/model/topology_document.h"

#include <QElapsedTimer>
#include <QGraphicsItem>
#include <QImage>
#include <QUndoStack>
#include <QtTest>

#include <cmath>

using namespace collapipe;
using namespace collapipe::run_overlay_fixture;

namespace {

QString hopText(const PipelineHop &hop)
{
    return hop.from.id + QStringLiteral(">") + hop.to.id
        + (hop.kind == PipelineHopItem::Kind::D2E ? QStringLiteral(":e") : QStringLiteral(":d"));
}

QStringList hopTexts(const TopologyScene &scene)
{
    QStringList out;
    for (const PipelineHop &hop : scene.runOverlay()->activeHops()) {
        out.append(hopText(hop));
    }
    return out;
}

int visibleHopItems(const TopologyScene &scene)
{
    int n = 0;
    for (const QGraphicsItem *item : scene.items()) {
        n += dynamic_cast<const PipelineHopItem *>(item) && item->isVisible() ? 1 : 0;
    }
    return n;
}

} // namespace

class TestRunOverlay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsEachDevice_data();
    void showsEachDevice();
    void compactChipDropsTheWord();
    void drawsThePipelineInDataFlowOrder();
    void clearRoundRestoresThePlainView();
    void survivesDocumentEdits();
    void reusesItemsAcrossRounds();
    void keepsItsItemsAcrossEdits();
    void editingStillReachesTheDevices();
    void showsARealSessionRound();
    void marksADeviceThatLeft();
    void pathShowsWhereTheRoundHasTheNode();
};

void TestRunOverlay::showsEachDevice_data()
{
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("range"); // the chip's text without "blocks "
    QTest::addColumn<bool>("idle");
    QTest::addColumn<double>("load");
    QTest::addColumn<double>("memory");
    QTest::addColumn<double>("measured"); // NaN: not measured
    QTest::addColumn<bool>("over");
    QTest::newRow("first stage, measured")
        << QStringLiteral("c1-d4") << QStringLiteral("0–5") << false << 0.75 << 0.5 << 0.6 << false;
    QTest::newRow("last stage, over capacity")
        << QStringLiteral("c1-d5") << QStringLiteral("6–11") << false << 0.25 << 13.0 / 12.0
        << kNotMeasured << true;
    QTest::newRow("idle") << QStringLiteral("c1-d2") << QStringLiteral("idle") << true << 0.0 << 0.0
                          << kNotMeasured << false;
}

void TestRunOverlay::showsEachDevice()
{
    QFETCH(QString, device);
    QFETCH(QString, range);
    QFETCH(bool, idle);
    QFETCH(double, load);
    QFETCH(double, memory);
    QFETCH(double, measured);
    QFETCH(bool, over);

    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    QVERIFY(!scene.isShowingRound());
    scene.showRound(syntheticRound());
    QVERIFY(scene.isShowingRound());
    QCOMPARE(scene.runOverlay()->round(), 7);

    const DeviceRunBadge *badge = scene.runOverlay()->badge(device);
    QVERIFY(badge);
    QVERIFY(badge->isVisible());
    const DeviceRunState &s = badge->state();
    QCOMPARE(s.idle, idle);
    const QString expectedText
        = idle || badge->isCompact() ? range : QStringLiteral("blocks ") + range;
    QCOMPARE(badge->segmentText(), expectedText);
    QVERIFY2(std::abs(s.loadFraction - load) < 1e-12, qPrintable(QString::number(s.loadFraction)));
    QVERIFY2(
        std::abs(s.memoryFraction - memory) < 1e-12, qPrintable(QString::number(s.memoryFraction)));
    QCOMPARE(std::isnan(s.measuredFraction), std::isnan(measured));
    if (!std::isnan(measured)) {
        QVERIFY(std::abs(s.measuredFraction - measured) < 1e-12);
    }
    QCOMPARE(s.overCapacity, over);
    // Idle devices are dimmed; the item's opacity carries the badge with it.
    const NodeItem *node = scene.nodeItem({ItemKind::Device, device});
    QCOMPARE(node->opacity() < 0.5, idle);
    QVERIFY(badge->toolTip().isEmpty()); // built on hover, not for every device every round
    scene.runOverlay()->ensureToolTip(device);
    QVERIFY(badge->toolTip().contains(device));
    QVERIFY(badge->toolTip().contains(QStringLiteral("round 7")));
    if (over) {
        QVERIFY(badge->toolTip().contains(QStringLiteral("over capacity")));
    }

    // Devices the round does not name (other clusters) are drawn plain, without a badge.
    const DeviceRunBadge *other = scene.runOverlay()->badge(QStringLiteral("c2-d1"));
    QVERIFY(other);
    QVERIFY(!other->isVisible());
    QCOMPARE(scene.nodeItem({ItemKind::Device, QStringLiteral("c2-d1")})->opacity(), 1.0);
}

void TestRunOverlay::compactChipDropsTheWord()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    scene.showRound(syntheticRound());
    DeviceRunBadge *badge = scene.runOverlay()->badge(QStringLiteral("c1-d4"));
    badge->setCompact(false);
    QCOMPARE(badge->segmentText(), QStringLiteral("blocks 0–5"));
    const qreal wide = badge->boundingRect().width();
    badge->setCompact(true);
    QCOMPARE(badge->segmentText(), QStringLiteral("0–5"));
    QVERIFY(badge->boundingRect().width() <= wide);
    // Crowding follows the zoom: far out every label hides and every chip turns compact.
    scene.setMetresPerPixel(50.0);
    QVERIFY(badge->isCompact());
    scene.setMetresPerPixel(0.05);
    QVERIFY(!badge->isCompact());
}

void TestRunOverlay::drawsThePipelineInDataFlowOrder()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    scene.showRound(syntheticRound());
    const QStringList expected{QStringLiteral("c1-cu>c1-d4:d"), QStringLiteral("c1-d4>c1-d5:d"),
        QStringLiteral("c1-d5>bs1:e")};
    QCOMPARE(hopTexts(scene), expected);
    QCOMPARE(visibleHopItems(scene), 3);
    const QList<PipelineHop> hops = scene.runOverlay()->activeHops();
    QVERIFY(std::isnan(hops[0].rateBps)); // the control unit's hop has no rate in the record
    QCOMPARE(hops[1].rateBps, 5e7);       // c1-d4's outgoing link
    QCOMPARE(hops[2].rateBps, 2e8);       // c1-d5's hop to the edge
    QVERIFY(PipelineHopItem::widthForRate(2e8) > PipelineHopItem::widthForRate(5e7));
    // Arrows run between the items' positions, in the direction of the data flow.
    for (QGraphicsItem *item : scene.items()) {
        auto *hop = dynamic_cast<PipelineHopItem *>(item);
        if (hop && hop->isVisible() && hop->kind() == PipelineHopItem::Kind::D2E) {
            QCOMPARE(hop->line().p1(),
                scene.nodeItem({ItemKind::Device, QStringLiteral("c1-d5")})->pos());
            QCOMPARE(hop->line().p2(),
                scene.nodeItem({ItemKind::EdgeServer, QStringLiteral("bs1")})->pos());
        }
    }
    // The editor's star links recede while the pipeline is shown.
    for (const LinkItem *link : scene.linkItems()) {
        QCOMPARE(link->opacity() < 1.0, link->kind() == LinkItem::Kind::D2D);
    }
}

void TestRunOverlay::clearRoundRestoresThePlainView()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    const QByteArray before = document.scenario().topology.clusters[0].id.toUtf8();
    scene.showRound(syntheticRound());
    scene.clearRound();
    QVERIFY(!scene.isShowingRound());
    QCOMPARE(scene.runOverlay()->round(), -1);
    QVERIFY(scene.runOverlay()->activeHops().isEmpty());
    QCOMPARE(visibleHopItems(scene), 0);
    for (QGraphicsItem *item : scene.items()) {
        if (auto *badge = dynamic_cast<DeviceRunBadge *>(item)) {
            QVERIFY(!badge->isVisible());
        }
        if (dynamic_cast<NodeItem *>(item) || dynamic_cast<LinkItem *>(item)) {
            QCOMPARE(item->opacity(), 1.0);
        }
    }
    // Views only: showing and clearing a round never edits the document.
    QVERIFY(!document.isModified());
    QCOMPARE(document.undoStack()->count(), 0);
    QCOMPARE(document.scenario().topology.clusters[0].id.toUtf8(), before);
}

void TestRunOverlay::survivesDocumentEdits()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    scene.showRound(syntheticRound());

    // Removing an idle device rebuilds the scene; the overlay re-maps the round by id.
    document.removeItems({{ItemKind::Device, QStringLiteral("c1-d2")}});
    QVERIFY(!scene.nodeItem({ItemKind::Device, QStringLiteral("c1-d2")}));
    QVERIFY(!scene.runOverlay()->badge(QStringLiteral("c1-d2")));
    QVERIFY(scene.runOverlay()->badge(QStringLiteral("c1-d4"))->isVisible());
    QCOMPARE(scene.runOverlay()->activeHops().size(), 3);
    QCOMPARE(visibleHopItems(scene), 3);

    // Removing a pipeline stage drops the hops through it; undo brings them back.
    document.removeItems({{ItemKind::Device, QStringLiteral("c1-d5")}});
    // c1-d4 is the only stage left on the canvas: CU → c1-d4, and c1-d4's own D2E hop is not
    // invented (the round said c1-d4 sends to c1-d5), so only hops with both ends remain.
    const QStringList shortened{QStringLiteral("c1-cu>c1-d4:d")};
    QCOMPARE(hopTexts(scene), shortened);
    document.undoStack()->undo();
    QCOMPARE(hopTexts(scene).size(), 3);

    // A moved stage drags its arrows along.
    document.moveItems(
        {ItemPosition(ItemRef{ItemKind::Device, QStringLiteral("c1-d5")}, Position{400, 90})});
    bool found = false;
    for (QGraphicsItem *item : scene.items()) {
        auto *hop = dynamic_cast<PipelineHopItem *>(item);
        if (hop && hop->isVisible() && hop->kind() == PipelineHopItem::Kind::D2E) {
            QCOMPARE(hop->line().p1(), QPointF(400, 90));
            found = true;
        }
    }
    QVERIFY(found);

    // A device added after the round ran is drawn plain.
    Device extra;
    extra.position = Position{200, 60};
    const QString id = document.addDevice(QStringLiteral("c1"), extra);
    QVERIFY(scene.runOverlay()->badge(id));
    QVERIFY(!scene.runOverlay()->badge(id)->isVisible());
    QCOMPARE(scene.nodeItem({ItemKind::Device, id})->opacity(), 1.0);
}

void TestRunOverlay::reusesItemsAcrossRounds()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    RoundRecord record = syntheticRound();
    scene.showRound(record);
    const qsizetype items = scene.items().size();
    QElapsedTimer timer;
    timer.start();
    constexpr int kRounds = 300;
    for (int t = 0; t < kRounds; ++t) {
        record.round = t;
        // Alternate the pipeline's shape so the hops and chips really change.
        const bool swap = t % 2 == 1;
        record.devices[0].stage = swap ? -1 : 1;
        record.devices[0].firstBlock = swap ? -1 : 6;
        record.devices[2].lastBlock = swap ? 11 : 5;
        record.devices[2].busyS = 0.1 * (t % 20);
        scene.showRound(record);
        QCOMPARE(scene.items().size(), items);
    }
    const double usPerRound = 1e3 * static_cast<double>(timer.nsecsElapsed()) / 1e6 / kRounds;
    qInfo("showRound: %.1f us per round (default.json, 5-device round, no view)", usPerRound);
    QCOMPARE(hopTexts(scene).size(), 2); // last round (odd): CU → d4 (blocks 0–11) → edge
    QCOMPARE(scene.runOverlay()->badge(QStringLiteral("c1-d4"))->state().lastBlock, 11);
    QVERIFY(usPerRound < 5000.0); // generous: a 30 Hz feed leaves 33 ms per frame
}

// Issue #16: an edit (items of the scene created or deleted) deleted every badge and hop of the
// overlay one by one, each deletion O(n) in the scene's item list (NoIndex), and made them again.
// The overlay now keeps the items of the nodes that stay and only makes what is new.
void TestRunOverlay::keepsItsItemsAcrossEdits()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    scene.showRound(syntheticRound());
    RunOverlay *overlay = scene.runOverlay();
    constexpr int kMark = 0x16;
    overlay->badge(QStringLiteral("c1-d4"))->setData(kMark, QStringLiteral("kept"));
    overlay->edgeBadge(QStringLiteral("bs1"))->setData(kMark, QStringLiteral("kept"));
    const int created = overlay->itemsCreated();
    const qsizetype items = scene.items().size();

    document.removeItems({{ItemKind::Device, QStringLiteral("c1-d2")}});
    QVERIFY(!overlay->badge(QStringLiteral("c1-d2"))); // went with its node
    QCOMPARE(
        overlay->badge(QStringLiteral("c1-d4"))->data(kMark).toString(), QStringLiteral("kept"));
    QCOMPARE(
        overlay->edgeBadge(QStringLiteral("bs1"))->data(kMark).toString(), QStringLiteral("kept"));
    QCOMPARE(overlay->itemsCreated(), created);                    // nothing new to make
    QVERIFY(overlay->badge(QStringLiteral("c1-d4"))->isVisible()); // the round re-applied
    QCOMPARE(visibleHopItems(scene), 3);
    QVERIFY(scene.items().size() < items); // the device, its badge and links went; none made

    Device extra;
    extra.position = Position{200, 60};
    const QString id = document.addDevice(QStringLiteral("c1"), extra);
    QCOMPARE(overlay->itemsCreated(), created + 1); // its badge only (the hop pool had room)
    QVERIFY(overlay->badge(id) && !overlay->badge(id)->isVisible());
    QCOMPARE(
        overlay->badge(QStringLiteral("c1-d4"))->data(kMark).toString(), QStringLiteral("kept"));

    // Undo twice: the removed device comes back with a new node, hence a new badge.
    document.undoStack()->undo();
    document.undoStack()->undo();
    QVERIFY(overlay->badge(QStringLiteral("c1-d2")));
    QVERIFY(overlay->badge(QStringLiteral("c1-d2"))->parentItem()
        == scene.nodeItem({ItemKind::Device, QStringLiteral("c1-d2")}));
    QVERIFY(!overlay->badge(id));
    QCOMPARE(visibleHopItems(scene), 3);

    // Another scenario: clear() deletes every item; the overlay forgets them and makes new ones.
    QVERIFY(loadDefault(&document));
    scene.showRound(syntheticRound());
    QVERIFY(overlay->badge(QStringLiteral("c1-d4"))->isVisible());
    QVERIFY(overlay->badge(QStringLiteral("c1-d4"))->data(kMark).isNull());
    QCOMPARE(visibleHopItems(scene), 3);
}

void TestRunOverlay::editingStillReachesTheDevices()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    scene.showRound(syntheticRound());
    // Badges and arrows take no clicks, so select and drag still hit the device under them.
    for (const QString &id : {QStringLiteral("c1-d4"), QStringLiteral("c1-d2")}) {
        const NodeItem *node = scene.nodeItem({ItemKind::Device, id});
        QCOMPARE(scene.refAt(node->pos()), (ItemRef{ItemKind::Device, id}));
        QCOMPARE(scene.runOverlay()->badge(id)->acceptedMouseButtons(), Qt::NoButton);
    }
    for (QGraphicsItem *item : scene.items()) {
        if (dynamic_cast<PipelineHopItem *>(item)) {
            QCOMPARE(item->acceptedMouseButtons(), Qt::NoButton);
        }
    }
}

void TestRunOverlay::showsARealSessionRound()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    Scenario scenario = document.scenario();
    scenario.training.train = false; // cost-only round: the model's decision, no trainer
    scenario.training.rounds = 3;
    Session session;
    QString error;
    SessionOptions options;
    options.recordEvents = false;
    QVERIFY2(session.init(scenario, &error, options), qPrintable(error));
    RoundRecord record;
    for (int t = 0; t < 3; ++t) {
        QVERIFY2(session.runRound(&record, &error), qPrintable(error));
    }

    TopologyScene scene(&document);
    TopologyView view(&scene);
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.fitTopology();
    scene.showRound(record);

    // Every device of the round has a badge matching its row; each cluster draws CU → stages → edge.
    QCOMPARE(record.devices.size(), static_cast<size_t>(scene.itemCount(ItemKind::Device)));
    QList<int> activePerCluster(static_cast<int>(scenario.topology.clusters.size()), 0);
    for (const DeviceRound &d : record.devices) {
        const DeviceRunBadge *badge = scene.runOverlay()->badge(d.deviceId);
        QVERIFY2(badge && badge->isVisible(), qPrintable(d.deviceId));
        QCOMPARE(badge->state().idle, d.firstBlock < 0);
        QCOMPARE(badge->state().firstBlock, d.firstBlock);
        QCOMPARE(badge->state().lastBlock, d.lastBlock);
        activePerCluster[d.cluster] += d.firstBlock >= 0 ? 1 : 0;
    }
    // Edge offload: each cluster whose server ran a tail is named at that server, no other.
    QHash<QString, QStringList> tails;
    for (const ClusterRound &c : record.clusters) {
        const Cluster &cluster = scenario.topology.clusters[static_cast<size_t>(c.cluster)];
        if (c.edgeFirstBlock >= 0) {
            tails[cluster.edgeServerId].append(QStringLiteral("%1: blocks %2–%3")
                                                   .arg(cluster.name)
                                                   .arg(c.edgeFirstBlock)
                                                   .arg(c.edgeLastBlock));
        }
    }
    qInfo("edge tails: %s",
        qPrintable(tails.value(QStringLiteral("bs1")).join(QStringLiteral("; "))));
    for (const EdgeServer &server : scenario.topology.edgeServers) {
        const EdgeRunBadge *edge = scene.runOverlay()->edgeBadge(server.id);
        QVERIFY(edge);
        QCOMPARE(edge->lines(), tails.value(server.id));
        QCOMPARE(edge->isVisible(), tails.contains(server.id));
    }
    double maxLoad = 0.0;
    double maxMemory = 0.0;
    for (const DeviceRound &d : record.devices) {
        const DeviceRunState &st = scene.runOverlay()->badge(d.deviceId)->state();
        maxLoad = std::max(maxLoad, st.loadFraction);
        maxMemory = std::max(maxMemory, st.memoryFraction);
    }
    qInfo("round %d: latency %.3f s, max load %.3f, max memory/capacity %.3f", record.round,
        record.latencyS, maxLoad, maxMemory);
    QVERIFY(maxLoad > 0.0 && maxLoad <= 1.0); // busy time is part of the round
    int expectedHops = 0;
    for (int n : activePerCluster) {
        expectedHops += n > 0 ? n + 1 : 0;
    }
    QCOMPARE(scene.runOverlay()->activeHops().size(), expectedHops);

    // A live feed: a round shown and the viewport repainted, as the run panel's ~30 Hz timer would.
    {
        RoundRecord other = record;
        for (DeviceRound &d : other.devices) {
            d.busyS *= 2.0;
        }
        QElapsedTimer timer;
        timer.start();
        constexpr int kFrames = 60;
        for (int i = 0; i < kFrames; ++i) {
            scene.showRound(i % 2 == 0 ? other : record);
            view.viewport()->repaint();
        }
        const double msPerFrame = static_cast<double>(timer.nsecsElapsed()) / 1e6 / kFrames;
        qInfo("showRound + full repaint at 1200x800: %.2f ms per frame", msPerFrame);
        QVERIFY(msPerFrame < 200.0); // generous; the real figure is in the log
    }
    const QImage image = view.grab().toImage();
    QVERIFY(!image.isNull());
    // The arrows are drawn: some pixels carry the D2D orange and the D2E purple.
    int orange = 0;
    int purple = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            orange += c.red() > 200 && c.green() > 60 && c.green() < 110 && c.blue() < 40 ? 1 : 0;
            purple += c.red() > 100 && c.red() < 145 && c.green() < 60 && c.blue() > 140 ? 1 : 0;
        }
    }
    QVERIFY2(orange > 50 && purple > 20,
        qPrintable(QStringLiteral("orange %1, purple %2 pixels").arg(orange).arg(purple)));
    const QByteArray out = qgetenv("COLLAPIPE_CANVAS_SCREENSHOT");
    if (!out.isEmpty()) {
        QVERIFY(image.save(QString::fromLocal8Bit(out)));
        // A close-up of the first cluster: room for the long chips ("blocks i–j").
        const Cluster &c = scenario.topology.clusters.front();
        view.centerOn(QPointF(c.controlUnit.position.xM, c.controlUnit.position.yM));
        for (int i = 0; i < 4; ++i) {
            view.zoomIn();
        }
        view.centerOn(QPointF(c.controlUnit.position.xM, c.controlUnit.position.yM));
        QString closeUp = QString::fromLocal8Bit(out);
        closeUp.insert(closeUp.lastIndexOf(QLatin1Char('.')), QStringLiteral("-zoom"));
        QVERIFY(view.grab().toImage().save(closeUp));
    }
}

/// Issue [6/7]: a device away at the round's start (churn) reads as away on the canvas: a
/// faded icon with a red cross and an "away" chip whose tooltip says why, not merely idle.
void TestRunOverlay::marksADeviceThatLeft()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    RoundRecord record = syntheticRound();
    for (DeviceRound &d : record.devices) {
        if (d.deviceId == QStringLiteral("c1-d2")) {
            d.present = false;
        }
    }
    scene.showRound(record);
    const DeviceRunBadge *away = scene.runOverlay()->badge(QStringLiteral("c1-d2"));
    QVERIFY(away && away->isVisible());
    QVERIFY(away->state().away && away->state().idle);
    QCOMPARE(away->segmentText(), QStringLiteral("away"));
    scene.runOverlay()->ensureToolTip(away);
    QVERIFY(away->toolTip().contains(QStringLiteral("away: not present")));
    const double opacity = scene.nodeItem({ItemKind::Device, QStringLiteral("c1-d2")})->opacity();
    QVERIFY2(opacity > 0.5 && opacity < 1.0, qPrintable(QString::number(opacity)));
    // The next round it is back: drawn as the round has it again.
    scene.showRound(syntheticRound());
    QVERIFY(!away->state().away);
    QCOMPARE(away->segmentText(), QStringLiteral("idle"));
}

/// Issue [6/7]: during a run of campus-day, the selected walking phone's path shows where the
/// shown round has it: the position marker at the round's stored position (where its icon is
/// drawn too), the path travelled so far solid up to there, the rest dashed. Its path goes out
/// and back the same way, so only the round's time tells the two legs apart; both are checked.
void TestRunOverlay::pathShowsWhereTheRoundHasTheNode()
{
    TopologyDocument document;
    QString error;
    QVERIFY2(
        document.load(
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/campus-day.json"), &error),
        qPrintable(error));
    const ItemRef walker{ItemKind::Device, QStringLiteral("lib-walker")};
    QVERIFY(document.contains(walker));
    Scenario scenario = document.scenario();
    scenario.training.train = false; // cost-only rounds: the positions, no trainer
    scenario.training.rounds = 400;
    Session session;
    SessionOptions options;
    options.recordEvents = false;
    QVERIFY2(session.init(scenario, &error, options), qPrintable(error));

    TopologyScene scene(&document);
    auto *path = new WaypointPathOverlay(&scene, &document); // owned by the scene
    scene.selectRefs({walker});
    QVERIFY(path->isShown());
    QVERIFY(!path->marker()); // no round shown: all dashed, no marker
    // The loop's length: position → waypoints → back to the position.
    QPolygonF loop = path->drawnPath();
    loop << loop.first();
    double total = 0.0;
    for (qsizetype i = 1; i < loop.size(); ++i) {
        total += QLineF(loop[i - 1], loop[i]).length();
    }
    const auto length = [](const QPolygonF &line) {
        double sum = 0.0;
        for (qsizetype i = 1; i < line.size(); ++i) {
            sum += QLineF(line[i - 1], line[i]).length();
        }
        return sum;
    };
    const double speed = 1.4; // campus-day's walker, m/s
    double roundStartS = 0.0;
    int outbound = 0;
    int returning = 0;
    RoundRecord record;
    for (int t = 0; t < scenario.training.rounds && (outbound < 3 || returning < 3); ++t) {
        QVERIFY2(session.runRound(&record, &error), qPrintable(error));
        scene.showRound(record);
        const auto row = std::find_if(record.devices.begin(), record.devices.end(),
            [](const DeviceRound &d) { return d.deviceId == QStringLiteral("lib-walker"); });
        QVERIFY(row != record.devices.end());
        const QPointF stored(row->xM, row->yM);
        QVERIFY2(path->marker(), qPrintable(QStringLiteral("round %1").arg(t)));
        QCOMPARE(*path->marker(), stored);
        QCOMPARE(scene.nodeItem(walker)->pos(), stored); // the icon is there too
        const QPolygonF travelled = path->travelledPath();
        const QPolygonF remaining = path->remainingPath();
        QVERIFY(!travelled.isEmpty() && !remaining.isEmpty());
        QCOMPARE(travelled.last(), remaining.first());
        QVERIFY(QLineF(travelled.last(), stored).length() < 1e-6); // on its path
        QVERIFY(std::abs(length(travelled) + length(remaining) - total) < 1e-6);
        // Travelled: as far along as the walk since the run's start (modulo laps) says.
        const double along = std::fmod(speed * roundStartS, total);
        const double gap = std::abs(length(travelled) - along);
        QVERIFY2(std::min(gap, total - gap) < 0.01,
            qPrintable(QStringLiteral("round %1: travelled %2 m, walked %3 m of %4")
                           .arg(t)
                           .arg(length(travelled))
                           .arg(along)
                           .arg(total)));
        (along < total / 2 ? outbound : returning) += along > 1.0 ? 1 : 0;
        roundStartS = record.simTimeS;
    }
    qInfo("checked %d rounds out and %d back along a %.1f m loop", outbound, returning, total);
    QVERIFY(outbound >= 3 && returning >= 3);
    // A new run (or scenario) clears the shown round: the whole path dashed again.
    scene.clearRound();
    QVERIFY(!path->marker());
    QVERIFY(path->travelledPath().isEmpty());
    QVERIFY(path->isShown());
}

QTEST_MAIN(TestRunOverlay)
#include "tst_run_overlay.moc"
