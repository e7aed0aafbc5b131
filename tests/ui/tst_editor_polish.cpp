// SPDX-License-Identifier: MIT
// Issue [1/7] "Trust", the editor's polish: positions at a readable precision, readable default
// names, removing an edge server leaves nothing dangling, selecting raises Properties, the
// Validation and Scenario settings docks are readable, field texts are decoded as UTF-8.
#include "core/scenario/scenario_json.h"
#include "tests/ui/editor_test_util.h"
#include "ui/canvas/topology_scene.h"
#include "ui/docks/field_form.h"
#include "ui/docks/property_dock.h"
#include "ui/docks/settings_dock.h"
#include "ui/docks/validation_dock.h"
#include "ui/main_window.h"
#include "ui/model/field_access.h"
#include "ui/model/topology_document.h"
#include "ui/run/run_workspace.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace collapipe;
using namespace collapipe::test;

namespace {

const QString kDefault = defaultScenarioPath();

} // namespace

class TestEditorPolish : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void positionsShowATenthOfAMetre();
    void newItemsGetReadableUniqueNames();
    void deletingAnEdgeServerReconnectsItsClusters();
    void selectingRaisesProperties();
    void validationDockHasAReadableWidth();
    void settingsDescriptionIsMultiLineAndSectionsFit();
    void fieldTextsDecodeUtf8();

private:
    QTemporaryDir m_settingsDir;
};

void TestEditorPolish::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("CollaPipeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_editor_polish"));
}

void TestEditorPolish::positionsShowATenthOfAMetre()
{
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    const ItemRef ref{ItemKind::Device, document.scenario().topology.clusters[0].devices[0].id};
    QVERIFY(document.setProperty(ref, QStringLiteral("x_m"), 313.708279066397));
    FieldForm form(&document);
    form.setItem(ref);
    auto *x = qobject_cast<QLineEdit *>(form.editor(QStringLiteral("x_m")));
    QVERIFY(x);
    QCOMPARE(x->text(), QStringLiteral("313.7"));
    QVERIFY(document.setProperty(ref, QStringLiteral("y_m"), 260.0));
    QCOMPARE(qobject_cast<QLineEdit *>(form.editor(QStringLiteral("y_m")))->text(),
        QStringLiteral("260"));
    // Showing it does not change it; an unedited field is never written back.
    QCOMPARE(document.propertyValue(ref, QStringLiteral("x_m")).toDouble(), 313.708279066397);
    // Other numbers keep full precision (a seed, a rate).
    BoundField field;
    QVERIFY(findBoundField(ref, QStringLiteral("compute_flops"), &field));
    QCOMPARE(formatFieldForEditor(field.info, 1.23456789e12), formatFieldNumber(1.23456789e12));
}

void TestEditorPolish::newItemsGetReadableUniqueNames()
{
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    Cluster cluster;
    cluster.edgeServerId = document.scenario().topology.edgeServers.front().id;
    const QString a = document.addCluster(cluster);
    const QString b = document.addCluster(cluster);
    const QString d1 = document.addDevice(a, Device{});
    const QString d2 = document.addDevice(a, Device{});
    const QString s1 = document.addEdgeServer(EdgeServer{});
    const Scenario &s = document.scenario();
    const QString nameA = s.topology.clusters[static_cast<size_t>(document.clusterIndex(a))].name;
    const QString nameB = s.topology.clusters[static_cast<size_t>(document.clusterIndex(b))].name;
    QVERIFY(!nameA.isEmpty());
    QVERIFY(nameA != nameB);
    QVERIFY(nameA.startsWith(QLatin1String("Cluster ")));
    int ci = -1, di1 = -1, di2 = -1;
    QVERIFY(document.deviceIndex(d1, &ci, &di1));
    QVERIFY(document.deviceIndex(d2, &ci, &di2));
    const auto &devices = s.topology.clusters[static_cast<size_t>(ci)].devices;
    QVERIFY(!devices[static_cast<size_t>(di1)].name.isEmpty());
    QVERIFY(devices[static_cast<size_t>(di1)].name != devices[static_cast<size_t>(di2)].name);
    QVERIFY(
        !s.topology.edgeServers[static_cast<size_t>(document.edgeServerIndex(s1))].name.isEmpty());
    // A name the caller gives is kept.
    Device named;
    named.name = QStringLiteral("Lab phone");
    const QString d3 = document.addDevice(a, named);
    QVERIFY(document.deviceIndex(d3, &ci, &di1));
    QCOMPARE(document.scenario()
                 .topology.clusters[static_cast<size_t>(ci)]
                 .devices[static_cast<size_t>(di1)]
                 .name,
        QStringLiteral("Lab phone"));
}

