// SPDX-License-Identifier: MIT
// Issue [7/7] "The UI thread never blocks": a big scenario opened while the window shows is built
// on the canvas in steps across event-loop turns (TopologyScene's chunked build). The scene it
// ends with equals the one built at once, selection included; the event loop turns between the
// steps; an edit during the build starts it over and still ends equal; the labels of the chunked
// pass never overlap. Small sizes with the step threshold and time lowered, so it runs fast.
#include "canvas_scale_fixture.h"
#include "label_overlap.h"
#include "ui/canvas/canvas_labels.h"
#include "ui/canvas/topology_view.h"
#include "ui/model/topology_document.h"

#include <QElapsedTimer>
#include <QGraphicsTextItem>
#include <QPointer>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <functional>
#include <limits>
#include <memory>

using namespace collapipe;
using namespace collapipe::test;

namespace {

/// A document, its scene and a shown view that fits the topology on every reset, as MainWindow
/// wires them.
struct ShownCanvas
{
    TopologyDocument document;
    TopologyScene scene{&document};
    TopologyView view{&scene};

    explicit ShownCanvas(bool inSteps)
    {
        QObject::connect(
            &document, &TopologyDocument::scenarioReset, &view, &TopologyView::fitTopology);
        // In steps from 100 nodes, one unit of work each (a 0 ms budget: a cluster's items, its
        // level of detail, a stage; a millisecond let a fast machine take 5 steps or fewer); or
        // at once at any size, as before.
        scene.setChunkedBuildNodes(inSteps ? 100 : std::numeric_limits<int>::max());
        scene.setBuildStepMs(0);
        view.resize(1280, 800);
        view.show();
    }
};

/// The first line where two scenes differ, or "".
QString firstDifference(const TopologyScene &got, const TopologyScene &want)
{
    const QStringList a = sceneFingerprint(got);
    const QStringList b = sceneFingerprint(want);
    for (qsizetype i = 0; i < std::max(a.size(), b.size()); ++i) {
        const QString x = i < a.size() ? a[i] : QStringLiteral("(none)");
        const QString y = i < b.size() ? b[i] : QStringLiteral("(none)");
        if (x != y) {
            return QStringLiteral("line %1: in steps \"%2\" vs at once \"%3\"").arg(i).arg(x, y);
        }
    }
    return QString();
}

/// Both canvases open `scenario` and settle: the scroll bars come with the first scene rect a
/// turn or more later, and a fit at once in the same turn would frame a wider viewport (in the
/// window they have long been there).
void openFirst(ShownCanvas *steps, ShownCanvas *once, const Scenario &scenario)
{
    QVERIFY(QTest::qWaitForWindowExposed(&steps->view));
    QVERIFY(QTest::qWaitForWindowExposed(&once->view));
    for (ShownCanvas *canvas : {steps, once}) {
        canvas->document.reset(scenario);
        QTRY_VERIFY(!canvas->scene.isBuilding());
    }
    QTRY_COMPARE(once->view.viewport()->size(), steps->view.viewport()->size());
}

} // namespace

class TestCanvasOpen : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aBuildInStepsEqualsTheBuildAtOnce();
    void theEventLoopTurnsDuringTheBuild();
    void theOldItemsGoInATurnOfTheirOwn();
    void anEditDuringTheBuildStartsItOver();
    void selectingDuringTheBuildCompletesIt();
    void aLabelPassInStepsEqualsOneAtOnce();
    void aReopenReusesTheOldItems();
    void aSmallerFileLeavesNoOldItem_data();
    void aSmallerFileLeavesNoOldItem();
    void anotherFilesOldItemsGoInParts();
    void aSecondFileDuringTheClearEndsRight();
    void closingDuringTheClearIsSafe();
};

