// SPDX-License-Identifier: MIT
#include "ui/canvas/cluster_glyph_item.h"

#include "ui/canvas/cluster_hull_item.h"

#include <QFont>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

constexpr double kRingPx = 4.0; // the load ring outside the disc
constexpr double kFlagPx = 3.0; // the problem ring outside that
constexpr double kSixteenthsPerTurn = 360.0 * 16.0;

} // namespace

ClusterGlyphItem::ClusterGlyphItem(ClusterHullItem *hull, const QString &clusterId)
    : m_hull(hull)
    , m_clusterId(clusterId)
{
    setFlag(ItemIgnoresTransformations);
    setCacheMode(DeviceCoordinateCache); // constant pixel size: the pixmap survives zoom and pan
    setZValue(13); // above the nodes it stands for (10-12): a click on it selects the cluster
}

void ClusterGlyphItem::setDeviceCount(int count)
{
    if (count != m_devices) {
        prepareGeometryChange();
        m_devices = count;
    }
}

void ClusterGlyphItem::setFlagged(bool flagged)
{
    if (flagged != m_flagged) {
        m_flagged = flagged;
        update();
    }
}

void ClusterGlyphItem::setLoad(double load, int activeDevices)
{
    if (load != m_load || activeDevices != m_active) {
        m_load = load;
        m_active = activeDevices;
        update();
    }
}

double ClusterGlyphItem::radiusPx() const
{
    // Area grows with the device count, within readable bounds: 4 devices ≈ 11 px, 100 ≈ 22 px.
    return std::clamp(7.0 + 2.0 * std::sqrt(double(std::max(m_devices, 1))), 9.0, 24.0);
}

QRectF ClusterGlyphItem::iconBounds() const
{
    const double r = radiusPx() + kRingPx + kFlagPx;
    return QRectF(-r, -r, 2 * r, 2 * r);
}

QRectF ClusterGlyphItem::boundingRect() const
{
    return iconBounds().adjusted(-1, -1, 1, 1);
}

QPainterPath ClusterGlyphItem::shape() const
{
    QPainterPath path;
    path.addEllipse(iconBounds());
    return path;
}

void ClusterGlyphItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const double r = radiusPx();
    const QColor color = m_hull->color();
    const bool selected = m_hull->isSelected();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF disc(-r, -r, 2 * r, 2 * r);
    painter->setPen(QPen(selected ? QColor(30, 30, 30) : color.darker(160), selected ? 3.0 : 1.5));
    painter->setBrush(color.lighter(150));
    painter->drawEllipse(disc);
    if (m_load >= 0.0) {
        // The round's load: a grey track and a dark arc from 12 o'clock, clockwise.
        const QRectF ring
            = disc.adjusted(-kRingPx / 2 - 1, -kRingPx / 2 - 1, kRingPx / 2 + 1, kRingPx / 2 + 1);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(QColor(200, 200, 200), kRingPx - 1, Qt::SolidLine, Qt::FlatCap));
        painter->drawEllipse(ring);
        painter->setPen(QPen(QColor(40, 40, 40), kRingPx - 1, Qt::SolidLine, Qt::FlatCap));
        const int span = -int(std::lround(std::clamp(m_load, 0.0, 1.0) * kSixteenthsPerTurn));
        painter->drawArc(ring, 90 * 16, span);
    }
    if (m_flagged) {
        const double f = r + kRingPx + kFlagPx / 2;
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(QColor(211, 47, 47), 2.0, Qt::DashLine));
        painter->drawEllipse(QRectF(-f, -f, 2 * f, 2 * f));
    }
    QFont font = painter->font();
    font.setPixelSize(r >= 13 ? 11 : 9);
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(QColor(25, 25, 25)); // dark on the light disc of every palette colour
    // During a run: "active/total" devices; else the device count.
    const QString text = m_load >= 0.0 && r >= 13
        ? QStringLiteral("%1/%2").arg(m_active).arg(m_devices)
        : QString::number(m_devices);
    painter->drawText(disc, Qt::AlignCenter, text);
}

void ClusterGlyphItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    pressSelectsCluster(m_hull, event); // the glyph stands for the cluster, as its name does
}

} // namespace collapipe