void TestEditorPolish::deletingAnEdgeServerReconnectsItsClusters()
{
    MainWindow window;
    window.openInitial(kDefault);
    TopologyDocument *document = window.document();
    EdgeServer extra;
    extra.position = {900.0, 900.0};
    const QString spare = document->addEdgeServer(extra);
    const QString cluster = document->scenario().topology.clusters.front().id;
    const QString served = document->scenario().topology.clusters.front().edgeServerId;
    window.scene()->selectRefs({{ItemKind::Cluster, cluster}});
    QComboBox *box = combo(window.propertyDock()->form(), QStringLiteral("edge_server_id"));
    QVERIFY(box);
    const QString beforeJson = QString::fromUtf8(scenarioToJson(document->scenario()));
    const int undoBefore = document->undoStack()->index();

    document->removeItems({{ItemKind::EdgeServer, served}});
    // No cluster points at the removed server; the combo does not offer it; nothing dangles.
    for (const Cluster &c : document->scenario().topology.clusters) {
        QVERIFY2(document->edgeServerIndex(c.edgeServerId) >= 0,
            qPrintable(c.id + u':' + c.edgeServerId));
    }
    QCOMPARE(box->findText(served), -1);
    QCOMPARE(box->currentText(), spare);
    for (const ScenarioProblem &p : document->problems()) {
        QVERIFY2(!p.path.endsWith(QLatin1String("edge_server_id")), qPrintable(p.toString()));
    }
    // One undo step brings the server and every connection back.
    QCOMPARE(document->undoStack()->index(), undoBefore + 1);
    document->undoStack()->undo();
    QCOMPARE(QString::fromUtf8(scenarioToJson(document->scenario())), beforeJson);
    QCOMPARE(box->currentText(), served);
    document->undoStack()->setClean();
}

void TestEditorPolish::selectingRaisesProperties()
{
    MainWindow window;
    window.resize(1280, 800);
    window.openInitial(kDefault);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.settingsDock()->raise();
    QTRY_VERIFY(
        !window.propertyDock()->isVisible() || window.propertyDock()->visibleRegion().isEmpty());
    const QString cluster = window.document()->scenario().topology.clusters.front().id;
    window.scene()->selectRefs({{ItemKind::Cluster, cluster}});
    QTRY_VERIFY(
        window.propertyDock()->isVisible() && !window.propertyDock()->visibleRegion().isEmpty());
}

void TestEditorPolish::validationDockHasAReadableWidth()
{
    for (const QSize size : {QSize(1600, 1000), QSize(1280, 800)}) {
        MainWindow window;
        RunWorkspace::install(&window);
        window.resize(size);
        window.openInitial(kDefault);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QWidget *body = window.validationDock()->widget();
        const int minimum = body->fontMetrics().averageCharWidth() * 40;
        QVERIFY2(body->width() >= minimum,
            qPrintable(QStringLiteral("validation %1 px wide at %2x%3")
                           .arg(body->width())
                           .arg(size.width())
                           .arg(size.height())));
    }
}

void TestEditorPolish::settingsDescriptionIsMultiLineAndSectionsFit()
{
    MainWindow window;
    window.resize(1280, 800);
    window.openInitial(kDefault);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.settingsDock()->raise();
    FieldForm *scenario = window.settingsDock()->form(QStringLiteral("scenario"));
    auto *description
        = qobject_cast<QPlainTextEdit *>(scenario->editor(QStringLiteral("description")));
    QVERIFY2(description, "the description is not a multi-line editor");
    QVERIFY(description->height() >= 3 * description->fontMetrics().lineSpacing());
    // A multi-line description goes to the document on focus out, whole.
    description->setFocus();
    description->selectAll();
    QTest::keyClicks(description, QStringLiteral("first line"));
    QTest::keyClick(description, Qt::Key_Return);
    QTest::keyClicks(description, QStringLiteral("second line"));
    scenario->editor(QStringLiteral("name"))->setFocus();
    QTRY_COMPARE(
        window.document()->scenario().description, QStringLiteral("first line\nsecond line"));
    // Every section is as tall as its fields (not squeezed to a few rows).
    for (const auto &section : settingsSections()) {
        FieldForm *form = window.settingsDock()->form(section.first);
        QVERIFY(form);
        QTRY_VERIFY2(form->height() >= form->minimumSizeHint().height(), qPrintable(section.first));
        const int fields
            = static_cast<int>(boundFields({ItemKind::Settings, section.first}).size());
        QVERIFY2(
            form->height() >= fields * form->fontMetrics().height(), qPrintable(section.first));
    }
    window.document()->undoStack()->setClean();
}

void TestEditorPolish::fieldTextsDecodeUtf8()
{
    // Polish: tooltips showed "Â§" (UTF-8 field texts decoded as Latin-1).
    QList<ItemRef> tables{{ItemKind::EdgeServer, QString()}, {ItemKind::Cluster, QString()},
        {ItemKind::ControlUnit, QString()}, {ItemKind::Device, QString()}};
    for (const auto &section : settingsSections()) {
        tables.append({ItemKind::Settings, section.first});
    }
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    const Cluster &c = document.scenario().topology.clusters.front();
    tables[0].id = document.scenario().topology.edgeServers.front().id;
    tables[1].id = c.id;
    tables[2].id = c.controlUnit.id;
    tables[3].id = c.devices.front().id;
    int sections = 0;
    for (const ItemRef &ref : std::as_const(tables)) {
        for (const BoundField &field : boundFields(ref)) {
            const QString tip = fieldToolTip(field.info);
            QVERIFY2(!tip.contains(QChar(0xC2)) && !tip.contains(QChar(0xE2))
                    && !tip.contains(QChar(0xCE)),
                qPrintable(field.info.key + QStringLiteral(": ") + tip));
            sections += tip.count(QChar(0xA7)); // §
        }
    }
    QVERIFY2(sections > 0, "no field help cites a spec section; the check saw no non-ASCII text");
    BoundField policy;
    QVERIFY(findBoundField(
        {ItemKind::Settings, QStringLiteral("optimizer")}, QStringLiteral("policy"), &policy));
    QVERIFY(policy.info.help.contains(QStringLiteral("§8")));
}

QTEST_MAIN(TestEditorPolish)
#include "tst_editor_polish.moc"
