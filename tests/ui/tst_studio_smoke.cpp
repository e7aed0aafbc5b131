// SPDX-License-Identifier: MIT
// Widget smoke tests of the Studio window (issue [1/6] "Must show", [6/6]): the canvas shows one
// item per device, control unit and edge server of the bundled default scenario.
#include "core/scenario/scenario_json.h"
#include "tests/test_settings.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/docks/field_form.h"
#include "ui/docks/model_help_dialog.h"
#include "ui/docks/property_dock.h"
#include "ui/docks/settings_dock.h"
#include "ui/docks/validation_dock.h"
#include "ui/file_controller.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/model/validation_model.h"
#include "ui/settings/recent_files.h"
#include "ui/settings/settings_store.h"

#include <QAction>
#include <QGraphicsItem>
#include <QListView>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QUndoStack>
#include <QtTest>

using namespace collapipe;

class TestStudioSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsEveryItemOfTheDefaultScenario_data();
    void showsEveryItemOfTheDefaultScenario();
    void zoomAndFit();
    void propertyDockRefusesInvalidValues();
    void validationPanelSelectsTheOffendingItem();
    void settingsAreTypedAndCoalesced();
    void recentFilesKeepTheNewestFirst();
    void dropAcceptsOnlyJsonFiles();
    void helpFindsTheModelDescription();
    void placeAndDragOnTheCanvas();
    void rubberBandSelectsAndDeleteRemoves();

private:
    QTemporaryDir m_settingsDir;
};

void TestStudioSmoke::initTestCase()
{
    // Keep the user's real settings out of the test.
    QVERIFY(test::useTestSettings(m_settingsDir.path()));
}

void TestStudioSmoke::showsEveryItemOfTheDefaultScenario_data()
{
    QTest::addColumn<QString>("argument");
    QTest::newRow("explicit file")
        << QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");
    QTest::newRow("bundled default") << QString();
}

void TestStudioSmoke::showsEveryItemOfTheDefaultScenario()
{
    QFETCH(QString, argument);
    Scenario expected;
    std::vector<ScenarioProblem> problems;
    QVERIFY(
        loadScenarioFile(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json"),
            &expected, &problems));
    int devices = 0;
    for (const Cluster &c : expected.topology.clusters) {
        devices += static_cast<int>(c.devices.size());
    }
    const int clusters = static_cast<int>(expected.topology.clusters.size());
    QVERIFY(devices > 0);

    MainWindow window;
    window.openInitial(argument);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QVERIFY(window.document()->isValid());
    QCOMPARE(window.scene()->itemCount(ItemKind::Device), devices);
    QCOMPARE(window.scene()->itemCount(ItemKind::ControlUnit), clusters);
    QCOMPARE(window.scene()->itemCount(ItemKind::Cluster), clusters);
    QCOMPARE(window.scene()->itemCount(ItemKind::EdgeServer),
        static_cast<int>(expected.topology.edgeServers.size()));
    QCOMPARE(window.scene()->linkCount(false), devices); // D2D: control unit to each device
    QCOMPARE(window.scene()->linkCount(true), clusters); // D2E: one per cluster
    QVERIFY(!window.grab().isNull());
    window.document()->undoStack()->clear(); // nothing to save: no prompt on close
}

void TestStudioSmoke::zoomAndFit()
{
    MainWindow window;
    window.openInitial(QString());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    TopologyView *view = window.view();
    view->fitTopology();
    // After fitting, every device, control unit and server lies inside the viewport.
    const QRect viewport = view->viewport()->rect();
    for (const QGraphicsItem *item : window.scene()->items()) {
        if (item->flags() & QGraphicsItem::ItemIgnoresTransformations) {
            QVERIFY2(viewport.contains(view->mapFromScene(item->pos())),
                qPrintable(QStringLiteral("item at %1,%2 outside the view")
                               .arg(item->pos().x())
                               .arg(item->pos().y())));
        }
    }
    const double before = view->zoom();
    view->zoomIn();
    QVERIFY(view->zoom() > before);
    QCOMPARE(window.scene()->metresPerPixel(), 1.0 / view->zoom());
    view->zoomOut();
    QVERIFY(qAbs(view->zoom() - before) < 1e-9 * before);
}

