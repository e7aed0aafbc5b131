// SPDX-License-Identifier: MIT
#include "ui/canvas/control_unit_item.h"

#include <QPainter>

namespace collapipe {

ControlUnitItem::ControlUnitItem(
    const QString &controlUnitId, const QColor &clusterColor, QGraphicsItem *parent)
    : NodeItem({ItemKind::ControlUnit, controlUnitId}, parent)
    , m_color(clusterColor)
{
    setZValue(11);
}

QRectF ControlUnitItem::iconRect() const
{
    return QRectF(-12, -12, 24, 24);
}

void ControlUnitItem::paintIcon(QPainter *painter, bool selected) const
{
    const QPolygonF diamond({QPointF(0, -12), QPointF(12, 0), QPointF(0, 12), QPointF(-12, 0)});
    painter->setPen(
        QPen(selected ? QColor(255, 160, 0) : QColor(30, 30, 30), selected ? 2.5 : 1.2));
    painter->setBrush(m_color.darker(110));
    painter->drawPolygon(diamond);
    painter->setPen(QPen(Qt::white, 1.5));
    painter->drawText(QRectF(-12, -12, 24, 24), Qt::AlignCenter, QStringLiteral("CU"));
}

} // namespace collapipe
