// SPDX-License-Identifier: MIT
// Issue [1/7] "Trust", the canvas: labels never overlap each other or an icon at any zoom, the
// scale bar and the run legend stay off the topology, cluster names select their cluster, and
// cluster colours belong to the cluster (its id), not to its place in the list.
#include "../ui_canvas/label_overlap.h"
#include "core/scenario/scenario_json.h"
#include "core/types/round_record.h"
#include "tests/test_settings.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/docks/field_form.h"
#include "ui/docks/property_dock.h"
#include "ui/docks/settings_dock.h"
#include "ui/file_controller.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QMenu>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QWheelEvent>
#include <QtTest>

#include <cmath>

using namespace collapipe;
using namespace collapipe::test;

namespace {

QString scenarioPath(const QString &name)
{
    return QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/") + name;
}

/// A crowded scenario: `clusters` clusters of 10 devices within 40 m of their control unit,
/// control units 120-140 m apart.
Scenario crowded(int clusters = 10)
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    loadScenarioFile(scenarioPath(QStringLiteral("default.json")), &s, &problems);
    const Cluster templ = s.topology.clusters.front();
    s.topology.clusters.clear();
    QRandomGenerator rng(7);
    for (int c = 0; c < clusters; ++c) {
        Cluster cluster = templ;
        cluster.id = QStringLiteral("k%1").arg(c + 1);
        cluster.name = QStringLiteral("Crowded cluster %1").arg(c + 1);
        cluster.controlUnit.id = QStringLiteral("k%1-cu").arg(c + 1);
        cluster.controlUnit.position = {120.0 * (c % 10), 140.0 * (c / 10)};
        cluster.devices.clear();
        for (int d = 0; d < 10; ++d) {
            Device device = templ.devices.front();
            device.id = QStringLiteral("k%1-d%2").arg(c + 1).arg(d + 1);
            device.position = {cluster.controlUnit.position.xM + rng.bounded(-40, 40),
                cluster.controlUnit.position.yM + rng.bounded(-40, 40)};
            cluster.devices.push_back(device);
        }
        s.topology.clusters.push_back(cluster);
    }
    return s;
}

/// Test rows: each scenario (a bundled file's name or "crowded") at 1600 x 1000 and 1280 x 800.
void scenarioRows(const QStringList &names)
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QSize>("size");
    for (const QString &name : names) {
        for (const QSize size : {QSize(1600, 1000), QSize(1280, 800)}) {
            QTest::addRow("%s %dx%d", qPrintable(name), size.width(), size.height())
                << name << size;
        }
    }
}

/// Shows `window` at `size` on a bundled scenario or on crowded().
void showScenario(MainWindow *window, const QString &scenario, QSize size)
{
    window->resize(size);
    if (scenario == QLatin1String("crowded")) {
        window->document()->reset(crowded());
    } else {
        window->openInitial(scenarioPath(scenario));
    }
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
}

} // namespace

class TestCanvasLabels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void labelsNeverOverlap_data();
    void labelsNeverOverlap();
    void distanceLabelsNeverOnAHull_data() { labelsNeverOverlap_data(); }
    void distanceLabelsNeverOnAHull();
    void crossFadeLabelsClearOfFadedItems_data();
    void crossFadeLabelsClearOfFadedItems();
    void runOverlayLabelsNeverOverlap_data() { labelsNeverOverlap_data(); }
    void runOverlayLabelsNeverOverlap();
    void layoutOfAThousandDevicesIsQuick();
    void fitKeepsTheTopologyClearOfTheScaleBar();
    void clickingAClusterNameSelectsTheCluster();
    void clusterColoursFollowTheirIds();
    void runLegendCanBeMovedAndHidden();
    void runLegendNeverCoversAnIcon();

private:
    QTemporaryDir m_settingsDir;
};

void TestCanvasLabels::initTestCase()
{
    QVERIFY(useTestSettings(m_settingsDir.path()));
}