void TestStudioSmoke::propertyDockRefusesInvalidValues()
{
    MainWindow window;
    window.openInitial(QString());
    const ItemRef device{ItemKind::Device, QStringLiteral("c1-d1")};
    window.view()->focusRef(device);
    FieldForm *form = window.propertyDock()->form();
    QCOMPARE(form->item(), device);

    QVERIFY(!form->editField(QStringLiteral("memory_bytes"), QStringLiteral("-5")));
    QVERIFY2(form->errorText().contains(QLatin1String("memory_bytes: must be >= 1e+06 (got -5)")),
        qPrintable(form->errorText()));
    QCOMPARE(window.document()->undoStack()->count(), 0);

    QVERIFY(form->editField(QStringLiteral("memory_bytes"), QStringLiteral("3e9")));
    QVERIFY(form->errorText().isEmpty());
    QCOMPARE(
        window.document()->propertyValue(device, QStringLiteral("memory_bytes")).toDouble(), 3e9);
    // Settings are edited the same way, from the same table.
    FieldForm *training = window.settingsDock()->form(QStringLiteral("training"));
    QVERIFY(training);
    QVERIFY(!training->editField(QStringLiteral("batch_size"), QStringLiteral("0")));
    QVERIFY(training->errorText().startsWith(QLatin1String("batch_size: must be")));
    window.document()->undoStack()->clear();
}

void TestStudioSmoke::validationPanelSelectsTheOffendingItem()
{
    MainWindow window;
    window.openInitial(QString());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy validity(window.document(), &TopologyDocument::validityChanged);
    // Moving every device out of c2 leaves a cluster with no devices: an error naming clusters[1].
    ItemRefList devices;
    for (const Device &d : window.document()->scenario().topology.clusters[1].devices) {
        devices.append({ItemKind::Device, d.id});
    }
    window.document()->removeItems(devices);
    QCOMPARE(validity.count(), 1);
    QCOMPARE(validity.at(0).at(0).toBool(), false);

    // The canvas marks the offending cluster, and only it.
    QVERIFY(window.scene()->hullItem(QStringLiteral("c2"))->isFlagged());
    QVERIFY(!window.scene()->hullItem(QStringLiteral("c1"))->isFlagged());

    ValidationModel *model = window.validationDock()->model();
    QVERIFY(model->rowCount() > 0);
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->itemAt(r) == ItemRef{ItemKind::Cluster, QStringLiteral("c2")}) {
            row = r;
        }
    }
    QVERIFY2(row >= 0, "no problem names cluster c2");
    auto *list = window.validationDock()->findChild<QListView *>();
    QVERIFY(list);
    const QRect rect = list->visualRect(model->index(row));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    const ItemRefList expected{{ItemKind::Cluster, QStringLiteral("c2")}};
    QCOMPARE(window.scene()->selectedRefs(), expected);
    window.document()->undoStack()->clear();
}

