// SPDX-License-Identifier: MIT
// The topology editor through its document and undo commands, no widgets (issue [6/6] "Must
// show"): edits undo back to the original bytes, saves round-trip, invalid edits are refused with
// the field's reason, invalid scenarios report why, drags merge into one undo step.
#include "core/scenario/scenario_json.h"
#include "ui/model/device_presets.h"
#include "ui/model/topology_document.h"
#include "ui/model/validation_model.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <cmath>

using namespace collapipe;

namespace {

const QString kDefault = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");

void undoAll(QUndoStack *stack)
{
    while (stack->canUndo()) {
        stack->undo();
    }
}

void redoAll(QUndoStack *stack)
{
    while (stack->canRedo()) {
        stack->redo();
    }
}

} // namespace

class TestTopologyDocument : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void editsUndoToTheOriginalBytes();
    void deleteSelectionIsOneUndoStep();
    void undoTextsNameTheItems();
    void saveLoadRoundTrip();
    void invalidEditIsRefused_data();
    void invalidEditIsRefused();
    void invalidScenarioIsNotValid();
    void dragsMergeIntoOneStep();
    void spinEditsMerge();
    void connectClusterUndoes();
    void presetsPersistInSettings();
    void problemPathsNameItems_data();
    void problemPathsNameItems();
    void waypointPathIsOneUndoStep();

private:
    TopologyDocument m_doc;
    QByteArray m_original;
};

void TestTopologyDocument::init()
{
    QString error;
    QVERIFY2(m_doc.load(kDefault, &error), qPrintable(error));
    QVERIFY2(m_doc.isValid(), qPrintable(m_doc.validityReason()));
    QVERIFY(!m_doc.isModified());
    m_original = scenarioToJson(m_doc.scenario());
}

void TestTopologyDocument::editsUndoToTheOriginalBytes()
{
    Device device;
    device.id = QStringLiteral("c1-new");
    device.position = {300.0, 10.0};
    QCOMPARE(m_doc.addDevice(QStringLiteral("c1"), device), QStringLiteral("c1-new"));
    m_doc.moveItems({{{ItemKind::Device, QStringLiteral("c1-d2")}, Position{1.5, -2.25}}}, 7);
    m_doc.moveItems({{{ItemKind::EdgeServer, QStringLiteral("bs1")}, Position{10, 20}}});
    m_doc.removeItems({{ItemKind::Device, QStringLiteral("c2-d1")}});
    QVERIFY(m_doc.setProperty(
        {ItemKind::Device, QStringLiteral("c3-d2")}, QStringLiteral("memory_bytes"), 3.5e9));
    QVERIFY(m_doc.setProperty(
        {ItemKind::Settings, QStringLiteral("training")}, QStringLiteral("rounds"), 42));
    QVERIFY(m_doc.isModified());

    const QByteArray edited = scenarioToJson(m_doc.scenario());
    QVERIFY(edited != m_original);
    QVERIFY(edited.contains("c1-new"));
    QVERIFY(!edited.contains("\"c2-d1\""));

    undoAll(m_doc.undoStack());
    QCOMPARE(scenarioToJson(m_doc.scenario()), m_original);
    QVERIFY(!m_doc.isModified());
    redoAll(m_doc.undoStack());
    QCOMPARE(scenarioToJson(m_doc.scenario()), edited);
}

void TestTopologyDocument::deleteSelectionIsOneUndoStep()
{
    const int before = m_doc.undoStack()->count();
    // A device of a cluster that is deleted too is removed with the cluster, not twice.
    m_doc.removeItems(
        {{ItemKind::Device, QStringLiteral("c1-d1")}, {ItemKind::Device, QStringLiteral("c3-d4")},
            {ItemKind::ControlUnit, QStringLiteral("c1-cu")},
            {ItemKind::Device, QStringLiteral("c2-d5")}});
    QCOMPARE(m_doc.undoStack()->count(), before + 1);
    QCOMPARE(m_doc.clusterIndex(QStringLiteral("c1")), -1);
    QVERIFY(!m_doc.contains({ItemKind::Device, QStringLiteral("c3-d4")}));
    QVERIFY(!m_doc.contains({ItemKind::Device, QStringLiteral("c2-d5")}));
    m_doc.undoStack()->undo();
    QCOMPARE(scenarioToJson(m_doc.scenario()), m_original);
}