void TestCanvasLabels::labelsNeverOverlap_data()
{
    scenarioRows({QStringLiteral("default.json"), QStringLiteral("classroom.json"),
        QStringLiteral("paper.json"), QStringLiteral("crowded")});
}

void TestCanvasLabels::labelsNeverOverlap()
{
    QFETCH(QString, scenario);
    QFETCH(QSize, size);
    MainWindow window;
    showScenario(&window, scenario, size);
    QVERIFY(!QTest::currentTestFailed());
    TopologyView *view = window.view();
    view->fitTopology();
    // Fit, zoomed out, zoomed in twice: three zoom levels and one more.
    const QString atFit = overlaps(view);
    QVERIFY2(atFit.isEmpty(), qPrintable(QStringLiteral("fit: ") + atFit));
    view->zoomOut();
    view->zoomOut();
    const QString out = overlaps(view);
    QVERIFY2(out.isEmpty(), qPrintable(QStringLiteral("zoomed out: ") + out));
    for (int i = 0; i < 5; ++i) {
        view->zoomIn();
    }
    const QString in = overlaps(view);
    QVERIFY2(in.isEmpty(), qPrintable(QStringLiteral("zoomed in: ") + in));
    for (int i = 0; i < 6; ++i) {
        view->zoomIn();
    }
    const QString close = overlaps(view);
    QVERIFY2(close.isEmpty(), qPrintable(QStringLiteral("zoomed in close: ") + close));
    // Zoomed in far enough, every edge server and cluster is named.
    view->fitTopology();
    QList<Box> labels;
    QList<Box> icons;
    collect(view, &labels, &icons);
    int clusterNames = 0;
    for (const Box &box : std::as_const(labels)) {
        clusterNames += box.what.startsWith(QLatin1String("cluster ")) ? 1 : 0;
    }
    if (scenario != QLatin1String("crowded")) {
        QCOMPARE(
            clusterNames, static_cast<int>(window.document()->scenario().topology.clusters.size()));
    }
    window.document()->undoStack()->setClean();
}

