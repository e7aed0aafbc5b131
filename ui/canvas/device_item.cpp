// SPDX-License-Identifier: MIT
#include "ui/canvas/device_item.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace collapipe {

DeviceItem::DeviceItem(const QString &deviceId, QGraphicsItem *parent)
    : NodeItem({ItemKind::Device, deviceId}, parent)
    , m_fill(70, 130, 180)
{ }

void DeviceItem::setAppearance(const QString &preset, double computeFlops)
{
    m_board = preset.contains(QLatin1String("jetson"), Qt::CaseInsensitive)
        || preset.contains(QLatin1String("board"), Qt::CaseInsensitive);
    // Lighter = slower: 0.1 TFLOP/s .. 10 TFLOP/s mapped on a log scale to the blue ramp.
    const double t = std::clamp((std::log10(std::max(computeFlops, 1.0)) - 11.0) / 2.0, 0.0, 1.0);
    m_fill
        = m_board ? QColor(46, 125, 50) : QColor::fromHsvF(0.58, 0.35 + 0.5 * t, 0.95 - 0.35 * t);
    update();
}

QRectF DeviceItem::iconRect() const
{
    return m_board ? QRectF(-12, -10, 24, 20) : QRectF(-8, -13, 16, 26);
}

void DeviceItem::paintIcon(QPainter *painter, bool selected) const
{
    const QRectF rect = iconRect();
    painter->setPen(
        QPen(selected ? QColor(255, 160, 0) : QColor(30, 30, 30), selected ? 2.5 : 1.2));
    painter->setBrush(m_fill);
    if (m_board) {
        painter->drawRect(rect);
        painter->setPen(QPen(QColor(230, 230, 230), 1));
        painter->setBrush(QColor(60, 60, 60));
        painter->drawRect(QRectF(-5, -5, 10, 10)); // the SoC
        return;
    }
    painter->drawRoundedRect(rect, 3, 3);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(235, 245, 255));
    painter->drawRect(rect.adjusted(2.5, 3.5, -2.5, -5.0)); // screen
}

} // namespace collapipe
