// SPDX-License-Identifier: MIT
#include "ui/canvas/edge_server_item.h"

#include <QPainter>

namespace collapipe {

EdgeServerItem::EdgeServerItem(const QString &serverId, QGraphicsItem *parent)
    : NodeItem({ItemKind::EdgeServer, serverId}, parent)
{
    setZValue(12);
}

QRectF EdgeServerItem::iconRect() const
{
    return QRectF(-16, -26, 32, 46);
}

void EdgeServerItem::paintIcon(QPainter *painter, bool selected) const
{
    // Antenna mast with two radio arcs above the rack.
    painter->setPen(QPen(QColor(55, 71, 79), 2));
    painter->drawLine(QPointF(0, -8), QPointF(0, -22));
    painter->setBrush(Qt::NoBrush);
    painter->drawArc(QRectF(-7, -29, 14, 14), 30 * 16, 120 * 16);
    painter->drawArc(QRectF(-12, -34, 24, 24), 35 * 16, 110 * 16);
    const QRectF rack(-14, -8, 28, 28);
    painter->setPen(
        QPen(selected ? QColor(255, 160, 0) : QColor(30, 30, 30), selected ? 2.5 : 1.2));
    painter->setBrush(QColor(69, 90, 100));
    painter->drawRoundedRect(rack, 2, 2);
    painter->setPen(QPen(QColor(176, 190, 197), 1));
    for (int i = 0; i < 3; ++i) {
        const qreal y = rack.top() + 6 + i * 8;
        painter->drawLine(QPointF(rack.left() + 4, y), QPointF(rack.right() - 9, y));
        painter->setBrush(QColor(129, 199, 132));
        painter->drawEllipse(QPointF(rack.right() - 5, y), 1.5, 1.5);
    }
}

} // namespace collapipe