void TestCanvasLabels::crossFadeLabelsClearOfFadedItems_data()
{
    scenarioRows(QDir(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios"))
                     .entryList({QStringLiteral("*.json")}, QDir::Files));
}

void TestCanvasLabels::crossFadeLabelsClearOfFadedItems()
{
    // Issue #16: while a cluster cross-fades between its glyph and its members, the fading level
    // is still drawn (faintly), and "Bus depot" sat on its faded devices at 1280 x 800: the
    // label pass took only the dominant level's icons as obstacles. Zoomed in small wheel steps
    // from well out to well in, at every zoom where a cluster cross-fades no label drawn overlaps
    // another or any icon or glyph drawn at all (opacity > 0).
    QFETCH(QString, scenario);
    QFETCH(QSize, size);
    MainWindow window;
    showScenario(&window, scenario, size);
    QVERIFY(!QTest::currentTestFailed());
    TopologyView *view = window.view();
    view->fitTopology();
    const auto glyphs = window.scene()->glyphItems();
    QVERIFY(!glyphs.isEmpty());
    const auto count
        = [&glyphs](auto &&pred) { return std::count_if(glyphs.cbegin(), glyphs.cend(), pred); };
    // Out until every cluster is a glyph alone, then in, small steps, until none is.
    while (view->zoom() > TopologyView::kMinZoom
        && count([](const ClusterGlyphItem *g) { return g->opacity() < 1.0; }) > 0) {
        view->zoomOut();
    }
    const QPointF centre = QRectF(view->viewport()->rect()).center();
    int fading = 0;
    for (int step = 0; step < 1000 && view->zoom() < TopologyView::kMaxZoom
         && count([](const ClusterGlyphItem *g) { return g->isVisible(); }) > 0;
         ++step) {
        QWheelEvent wheel(centre, view->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 24),
            Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(view->viewport(), &wheel);
        QCoreApplication::processEvents();
        if (count([](const ClusterGlyphItem *g) { return g->isVisible() && g->opacity() < 1.0; })
            == 0) {
            continue; // no cross-fade at this zoom
        }
        ++fading;
        const QString problem = overlaps(view, FadedIcons::Drawn);
        QVERIFY2(problem.isEmpty(),
            qPrintable(QStringLiteral("zoom %1 px/m: ").arg(view->zoom()) + problem));
    }
    QVERIFY2(fading > 0, "no zoom of the sweep cross-fades a cluster");
    window.document()->undoStack()->setClean();
}

void TestCanvasLabels::runOverlayLabelsNeverOverlap()
{
    // Issue [1/7] polish: during a run or a replay the devices' chips ("blocks 2–3", "idle")
    // piled on each other and on the device names at the fit zoom (fails before the chips joined
    // the label layout pass).
    QFETCH(QString, scenario);
    QFETCH(QSize, size);
    MainWindow window;
    showScenario(&window, scenario, size);
    QVERIFY(!QTest::currentTestFailed());
    TopologyView *view = window.view();
    window.scene()->showRound(roundOnEveryDevice(window.document()->scenario()));
    view->fitTopology();
    const auto chips = [&window](bool busy) {
        int n = 0;
        for (const DeviceRunBadge *badge : window.scene()->runOverlay()->shownBadges()) {
            n += badge->isChipShown() && badge->state().idle != busy ? 1 : 0;
        }
        return n;
    };
    const QString atFit = overlaps(view);
    QVERIFY2(atFit.isEmpty(), qPrintable(QStringLiteral("fit: ") + atFit));
    // A busy device's chip is shown at fit, not all hidden; unless every cluster is drawn as a
    // glyph at fit (issue [7/7], the crowded scenario on 1280 x 800), whose load ring then
    // stands for the chips.
    const auto glyphs = window.scene()->glyphItems();
    const bool allGlyphs = std::all_of(glyphs.cbegin(), glyphs.cend(),
        [](const ClusterGlyphItem *glyph) { return glyph->opacity() > 0.5; });
    if (allGlyphs) {
        QVERIFY(std::all_of(glyphs.cbegin(), glyphs.cend(),
            [](const ClusterGlyphItem *glyph) { return glyph->load() > 0.0; }));
    } else {
        QVERIFY(chips(true) > 0);
    }
    view->zoomOut();
    view->zoomOut();
    const QString out = overlaps(view);
    QVERIFY2(out.isEmpty(), qPrintable(QStringLiteral("zoomed out: ") + out));
    for (int i = 0; i < 5; ++i) {
        view->zoomIn();
    }
    const QString in = overlaps(view);
    QVERIFY2(in.isEmpty(), qPrintable(QStringLiteral("zoomed in: ") + in));
    for (int i = 0; i < 6; ++i) {
        view->zoomIn();
    }
    const QString close = overlaps(view);
    QVERIFY2(close.isEmpty(), qPrintable(QStringLiteral("zoomed in close: ") + close));
    // Zoomed in far (0.05 m per pixel), the chips are back: every one, except in the crowded
    // scenario, whose random devices can stand a metre or two apart.
    window.scene()->setMetresPerPixel(0.05);
    const int shown = static_cast<int>(window.scene()->runOverlay()->shownBadges().size());
    if (scenario == QLatin1String("crowded")) {
        QVERIFY2(chips(true) + chips(false) >= shown * 9 / 10,
            qPrintable(QStringLiteral("%1 of %2").arg(chips(true) + chips(false)).arg(shown)));
    } else {
        QCOMPARE(chips(true) + chips(false), shown);
    }
    // Clearing the round leaves the plain editor's labels, still laid out without overlap.
    window.scene()->clearRound();
    view->fitTopology();
    const QString cleared = overlaps(view);
    QVERIFY2(cleared.isEmpty(), qPrintable(QStringLiteral("cleared: ") + cleared));
    window.document()->undoStack()->setClean();
}

void TestCanvasLabels::distanceLabelsNeverOnAHull()
{
    // Issue [1/7], 1280 x 800: a link's distance label could sit over a cluster's fill (fails
    // before the fix on the crowded scenario zoomed in; D2D links lie inside their own hull).
    QFETCH(QString, scenario);
    QFETCH(QSize, size);
    MainWindow window;
    showScenario(&window, scenario, size);
    QVERIFY(!QTest::currentTestFailed());
    TopologyView *view = window.view();
    const auto onHull = [&]() -> QString {
        const QTransform vt = view->viewportTransform();
        for (QGraphicsItem *item : view->scene()->items()) {
            auto *link = dynamic_cast<LinkItem *>(item);
            // A D2D link lies inside its own cluster: only edge-server links are checked.
            if (!link || !link->isDistanceShown() || link->kind() != LinkItem::Kind::D2E) {
                continue;
            }
            const QRectF label = link->distanceLabelRect().translated(vt.map(link->midpoint()));
            for (const Cluster &c : window.document()->scenario().topology.clusters) {
                const ClusterHullItem *hull = window.scene()->hullItem(c.id);
                const QPainterPath path = vt.map(hull->sceneTransform().map(hull->shape()));
                if (path.intersects(label.adjusted(1, 1, -1, -1))) {
                    return QStringLiteral("distance label at %1,%2 on %3")
                        .arg(label.x())
                        .arg(label.y())
                        .arg(c.id);
                }
            }
        }
        return {};
    };
    view->fitTopology();
    QString found = onHull();
    QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("fit: ") + found));
    for (int i = 0; i < 3; ++i) {
        view->zoomIn();
    }
    found = onHull();
    QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("zoomed in: ") + found));
    window.document()->undoStack()->setClean();
}