void TestTopologyDocument::undoTextsNameTheItems()
{
    // The first hour (guiprobe): Edit ▸ Undo read "Undo Delete 1 items" after deleting one
    // device (%n gets no plural without a translation). One item is named; several are counted.
    QUndoStack *stack = m_doc.undoStack();
    m_doc.removeItems({{ItemKind::Device, QStringLiteral("c2-d1")}});
    QCOMPARE(stack->undoText(), QStringLiteral("Delete device c2-d1"));
    stack->undo();
    m_doc.removeItems({{ItemKind::ControlUnit, QStringLiteral("c1-cu")}});
    QCOMPARE(stack->undoText(), QStringLiteral("Delete cluster c1"));
    stack->undo();
    m_doc.removeItems(
        {{ItemKind::Device, QStringLiteral("c2-d1")}, {ItemKind::Device, QStringLiteral("c3-d4")}});
    QCOMPARE(stack->undoText(), QStringLiteral("Delete 2 items"));
    stack->undo();
    QString error;
    QVERIFY2(m_doc.setProperties({{ItemKind::Device, QStringLiteral("c2-d1")}},
                 {{QStringLiteral("memory_bytes"), 3e9}}, &error),
        qPrintable(error));
    QCOMPARE(stack->undoText(), QStringLiteral("Change c2-d1"));
    stack->undo();
    QCOMPARE(scenarioToJson(m_doc.scenario()), m_original);
}

void TestTopologyDocument::saveLoadRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Device device;
    device.position = {-50.0, 70.0};
    const QString id = m_doc.addDevice(QStringLiteral("c2"), device);
    QVERIFY(!id.isEmpty());
    QVERIFY(m_doc.setProperty(
        {ItemKind::Device, id}, QStringLiteral("name"), QStringLiteral("Tablet ü")));
    const QString path = dir.filePath(QStringLiteral("edited.json"));
    QSignalSpy pathSpy(&m_doc, &TopologyDocument::filePathChanged);
    QString error;
    QVERIFY2(m_doc.save(path, &error), qPrintable(error));
    QVERIFY(!m_doc.isModified());
    QCOMPARE(m_doc.filePath(), path);
    QCOMPARE(pathSpy.count(), 1);

    TopologyDocument reloaded;
    QVERIFY2(reloaded.load(path, &error), qPrintable(error));
    QCOMPARE(scenarioToJson(reloaded.scenario()), scenarioToJson(m_doc.scenario()));
    QCOMPARE(reloaded.propertyValue({ItemKind::Device, id}, QStringLiteral("name")).toString(),
        QStringLiteral("Tablet ü"));

    // Saving into a missing folder fails with the file named.
    QVERIFY(!m_doc.save(dir.filePath(QStringLiteral("no/such/dir/x.json")), &error));
    QVERIFY2(error.contains(QLatin1String("x.json")), qPrintable(error));
}

void TestTopologyDocument::invalidEditIsRefused_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("reason");
    QTest::newRow("negative memory")
        << int(ItemKind::Device) << "c1-d1"
        << "memory_bytes" << QVariant(-5.0) << "memory_bytes: must be >= 1e+06 (got -5)";
    QTest::newRow("zero compute") << int(ItemKind::Device) << "c1-d1"
                                  << "compute_flops" << QVariant(0.0)
                                  << "compute_flops: must be >= 1e+06 (got 0)";
    QTest::newRow("nan position") << int(ItemKind::EdgeServer) << "bs1"
                                  << "x_m" << QVariant(std::nan(""))
                                  << "x_m: must be a finite number";
    QTest::newRow("text for a number")
        << int(ItemKind::Device) << "c1-d1"
        << "max_power_w" << QVariant(QStringLiteral("lots")) << "max_power_w: must be a number";
    QTest::newRow("fractional rounds")
        << int(ItemKind::Settings) << "training"
        << "rounds" << QVariant(2.5) << "rounds: must be an integer (got 2.5)";
    QTest::newRow("empty id") << int(ItemKind::Device) << "c1-d1"
                              << "id" << QVariant(QString()) << "id: must not be empty";
    QTest::newRow("unknown key") << int(ItemKind::Device) << "c1-d1"
                                 << "colour" << QVariant(1.0) << "colour: no such field";
}

void TestTopologyDocument::invalidEditIsRefused()
{
    QFETCH(int, kind);
    QFETCH(QString, id);
    QFETCH(QString, key);
    QFETCH(QVariant, value);
    QFETCH(QString, reason);
    const int before = m_doc.undoStack()->count();
    QString error;
    QVERIFY(!m_doc.setProperty({static_cast<ItemKind>(kind), id}, key, value, &error));
    QVERIFY2(error.startsWith(reason), qPrintable(error));
    QCOMPARE(m_doc.undoStack()->count(), before);
    QCOMPARE(scenarioToJson(m_doc.scenario()), m_original);
}

