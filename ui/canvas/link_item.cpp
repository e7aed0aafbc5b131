// SPDX-License-Identifier: MIT
#include "ui/canvas/link_item.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

// Half the label box, in pixels: room for "1234 m".
constexpr double kLabelHalfWidthPx = 26.0;
constexpr double kLabelHalfHeightPx = 9.0;
constexpr double kMinLabelledLengthPx = 90.0;

QString distanceText(double metres)
{
    return metres < 10.0 ? QStringLiteral("%1 m").arg(metres, 0, 'f', 1)
                         : QStringLiteral("%1 m").arg(qRound(metres));
}

const QFont &distanceFont()
{
    static const QFont font = [] {
        QFont f = QGuiApplication::font();
        f.setPointSizeF(7.5);
        return f;
    }();
    return font;
}

} // namespace

LinkItem::LinkItem(Kind kind, QGraphicsItem *parent)
    : QGraphicsItem(parent)
    , m_kind(kind)
{
    setZValue(kind == Kind::D2E ? 2 : 3);
}

void LinkItem::setEnds(const QPointF &from, const QPointF &to)
{
    const QLineF line(from, to);
    if (line == m_line) {
        return;
    }
    prepareGeometryChange();
    const bool sameLength = line.length() == m_line.length() && !m_distanceText.isEmpty();
    m_line = line;
    if (!sameLength) {
        // Measured here, not per frame: boundingRect() is asked for every link on every paint.
        m_distanceText = distanceText(m_line.length());
        m_distanceWidthPx = QFontMetricsF(distanceFont()).horizontalAdvance(m_distanceText) + 6.0;
    }
}

void LinkItem::setMetresPerPixel(double metresPerPixel)
{
    if (metresPerPixel == m_metresPerPixel) {
        return;
    }
    prepareGeometryChange();
    m_metresPerPixel = metresPerPixel;
}

void LinkItem::setShowDistance(bool show)
{
    m_showDistance = show;
    update();
}

void LinkItem::setDistanceFits(bool fits)
{
    if (fits != m_distanceFits) {
        m_distanceFits = fits;
        update();
    }
}

QRectF LinkItem::distanceLabelRect() const
{
    // Short links (on screen) get no label: it would cover the icons at their ends.
    if (!m_showDistance || m_line.length() / m_metresPerPixel < kMinLabelledLengthPx) {
        return QRectF();
    }
    return QRectF(-m_distanceWidthPx / 2.0, -7.0, m_distanceWidthPx, 14.0);
}

QRectF LinkItem::boundingRect() const
{
    const QPointF mid = m_line.center();
    const double hw
        = std::max(kLabelHalfWidthPx, distanceLabelRect().width() / 2.0) * m_metresPerPixel;
    const double hh = kLabelHalfHeightPx * m_metresPerPixel;
    const double pen = 3.0 * m_metresPerPixel;
    return QRectF(m_line.p1(), m_line.p2())
        .normalized()
        .adjusted(-pen, -pen, pen, pen)
        .united(QRectF(mid.x() - hw, mid.y() - hh, 2 * hw, 2 * hh));
}

void LinkItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    // Dashed D2D lines without antialiasing: a 1 px dash pattern hides the steps, and an
    // antialiased dash costs several times more per pixel (a thousand links per frame).
    painter->setRenderHint(QPainter::Antialiasing, m_kind == Kind::D2E);
    // 1 px cosmetic pens: the raster engine's fast path (a wider pen goes through its general
    // stroker, which made links a third of a 1,000-device frame). D2E reads by its solid,
    // darker line; D2D is dashed and grey.
    // A faded link (level of detail, run overlay) is drawn opaque in a colour mixed with the
    // canvas background instead of translucent: a translucent line leaves the raster engine's
    // fast path and cost ~2x a whole pan frame at 1,000 devices.
    const double fade = painter->opacity();
    painter->setOpacity(1.0);
    const QColor ink = m_kind == Kind::D2E ? QColor(38, 50, 56) : QColor(120, 120, 120);
    const QColor paper = canvasBackground();
    const auto mix = [fade](int a, int b) { return int(std::lround(a + (b - a) * fade)); };
    QPen pen(QColor(mix(paper.red(), ink.red()), mix(paper.green(), ink.green()),
                 mix(paper.blue(), ink.blue())),
        1.0);
    pen.setCosmetic(true);
    if (m_kind == Kind::D2D) {
        pen.setStyle(Qt::DashLine);
    }
    painter->setPen(pen);
    painter->drawLine(m_line);
    painter->setOpacity(fade);
    if (!isDistanceShown()) {
        return;
    }
    // Draw the label in device pixels so it keeps its size at any zoom.
    const QPointF mid = painter->worldTransform().map(m_line.center());
    painter->save();
    painter->resetTransform();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setFont(distanceFont());
    const QString &text = m_distanceText;
    const QRectF box = distanceLabelRect().translated(mid);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(255, 255, 255, 215));
    painter->drawRoundedRect(box, 3, 3);
    painter->setPen(m_kind == Kind::D2E ? QColor(38, 50, 56) : QColor(90, 90, 90));
    painter->drawText(box, Qt::AlignCenter, text);
    painter->restore();
}

} // namespace collapipe