void TestCanvasLabels::layoutOfAThousandDevicesIsQuick()
{
    // The layout runs on the UI thread after every zoom step and every drag move. Measured 134 ms
    // per step (hulls, links and labels) at load ~19 on 2 cores, Release; the bound is loose
    // enough for ASan builds and busy CI machines, tight enough to catch a quadratic layout.
    TopologyDocument document;
    document.reset(crowded(100));
    TopologyScene scene(&document);
    QElapsedTimer timer;
    timer.start();
    constexpr int kRuns = 10;
    for (int i = 0; i < kRuns; ++i) {
        scene.setMetresPerPixel(i % 2 == 0 ? 0.5 : 2.0);
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6 / kRuns;
    qInfo("label layout, 100 x 10 devices: %.1f ms per zoom step", ms);
    QVERIFY2(ms < 1500.0, qPrintable(QString::number(ms)));
}

void TestCanvasLabels::fitKeepsTheTopologyClearOfTheScaleBar()
{
    for (const QString &name : {QStringLiteral("default.json"), QStringLiteral("classroom.json"),
             QStringLiteral("paper.json")}) {
        MainWindow window;
        showScenario(&window, name, QSize(1280, 800));
        QVERIFY(!QTest::currentTestFailed());
        TopologyView *view = window.view();
        view->fitTopology();
        QList<Box> labels;
        QList<Box> icons;
        collect(view, &labels, &icons);
        const QRectF bar = view->scaleBarRect();
        const QRectF viewport = QRectF(view->viewport()->rect());
        for (const QList<Box> &boxes : {labels, icons}) {
            for (const Box &box : boxes) {
                QVERIFY2(!box.rect.intersects(bar),
                    qPrintable(name + QStringLiteral(": the scale bar covers ") + box.what));
                QVERIFY2(viewport.contains(box.rect),
                    qPrintable(name + QStringLiteral(": outside the view at fit: ") + box.what));
            }
        }
        // The clusters' hulls too.
        for (const Cluster &c : window.document()->scenario().topology.clusters) {
            const QRectF hull
                = view->mapFromScene(window.scene()->hullItem(c.id)->shape()).boundingRect();
            QVERIFY2(
                !hull.intersects(bar), qPrintable(name + QStringLiteral(": scale bar on ") + c.id));
        }
    }
}

void TestCanvasLabels::clickingAClusterNameSelectsTheCluster()
{
    MainWindow window;
    showScenario(&window, QStringLiteral("default.json"), QSize(1600, 1000));
    QVERIFY(!QTest::currentTestFailed());
    window.view()->fitTopology();
    window.settingsDock()->raise();
    for (const Cluster &c : window.document()->scenario().topology.clusters) {
        ClusterLabelItem *label = window.scene()->hullItem(c.id)->labelItem();
        QVERIFY(label->isVisible());
        const QRectF rect = label->deviceTransform(window.view()->viewportTransform())
                                .mapRect(label->boundingRect());
        // The name lies outside the hull: before, only the hull's inside selected a cluster.
        QVERIFY(!window.view()
                     ->mapFromScene(window.scene()->hullItem(c.id)->shape())
                     .contains(QPointF(rect.center())));
        QTest::mouseClick(window.view()->viewport(), Qt::LeftButton, {}, rect.center().toPoint());
        const ItemRefList expected{{ItemKind::Cluster, c.id}};
        QCOMPARE(window.scene()->selectedRefs(), expected);
        // ... and the Properties dock comes to the front with it.
        QTRY_VERIFY(!window.propertyDock()->visibleRegion().isEmpty());
        QCOMPARE(window.propertyDock()->form()->item(), expected.first());
        window.settingsDock()->raise();
    }
    QCOMPARE(window.document()->undoStack()->count(), 0); // a click moves nothing
}

void TestCanvasLabels::clusterColoursFollowTheirIds()
{
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(scenarioPath(QStringLiteral("default.json")), &error));
    TopologyScene scene(&document);
    QHash<QString, QColor> before;
    for (const Cluster &c : document.scenario().topology.clusters) {
        before.insert(c.id, scene.hullItem(c.id)->color());
    }
    QVERIFY(before.size() >= 2);
    // Deleting the first cluster recolours none of the others.
    document.removeItems({{ItemKind::Cluster, document.scenario().topology.clusters.front().id}});
    for (const Cluster &c : document.scenario().topology.clusters) {
        QCOMPARE(scene.hullItem(c.id)->color(), before.value(c.id));
    }
    // Numbered ids are told apart, and no cluster is painted in the canvas's error red.
    QSet<QRgb> numbered;
    for (int i = 1; i <= 8; ++i) {
        numbered.insert(clusterColor(QStringLiteral("c%1").arg(i)).rgb());
    }
    QCOMPARE(numbered.size(), 8);
    QRandomGenerator rng(11);
    for (int i = 0; i < 500; ++i) {
        const QString id = QStringLiteral("cl-%1x").arg(rng.generate(), 0, 36);
        const QColor colour = clusterColor(id).toHsv();
        QCOMPARE(clusterColor(id), clusterColor(QString(id))); // stable
        const int hue = colour.hue();
        const bool red = colour.saturation() > 90 && (hue < 20 || hue > 330);
        QVERIFY2(!red, qPrintable(id + QStringLiteral(" is red: ") + colour.name()));
    }
}

