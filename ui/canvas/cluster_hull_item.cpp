// SPDX-License-Identifier: MIT
#include "ui/canvas/cluster_hull_item.h"

#include <QGuiApplication>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

constexpr double kPaddingPx = 30.0;
constexpr int kCirclePoints = 16;

double cross(const QPointF &o, const QPointF &a, const QPointF &b)
{
    return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
}

} // namespace

QPolygonF convexHull(QList<QPointF> points)
{
    std::sort(points.begin(), points.end(), [](const QPointF &a, const QPointF &b) {
        return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y());
    });
    points.erase(std::unique(points.begin(), points.end()), points.end());
    if (points.size() < 3) {
        return QPolygonF(points);
    }
    QList<QPointF> hull(2 * points.size());
    qsizetype k = 0;
    for (qsizetype i = 0; i < points.size(); ++i) {
        while (k >= 2 && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) {
            --k;
        }
        hull[k++] = points[i];
    }
    for (qsizetype i = points.size() - 2, t = k + 1; i >= 0; --i) {
        while (k >= t && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) {
            --k;
        }
        hull[k++] = points[i];
    }
    hull.resize(k - 1);
    return QPolygonF(hull);
}

ClusterHullItem::ClusterHullItem(
    const QString &clusterId, const QColor &color, QGraphicsItem *parent)
    : QGraphicsItem(parent)
    , m_clusterId(clusterId)
    , m_color(color)
{
    setFlag(ItemIsSelectable);
    setZValue(0);
}

void ClusterHullItem::setPoints(const QList<QPointF> &points)
{
    m_points = points;
    rebuildHull();
}

void ClusterHullItem::setMetresPerPixel(double metresPerPixel)
{
    m_metresPerPixel = metresPerPixel;
    rebuildHull();
}

void ClusterHullItem::setLabel(const QString &label)
{
    m_label = label;
    update();
}

void ClusterHullItem::setFlagged(bool flagged)
{
    if (flagged != m_flagged) {
        m_flagged = flagged;
        update();
    }
}

void ClusterHullItem::rebuildHull()
{
    // Hull of small circles around every member = a rounded, padded hull.
    const double r = kPaddingPx * m_metresPerPixel;
    QList<QPointF> ring;
    for (const QPointF &p : std::as_const(m_points)) {
        for (int i = 0; i < kCirclePoints; ++i) {
            const double a = 2.0 * M_PI * i / kCirclePoints;
            ring.append(p + QPointF(r * std::cos(a), r * std::sin(a)));
        }
    }
    prepareGeometryChange();
    m_hull = convexHull(ring);
}

QRectF ClusterHullItem::boundingRect() const
{
    // Room above the hull for the label (drawn in pixels).
    const double label = 22.0 * m_metresPerPixel;
    return m_hull.boundingRect().adjusted(-label * 4, -label, label * 4, 2 * m_metresPerPixel);
}

QPainterPath ClusterHullItem::shape() const
{
    QPainterPath path;
    path.addPolygon(m_hull);
    path.closeSubpath();
    return path;
}

void ClusterHullItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const bool selected = option->state & QStyle::State_Selected;
    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = m_color;
    fill.setAlpha(selected ? 70 : 40);
    QPen pen(selected   ? QColor(255, 160, 0)
            : m_flagged ? QColor(211, 47, 47)
                        : m_color.darker(120),
        selected || m_flagged ? 2.5 : 1.5);
    if (m_flagged && !selected) {
        pen.setStyle(Qt::DashLine);
    }
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->setBrush(fill);
    painter->drawPolygon(m_hull);
    if (m_label.isEmpty() || m_hull.isEmpty()) {
        return;
    }
    // Label centred above the hull's top edge, in device pixels.
    const QRectF bounds = m_hull.boundingRect();
    const QPointF anchor
        = painter->worldTransform().map(QPointF(bounds.center().x(), bounds.top()));
    painter->save();
    painter->resetTransform();
    QFont font = QGuiApplication::font();
    font.setBold(true);
    font.setPointSizeF(9.0);
    painter->setFont(font);
    painter->setPen(m_color.darker(160));
    painter->drawText(QRectF(anchor.x() - 100, anchor.y() - 20, 200, 18),
        Qt::AlignHCenter | Qt::AlignBottom, m_label);
    painter->restore();
}

} // namespace collapipe
