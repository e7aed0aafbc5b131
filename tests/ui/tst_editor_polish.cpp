// SPDX-License-Identifier: MIT
// Issue [1/7] "Trust", the editor's polish: positions at a readable precision, readable default
// names, removing an edge server leaves nothing dangling, selecting raises Properties, the
// Validation and Scenario settings docks are readable, field texts are decoded as UTF-8.
// Issue [6/7]: a device's availability and mobility are edited in Properties (units, undo,
// refusals naming the field and the value, only the chosen model's fields shown, trace rows read).
#include "core/scenario/scenario_json.h"
#include "tests/test_settings.h"
#include "tests/ui/editor_test_util.h"
#include "tests/ui/tst_editor_polish_waypoints.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/waypoint_path_item.h"
#include "ui/canvas/waypoint_tool.h"
#include "ui/docks/field_form.h"
#include "ui/docks/property_dock.h"
#include "ui/docks/settings_dock.h"
#include "ui/docks/validation_dock.h"
#include "ui/docks/waypoint_list_editor.h"
#include "ui/main_window.h"
#include "ui/model/field_access.h"
#include "ui/model/topology_document.h"
#include "ui/run/run_workspace.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
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
    void availabilityAndMobilityInProperties();
    void traceFileBringsItsRows();
    void waypointListInProperties();
    void waypointPathOnTheCanvas();
    void waypointHandlesOnTheCanvas();

private:
    QTemporaryDir m_settingsDir;
};

