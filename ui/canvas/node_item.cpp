// SPDX-License-Identifier: MIT
#include "ui/canvas/node_item.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace collapipe {

namespace {

/// Built once: the label pass and every paint ask for it (issue [7/7]: a QFont and its metrics
/// per label per frame were a large part of a 1,000-device frame).
const QFont &nodeLabelFont()
{
    static const QFont font = [] {
        QFont f = QGuiApplication::font();
        f.setPointSizeF(8.0);
        return f;
    }();
    return font;
}

} // namespace

NodeItem::NodeItem(const ItemRef &ref, QGraphicsItem *parent)
    : QGraphicsItem(parent)
    , m_ref(ref)
{
    setFlag(ItemIgnoresTransformations);
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(true);
    // Constant size in pixels, so the cached pixmap survives zoom and pan: a frame of 1,000
    // devices blits icons and labels instead of drawing text (issue [7/7] "Scale").
    setCacheMode(DeviceCoordinateCache);
    setZValue(10);
}

void NodeItem::setLabel(const QString &label)
{
    if (label != m_label) {
        prepareGeometryChange();
        m_label = label;
        m_labelSize = QSizeF(); // measured when first needed
    }
}

void NodeItem::setFlagged(bool flagged)
{
    if (flagged != m_flagged) {
        m_flagged = flagged;
        update();
    }
}

void NodeItem::setLabelVisible(bool visible)
{
    if (visible != m_labelVisible) {
        prepareGeometryChange();
        m_labelVisible = visible;
    }
}

void NodeItem::setLabelSide(LabelSide side)
{
    if (side != m_side) {
        prepareGeometryChange();
        m_side = side;
    }
}

QRectF NodeItem::labelRectAt(LabelSide side) const
{
    if (m_label.isEmpty()) {
        return QRectF();
    }
    if (m_labelSize.isEmpty()) {
        const QFontMetricsF metrics(nodeLabelFont());
        m_labelSize = QSizeF(metrics.horizontalAdvance(m_label) + 6.0, metrics.height() + 2.0);
    }
    const qreal width = m_labelSize.width();
    const qreal height = m_labelSize.height();
    const QRectF icon = iconRect();
    switch (side) {
    case LabelSide::Below:
        return QRectF(-width / 2.0, icon.bottom() + 2.0, width, height);
    case LabelSide::Above:
        return QRectF(-width / 2.0, icon.top() - 2.0 - height, width, height);
    case LabelSide::Right:
        return QRectF(icon.right() + 3.0, -height / 2.0, width, height);
    case LabelSide::Left:
        return QRectF(icon.left() - 3.0 - width, -height / 2.0, width, height);
    }
    return QRectF();
}

QRectF NodeItem::labelRect() const
{
    return m_labelVisible ? labelRectAt(m_side) : QRectF();
}

QRectF NodeItem::boundingRect() const
{
    const QRectF icon = iconRect().adjusted(-3, -3, 3, 3);
    const QRectF label = labelRect();
    return label.isNull() ? icon : icon.united(label);
}

QPainterPath NodeItem::shape() const
{
    QPainterPath path;
    path.addRect(iconRect().adjusted(-2, -2, 2, 2));
    if (!labelRect().isNull()) {
        path.addRect(labelRect());
    }
    return path;
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const bool selected = option->state & QStyle::State_Selected;
    painter->setRenderHint(QPainter::Antialiasing);
    if (m_flagged) {
        const QRectF icon = iconRect();
        painter->setPen(QPen(QColor(211, 47, 47), 2.5));
        painter->setBrush(QColor(255, 205, 210, 160));
        painter->drawEllipse(icon.center(), icon.width() / 2 + 1, icon.height() / 2 + 1);
    }
    paintIcon(painter, selected);
    if (!labelRect().isNull()) {
        const QRectF rect = labelRect();
        painter->setPen(Qt::NoPen);
        painter->setBrush(selected ? QColor(255, 236, 179, 230) : QColor(255, 255, 255, 200));
        painter->drawRoundedRect(rect, 3, 3);
        painter->setFont(nodeLabelFont());
        painter->setPen(QColor(40, 40, 40));
        painter->drawText(rect, Qt::AlignCenter, m_label);
    }
}

} // namespace collapipe
