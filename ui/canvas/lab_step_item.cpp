// SPDX-License-Identifier: MIT
#include "ui/canvas/lab_step_item.h"

#include <QFontMetrics>
#include <QPainter>

namespace collapipe {

namespace {

constexpr double kRingPx = 24.0; ///< outside a node icon (NodeItem draws ~32 px)
constexpr double kStepArrowPx = 11.0;
constexpr double kPadPx = 160.0; ///< room for the captions around the ends

/// A caption on a white box, so it reads over links and hulls.
void drawCaption(QPainter *p, const QPointF &anchor, const QString &text)
{
    const QFontMetrics fm(p->font());
    QRectF box = fm.boundingRect(QRect(), Qt::AlignCenter, text).adjusted(-4, -1, 4, 1);
    box.moveCenter(anchor);
    p->setPen(QPen(LabStepItem::color(), 1.0));
    p->setBrush(QColor(255, 255, 255, 235));
    p->drawRoundedRect(box, 3, 3);
    p->setPen(Qt::black);
    p->drawText(box, Qt::AlignCenter, text);
}

} // namespace

LabStepItem::LabStepItem(QGraphicsItem *parent)
    : QGraphicsItem(parent)
{
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(50); // above nodes, links and the run overlay
}

QColor LabStepItem::color()
{
    return QColor(230, 120, 0);
}

void LabStepItem::setEnds(const QPointF &from, const QPointF &to)
{
    prepareGeometryChange();
    m_from = from;
    m_to = to;
}

void LabStepItem::setTexts(const QString &opText, const QString &linkText)
{
    m_opText = opText;
    m_linkText = linkText;
    update();
}

void LabStepItem::setMetresPerPixel(double metresPerPixel)
{
    if (metresPerPixel > 0.0 && metresPerPixel != m_metresPerPixel) {
        prepareGeometryChange();
        m_metresPerPixel = metresPerPixel;
    }
}

QRectF LabStepItem::boundingRect() const
{
    const double pad = kPadPx * m_metresPerPixel;
    return QRectF(m_from, m_to).normalized().adjusted(-pad, -pad, pad, pad);
}

void LabStepItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    // Device pixels: ring, stroke and captions keep their size at any zoom.
    const QPointF from = painter->worldTransform().map(m_from);
    const QPointF to = painter->worldTransform().map(m_to);
    painter->save();
    painter->resetTransform();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(color(), 3.0));
    painter->setBrush(Qt::NoBrush);
    painter->drawEllipse(from, kRingPx, kRingPx);
    QLineF line(from, to);
    if (line.length() > 2.0 * kRingPx + kStepArrowPx) {
        const QPointF unit = (to - from) / line.length();
        line = QLineF(from + unit * kRingPx, to - unit * kRingPx);
        painter->setPen(QPen(color(), 3.0, Qt::DashLine, Qt::RoundCap));
        painter->drawLine(line);
        const QPointF normal(-unit.y(), unit.x());
        const QPointF tip = line.p2();
        const QPointF base = tip - unit * kStepArrowPx;
        painter->setPen(Qt::NoPen);
        painter->setBrush(color());
        painter->drawPolygon(QPolygonF{tip, base + normal * 6.0, base - normal * 6.0});
        // One caption on the arrow, away from the nodes and their labels: the op, then what the
        // link carries.
        drawCaption(painter, line.center() + normal * 24.0,
            m_linkText.isEmpty() ? m_opText : m_opText + QLatin1Char('\n') + m_linkText);
    } else {
        // No arrow (a W): under the ring and the node's own label.
        drawCaption(painter, from + QPointF(0, kRingPx + 22.0), m_opText);
    }
    painter->restore();
}

} // namespace collapipe
