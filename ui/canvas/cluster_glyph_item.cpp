// SPDX-License-Identifier: MIT
#include "ui/canvas/cluster_glyph_item.h"

#include "ui/canvas/cluster_hull_item.h"

#include <QFont>
#include <QPaintDevice>
#include <QPaintEngine>
#include <QPainter>
#include <QPixmap>
#include <QPixmapCache>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

constexpr double kRingPx = 4.0; // the load ring outside the disc
constexpr double kFlagPx = 3.0; // the problem ring outside that
constexpr double kSixteenthsPerTurn = 360.0 * 16.0;

} // namespace

namespace cluster_glyph_detail {

/// What a glyph looks like: glyphs that look alike share one pre-rendered image (issue [7/7]:
/// 10,000 per-item caches, each painted on its own, made the first frame of a 100,000-device
/// file ~0.25 s; most clusters look alike: same colour, same device count).
struct Look
{
    QColor color;
    double radiusPx = 0.0;
    bool selected = false;
    bool flagged = false;
    double load = -1.0;
    QString text;
};

void drawLook(QPainter *painter, const Look &look)
{
    const double r = look.radiusPx;
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF disc(-r, -r, 2 * r, 2 * r);
    painter->setPen(QPen(
        look.selected ? QColor(30, 30, 30) : look.color.darker(160), look.selected ? 3.0 : 1.5));
    painter->setBrush(look.color.lighter(150));
    painter->drawEllipse(disc);
    if (look.load >= 0.0) {
        // The round's load: a grey track and a dark arc from 12 o'clock, clockwise.
        const QRectF ring
            = disc.adjusted(-kRingPx / 2 - 1, -kRingPx / 2 - 1, kRingPx / 2 + 1, kRingPx / 2 + 1);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(QColor(200, 200, 200), kRingPx - 1, Qt::SolidLine, Qt::FlatCap));
        painter->drawEllipse(ring);
        painter->setPen(QPen(QColor(40, 40, 40), kRingPx - 1, Qt::SolidLine, Qt::FlatCap));
        const int span = -int(std::lround(std::clamp(look.load, 0.0, 1.0) * kSixteenthsPerTurn));
        painter->drawArc(ring, 90 * 16, span);
    }
    if (look.flagged) {
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
    painter->drawText(disc, Qt::AlignCenter, look.text);
}

/// The look pre-rendered at a device pixel ratio, over `bounds` (item pixels), shared by every
/// glyph that looks the same (QPixmapCache: evicted when unused, made again when needed).
QPixmap lookImage(const Look &look, const QRectF &bounds, qreal dpr)
{
    // The load as the arc draws it (sixteenths of a degree), so equal arcs share an image.
    const long span
        = look.load >= 0.0 ? std::lround(std::clamp(look.load, 0.0, 1.0) * kSixteenthsPerTurn) : -1;
    const QString key = QStringLiteral("collapipe-glyph:%1:%2:%3:%4:%5:%6:%7")
                            .arg(look.color.rgba())
                            .arg(look.radiusPx)
                            .arg(int(look.selected) + 2 * int(look.flagged))
                            .arg(span)
                            .arg(dpr)
                            .arg(bounds.width())
                            .arg(look.text);
    QPixmap image;
    if (QPixmapCache::find(key, &image)) {
        return image;
    }
    const QSize size = (bounds.size() * dpr).toSize().expandedTo(QSize(1, 1));
    image = QPixmap(size);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.translate(-bounds.topLeft());
        drawLook(&painter, look);
    }
    QPixmapCache::insert(key, image);
    return image;
}

} // namespace cluster_glyph_detail

ClusterGlyphItem::ClusterGlyphItem(ClusterHullItem *hull, const QString &clusterId)
    : m_hull(hull)
    , m_clusterId(clusterId)
{
    setFlag(ItemIgnoresTransformations);
    // No cache of its own: glyphs that look alike share one image (see lookImage).
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
    cluster_glyph_detail::Look look;
    look.radiusPx = radiusPx();
    look.color = m_hull->color();
    look.selected = m_hull->isSelected();
    look.flagged = m_flagged;
    look.load = m_load;
    // During a run: "active/total" devices; else the device count.
    look.text = m_load >= 0.0 && look.radiusPx >= 13
        ? QStringLiteral("%1/%2").arg(m_active).arg(m_devices)
        : QString::number(m_devices);
    const QPaintDevice *device = painter->device();
    if (!device || !painter->paintEngine()
        || painter->paintEngine()->type() != QPaintEngine::Raster) {
        cluster_glyph_detail::drawLook(painter, look); // a vector device (print, SVG) gets shapes
        return;
    }
    const qreal dpr = device->devicePixelRatio();
    // The view draws it with no scale (ItemIgnoresTransformations): the image lands 1:1 on the
    // device's pixels, as the per-item cache's did.
    const QRectF bounds = boundingRect();
    painter->drawPixmap(bounds.topLeft(), cluster_glyph_detail::lookImage(look, bounds, dpr));
}

void ClusterGlyphItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    pressSelectsCluster(m_hull, event); // the glyph stands for the cluster, as its name does
}

} // namespace collapipe