void TestTopologyDocument::invalidScenarioIsNotValid()
{
    QSignalSpy spy(&m_doc, &TopologyDocument::validityChanged);
    // A cluster with no devices is an error ([1/6] validation rules).
    ItemRefList all;
    for (const Device &d : m_doc.scenario().topology.clusters[1].devices) {
        all.append({ItemKind::Device, d.id});
    }
    m_doc.removeItems(all);
    QVERIFY(!m_doc.isValid());
    QVERIFY2(m_doc.validityReason().contains(QLatin1String("clusters[1].devices")),
        qPrintable(m_doc.validityReason()));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toBool(), false);
    QCOMPARE(spy.at(0).at(1).toString(), m_doc.validityReason());

    m_doc.undoStack()->undo();
    QVERIFY(m_doc.isValid());
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).toBool(), true);
    QVERIFY(m_doc.validityReason().isEmpty());
}

void TestTopologyDocument::dragsMergeIntoOneStep()
{
    const ItemRef cu{ItemKind::ControlUnit, QStringLiteral("c1-cu")};
    const ItemRef dev{ItemKind::Device, QStringLiteral("c1-d1")};
    const Position cuStart = m_doc.position(cu);
    const int before = m_doc.undoStack()->count();
    for (int step = 1; step <= 20; ++step) {
        m_doc.moveItems(
            {{cu, Position{cuStart.xM + step, cuStart.yM}}, {dev, Position{220.0 + step, 20.0}}},
            /*dragId=*/1);
    }
    QCOMPARE(m_doc.undoStack()->count(), before + 1);
    QCOMPARE(m_doc.position(cu).xM, cuStart.xM + 20);
    for (int step = 1; step <= 5; ++step) {
        m_doc.moveItems({{cu, Position{0.0, step * 1.0}}}, /*dragId=*/2);
    }
    QCOMPARE(m_doc.undoStack()->count(), before + 2);
    m_doc.undoStack()->undo();
    QCOMPARE(m_doc.position(cu).xM, cuStart.xM + 20);
    m_doc.undoStack()->undo();
    QCOMPARE(scenarioToJson(m_doc.scenario()), m_original);
}

void TestTopologyDocument::spinEditsMerge()
{
    const ItemRef ref{ItemKind::Device, QStringLiteral("c2-d2")};
    const int before = m_doc.undoStack()->count();
    for (const double watts : {0.25, 0.3, 0.35}) {
        QVERIFY(m_doc.setProperty(ref, QStringLiteral("max_power_w"), watts));
    }
    QCOMPARE(m_doc.undoStack()->count(), before + 1);
    QCOMPARE(m_doc.propertyValue(ref, QStringLiteral("max_power_w")).toDouble(), 0.35);
    m_doc.undoStack()->undo();
    QCOMPARE(scenarioToJson(m_doc.scenario()), m_original);
}

void TestTopologyDocument::connectClusterUndoes()
{
    EdgeServer server;
    server.position = {500.0, 500.0};
    const QString id = m_doc.addEdgeServer(server);
    QVERIFY(!id.isEmpty());
    QVERIFY(!m_doc.isValid()); // a server that serves nothing is an error
    QVERIFY(m_doc.connectCluster(QStringLiteral("c2"), id));
    QVERIFY2(m_doc.isValid(), qPrintable(m_doc.validityReason()));
    QCOMPARE(m_doc.scenario().topology.clusters[1].edgeServerId, id);
    QVERIFY(!m_doc.connectCluster(QStringLiteral("c2"), QStringLiteral("nope")));
    undoAll(m_doc.undoStack());
    QCOMPARE(scenarioToJson(m_doc.scenario()), m_original);
}

void TestTopologyDocument::presetsPersistInSettings()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("presets.ini")), QSettings::IniFormat);
    DevicePresetStore store(&settings);
    QCOMPARE(store.all().size(), DevicePresetStore::builtIns().size());
    // Built-ins are the device kinds of the bundled default scenario, values included.
    const DevicePreset jetson = store.find(QStringLiteral("jetson-orin"));
    QCOMPARE(jetson.id, QStringLiteral("jetson-orin"));
    const ItemRef board{ItemKind::Device, QStringLiteral("c1-d5")};
    QCOMPARE(jetson.values.computeFlops,
        m_doc.propertyValue(board, QStringLiteral("compute_flops")).toDouble());
    QCOMPARE(jetson.values.energyBudgetJ,
        m_doc.propertyValue(board, QStringLiteral("energy_budget_j")).toDouble());
    QVERIFY(DevicePresetStore::builtIns().size() >= 4);
    Device tablet;
    tablet.computeFlops = 2.5e12;
    tablet.memoryBytes = 6e9;
    QString id;
    QString error;
    QVERIFY2(
        store.saveUserPreset(QStringLiteral("Tablet"), tablet, &id, &error), qPrintable(error));
    QCOMPARE(id, QStringLiteral("user-Tablet"));

    DevicePresetStore reread(&settings);
    const DevicePreset preset = reread.find(id);
    QCOMPARE(preset.label, QStringLiteral("Tablet"));
    QCOMPARE(preset.values.computeFlops, 2.5e12);
    QCOMPARE(preset.values.memoryBytes, 6e9);
    QVERIFY(!preset.builtIn);
    QVERIFY(reread.removeUserPreset(id, &error));
    QCOMPARE(DevicePresetStore(&settings).all().size(), DevicePresetStore::builtIns().size());
}

