// SPDX-License-Identifier: MIT
#include "ui/canvas/place_tool.h"

#include "ui/canvas/topology_scene.h"
#include "ui/model/device_presets.h"
#include "ui/model/topology_document.h"

#include <QCoreApplication>
#include <QGraphicsSceneMouseEvent>

namespace collapipe {

PlaceTool::PlaceTool(TopologyScene *scene, ItemKind kind, std::function<DevicePreset()> presetFor)
    : AbstractTool(scene)
    , m_kind(kind)
    , m_presetFor(std::move(presetFor))
{ }

QString PlaceTool::statusHint() const
{
    switch (m_kind) {
    case ItemKind::Device:
        return QCoreApplication::translate(
            "collapipe", "Add device: click inside (or near) a cluster; Esc returns to Select.");
    case ItemKind::EdgeServer:
        return QCoreApplication::translate(
            "collapipe", "Add edge server: click to place; Esc returns to Select.");
    default:
        return QCoreApplication::translate(
            "collapipe", "Add cluster: click to place its control unit, then add devices to it.");
    }
}

void PlaceTool::mousePressed(QGraphicsSceneMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        return;
    }
    event->accept();
    TopologyDocument *document = scene()->document();
    const QPointF at = scene()->snapped(event->scenePos());
    const Position position{at.x(), at.y()};
    ItemRef created;
    if (m_kind == ItemKind::Device) {
        const QString clusterId = scene()->clusterNear(event->scenePos());
        if (clusterId.isEmpty()) {
            Q_EMIT scene()->statusMessage(QCoreApplication::translate(
                "collapipe", "A device belongs to a cluster: add a cluster first."));
            return;
        }
        Device device;
        DevicePresetStore::apply(m_presetFor(), &device);
        device.position = position;
        device.id = document->uniqueId(clusterId + QStringLiteral("-d"));
        created = {ItemKind::Device, document->addDevice(clusterId, device)};
    } else if (m_kind == ItemKind::EdgeServer) {
        EdgeServer server;
        server.position = position;
        server.id = document->uniqueId(QStringLiteral("bs"));
        created = {ItemKind::EdgeServer, document->addEdgeServer(server)};
    } else {
        Cluster cluster;
        cluster.id = document->uniqueId(QStringLiteral("c"));
        cluster.controlUnit.id = cluster.id + QStringLiteral("-cu");
        cluster.controlUnit.position = position;
        cluster.edgeServerId = scene()->edgeServerNear(event->scenePos());
        created = {ItemKind::Cluster, document->addCluster(cluster)};
    }
    scene()->selectRefs({created});
}

} // namespace collapipe
