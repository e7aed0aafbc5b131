// SPDX-License-Identifier: MIT
#include "ui/canvas/topology_view.h"

#include "ui/canvas/abstract_tool.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/run_legend.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"

#include <QMouseEvent>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

constexpr double kMinZoom = 0.02; // px per metre: 50 km across a 1000 px view
constexpr double kMaxZoom = 50.0; // 2 cm per pixel

} // namespace

double niceLength(double target)
{
    if (!(target > 0.0)) {
        return 1.0;
    }
    const double base = std::pow(10.0, std::floor(std::log10(target)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * base >= target) {
            return m * base;
        }
    }
    return 10.0 * base;
}

TopologyView::TopologyView(TopologyScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
{
    setRenderHint(QPainter::Antialiasing);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate); // grid and scale bar follow the view
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    syncToolMode();
}

double TopologyView::zoom() const
{
    return transform().m11();
}

void TopologyView::setShowGrid(bool show)
{
    m_showGrid = show;
    viewport()->update();
}

void TopologyView::zoomIn()
{
    const auto anchor = transformationAnchor();
    setTransformationAnchor(QGraphicsView::AnchorViewCenter);
    scaleBy(1.25);
    setTransformationAnchor(anchor);
}

void TopologyView::zoomOut()
{
    const auto anchor = transformationAnchor();
    setTransformationAnchor(QGraphicsView::AnchorViewCenter);
    scaleBy(1.0 / 1.25);
    setTransformationAnchor(anchor);
}

void TopologyView::fitTopology()
{
    QRectF rect = m_scene->topologyRect();
    if (rect.isNull()) {
        rect = QRectF(-100, -100, 200, 200);
    }
    // Room for the constant-size icons and labels around the outermost items.
    const double margin = std::max({rect.width(), rect.height(), 50.0}) * 0.12;
    fitInView(rect.adjusted(-margin, -margin, margin, margin), Qt::KeepAspectRatio);
    const double z = std::clamp(zoom(), kMinZoom, kMaxZoom);
    setTransform(QTransform::fromScale(z, z));
    centerOn(rect.center());
    zoomUpdated();
}

void TopologyView::focusRef(const ItemRef &ref)
{
    if (ref.isNull() || ref.kind == ItemKind::Settings) {
        return;
    }
    m_scene->selectRefs({ref});
    if (ref.kind == ItemKind::Cluster) {
        if (const QGraphicsItem *hull = m_scene->hullItem(ref.id)) {
            ensureVisible(hull->boundingRect(), 40, 40);
        }
    } else if (const QGraphicsItem *node = m_scene->nodeItem(ref)) {
        // Scroll only if needed, so the rest of the topology stays where the user left it.
        ensureVisible(QRectF(node->pos(), QSizeF(0.01, 0.01)), 80, 80);
    }
}

void TopologyView::syncToolMode()
{
    AbstractTool *tool = m_scene->tool();
    setDragMode(tool ? tool->dragMode() : QGraphicsView::RubberBandDrag);
    viewport()->setCursor(tool ? tool->cursor() : QCursor(Qt::ArrowCursor));
}

void TopologyView::scaleBy(double factor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    if (target == zoom()) {
        return;
    }
    scale(target / zoom(), target / zoom());
    zoomUpdated();
}

void TopologyView::zoomUpdated()
{
    m_scene->setMetresPerPixel(1.0 / zoom());
    viewport()->update();
    Q_EMIT zoomChanged(zoom());
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0.0) {
        scaleBy(std::pow(1.15, steps));
    }
    event->accept();
}

void TopologyView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_panStart = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint delta = event->position().toPoint() - m_panStart;
        m_panStart = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void TopologyView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && event->button() == Qt::MiddleButton) {
        m_panning = false;
        syncToolMode();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void TopologyView::drawBackground(QPainter *painter, const QRectF &rect)
{
    painter->fillRect(rect, QColor(250, 250, 247));
    if (!m_showGrid) {
        return;
    }
    // Grid step: a nice number of metres at least 40 px apart.
    const double step = niceLength(40.0 / zoom());
    QPen pen(QColor(228, 228, 222), 0);
    painter->setPen(pen);
    const double x0 = std::floor(rect.left() / step) * step;
    const double y0 = std::floor(rect.top() / step) * step;
    QVector<QLineF> lines;
    for (double x = x0; x <= rect.right(); x += step) {
        lines.append(QLineF(x, rect.top(), x, rect.bottom()));
    }
    for (double y = y0; y <= rect.bottom(); y += step) {
        lines.append(QLineF(rect.left(), y, rect.right(), y));
    }
    painter->drawLines(lines);
}

void TopologyView::drawForeground(QPainter *painter, const QRectF &)
{
    // Scale bar, bottom left, in viewport pixels.
    const double metres = niceLength(120.0 / zoom());
    const double pixels = metres * zoom();
    painter->save();
    painter->resetTransform();
    const QPointF origin(16, viewport()->height() - 18);
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->fillRect(
        QRectF(origin.x() - 6, origin.y() - 22, pixels + 24, 32), QColor(255, 255, 255, 210));
    painter->setPen(QPen(QColor(40, 40, 40), 2));
    painter->drawLine(origin, origin + QPointF(pixels, 0));
    painter->drawLine(origin + QPointF(0, -5), origin + QPointF(0, 3));
    painter->drawLine(origin + QPointF(pixels, -5), origin + QPointF(pixels, 3));
    const QString text = metres >= 1000.0 ? QStringLiteral("%1 km").arg(metres / 1000.0)
                                          : QStringLiteral("%1 m").arg(metres);
    painter->drawText(QRectF(origin.x(), origin.y() - 22, pixels + 60, 16), Qt::AlignLeft, text);
    if (m_scene->isShowingRound()) {
        // The overlay's key, top left: the run view must read without the manual.
        paintRunLegend(painter, QPointF(10, 10), m_scene->runOverlay()->round());
    }
    painter->restore();
}

} // namespace collapipe