void TestTopologyDocument::problemPathsNameItems_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("id");
    QTest::newRow("server") << "edge_servers[0].x_m" << int(ItemKind::EdgeServer) << "bs1";
    QTest::newRow("device") << "clusters[2].devices[5].memory_bytes" << int(ItemKind::Device)
                            << "c3-d6";
    QTest::newRow("control unit") << "clusters[0].control_unit.max_power_w"
                                  << int(ItemKind::ControlUnit) << "c1-cu";
    QTest::newRow("cluster") << "clusters[1].devices" << int(ItemKind::Cluster) << "c2";
    QTest::newRow("trainer dims") << "model.trainer.heads" << int(ItemKind::Settings)
                                  << "model.trainer";
    QTest::newRow("model") << "model.encoder_blocks" << int(ItemKind::Settings) << "model";
    QTest::newRow("channel") << "d2e.bandwidth_hz" << int(ItemKind::Settings) << "d2e";
    QTest::newRow("name") << "name" << int(ItemKind::Settings) << "scenario";
    QTest::newRow("out of range") << "clusters[9].devices[0]" << int(ItemKind::Device) << "";
    QTest::newRow("file level") << "" << int(ItemKind::Device) << "";
}

void TestTopologyDocument::problemPathsNameItems()
{
    QFETCH(QString, path);
    QFETCH(int, kind);
    QFETCH(QString, id);
    const ItemRef ref = itemForProblemPath(m_doc.scenario(), path);
    QCOMPARE(ref.id, id);
    if (!id.isEmpty()) {
        QCOMPARE(int(ref.kind), kind);
    }
}

void TestTopologyDocument::waypointPathIsOneUndoStep()
{
    // Issue [6/7]: a node's waypoint list changes as a whole, one undo step per edit; a point out
    // of range is refused naming its index, coordinate and value.
    const Cluster &c = m_doc.scenario().topology.clusters[0];
    const ItemRef device{ItemKind::Device, c.devices[0].id};
    const ItemRef cu{ItemKind::ControlUnit, c.controlUnit.id};
    QVERIFY(m_doc.waypoints(device).empty());
    QSignalSpy changed(&m_doc, &TopologyDocument::propertyChanged);
    const std::vector<Position> path{{10.0, 20.0}, {30.0, -40.0}, {50.0, 0.0}};
    const int before = m_doc.undoStack()->count();
    QVERIFY(m_doc.setWaypoints(device, path));
    QCOMPARE(m_doc.undoStack()->count(), before + 1);
    QVERIFY(m_doc.waypoints(device) == path);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(1).toString(), QStringLiteral("mobility.waypoints"));
    std::vector<Position> edited = path;
    edited.erase(edited.begin() + 1);
    QVERIFY(m_doc.setWaypoints(device, edited));
    QVERIFY(m_doc.setWaypoints(cu, {{1.0, 2.0}}));
    QCOMPARE(m_doc.waypoints(cu).size(), std::size_t(1));
    QString error;
    std::vector<Position> bad = edited;
    bad.push_back({2e5, 0.0});
    QVERIFY(!m_doc.setWaypoints(device, bad, &error));
    QVERIFY2(error.startsWith(QLatin1String("mobility.waypoints[2].x_m:"))
            && error.contains(QLatin1String("2e+05")),
        qPrintable(error));
    QVERIFY(m_doc.waypoints(device) == edited);
    QVERIFY(!m_doc.setWaypoints(
        {ItemKind::EdgeServer, m_doc.scenario().topology.edgeServers[0].id}, path, &error));
    m_doc.undoStack()->undo();
    QVERIFY(m_doc.waypoints(cu).empty());
    m_doc.undoStack()->undo();
    QVERIFY(m_doc.waypoints(device) == path);
    m_doc.undoStack()->undo();
    QVERIFY(m_doc.waypoints(device).empty());
    redoAll(m_doc.undoStack());
    QVERIFY(m_doc.waypoints(device) == edited);
    // Saved and loaded with the scenario (the file keeps a path of the waypoints model).
    QVERIFY(m_doc.setProperty(device, QStringLiteral("mobility.model"), 1.0));
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("path.json"));
    QVERIFY2(m_doc.save(file, &error), qPrintable(error));
    TopologyDocument reloaded;
    QVERIFY2(reloaded.load(file, &error), qPrintable(error));
    QVERIFY(reloaded.waypoints(device) == edited);
}

QTEST_MAIN(TestTopologyDocument)
#include "tst_topology_document.moc"
