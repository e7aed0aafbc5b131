// SPDX-License-Identifier: MIT
#include "ui/canvas/select_tool.h"

#include "ui/canvas/topology_scene.h"
#include "ui/model/topology_document.h"

#include <QCoreApplication>
#include <QGraphicsSceneMouseEvent>

namespace collapipe {

SelectTool::SelectTool(TopologyScene *scene)
    : AbstractTool(scene)
{ }

QString SelectTool::statusHint() const
{
    return QCoreApplication::translate("collapipe",
        "Select: click or drag a box to select, Ctrl+click to add; "
        "drag to move; middle button pans, wheel zooms.");
}

void SelectTool::mousePressed(QGraphicsSceneMouseEvent *event)
{
    m_dragging = false;
    if (event->button() != Qt::LeftButton) {
        return;
    }
    const ItemRef pressed = scene()->refAt(event->scenePos());
    if (pressed.isNull()) {
        return; // the view starts a rubber band
    }
    const TopologyDocument *document = scene()->document();
    // What moves: the selection, with clusters expanded to their members; the pressed item first.
    ItemRefList moving{pressed};
    moving += scene()->selectedRefs();
    ItemRefList expanded;
    for (const ItemRef &ref : std::as_const(moving)) {
        if (ref.kind == ItemKind::Cluster) {
            const int ci = document->clusterIndex(ref.id);
            if (ci < 0) {
                continue;
            }
            const Cluster &c = document->scenario().topology.clusters[static_cast<size_t>(ci)];
            expanded.append({ItemKind::ControlUnit, c.controlUnit.id});
            for (const Device &d : c.devices) {
                expanded.append({ItemKind::Device, d.id});
            }
        } else {
            expanded.append(ref);
        }
    }
    m_start.clear();
    for (const ItemRef &ref : std::as_const(expanded)) {
        const bool seen = std::any_of(
            m_start.cbegin(), m_start.cend(), [&ref](const auto &s) { return s.first == ref; });
        if (!seen) {
            m_start.append({ref, document->position(ref)});
        }
    }
    m_pressPos = event->scenePos();
    m_lastDelta = QPointF();
    m_dragId = scene()->nextDragId();
    m_dragging = !m_start.isEmpty();
}

void SelectTool::mouseMoved(QGraphicsSceneMouseEvent *event)
{
    if (!m_dragging || !(event->buttons() & Qt::LeftButton)) {
        return;
    }
    const Position anchor = m_start.first().second;
    const QPointF anchorStart(anchor.xM, anchor.yM);
    const QPointF target = scene()->snapped(anchorStart + event->scenePos() - m_pressPos);
    const QPointF delta = target - anchorStart;
    if (delta == m_lastDelta) {
        return;
    }
    m_lastDelta = delta;
    QList<ItemPosition> moves;
    for (const auto &start : std::as_const(m_start)) {
        moves.append(
            {start.first, Position{start.second.xM + delta.x(), start.second.yM + delta.y()}});
    }
    scene()->document()->moveItems(moves, m_dragId);
    Q_EMIT scene()->statusMessage(QCoreApplication::translate("collapipe", "%1 at (%2 m, %3 m)")
                                      .arg(m_start.first().first.id)
                                      .arg(target.x(), 0, 'f', 1)
                                      .arg(target.y(), 0, 'f', 1));
}

void SelectTool::mouseReleased(QGraphicsSceneMouseEvent *)
{
    m_dragging = false;
    if (scene()->isDragging()) {
        scene()->endDrag(); // labels settle, the deferred validation runs
    }
}

} // namespace collapipe