void TestEditorPolish::initTestCase()
{
    QVERIFY(useTestSettings(m_settingsDir.path()));
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

void TestEditorPolish::availabilityAndMobilityInProperties()
{
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    const QString id = document.scenario().topology.clusters[0].devices[0].id;
    const ItemRef ref{ItemKind::Device, id};
    FieldForm form(&document);
    form.setItem(ref);
    const auto device = [&]() -> const Device & {
        int ci = -1, di = -1;
        document.deviceIndex(id, &ci, &di);
        return document.scenario().topology.clusters[size_t(ci)].devices[size_t(di)];
    };
    const auto shown = [&](const char *key) { return form.isFieldShown(QLatin1String(key)); };
    // Availability: only the chosen model's fields; units on the labels.
    QVERIFY(shown("availability.model"));
    QVERIFY(shown("battery_j"));
    QVERIFY(!shown("availability.mean_up_s"));
    QVERIFY(!shown("availability.file"));
    QVERIFY(form.editField(QStringLiteral("availability.model"), QStringLiteral("1"))); // markov
    QCOMPARE(device().availability.kind, AvailabilityKind::Markov);
    QVERIFY(shown("availability.mean_up_s") && shown("availability.mean_down_s"));
    QVERIFY(shown("availability.seed"));
    QVERIFY(!shown("availability.file"));
    BoundField field;
    QVERIFY(findBoundField(ref, QStringLiteral("availability.mean_up_s"), &field));
    QCOMPARE(field.info.unit, QStringLiteral("s"));
    QVERIFY(field.info.label.startsWith(QLatin1String("Availability: ")));
    QVERIFY(form.editField(QStringLiteral("availability.mean_up_s"), QStringLiteral("900")));
    QVERIFY(form.editField(QStringLiteral("availability.mean_down_s"), QStringLiteral("60")));
    QCOMPARE(device().availability.meanUpS, 900.0);
    // Refused values name the field and the value, and leave the stored one.
    QVERIFY(!form.editField(QStringLiteral("availability.mean_up_s"), QStringLiteral("-5")));
    QVERIFY2(form.errorText().contains(QLatin1String("availability.mean_up_s"))
            && form.errorText().contains(QLatin1String("-5")),
        qPrintable(form.errorText()));
    QCOMPARE(device().availability.meanUpS, 900.0);
    QVERIFY(form.editField(QStringLiteral("battery_j"), QStringLiteral("5000")));
    QCOMPARE(device().batteryJ, 5000.0);
    QVERIFY(!form.editField(QStringLiteral("battery_j"), QStringLiteral("-1")));
    QVERIFY2(form.errorText().contains(QLatin1String("battery_j"))
            && form.errorText().contains(QLatin1String("-1")),
        qPrintable(form.errorText()));
    // Each accepted edit is one undo step.
    QUndoStack *undo = document.undoStack();
    undo->undo(); // battery
    QCOMPARE(device().batteryJ, 0.0);
    undo->undo(); // mean down
    undo->undo(); // mean up
    QVERIFY(device().availability.meanUpS != 900.0);
    undo->undo(); // model
    QCOMPARE(device().availability.kind, AvailabilityKind::Always);
    QVERIFY(!shown("availability.mean_up_s"));
    undo->redo();
    QCOMPARE(device().availability.kind, AvailabilityKind::Markov);
    QVERIFY(shown("availability.mean_up_s"));

    // Mobility: random waypoint shows its fields (speed range, pause, area, seed), not the
    // path's or Gauss-Markov's; refusals name the field and the value.
    QVERIFY(!shown("mobility.min_speed_mps"));
    QVERIFY(form.editField(QStringLiteral("mobility.model"), QStringLiteral("2")));
    QCOMPARE(device().mobility.model, MobilityModel::RandomWaypoint);
    for (const char *key : {"mobility.min_speed_mps", "mobility.max_speed_mps", "mobility.pause_s",
             "mobility.area_width_m", "mobility.seed"}) {
        QVERIFY2(shown(key), key);
    }
    QVERIFY(!shown("mobility.speed_mps"));
    QVERIFY(!shown("mobility.alpha"));
    QVERIFY(findBoundField(ref, QStringLiteral("mobility.max_speed_mps"), &field));
    QCOMPARE(field.info.unit, QStringLiteral("m/s"));
    QVERIFY(form.editField(QStringLiteral("mobility.max_speed_mps"), QStringLiteral("3")));
    QVERIFY(form.editField(QStringLiteral("mobility.seed"), QStringLiteral("42")));
    QCOMPARE(device().mobility.maxSpeedMps, 3.0);
    QCOMPARE(device().mobility.seed, std::uint64_t(42));
    QVERIFY(!form.editField(QStringLiteral("mobility.max_speed_mps"), QStringLiteral("500")));
    QVERIFY2(form.errorText().contains(QLatin1String("mobility.max_speed_mps"))
            && form.errorText().contains(QLatin1String("500")),
        qPrintable(form.errorText()));
    QCOMPARE(device().mobility.maxSpeedMps, 3.0);
    QVERIFY(form.editField(QStringLiteral("mobility.model"), QStringLiteral("3"))); // gauss_markov
    QVERIFY(shown("mobility.alpha") && shown("mobility.mean_speed_mps"));
    QVERIFY(!shown("mobility.max_speed_mps"));
    undo->undo();
    QCOMPARE(device().mobility.model, MobilityModel::RandomWaypoint);
    QVERIFY(shown("mobility.max_speed_mps"));
    QVERIFY(form.editField(QStringLiteral("mobility.model"), QStringLiteral("0"))); // none
    QVERIFY(!shown("mobility.seed"));
    QVERIFY(shown("mobility.model"));
}

void TestEditorPolish::traceFileBringsItsRows()
{
    // Choosing "trace" and naming a file reads its rows (relative to the scenario's folder); a
    // bad row makes the scenario invalid naming the line and the value; naming a good file again
    // brings its rows back.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    const QString path = dir.filePath(QStringLiteral("edited.json"));
    QVERIFY2(document.save(path, &error), qPrintable(error));
    const QString id = document.scenario().topology.clusters[0].devices[0].id;
    QVERIFY(writeAll(dir.filePath(QStringLiteral("good.csv")),
        QStringLiteral("time_s,device_id,up\n0,%1,0\n30,%1,1\n").arg(id).toUtf8()));
    QVERIFY(writeAll(dir.filePath(QStringLiteral("bad.csv")),
        QStringLiteral("time_s,device_id,up\n0,%1,2\n").arg(id).toUtf8()));
    const ItemRef ref{ItemKind::Device, id};
    FieldForm form(&document);
    form.setItem(ref);
    const auto device = [&]() -> const Device & {
        int ci = -1, di = -1;
        document.deviceIndex(id, &ci, &di);
        return document.scenario().topology.clusters[size_t(ci)].devices[size_t(di)];
    };
    QVERIFY(form.editField(QStringLiteral("availability.model"), QStringLiteral("2"))); // trace
    QVERIFY(form.isFieldShown(QStringLiteral("availability.file")));
    QVERIFY(!document.isValid()); // a trace needs a file
    QVERIFY(form.editField(QStringLiteral("availability.file"), QStringLiteral("good.csv")));
    QVERIFY2(document.isValid(), qPrintable(document.validityReason()));
    QCOMPARE(device().availability.trace.size(), std::size_t(2));
    QCOMPARE(device().availability.trace[1].timeS, 30.0);
    QVERIFY(form.editField(QStringLiteral("availability.file"), QStringLiteral("bad.csv")));
    QVERIFY(!document.isValid());
    QVERIFY2(document.validityReason().contains(QLatin1String("bad.csv line 2"))
            && document.validityReason().contains(QLatin1String("2")),
        qPrintable(document.validityReason()));
    QVERIFY(form.editField(QStringLiteral("availability.file"), QStringLiteral("good.csv")));
    QVERIFY2(document.isValid(), qPrintable(document.validityReason()));
    QCOMPARE(device().availability.trace.size(), std::size_t(2));
    // The file edits merge into one undo step (like any field's); undoing it and the model
    // leaves an always-present device and a valid scenario.
    document.undoStack()->undo();
    QVERIFY(device().availability.file.isEmpty());
    document.undoStack()->undo();
    QCOMPARE(device().availability.kind, AvailabilityKind::Always);
    QVERIFY2(document.isValid(), qPrintable(document.validityReason()));
}

void TestEditorPolish::waypointListInProperties()
{
    // A node's waypoint path as rows in Properties: add, edit, remove, each one undo step; shown
    // only for the "waypoints" model; a refused cell names the waypoint, coordinate and value.
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    const ItemRef ref{ItemKind::Device, document.scenario().topology.clusters[0].devices[0].id};
    WaypointListEditor editor(&document);
    editor.setItem(ref);
    QVERIFY(!editor.isRelevant());
    QVERIFY(document.setProperty(ref, QStringLiteral("mobility.model"), 1.0)); // waypoints
    QVERIFY(editor.isRelevant());
    // Add and Remove sit on the title's row, above the table: never under the dock's fold.
    editor.resize(360, 320);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    for (const char *name : {"addWaypoint", "removeWaypoint"}) {
        const auto *button = editor.findChild<QPushButton *>(QLatin1String(name));
        QVERIFY2(button && button->isVisible(), name);
        QVERIFY2(button->geometry().bottom() < editor.table()->geometry().top(), name);
    }
    QUndoStack *undo = document.undoStack();
    const int start = undo->count();
    QVERIFY(editor.addWaypoint());
    QVERIFY(editor.addWaypoint());
    QCOMPARE(undo->count(), start + 2);
    QCOMPARE(editor.table()->rowCount(), 2);
    const Position at = document.position(ref);
    QCOMPARE(document.waypoints(ref)[1].xM, at.xM + 20.0);
    QVERIFY(editor.editCell(0, 1, QStringLiteral("-35.5")));
    QCOMPARE(document.waypoints(ref)[0].yM, -35.5);
    QCOMPARE(editor.table()->item(0, 1)->text(), QStringLiteral("-35.5"));
    // Typing into the table is the same edit.
    editor.table()->item(1, 1)->setText(QStringLiteral("7"));
    QCOMPARE(document.waypoints(ref)[1].yM, 7.0);
    const int edited = undo->count();
    QVERIFY(!editor.editCell(1, 0, QStringLiteral("2e5")));
    QVERIFY2(editor.errorText().contains(QLatin1String("mobility.waypoints[1].x_m"))
            && editor.errorText().contains(QLatin1String("2e+05")),
        qPrintable(editor.errorText()));
    QCOMPARE(editor.table()->item(1, 0)->text(), formatFieldNumber(at.xM + 20.0));
    QVERIFY(!editor.editCell(1, 0, QStringLiteral("east")));
    QVERIFY2(editor.errorText().contains(QLatin1String("east")), qPrintable(editor.errorText()));
    QCOMPARE(undo->count(), edited);
    QVERIFY(editor.removeWaypoint(0));
    QCOMPARE(editor.table()->rowCount(), 1);
    QVERIFY(editor.errorText().isEmpty());
    undo->undo();
    QCOMPARE(editor.table()->rowCount(), 2);
    QCOMPARE(document.waypoints(ref)[0].yM, -35.5);
    while (undo->count() > start && undo->canUndo() && undo->index() > start) {
        undo->undo();
    }
    QVERIFY(document.waypoints(ref).empty());
    QCOMPARE(editor.table()->rowCount(), 0);
    QVERIFY(document.setProperty(ref, QStringLiteral("mobility.model"), 0.0));
    QVERIFY(!editor.isRelevant());
}

void TestEditorPolish::waypointPathOnTheCanvas()
{
    // The selected node's path is drawn as a polyline; the Path tool clicks one: the points and
    // the "waypoints" model are ONE undo step, previewed while clicking.
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(kDefault, &error));
    TopologyScene scene(&document);
    auto *overlay = new WaypointPathOverlay(&scene, &document); // owned by the scene
    WaypointTool tool(&scene, overlay);
    const ItemRef ref{ItemKind::Device, document.scenario().topology.clusters[0].devices[0].id};
    scene.selectRefs({ref});
    QCOMPARE(overlay->node(), ref);
    QVERIFY(!overlay->isShown()); // no path yet
    QUndoStack *undo = document.undoStack();
    const int start = undo->index();
    QVERIFY(tool.addPoint(QPointF(100, 50)));
    QVERIFY(tool.addPoint(QPointF(120, -30)));
    QVERIFY(tool.addPoint(QPointF(-10, -30)));
    QVERIFY(overlay->isShown()); // the preview
    QCOMPARE(overlay->drawnPath().size(), 4);
    QCOMPARE(undo->index(), start); // nothing stored while clicking
    QVERIFY(tool.finish());
    QCOMPARE(undo->index(), start + 1);
    const std::vector<Position> expected{{100, 50}, {120, -30}, {-10, -30}};
    QVERIFY(document.waypoints(ref) == expected);
    QCOMPARE(document.propertyValue(ref, QStringLiteral("mobility.model")).toInt(),
        int(MobilityModel::Waypoints));
    QVERIFY(overlay->isShown());
    const QPolygonF drawn = overlay->drawnPath();
    QCOMPARE(drawn.size(), 4);
    QCOMPARE(drawn.first(), toScenePoint(document.position(ref)));
    QCOMPARE(drawn.last(), QPointF(-10, -30));
    // A Properties edit redraws it.
    QVERIFY(document.setWaypoints(ref, {{5, 5}}));
    QCOMPARE(overlay->drawnPath().size(), 2);
    undo->undo();
    QCOMPARE(overlay->drawnPath().size(), 4);
    undo->undo(); // the whole clicked path and the model, in one step
    QVERIFY(document.waypoints(ref).empty());
    QCOMPARE(document.propertyValue(ref, QStringLiteral("mobility.model")).toInt(),
        int(MobilityModel::None));
    QVERIFY(!overlay->isShown());
    // Another selection: no path drawn; switching tools discards an unfinished path.
    scene.selectRefs({});
    QVERIFY(overlay->node().isNull());
    scene.selectRefs({ref});
    QVERIFY(tool.addPoint(QPointF(1, 1)));
    tool.deactivate();
    QVERIFY(!tool.finish());
    QVERIFY(!overlay->isShown());
    QCOMPARE(undo->index(), start);
}

void TestEditorPolish::waypointHandlesOnTheCanvas()
{
    checkWaypointHandles(); // tst_editor_polish_waypoints.cpp
}

QTEST_MAIN(TestEditorPolish)
#include "tst_editor_polish.moc"