void TestStudioSmoke::settingsAreTypedAndCoalesced()
{
    Setting<int> rounds{QStringLiteral("test/rounds"), 3};
    Setting<QStringList> names{QStringLiteral("test/names"), {}};
    QCOMPARE(rounds.get(), 3);
    rounds.set(5);
    rounds.set(7);
    names.set({QStringLiteral("a"), QStringLiteral("b")});
    QCOMPARE(rounds.get(), 7); // pending writes are visible at once
    // ... but reach QSettings only when the coalescing timer fires, in one batch.
    QVERIFY(!QSettings().contains(QStringLiteral("test/rounds")));
    QTRY_VERIFY_WITH_TIMEOUT(QSettings().contains(QStringLiteral("test/rounds")), 2000);
    QCOMPARE(QSettings().value(QStringLiteral("test/rounds")).toInt(), 7);
    QCOMPARE(names.get(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QVERIFY(SettingsStore::instance().flush());
}

void TestStudioSmoke::recentFilesKeepTheNewestFirst()
{
    RecentFiles recent;
    recent.clear();
    for (int i = 0; i < RecentFiles::kMax + 3; ++i) {
        recent.add(m_settingsDir.filePath(QStringLiteral("s%1.json").arg(i)));
    }
    recent.add(m_settingsDir.filePath(QStringLiteral("s5.json")));
    const QStringList files = recent.files();
    QCOMPARE(files.size(), RecentFiles::kMax);
    QCOMPARE(files.first(), m_settingsDir.filePath(QStringLiteral("s5.json")));
    QCOMPARE(files.at(1), m_settingsDir.filePath(QStringLiteral("s10.json")));
    QCOMPARE(files.count(m_settingsDir.filePath(QStringLiteral("s5.json"))), 1);
}

void TestStudioSmoke::dropAcceptsOnlyJsonFiles()
{
    QMimeData json;
    json.setUrls({QUrl::fromLocalFile(QStringLiteral("/tmp/a.txt")),
        QUrl::fromLocalFile(QStringLiteral("/tmp/b.JSON"))});
    QCOMPARE(FileController::droppedScenario(&json), QStringLiteral("/tmp/b.JSON"));
    QMimeData text;
    text.setText(QStringLiteral("{}"));
    QVERIFY(FileController::droppedScenario(&text).isEmpty());
    QMimeData remote;
    remote.setUrls({QUrl(QStringLiteral("https://example.org/x.json"))});
    QVERIFY(FileController::droppedScenario(&remote).isEmpty());
}

void TestStudioSmoke::helpFindsTheModelDescription()
{
    if (!QFileInfo::exists(QStringLiteral(COLLAPIPE_SOURCE_DIR "/core/MODEL.md"))) {
        QStringList searched;
        QVERIFY(ModelHelpDialog::findModelFile(&searched).isEmpty() || !searched.isEmpty());
        QSKIP("core/MODEL.md not in this tree");
    }
    QVERIFY(ModelHelpDialog::findModelFile().endsWith(QLatin1String("MODEL.md")));
    ModelHelpDialog dialog;
    auto *browser = dialog.findChild<QTextBrowser *>();
    QVERIFY(browser);
    QVERIFY(browser->toPlainText().size() > 100);
    QVERIFY(!browser->toPlainText().contains(QLatin1String("not found")));
}

// Drives the real tools with synthetic mouse events: + Device click, then a Select drag.
void TestStudioSmoke::placeAndDragOnTheCanvas()
{
    MainWindow window;
    // A laptop's window: on the 800 x 800 offscreen screen the canvas beside the right-hand docks
    // was under 300 px wide, too narrow for a cluster and a new edge server side by side.
    window.resize(1280, 760);
    window.openInitial(QString());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.view()->fitTopology();
    TopologyDocument *document = window.document();
    QUndoStack *stack = document->undoStack();
    auto action = [&window](const QString &text) {
        for (QAction *a : window.findChildren<QAction *>()) {
            if (a->text() == text) {
                return a;
            }
        }
        return static_cast<QAction *>(nullptr);
    };
    QWidget *viewport = window.view()->viewport();
    const Position cu = document->position({ItemKind::ControlUnit, QStringLiteral("c1-cu")});
    const QPoint cuPixel = window.view()->mapFromScene(QPointF(cu.xM, cu.yM));
    const int devicesBefore
        = static_cast<int>(document->scenario().topology.clusters[0].devices.size());

    QAction *addDevice = action(QStringLiteral("+ Device"));
    QVERIFY(addDevice);
    addDevice->trigger();
    const QPoint click = cuPixel + QPoint(0, 40);
    QTest::mouseClick(viewport, Qt::LeftButton, {}, click);
    QCOMPARE(static_cast<int>(document->scenario().topology.clusters[0].devices.size()),
        devicesBefore + 1);
    QCOMPARE(stack->count(), 1);
    const Device added = document->scenario().topology.clusters[0].devices.back();
    QCOMPARE(window.scene()->selectedRefs(), (ItemRefList{{ItemKind::Device, added.id}}));
    QCOMPARE(window.scene()->itemCount(ItemKind::Device), window.scene()->linkCount(false));

    action(QStringLiteral("Select"))->trigger();
    QTest::mousePress(viewport, Qt::LeftButton, {}, click);
    for (int step = 1; step <= 5; ++step) {
        QTest::mouseMove(viewport, click + QPoint(10 * step, 4 * step));
    }
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, click + QPoint(50, 20));
    QCOMPARE(stack->count(), 2); // the five move steps merged into one
    const Position moved = document->position({ItemKind::Device, added.id});
    QVERIFY2(moved.xM > added.position.xM, qPrintable(QString::number(moved.xM)));
    stack->undo();
    QCOMPARE(document->position({ItemKind::Device, added.id}).xM, added.position.xM);

    // + Edge server on empty ground, then Connect drags cluster c2 onto it.
    action(QStringLiteral("+ Edge server"))->trigger();
    const QPoint serverPixel(60, 60);
    QTest::mouseClick(viewport, Qt::LeftButton, {}, serverPixel);
    QCOMPARE(document->scenario().topology.edgeServers.size(), size_t(2));
    const QString server = document->scenario().topology.edgeServers.back().id;
    action(QStringLiteral("Connect"))->trigger();
    const Position cu2 = document->position({ItemKind::ControlUnit, QStringLiteral("c2-cu")});
    const QPoint cu2Pixel = window.view()->mapFromScene(QPointF(cu2.xM, cu2.yM));
    QTest::mousePress(viewport, Qt::LeftButton, {}, cu2Pixel);
    QTest::mouseMove(viewport, (cu2Pixel + serverPixel) / 2);
    QTest::mouseMove(viewport, serverPixel);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, serverPixel);
    QCOMPARE(document->scenario().topology.clusters[1].edgeServerId, server);
    QCOMPARE(window.scene()->linkCount(true), 3);
    stack->clear();
}

