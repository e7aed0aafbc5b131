// SPDX-License-Identifier: MIT
#include "ui/canvas/cluster_hull_item.h"

#include "ui/canvas/link_item.h"

#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QGraphicsSceneMouseEvent>
#include <QGuiApplication>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <array>
#include <cmath>

namespace collapipe {

namespace {

constexpr double kPaddingPx = 30.0;

const QFont &clusterLabelFont()
{
    static const QFont font = [] {
        QFont f = QGuiApplication::font();
        f.setBold(true);
        f.setPointSizeF(9.0);
        return f;
    }();
    return font;
}
constexpr int kCirclePoints = 16;

double cross(const QPointF &o, const QPointF &a, const QPointF &b)
{
    return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
}

} // namespace

QColor clusterColor(const QString &clusterId)
{
    // Tableau-like hues, red and pink left out (red is the error colour of the canvas).
    static const QColor palette[] = {QColor(78, 121, 167), QColor(242, 142, 43),
        QColor(89, 161, 79), QColor(176, 122, 161), QColor(118, 183, 178), QColor(237, 201, 72),
        QColor(156, 117, 95), QColor(92, 107, 192)};
    constexpr quint32 kColours = sizeof(palette) / sizeof(palette[0]);
    qsizetype digits = clusterId.size();
    while (digits > 0 && clusterId[digits - 1].isDigit()) {
        --digits;
    }
    // FNV-1a over the non-numeric prefix: stable across runs, platforms and Qt versions.
    quint32 hash = 2166136261u;
    for (qsizetype i = 0; i < digits; ++i) {
        hash = (hash ^ clusterId[i].unicode()) * 16777619u;
    }
    bool numbered = false;
    const quint32 number = clusterId.mid(digits).left(9).toUInt(&numbered);
    return palette[(hash + (numbered ? number : 0u)) % kColours];
}

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
    , m_labelItem(new ClusterLabelItem(this))
{
    setFlag(ItemIsSelectable);
    setZValue(0);
}

ClusterHullItem::~ClusterHullItem()
{
    if (!m_labelItem->scene()) {
        delete m_labelItem;
    }
}

QVariant ClusterHullItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemSelectedHasChanged) {
        m_labelItem->update(); // the label shows the selection too
    }
    return QGraphicsItem::itemChange(change, value);
}

void ClusterHullItem::setPoints(const QList<QPointF> &points)
{
    // The hull of discs around the members is the hull of discs around the members' hull: only
    // its corners need a ring on every zoom step (issue [7/7]: zoom frames at 1,000 devices).
    m_corners = convexHull(points);
    rebuildHull();
}

void ClusterHullItem::setMetresPerPixel(double metresPerPixel)
{
    m_metresPerPixel = metresPerPixel;
    rebuildHull();
}

void ClusterHullItem::setLabel(const QString &label)
{
    m_labelItem->setText(label);
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
    // Hull of small circles around every corner = a rounded, padded hull.
    static const auto unitCircle = [] {
        std::array<QPointF, kCirclePoints> circle;
        for (int i = 0; i < kCirclePoints; ++i) {
            const double a = 2.0 * M_PI * i / kCirclePoints;
            circle[size_t(i)] = QPointF(std::cos(a), std::sin(a));
        }
        return circle;
    }();
    const double r = kPaddingPx * m_metresPerPixel;
    QList<QPointF> ring;
    ring.reserve(m_corners.size() * kCirclePoints);
    for (const QPointF &p : std::as_const(m_corners)) {
        for (const QPointF &u : unitCircle) {
            ring.append(p + r * u);
        }
    }
    prepareGeometryChange();
    m_hull = convexHull(ring);
    const QRectF bounds = m_hull.boundingRect();
    const QPointF top(bounds.center().x(), bounds.top());
    const QPointF bottom(bounds.center().x(), bounds.bottom());
    m_labelItem->setHullAnchors(top, bottom);
    m_labelItem->setAnchors(top, bottom);
}

