// SPDX-License-Identifier: MIT
#include "ui/canvas/waypoint_handles.h"

#include "ui/canvas/abstract_tool.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/waypoint_path_item.h"
#include "ui/model/topology_document.h"

#include <QCoreApplication>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QKeyEvent>
#include <QLineF>

#include <algorithm>
#include <limits>

namespace collapipe {

namespace waypointhandles {

/// Handles are picked within this many pixels of their centre (they are 9-11 px squares).
constexpr double kPickPx = 7.0;
/// A double-click inserts on a segment within this many pixels of it.
constexpr double kSegmentPx = 5.0;

double distanceToSegment(const QPointF &p, const QPointF &a, const QPointF &b)
{
    const QPointF d = b - a;
    const double length2 = QPointF::dotProduct(d, d);
    const double t
        = length2 > 0.0 ? std::clamp(QPointF::dotProduct(p - a, d) / length2, 0.0, 1.0) : 0.0;
    return QLineF(p, a + t * d).length();
}

bool isDeleteKey(int key)
{
    return key == Qt::Key_Delete || key == Qt::Key_Backspace;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("collapipe", text);
}

} // namespace waypointhandles

WaypointHandles::WaypointHandles(
    TopologyScene *scene, TopologyDocument *document, WaypointPathOverlay *overlay)
    : QObject(overlay)
    , m_scene(scene)
    , m_document(document)
    , m_overlay(overlay)
{
    scene->installEventFilter(this);
}

bool WaypointHandles::isActive() const
{
    const AbstractTool *tool = m_scene->tool();
    return m_overlay->isEditable() && (!tool || tool->usesDefaultHandling());
}

double WaypointHandles::pickRadius() const
{
    return waypointhandles::kPickPx * m_scene->metresPerPixel();
}

int WaypointHandles::handleAt(const QPointF &scenePos) const
{
    const QPolygonF drawn = m_overlay->drawnPath();
    int best = -1;
    double bestDistance = pickRadius();
    for (qsizetype i = 1; i < drawn.size(); ++i) {
        const double d = QLineF(scenePos, drawn[i]).length();
        if (d <= bestDistance) {
            bestDistance = d;
            best = int(i - 1);
        }
    }
    return best;
}

int WaypointHandles::segmentAt(const QPointF &scenePos) const
{
    QPolygonF path = m_overlay->drawnPath();
    if (path.size() < 2) {
        return -1;
    }
    if (m_document->propertyValue(m_overlay->node(), QStringLiteral("mobility.loop")).toDouble()
        != 0.0) {
        path << path.first();
    }
    // Segment i runs from drawn point i (0: the node's position) to drawn point i + 1, i.e. to
    // waypoint i: a point inserted on it becomes waypoint i.
    int best = -1;
    double bestDistance = waypointhandles::kSegmentPx * m_scene->metresPerPixel();
    for (qsizetype i = 0; i + 1 < path.size(); ++i) {
        const double d = waypointhandles::distanceToSegment(scenePos, path[i], path[i + 1]);
        if (d <= bestDistance) {
            bestDistance = d;
            best = int(i);
        }
    }
    return best;
}

bool WaypointHandles::apply(const std::vector<Position> &points, const QString &text, int dragId)
{
    QString error;
    if (!m_document->setWaypoints(m_overlay->node(), points, &error, text, dragId)) {
        m_error = error;
        Q_EMIT m_scene->statusMessage(error);
        return false;
    }
    m_error.clear();
    return true;
}

bool WaypointHandles::beginDrag(int index, const QPointF &scenePos)
{
    const ItemRef ref = m_overlay->node();
    const std::vector<Position> points = m_document->waypoints(ref);
    if (ref.isNull() || index < 0 || index >= int(points.size())) {
        return false;
    }
    m_dragRef = ref;
    m_dragIndex = index;
    m_dragStart = points;
    m_dragId = m_scene->nextDragId();
    m_grabOffset = toScenePoint(points[std::size_t(index)]) - scenePos;
    setHot(index);
    return true;
}

bool WaypointHandles::dragTo(const QPointF &scenePos)
{
    if (!isDragging() || m_overlay->node() != m_dragRef) {
        return false;
    }
    const QPointF target = m_scene->snapped(scenePos + m_grabOffset);
    std::vector<Position> points = m_dragStart;
    points[std::size_t(m_dragIndex)] = Position{target.x(), target.y()};
    const bool ok = apply(points,
        waypointhandles::tr("Move waypoint %1 of %2").arg(m_dragIndex + 1).arg(m_dragRef.id),
        m_dragId);
    if (ok) {
        Q_EMIT m_scene->statusMessage(waypointhandles::tr("Waypoint %1 of %2 at (%3 m, %4 m)")
                                          .arg(m_dragIndex + 1)
                                          .arg(m_dragRef.id)
                                          .arg(target.x(), 0, 'f', 1)
                                          .arg(target.y(), 0, 'f', 1));
    }
    return ok;
}

void WaypointHandles::endDrag()
{
    m_dragIndex = -1;
    m_dragStart.clear();
}

void WaypointHandles::cancelDrag()
{
    if (!isDragging()) {
        return;
    }
    if (m_overlay->node() == m_dragRef) {
        // The same drag id: merged into the drag's step, which then changes nothing and goes.
        apply(m_dragStart,
            waypointhandles::tr("Move waypoint %1 of %2").arg(m_dragIndex + 1).arg(m_dragRef.id),
            m_dragId);
    }
    endDrag();
}

bool WaypointHandles::insertAt(int index, const QPointF &scenePos)
{
    std::vector<Position> points = m_document->waypoints(m_overlay->node());
    if (index < 0 || index > int(points.size())) {
        return false;
    }
    const QPointF at = m_scene->snapped(scenePos);
    points.insert(points.begin() + index, Position{at.x(), at.y()});
    const bool ok = apply(points,
        waypointhandles::tr("Insert waypoint %1 in %2").arg(index + 1).arg(m_overlay->node().id));
    if (ok) {
        setHot(index);
    }
    return ok;
}

bool WaypointHandles::remove(int index)
{
    std::vector<Position> points = m_document->waypoints(m_overlay->node());
    if (index < 0 || index >= int(points.size())) {
        return false;
    }
    points.erase(points.begin() + index);
    const bool ok = apply(points,
        waypointhandles::tr("Remove waypoint %1 of %2").arg(index + 1).arg(m_overlay->node().id));
    if (ok) {
        setHot(-1);
    }
    return ok;
}

void WaypointHandles::setHot(int index)
{
    m_overlay->setHotHandle(index);
}

void WaypointHandles::updateCursor(bool overHandle)
{
    if (overHandle == m_cursorSet) {
        return;
    }
    m_cursorSet = overHandle;
    const AbstractTool *tool = m_scene->tool();
    const QCursor cursor = overHandle ? QCursor(Qt::SizeAllCursor)
                                      : (tool ? tool->cursor() : QCursor(Qt::ArrowCursor));
    for (QGraphicsView *view : m_scene->views()) {
        view->viewport()->setCursor(cursor);
    }
}

bool WaypointHandles::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_scene) {
        return false;
    }
    switch (event->type()) {
    case QEvent::GraphicsSceneMousePress: {
        auto *e = static_cast<QGraphicsSceneMouseEvent *>(event);
        if (!isActive()) {
            return false;
        }
        const int handle = handleAt(e->scenePos());
        if (handle >= 0 && e->button() == Qt::LeftButton) {
            beginDrag(handle, e->scenePos());
        } else if (handle >= 0 && e->button() == Qt::RightButton) {
            remove(handle);
        } else if (handle >= 0 || e->button() != Qt::LeftButton || segmentAt(e->scenePos()) < 0) {
            return false;
        } else {
            // On the path (not on a node): kept from the Select tool, so the node stays
            // selected for a double-click that inserts a waypoint here.
            const ItemRef under = m_scene->refAt(e->scenePos());
            if (!under.isNull() && under.kind != ItemKind::Cluster) {
                return false;
            }
        }
        e->accept();
        return true;
    }
    case QEvent::GraphicsSceneMouseMove: {
        auto *e = static_cast<QGraphicsSceneMouseEvent *>(event);
        if (isDragging()) {
            if (e->buttons() & Qt::LeftButton) {
                dragTo(e->scenePos());
            }
            e->accept();
            return true;
        }
        if (e->buttons() == Qt::NoButton) {
            const int handle = isActive() ? handleAt(e->scenePos()) : -1;
            setHot(handle);
            updateCursor(handle >= 0);
        }
        return false;
    }
    case QEvent::GraphicsSceneLeave:
        // The mouse left the view: no handle is under it (Delete is the palette's again).
        if (!isDragging()) {
            setHot(-1);
            updateCursor(false);
        }
        return false;
    case QEvent::GraphicsSceneMouseRelease: {
        auto *e = static_cast<QGraphicsSceneMouseEvent *>(event);
        if (isDragging() && e->button() == Qt::LeftButton) {
            endDrag();
            e->accept();
            return true;
        }
        return false;
    }
    case QEvent::GraphicsSceneMouseDoubleClick: {
        auto *e = static_cast<QGraphicsSceneMouseEvent *>(event);
        if (!isActive() || e->button() != Qt::LeftButton) {
            return false;
        }
        if (handleAt(e->scenePos()) < 0) {
            const int segment = segmentAt(e->scenePos());
            const ItemRef under = m_scene->refAt(e->scenePos());
            if (segment < 0 || (!under.isNull() && under.kind != ItemKind::Cluster)) {
                return false;
            }
            insertAt(segment, e->scenePos());
        }
        e->accept();
        return true;
    }
    case QEvent::ShortcutOverride:
    case QEvent::KeyPress: {
        // Esc (the Select tool's shortcut) cancels a drag; Delete (the palette's) removes the
        // waypoint under the mouse instead of the selected node.
        auto *e = static_cast<QKeyEvent *>(event);
        const bool cancel = e->key() == Qt::Key_Escape && isDragging();
        const bool remove = waypointhandles::isDeleteKey(e->key()) && !isDragging() && isActive()
            && m_overlay->hotHandle() >= 0;
        if (!cancel && !remove) {
            return false;
        }
        if (event->type() == QEvent::KeyPress) {
            if (cancel) {
                cancelDrag();
            } else {
                this->remove(m_overlay->hotHandle());
            }
        }
        e->accept();
        return true;
    }
    default:
        return false;
    }
}

} // namespace collapipe
