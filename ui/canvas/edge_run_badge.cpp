// SPDX-License-Identifier: MIT
#include "ui/canvas/edge_run_badge.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>

#include <algorithm>

namespace collapipe {

namespace {

// Around the server's icon (EdgeServerItem::iconRect spans x ±16, y −26…20; its antenna arcs
// reach y −34 and its name label sits below the icon down to about y 38).
constexpr double kSideGap = 20.0;
constexpr double kTop = -26.0;
constexpr double kAbove = -38.0;
constexpr double kBelow = 40.0;
constexpr double kPad = 3.0;

QFont lineFont()
{
    QFont font = QGuiApplication::font();
    font.setPointSizeF(7.0);
    font.setBold(true);
    return font;
}

QFont headingFont()
{
    QFont font = lineFont();
    font.setBold(false);
    font.setItalic(true);
    return font;
}

QString heading()
{
    return QStringLiteral("edge tail");
}

} // namespace

EdgeRunBadge::EdgeRunBadge(QGraphicsItem *edgeServerItem)
    : QGraphicsItem(edgeServerItem)
{
    setAcceptedMouseButtons(Qt::NoButton);
}

void EdgeRunBadge::setLines(const QStringList &lines)
{
    if (lines != m_lines) {
        prepareGeometryChange(); // the chip's size follows its text
        m_lines = lines;
        update();
    }
}

void EdgeRunBadge::setSide(Side side)
{
    if (side != m_side) {
        prepareGeometryChange();
        m_side = side;
    }
}

QRectF EdgeRunBadge::chipRect() const
{
    const QFontMetricsF metrics(lineFont());
    double width = QFontMetricsF(headingFont()).horizontalAdvance(heading());
    for (const QString &line : m_lines) {
        width = std::max(width, metrics.horizontalAdvance(line));
    }
    const double w = width + 2 * kPad;
    const double h = metrics.height() * double(m_lines.size() + 1) + 2 * kPad;
    switch (m_side) {
    case Side::Left:
        return QRectF(-kSideGap - w, kTop, w, h);
    case Side::Above:
        return QRectF(-w / 2.0, kAbove - h, w, h);
    case Side::Below:
        return QRectF(-w / 2.0, kBelow, w, h);
    case Side::Right:
        break;
    }
    return QRectF(kSideGap, kTop, w, h);
}

QRectF EdgeRunBadge::boundingRect() const
{
    return chipRect().adjusted(-1, -1, 1, 1);
}

void EdgeRunBadge::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_lines.isEmpty()) {
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF chip = chipRect();
    // The edge server's slate, so the chip reads as the server's, not a device's (orange).
    painter->setPen(QPen(QColor(69, 90, 100), 1.0));
    painter->setBrush(QColor(255, 255, 255, 240));
    painter->drawRoundedRect(chip, 3, 3);
    const double lineHeight = QFontMetricsF(lineFont()).height();
    QRectF row(chip.left() + kPad, chip.top() + kPad, chip.width() - 2 * kPad, lineHeight);
    painter->setFont(headingFont());
    painter->setPen(QColor(69, 90, 100));
    painter->drawText(row, Qt::AlignLeft | Qt::AlignVCenter, heading());
    painter->setFont(lineFont());
    painter->setPen(QColor(40, 40, 40));
    for (const QString &line : m_lines) {
        row.translate(0.0, lineHeight);
        painter->drawText(row, Qt::AlignLeft | Qt::AlignVCenter, line);
    }
}

} // namespace collapipe