QRectF ClusterHullItem::boundingRect() const
{
    const double pen = 2.0 * m_metresPerPixel;
    return m_hull.boundingRect().adjusted(-pen, -pen, pen, pen);
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
    // Faded (level of detail) in the colours, not by the painter's opacity: translucent strokes
    // leave the raster engine's fast path (see LinkItem::paint).
    const double fade = painter->opacity();
    painter->setOpacity(1.0);
    QColor fill = m_color;
    fill.setAlphaF(float((selected ? 70 : 40) / 255.0 * fade));
    QColor line = selected ? QColor(255, 160, 0)
        : m_flagged        ? QColor(211, 47, 47)
                           : m_color.darker(120);
    const QColor paper = canvasBackground();
    const auto mix = [fade](int a, int b) { return int(std::lround(a + (b - a) * fade)); };
    line = QColor(mix(paper.red(), line.red()), mix(paper.green(), line.green()),
        mix(paper.blue(), line.blue()));
    QPen pen(line,
        // 1 px unless selected or flagged: a cosmetic pen up to 1 px takes the raster engine's
        // fast path, a wider one its general stroker (a third of a 1,000-device frame).
        selected || m_flagged ? 2.5 : 1.0);
    if (m_flagged && !selected) {
        pen.setStyle(Qt::DashLine);
    }
    pen.setCosmetic(true);
    // The fill without antialiasing (much cheaper for a large translucent area), the outline
    // antialiased over its edge.
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    painter->drawPolygon(m_hull);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPolygon(m_hull);
    painter->setOpacity(fade);
}

ClusterLabelItem::ClusterLabelItem(ClusterHullItem *hull)
    : m_hull(hull)
{
    setFlag(ItemIgnoresTransformations);
    setCacheMode(DeviceCoordinateCache); // constant pixel size: the pixmap survives zoom and pan
    setZValue(9); // above links (2, 3) and pipeline hops (5), below the nodes (10)
}

void ClusterLabelItem::setText(const QString &text)
{
    if (text != m_text) {
        prepareGeometryChange();
        m_text = text;
        const QFontMetricsF metrics(clusterLabelFont());
        m_size = QSizeF(metrics.horizontalAdvance(m_text) + 8.0, metrics.height() + 2.0);
    }
}

void ClusterLabelItem::setAnchors(const QPointF &top, const QPointF &bottom)
{
    m_top = top;
    m_bottom = bottom;
    // The place the label pass chose stays until its next pass (a drag moves the name along
    // with its cluster, nothing else).
    setPlace(m_below, m_atHull);
}

void ClusterLabelItem::setHullAnchors(const QPointF &top, const QPointF &bottom)
{
    m_hullTop = top;
    m_hullBottom = bottom;
    if (m_atHull) {
        setPos(hullAnchor(m_below));
    }
}

void ClusterLabelItem::setPlace(bool below, bool atHull)
{
    if (below != m_below) {
        prepareGeometryChange();
        m_below = below;
    }
    m_atHull = atHull;
    setPos(m_atHull ? hullAnchor(m_below) : anchor(m_below));
}

QRectF ClusterLabelItem::rectAt(bool below) const
{
    if (m_text.isEmpty()) {
        return QRectF();
    }
    const double width = m_size.width();
    const double height = m_size.height();
    return below ? QRectF(-width / 2.0, 2.0, width, height)
                 : QRectF(-width / 2.0, -2.0 - height, width, height);
}

QRectF ClusterLabelItem::boundingRect() const
{
    return rectAt(m_below);
}

void ClusterLabelItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QRectF rect = rectAt(m_below);
    if (rect.isNull()) {
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(
        m_hull->isSelected() ? QColor(255, 236, 179, 235) : QColor(255, 255, 255, 215));
    painter->drawRoundedRect(rect, 3, 3);
    painter->setFont(clusterLabelFont());
    painter->setPen(m_hull->color().darker(170));
    painter->drawText(rect, Qt::AlignCenter, m_text);
}

void ClusterLabelItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    pressSelectsCluster(m_hull, event); // the name stands for the cluster
}

void pressSelectsCluster(ClusterHullItem *hull, QGraphicsSceneMouseEvent *event)
{
    // A click selects the cluster (Ctrl+click toggles it).
    if (event->button() != Qt::LeftButton) {
        event->ignore();
        return;
    }
    if (event->modifiers() & Qt::ControlModifier) {
        hull->setSelected(!hull->isSelected());
    } else {
        if (hull->scene()) {
            hull->scene()->clearSelection();
        }
        hull->setSelected(true);
    }
    event->accept();
}

} // namespace collapipe