void TestCanvasLabels::runLegendCanBeMovedAndHidden()
{
    MainWindow window;
    showScenario(&window, QStringLiteral("default.json"), QSize(1280, 800));
    QVERIFY(!QTest::currentTestFailed());
    TopologyView *view = window.view();
    QVERIFY(view->legendRect().isNull()); // no round shown
    RoundRecord round;
    round.round = 3;
    window.scene()->showRound(round);
    QVERIFY(!view->legendRect().isNull());
    // The View menu holds the switch and the corners.
    QAction *shown = view->legendActions().first();
    QVERIFY(shown->isCheckable());
    bool inViewMenu = false;
    for (QAction *action : window.viewMenu()->actions()) {
        if (action->menu() && action->menu()->actions().contains(shown)) {
            inViewMenu = true;
        }
    }
    QVERIFY(inViewMenu);
    shown->trigger();
    QVERIFY(view->legendRect().isNull());
    shown->trigger();
    const QRectF viewport = QRectF(view->viewport()->rect());
    for (QAction *corner : view->legendActions().mid(2)) {
        corner->trigger();
        const QRectF legend = view->legendRect();
        QVERIFY(viewport.contains(legend));
        QVERIFY(!legend.intersects(view->scaleBarRect()));
    }
    view->setLegendCorner(Qt::TopRightCorner);
    QVERIFY(view->legendRect().right() > viewport.width() / 2);
    view->setLegendCorner(Qt::BottomLeftCorner);
    QVERIFY(view->legendRect().top() > viewport.height() / 2);
    // Out of the way (the default): at fit, the legend covers no cluster, icon or label.
    view->legendActions().at(1)->trigger();
    for (const QString &name : {QStringLiteral("default.json"), QStringLiteral("classroom.json"),
             QStringLiteral("paper.json")}) {
        QVERIFY(window.fileController()->openFile(scenarioPath(name)));
        window.scene()->showRound(round);
        view->fitTopology();
        const QRectF legend = view->legendRect();
        QVERIFY(!legend.isNull());
        QList<Box> labels;
        QList<Box> icons;
        collect(view, &labels, &icons);
        for (const QList<Box> &boxes : {labels, icons}) {
            for (const Box &box : boxes) {
                QVERIFY2(!box.rect.intersects(legend),
                    qPrintable(name + QStringLiteral(": the legend covers ") + box.what));
            }
        }
        for (const Cluster &c : window.document()->scenario().topology.clusters) {
            const QRectF hull
                = view->mapFromScene(window.scene()->hullItem(c.id)->shape()).boundingRect();
            QVERIFY2(!hull.intersects(legend),
                qPrintable(name + QStringLiteral(": the legend covers cluster ") + c.id));
        }
    }
}