namespace {

/// Every item of the scene is one the scene knows for the document's scenario (no item of the
/// previous one is left); "" or what is not.
QString strayItem(const TopologyScene &scene)
{
    const TopologyDocument &document = *scene.document();
    for (QGraphicsItem *item : scene.items()) {
        if (const auto *node = dynamic_cast<const NodeItem *>(item)) {
            if (scene.nodeItem(node->ref()) != node || !document.contains(node->ref())) {
                return QStringLiteral("node %1").arg(node->ref().id);
            }
        } else if (const auto *hull = dynamic_cast<const ClusterHullItem *>(item)) {
            if (scene.hullItem(hull->ref().id) != hull) {
                return QStringLiteral("hull %1").arg(hull->ref().id);
            }
        } else if (const auto *label = dynamic_cast<const ClusterLabelItem *>(item)) {
            if (scene.hullItem(label->hull()->ref().id) != label->hull()) {
                return QStringLiteral("cluster label %1").arg(label->text());
            }
        } else if (const auto *glyph = dynamic_cast<const ClusterGlyphItem *>(item)) {
            if (scene.glyphItem(glyph->clusterId()) != glyph) {
                return QStringLiteral("glyph %1").arg(glyph->clusterId());
            }
        } else if (const auto *link = dynamic_cast<const LinkItem *>(item)) {
            if (!scene.linkItems().contains(link)) {
                return QStringLiteral("link at %1").arg(pointText(link->midpoint()));
            }
        }
    }
    return QString();
}

} // namespace

