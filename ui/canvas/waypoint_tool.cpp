// SPDX-License-Identifier: MIT
#include "ui/canvas/waypoint_tool.h"

#include "ui/canvas/node_item.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/waypoint_path_item.h"
#include "ui/model/topology_document.h"

#include <QCoreApplication>
#include <QGraphicsSceneMouseEvent>
#include <QUndoStack>

namespace collapipe {

WaypointTool::WaypointTool(TopologyScene *scene, WaypointPathOverlay *overlay)
    : AbstractTool(scene)
    , m_overlay(overlay)
{ }

QString WaypointTool::statusHint() const
{
    return QCoreApplication::translate("collapipe",
        "Path: select a device or control unit (or click one), then click its waypoints; "
        "right-click to finish (one undo step), Esc to cancel. To edit a path, use Select: drag "
        "a waypoint's square, double-click the path to insert one, right-click or Delete to "
        "remove one.");
}

bool WaypointTool::addPoint(const QPointF &scenePos)
{
    if (m_ref.isNull()) {
        const ItemRefList selected = scene()->selectedRefs();
        if (selected.size() == 1
            && (selected.first().kind == ItemKind::Device
                || selected.first().kind == ItemKind::ControlUnit)) {
            m_ref = selected.first();
        }
    }
    if (m_ref.isNull()) {
        // The first click picks the node under it.
        for (QGraphicsItem *item : scene()->items(scenePos)) {
            for (QGraphicsItem *it = item; it; it = it->parentItem()) {
                const auto *node = dynamic_cast<const NodeItem *>(it);
                if (node
                    && (node->ref().kind == ItemKind::Device
                        || node->ref().kind == ItemKind::ControlUnit)) {
                    m_ref = node->ref();
                    scene()->selectRefs({m_ref});
                    return true;
                }
            }
        }
        return false;
    }
    m_points.push_back({scenePos.x(), scenePos.y()});
    m_overlay->setPreview(m_ref, m_points);
    return true;
}

bool WaypointTool::finish()
{
    if (m_ref.isNull() || m_points.empty()) {
        return false;
    }
    TopologyDocument *document = scene()->document();
    QUndoStack *stack = document->undoStack();
    const ItemRef ref = m_ref;
    const std::vector<Position> points = m_points;
    m_points.clear();
    m_overlay->clearPreview();
    stack->beginMacro(QCoreApplication::translate("collapipe", "Draw the path of %1").arg(ref.id));
    QString error;
    bool ok = document->setProperty(ref, QStringLiteral("mobility.model"),
        double(static_cast<int>(MobilityModel::Waypoints)), &error);
    ok = ok && document->setWaypoints(ref, points, &error);
    stack->endMacro();
    if (!ok) {
        stack->undo(); // a refused point (outside the valid area): nothing half-done stays
        Q_EMIT scene()->statusMessage(error);
    }
    return ok;
}

void WaypointTool::mousePressed(QGraphicsSceneMouseEvent *event)
{
    if (event->button() == Qt::RightButton) {
        finish();
    } else if (event->button() == Qt::LeftButton) {
        addPoint(event->scenePos());
    }
    event->accept();
}

void WaypointTool::deactivate()
{
    m_points.clear();
    m_ref = ItemRef{};
    m_overlay->clearPreview();
}

} // namespace collapipe
