// SPDX-License-Identifier: MIT
#include "ui/canvas/connect_tool.h"

#include "ui/canvas/topology_scene.h"
#include "ui/model/topology_document.h"

#include <QCoreApplication>
#include <QGraphicsLineItem>
#include <QGraphicsSceneMouseEvent>
#include <QPen>

namespace collapipe {

ConnectTool::ConnectTool(TopologyScene *scene)
    : AbstractTool(scene)
{ }

ConnectTool::~ConnectTool()
{
    deactivate();
}

QString ConnectTool::statusHint() const
{
    return QCoreApplication::translate(
        "collapipe", "Connect: drag from a cluster to the edge server that should serve it.");
}

QString ConnectTool::clusterOf(const QPointF &scenePos) const
{
    const ItemRef ref = scene()->refAt(scenePos);
    if (ref.isNull()) {
        return QString();
    }
    if (ref.kind == ItemKind::Cluster) {
        return ref.id;
    }
    const int ci = scene()->document()->clusterIndexOfMember(ref.id);
    return ci >= 0 ? scene()->document()->scenario().topology.clusters[static_cast<size_t>(ci)].id
                   : QString();
}

QString ConnectTool::serverAt(const QPointF &scenePos) const
{
    const ItemRef ref = scene()->refAt(scenePos);
    return ref.kind == ItemKind::EdgeServer ? ref.id : QString();
}

void ConnectTool::mousePressed(QGraphicsSceneMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        return;
    }
    event->accept();
    deactivate();
    m_clusterId = clusterOf(event->scenePos());
    m_serverId = serverAt(event->scenePos());
    if (m_clusterId.isEmpty() && m_serverId.isEmpty()) {
        return;
    }
    m_line = new QGraphicsLineItem(QLineF(event->scenePos(), event->scenePos()));
    QPen pen(QColor(255, 140, 0), 2, Qt::DashLine);
    pen.setCosmetic(true);
    m_line->setPen(pen);
    m_line->setZValue(100);
    scene()->addItem(m_line);
}

void ConnectTool::mouseMoved(QGraphicsSceneMouseEvent *event)
{
    if (m_line) {
        m_line->setLine(QLineF(m_line->line().p1(), event->scenePos()));
    }
}

void ConnectTool::mouseReleased(QGraphicsSceneMouseEvent *event)
{
    if (!m_line) {
        return;
    }
    QString cluster = m_clusterId;
    QString server = m_serverId;
    if (cluster.isEmpty()) {
        cluster = clusterOf(event->scenePos());
    } else {
        server = serverAt(event->scenePos());
    }
    deactivate();
    if (cluster.isEmpty() || server.isEmpty()) {
        Q_EMIT scene()->statusMessage(QCoreApplication::translate(
            "collapipe", "Nothing connected: drag between a cluster and an edge server."));
        return;
    }
    scene()->document()->connectCluster(cluster, server);
    Q_EMIT scene()->statusMessage(
        QCoreApplication::translate("collapipe", "%1 is now served by %2").arg(cluster, server));
}

void ConnectTool::deactivate()
{
    delete m_line;
    m_line = nullptr;
}

} // namespace collapipe