/// Issue [6/7] at 1280 x 800: zoomed in (or in a small canvas) every corner holds a device, so the
/// automatic legend shrinks to its title row rather than cover one (the campus-day screenshot had
/// the key over a crossed, away device of the Library); hovering it shows the whole key.
void TestCanvasLabels::runLegendNeverCoversAnIcon()
{
    MainWindow window;
    showScenario(&window, QStringLiteral("campus-day.json"), QSize(1280, 800));
    QVERIFY(!QTest::currentTestFailed());
    TopologyView *view = window.view();
    view->setLegendVisible(true);
    view->setLegendCornerAutomatic();
    RoundRecord round;
    round.round = 47;
    window.scene()->showRound(round);
    view->fitTopology();
    QVERIFY(!view->isLegendCompact()); // room at fit: the whole key
    // The canvas of the 1280 x 800 run screenshots (the run docks around it), then zoomed in.
    view->setFixedSize(480, 330);
    QTRY_COMPARE(view->size(), QSize(480, 330));
    view->fitTopology();
    bool sawCompact = false;
    for (int step = 0; step < 4; ++step) {
        QList<Box> labels;
        QList<Box> icons;
        collect(view, &labels, &icons);
        const QRectF legend = view->legendRect();
        QVERIFY(!legend.isNull());
        for (const QList<Box> &boxes : {labels, icons}) {
            for (const Box &box : boxes) {
                QVERIFY2(!box.rect.intersects(legend) || view->isLegendCompact(),
                    qPrintable(QStringLiteral("the whole legend covers ") + box.what));
            }
        }
        sawCompact = sawCompact || view->isLegendCompact();
        if (sawCompact) {
            break; // hovered below
        }
        view->zoomIn();
    }
    QVERIFY(sawCompact);
    const QRectF compact = view->legendRect();
    QTest::mouseMove(view->viewport(), compact.center().toPoint());
    view->viewport()->repaint();
    QTest::mouseMove(view->viewport(), compact.center().toPoint() + QPoint(1, 0));
    QTRY_VERIFY(view->legendRect().height() > compact.height()); // hover: the whole key
}

QTEST_MAIN(TestCanvasLabels)
#include "tst_canvas_labels.moc"
