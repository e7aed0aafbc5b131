// SPDX-License-Identifier: MIT
#include "ui/canvas/pipeline_hop_item.h"

#include <QPainter>
#include <QPainterPathStroker>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

constexpr double kArrowPx = 9.0;   // arrowhead length
constexpr double kTrimPx = 12.0;   // keep the stroke off the icons at both ends
constexpr double kHitHalfPx = 5.0; // tooltip hit band either side of the line

QColor hopColor(PipelineHopItem::Kind kind)
{
    return kind == PipelineHopItem::Kind::D2E ? QColor(123, 31, 162) : QColor(230, 81, 0);
}

} // namespace

PipelineHopItem::PipelineHopItem(QGraphicsItem *parent)
    : QGraphicsItem(parent)
{
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(5); // above the plain links (2, 3), below the nodes (10+)
}

PipelineHopItem::~PipelineHopItem()
{
    if (m_onDestroyed) {
        m_onDestroyed();
    }
}

double PipelineHopItem::widthForRate(double rateBps)
{
    if (!(rateBps > 0.0)) {
        return 2.0;
    }
    const double t = std::clamp((std::log10(rateBps) - 6.0) / 3.0, 0.0, 1.0);
    return 1.5 + 4.5 * t;
}

void PipelineHopItem::setEnds(const QPointF &from, const QPointF &to)
{
    if (QLineF(from, to) != m_line) {
        prepareGeometryChange();
        m_line = QLineF(from, to);
    }
}

void PipelineHopItem::setMetresPerPixel(double metresPerPixel)
{
    if (metresPerPixel != m_metresPerPixel) {
        prepareGeometryChange();
        m_metresPerPixel = metresPerPixel;
    }
}

void PipelineHopItem::setActivity(Kind kind, double rateBps)
{
    if (kind != m_kind || rateBps != m_rateBps) {
        m_kind = kind;
        m_rateBps = rateBps;
        update();
    }
}

QRectF PipelineHopItem::boundingRect() const
{
    const double pad = (kArrowPx + 6.0) * m_metresPerPixel;
    return QRectF(m_line.p1(), m_line.p2()).normalized().adjusted(-pad, -pad, pad, pad);
}

QPainterPath PipelineHopItem::shape() const
{
    QPainterPath path(m_line.p1());
    path.lineTo(m_line.p2());
    QPainterPathStroker stroker;
    stroker.setWidth(2.0 * kHitHalfPx * m_metresPerPixel);
    return stroker.createStroke(path);
}

void PipelineHopItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    // Work in device pixels: the trim, the stroke and the arrowhead keep their size at any zoom.
    QLineF line = painter->worldTransform().map(m_line);
    const double length = line.length();
    if (length < 2.0 * kTrimPx + kArrowPx) {
        return; // the ends overlap on screen; the chips already tell the order
    }
    painter->save();
    painter->resetTransform();
    painter->setRenderHint(QPainter::Antialiasing);
    const QPointF unit = (line.p2() - line.p1()) / length;
    line = QLineF(line.p1() + unit * kTrimPx, line.p2() - unit * kTrimPx);
    const QColor color = hopColor(m_kind);
    QPen pen(color, widthForRate(m_rateBps), Qt::SolidLine, Qt::RoundCap);
    painter->setPen(pen);
    painter->drawLine(line);
    // Arrowhead at the middle, pointing along the data flow.
    const QPointF normal(-unit.y(), unit.x());
    const double half = 0.5 * kArrowPx + 0.5 * pen.widthF();
    const QPointF tip = line.center() + unit * (0.5 * kArrowPx);
    const QPointF base = tip - unit * (kArrowPx + pen.widthF());
    const QPolygonF head{tip, base + normal * half, base - normal * half};
    painter->setPen(QPen(Qt::white, 1.0));
    painter->setBrush(color);
    painter->drawPolygon(head);
    painter->restore();
}

} // namespace collapipe
