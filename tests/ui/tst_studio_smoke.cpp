// SPDX-License-Identifier: MIT
// Widget smoke tests of the Studio window (issue [1/6] "Must show", [6/6]): the canvas shows one
// item per device, control unit and edge server of the bundled default scenario.
#include "core/scenario/scenario_json.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"

#include <QGraphicsItem>
#include <QTemporaryDir>
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

private:
    QTemporaryDir m_settingsDir;
};

void TestStudioSmoke::initTestCase()
{
    // Keep the user's real settings out of the test.
    QVERIFY(m_settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("CollaPipeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_studio_smoke"));
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

QTEST_MAIN(TestStudioSmoke)
#include "tst_studio_smoke.moc"