void TestCanvasOpen::aReopenReusesTheOldItems()
{
    // Issue #16: reopening 100,000 devices deleted ~300,000 items at once (0.3–0.5 s) and had Qt
    // sort as many new ones (~0.2 s). The items of ids the file has again are reused instead,
    // set up as new ones would be: the scene still equals one built at once.
    const Scenario scenario = generatedScenario(60, 10);
    ShownCanvas steps(true);
    ShownCanvas once(false);
    openFirst(&steps, &once, scenario);
    if (QTest::currentTestFailed()) {
        return;
    }
    const Cluster &cluster = scenario.topology.clusters[5];
    const ItemRef device{ItemKind::Device, cluster.devices[3].id};
    const NodeItem *node = steps.scene.nodeItem(device);
    const ClusterGlyphItem *glyph = steps.scene.glyphItem(cluster.id);
    const qsizetype oldItems = steps.scene.items().size();
    // The file opened again was edited meanwhile: a device moved, a cluster renamed, a device
    // selected.
    Scenario next = scenario;
    next.topology.clusters[5].devices[3].position.xM += 40.0;
    next.topology.clusters[7].name = QStringLiteral("Renamed cluster");
    steps.scene.selectRefs({device});
    once.scene.selectRefs({device});
    QSignalSpy finished(&steps.scene, &TopologyScene::buildFinished);
    steps.document.reset(next);
    once.document.reset(next);
    QVERIFY(finished.wait(10'000));
    QCOMPARE(steps.scene.nodeItem(device), node);
    QCOMPARE(steps.scene.glyphItem(cluster.id), glyph);
    QCOMPARE(steps.scene.reusedItems(), int(oldItems)); // every one: nothing made, none deleted
    QCOMPARE(steps.scene.items().size(), oldItems);
    QCOMPARE(steps.scene.selectedRefs(), ItemRefList{device});
    QCOMPARE(steps.scene.nodeItem(device)->pos(),
        toScenePoint(next.topology.clusters[5].devices[3].position));
    const QString difference = firstDifference(steps.scene, once.scene);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestCanvasOpen::aSmallerFileLeavesNoOldItem_data()
{
    QTest::addColumn<int>("deleteLimit");
    // The 20 clusters the smaller file lacks (~500 items) go a part per turn, the rest reused;
    // with the limit below that, all old items go at once (clear()) and none is reused.
    QTest::newRow("reused") << TopologyScene::kPiecewiseDeleteLimit;
    QTest::newRow("cleared") << 100;
}

void TestCanvasOpen::aSmallerFileLeavesNoOldItem()
{
    QFETCH(int, deleteLimit);
    const Scenario scenario = generatedScenario(60, 10);
    ShownCanvas steps(true);
    ShownCanvas once(false);
    steps.scene.setPiecewiseDeleteLimit(deleteLimit);
    openFirst(&steps, &once, scenario);
    if (QTest::currentTestFailed()) {
        return;
    }
    // Selected: a device and a cluster the next file lacks, and a device it has.
    const ItemRef kept{ItemKind::Device, scenario.topology.clusters[3].devices[2].id};
    const ItemRefList selection{{ItemKind::Device, scenario.topology.clusters[50].devices[1].id},
        {ItemKind::Cluster, scenario.topology.clusters[55].id}, kept};
    steps.scene.selectRefs(selection);
    once.scene.selectRefs(selection);
    QCOMPARE(steps.scene.selectedRefs().size(), 3);
    QSignalSpy finished(&steps.scene, &TopologyScene::buildFinished);
    const Scenario next = generatedScenario(40, 10);
    steps.document.reset(next);
    once.document.reset(next);
    QVERIFY(finished.wait(10'000));
    const int servers = int(next.topology.edgeServers.size());
    if (deleteLimit == TopologyScene::kPiecewiseDeleteLimit) {
        QVERIFY2(steps.scene.reusedItems() > 500,
            qPrintable(QString::number(steps.scene.reusedItems())));
    } else {
        QCOMPARE(steps.scene.reusedItems(), servers); // taken at the reset, kept by clear()
    }
    const QString stray = strayItem(steps.scene);
    QVERIFY2(stray.isEmpty(), qPrintable(stray));
    QCOMPARE(steps.scene.items().size(), once.scene.items().size());
    QCOMPARE(steps.scene.selectedRefs(), ItemRefList{kept});
    QCOMPARE(steps.scene.selectedItems().size(), 1);
    QCOMPARE(steps.scene.itemCount(ItemKind::Device), 400);
    const QString difference = firstDifference(steps.scene, once.scene);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestCanvasOpen::aBuildInStepsEqualsTheBuildAtOnce()
{
    // Opened twice (a reopen, as File > Open of the same file): the second open restores the
    // selection by id, and the view's fit happens once the items are all made.
    const Scenario scenario = generatedScenario(60, 10); // 60 clusters, 4 servers: 664 nodes
    const ItemRefList selection{{ItemKind::Device, scenario.topology.clusters[3].devices[2].id},
        {ItemKind::Cluster, scenario.topology.clusters[7].id}};
    ShownCanvas steps(true);
    ShownCanvas once(false);
    openFirst(&steps, &once, scenario);
    if (QTest::currentTestFailed()) {
        return;
    }
    steps.scene.selectRefs(selection);
    once.scene.selectRefs(selection);
    QSignalSpy finished(&steps.scene, &TopologyScene::buildFinished);
    steps.document.reset(scenario);
    once.document.reset(scenario);
    QVERIFY(steps.scene.isBuilding()); // the reset returned before the scene was complete
    QVERIFY(!once.scene.isBuilding());
    QVERIFY(finished.wait(10'000));
    QVERIFY(!steps.scene.isBuilding());
    // A turn for the old items, then at least one per cluster made and one per cluster's level
    // of detail, whatever the machine's speed.
    const int clusters = int(scenario.topology.clusters.size());
    QVERIFY2(steps.scene.buildSteps() > 2 * clusters,
        qPrintable(QStringLiteral("%1 steps for %2 clusters")
                       .arg(steps.scene.buildSteps())
                       .arg(clusters)));
    QCOMPARE(steps.view.zoom(), once.view.zoom());
    QCOMPARE(steps.scene.metresPerPixel(), once.scene.metresPerPixel());
    QCOMPARE(steps.scene.selectedRefs().size(), 2);
    const QString difference = firstDifference(steps.scene, once.scene);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    // Some clusters show as glyphs and some in detail at this zoom, or the test would not see
    // the level of detail's part of the build.
    int glyphs = 0;
    for (const ClusterGlyphItem *glyph : steps.scene.glyphItems()) {
        glyphs += glyph->isVisible() ? 1 : 0;
    }
    QVERIFY2(glyphs > 0, "no cluster is a glyph at fit zoom");
    const QString problem = overlaps(&steps.view);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestCanvasOpen::theEventLoopTurnsDuringTheBuild()
{
    ShownCanvas canvas(true);
    QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
    // A timer stands for the window's painting and the busy dialog's animation.
    int ticksWhileBuilding = 0;
    QTimer probe;
    probe.setInterval(0);
    QObject::connect(
        &probe, &QTimer::timeout, [&] { ticksWhileBuilding += canvas.scene.isBuilding() ? 1 : 0; });
    probe.start();
    QSignalSpy finished(&canvas.scene, &TopologyScene::buildFinished);
    QSignalSpy built(&canvas.scene, &TopologyScene::topologyBuilt);
    canvas.document.reset(generatedScenario(60, 10));
    QVERIFY(canvas.scene.isBuilding());
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(built.count(), 1);
    QVERIFY2(ticksWhileBuilding >= 3,
        qPrintable(
            QStringLiteral("the timer fired %1 times during the build").arg(ticksWhileBuilding)));
    QCOMPARE(canvas.scene.itemCount(ItemKind::Device), 600);
    QCOMPARE(canvas.scene.itemCount(ItemKind::Cluster), 60);
}

void TestCanvasOpen::theOldItemsGoInATurnOfTheirOwn()
{
    // Deleting 300,000 items (~0.5–1 s) shared the reset's turn with every other view's reset:
    // it now is the build's first step. An item another view adds in its reset handler, after
    // the scene's, is not one of the old items and stays.
    ShownCanvas steps(true);
    ShownCanvas once(false);
    openFirst(&steps, &once, generatedScenario(60, 10));
    if (QTest::currentTestFailed()) {
        return;
    }
    const qsizetype oldItems = steps.scene.items().size();
    QVERIFY(oldItems > 600);
    QPointer<QGraphicsTextItem> added;
    QObject::connect(&steps.document, &TopologyDocument::scenarioReset, &steps.scene, [&] {
        if (!added) {
            added = new QGraphicsTextItem(QStringLiteral("another view's item"));
            steps.scene.addItem(added);
        }
    });
    QSignalSpy finished(&steps.scene, &TopologyScene::buildFinished);
    const Scenario next = generatedScenario(40, 10);
    steps.document.reset(next);
    once.document.reset(next);
    QVERIFY(steps.scene.isBuilding());
    QVERIFY(steps.scene.isMakingItems()); // a view's fit waits
    // Nothing deleted yet: the old items (the edge servers' taken for the new scenario: their
    // ids are the same) and the other view's item.
    QCOMPARE(steps.scene.items().size(), oldItems + 1);
    QCOMPARE(steps.scene.itemCount(ItemKind::Device), 0); // yet no old item is reachable
    QVERIFY(finished.wait(10'000));
    QVERIFY(added);
    QCOMPARE(added->scene(), &steps.scene);
    QCOMPARE(steps.scene.items().size(), once.scene.items().size() + 1);
    QCOMPARE(steps.scene.itemCount(ItemKind::Device), 400);
    steps.scene.removeItem(added);
    delete added;
    const QString difference = firstDifference(steps.scene, once.scene);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestCanvasOpen::anEditDuringTheBuildStartsItOver()
{
    // The items built so far follow the document as it was: an edit makes the build start over
    // when it ends; the scene still ends as one built at once from the edited document.
    const Scenario scenario = generatedScenario(60, 10);
    ShownCanvas steps(true);
    ShownCanvas once(false);
    openFirst(&steps, &once, scenario);
    if (QTest::currentTestFailed()) {
        return;
    }
    QSignalSpy finished(&steps.scene, &TopologyScene::buildFinished);
    steps.document.reset(scenario);
    QVERIFY(steps.scene.isBuilding());
    const QString cluster = scenario.topology.clusters[0].id;
    const QString removed = scenario.topology.clusters[0].devices[0].id;
    steps.document.removeItems({{ItemKind::Device, removed}});
    QVERIFY(steps.scene.isBuilding());
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.count(), 1);
    QVERIFY(!steps.scene.nodeItem({ItemKind::Device, removed}));
    once.document.reset(steps.document.scenario());
    QCOMPARE(steps.scene.metresPerPixel(), once.scene.metresPerPixel());
    const QString difference = firstDifference(steps.scene, once.scene);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QCOMPARE(steps.scene.hullItem(cluster) != nullptr, true);
}

void TestCanvasOpen::selectingDuringTheBuildCompletesIt()
{
    // The items to select may not be made yet: selectRefs() completes the build first, labels
    // included (the worker's sort waited for), and the build reports its end once.
    const Scenario scenario = generatedScenario(60, 10);
    ShownCanvas steps(true);
    ShownCanvas once(false);
    openFirst(&steps, &once, scenario);
    if (QTest::currentTestFailed()) {
        return;
    }
    QSignalSpy finished(&steps.scene, &TopologyScene::buildFinished);
    steps.document.reset(scenario);
    QVERIFY(steps.scene.isBuilding());
    // A few turns: the build is past its first steps, maybe sorting on the worker.
    while (steps.scene.isMakingItems()) {
        QCoreApplication::processEvents(); // a turn: a step of a millisecond
    }
    QVERIFY(steps.scene.isBuilding());
    const ItemRef last{ItemKind::Device, scenario.topology.clusters.back().devices.back().id};
    steps.scene.selectRefs({last});
    QVERIFY(!steps.scene.isBuilding());
    QCOMPARE(finished.count(), 1);
    QCOMPARE(steps.scene.selectedRefs(), ItemRefList{last});
    once.document.reset(scenario);
    once.scene.selectRefs({last});
    QCOMPARE(steps.scene.metresPerPixel(), once.scene.metresPerPixel());
    const QString difference = firstDifference(steps.scene, once.scene);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestCanvasOpen::aLabelPassInStepsEqualsOneAtOnce()
{
    // CanvasLabelPass run with a deadline already passed places a few dozen items a call; run
    // to the end it must place every label as layoutCanvasLabels does (the scene's own pass).
    ShownCanvas canvas(false);
    QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
    canvas.document.reset(generatedScenario(30, 10));
    canvas.view.zoomIn(); // some labels fit, some hide
    const QStringList atOnce = sceneFingerprint(canvas.scene);
    // Hide every label, then place them again in steps.
    QList<NodeItem *> nodes;
    QList<ClusterHullItem *> hulls;
    for (QGraphicsItem *item : canvas.scene.items()) {
        if (auto *node = dynamic_cast<NodeItem *>(item)) {
            node->setLabelVisible(false);
            nodes.append(node);
        } else if (auto *hull = dynamic_cast<ClusterHullItem *>(item)) {
            hull->labelItem()->setVisible(false);
            hulls.append(hull);
        }
    }
    for (LinkItem *link : canvas.scene.linkItems()) {
        link->setDistanceFits(false);
    }
    QVERIFY(sceneFingerprint(canvas.scene) != atOnce); // the test can fail
    CanvasLabelPass pass(canvas.scene.metresPerPixel(), nodes, hulls, canvas.scene.linkItems(), {},
        canvas.scene.glyphItems().values());
    int calls = 0;
    while (!pass.run(QDeadlineTimer(0))) {
        ++calls;
    }
    QVERIFY2(calls > 10, qPrintable(QStringLiteral("%1 calls").arg(calls)));
    QCOMPARE(sceneFingerprint(canvas.scene), atOnce);
}

namespace {

/// Turns the event loop until `done` or the build ends (10 s at most); `done`'s last answer.
bool turnUntil(const TopologyScene &scene, const std::function<bool()> &done)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (!scene.isBuilding() || clock.elapsed() > 10'000) {
            return done();
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents);
    }
    return true;
}

/// True while the build clears the old items (no new device made yet) and has deleted more than
/// `gone` of the `oldItems` the scene had.
bool partlyCleared(const TopologyScene &scene, qsizetype oldItems, qsizetype gone)
{
    return scene.isMakingItems() && scene.itemCount(ItemKind::Device) == 0
        && scene.items().size() < oldItems - gone && scene.items().size() > gone;
}

} // namespace

void TestCanvasOpen::anotherFilesOldItemsGoInParts()
{
    // Opening 5,000 x 20 devices after 10,000 x 10 (other ids: nothing reused) deleted the
    // ~300,000 old items in one QGraphicsScene::clear(), ~0.65 s of a frozen window. They now go
    // a part per turn, hidden first, and the scene still ends equal to one built at once. The
    // delete limit below the clusters the next file lacks stands for other ids.
    ShownCanvas steps(true);
    ShownCanvas once(false);
    steps.scene.setPiecewiseDeleteLimit(100);
    openFirst(&steps, &once, generatedScenario(60, 10));
    if (QTest::currentTestFailed()) {
        return;
    }
    const qsizetype oldItems = steps.scene.items().size();
    QVERIFY(oldItems > 600);
    int partly = 0;     // turns where some old items were deleted, not all
    int staleShown = 0; // old items still visible in those turns
    QTimer probe;
    probe.setInterval(0);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (!partlyCleared(steps.scene, oldItems, 0)) {
            return;
        }
        ++partly;
        for (const QGraphicsItem *item : steps.scene.items()) {
            const auto *node = dynamic_cast<const NodeItem *>(item);
            const bool isNew = node && steps.scene.nodeItem(node->ref()) == node;
            staleShown += item->isVisible() && !isNew ? 1 : 0;
        }
    });
    probe.start();
    QSignalSpy finished(&steps.scene, &TopologyScene::buildFinished);
    const Scenario next = generatedScenario(30, 20);
    steps.document.reset(next);
    once.document.reset(next);
    QVERIFY(finished.wait(10'000));
    probe.stop();
    QVERIFY2(partly >= 3,
        qPrintable(QStringLiteral("%1 turns with old items partly deleted").arg(partly)));
    QCOMPARE(staleShown, 0);
    QCOMPARE(steps.scene.reusedItems(), int(next.topology.edgeServers.size()));
    const QString stray = strayItem(steps.scene);
    QVERIFY2(stray.isEmpty(), qPrintable(stray));
    QCOMPARE(steps.scene.items().size(), once.scene.items().size());
    QCOMPARE(steps.scene.itemCount(ItemKind::Device), 600);
    const QString difference = firstDifference(steps.scene, once.scene);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestCanvasOpen::aSecondFileDuringTheClearEndsRight()
{
    // A file opened while the old items of the previous switch are half deleted: the new build
    // takes over what is left and ends equal to a build at once, with no old item left.
    ShownCanvas steps(true);
    ShownCanvas once(false);
    steps.scene.setPiecewiseDeleteLimit(100);
    openFirst(&steps, &once, generatedScenario(60, 10));
    if (QTest::currentTestFailed()) {
        return;
    }
    const qsizetype oldItems = steps.scene.items().size();
    steps.document.reset(generatedScenario(30, 20));
    QVERIFY(turnUntil(steps.scene, [&] { return partlyCleared(steps.scene, oldItems, 100); }));
    const Scenario last = generatedScenario(40, 10);
    QSignalSpy finished(&steps.scene, &TopologyScene::buildFinished);
    steps.document.reset(last);
    once.document.reset(last);
    QVERIFY(finished.wait(10'000));
    QVERIFY(!steps.scene.isBuilding());
    const QString stray = strayItem(steps.scene);
    QVERIFY2(stray.isEmpty(), qPrintable(stray));
    QCOMPARE(steps.scene.items().size(), once.scene.items().size());
    QCOMPARE(steps.scene.itemCount(ItemKind::Device), 400);
    const QString difference = firstDifference(steps.scene, once.scene);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestCanvasOpen::closingDuringTheClearIsSafe()
{
    // The window closed while the old items are half deleted (hidden, restacked, some gone): the
    // scene deletes the rest, and nothing reaches a deleted one (an ASan build would tell).
    auto steps = std::make_unique<ShownCanvas>(true);
    steps->scene.setPiecewiseDeleteLimit(100);
    QVERIFY(QTest::qWaitForWindowExposed(&steps->view));
    steps->document.reset(generatedScenario(60, 10));
    QTRY_VERIFY(!steps->scene.isBuilding());
    const qsizetype oldItems = steps->scene.items().size();
    steps->document.reset(generatedScenario(30, 20));
    QVERIFY(turnUntil(steps->scene, [&] { return partlyCleared(steps->scene, oldItems, 100); }));
    QPointer<QGraphicsView> view = &steps->view;
    steps.reset();
    QVERIFY(!view);
    QCoreApplication::processEvents(); // no build step left to run
}

QTEST_MAIN(TestCanvasOpen)
#include "tst_canvas_open.moc"