void TestStudioSmoke::rubberBandSelectsAndDeleteRemoves()
{
    MainWindow window;
    window.resize(1600, 1000); // the offscreen screen is small; c1 would crowd bs1
    window.openInitial(QString());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.view()->fitTopology();
    const QByteArray original = scenarioToJson(window.document()->scenario());
    // A box drawn from outside cluster c1's hull to past its far corner selects the whole cluster.
    // It starts at a corner where nothing is (a press on a cluster's name selects that cluster).
    const QRectF hull = window.scene()->hullItem(QStringLiteral("c1"))->shape().boundingRect();
    const QRect box = window.view()->mapFromScene(hull).boundingRect().adjusted(-3, -3, 3, 3);
    QPoint from = box.topLeft();
    QPoint to = box.bottomRight();
    for (const auto &[a, b] :
        {std::pair{box.topLeft(), box.bottomRight()}, std::pair{box.bottomRight(), box.topLeft()},
            std::pair{box.topRight(), box.bottomLeft()},
            std::pair{box.bottomLeft(), box.topRight()}}) {
        if (window.view()->items(a).isEmpty()) {
            from = a;
            to = b;
            break;
        }
    }
    QVERIFY(window.view()->items(from).isEmpty());
    QWidget *viewport = window.view()->viewport();
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QTest::mouseMove(viewport, (from + to) / 2);
    QTest::mouseMove(viewport, to);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
    const ItemRefList selected = window.scene()->selectedRefs();
    QVERIFY(selected.contains(ItemRef{ItemKind::Cluster, QStringLiteral("c1")}));
    QVERIFY(selected.contains(ItemRef{ItemKind::Device, QStringLiteral("c1-d1")}));
    QVERIFY(!selected.contains(ItemRef{ItemKind::EdgeServer, QStringLiteral("bs1")}));

    QAction *remove = nullptr;
    for (QAction *a : window.findChildren<QAction *>()) {
        if (a->shortcut() == QKeySequence(QKeySequence::Delete)) {
            remove = a;
        }
    }
    QVERIFY(remove && remove->isEnabled());
    remove->trigger();
    QCOMPARE(window.document()->clusterIndex(QStringLiteral("c1")), -1);
    QCOMPARE(window.document()->undoStack()->count(), 1);
    QCOMPARE(window.scene()->itemCount(ItemKind::Cluster), 2);
    window.document()->undoStack()->undo();
    QCOMPARE(scenarioToJson(window.document()->scenario()), original);
    QCOMPARE(window.scene()->itemCount(ItemKind::Cluster), 3);
    window.document()->undoStack()->clear();
}

QTEST_MAIN(TestStudioSmoke)
#include "tst_studio_smoke.moc"
