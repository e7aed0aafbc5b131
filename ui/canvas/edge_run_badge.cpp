// SPDX-License-Identifier: MIT
#include "ui/canvas/edge_run_badge.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>

#include <algorithm>

namespace collapipe {

namespace {

// Right of the server's icon (EdgeServerItem::iconRect spans x ±16, y −26…20), clear of its
// name label below it.
constexpr double kLeft = 20.0;
constexpr double kTop = -26.0;
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

QRectF EdgeRunBadge::chipRect() const
{
    const QFontMetricsF metrics(lineFont());
    double width = QFontMetricsF(headingFont()).horizontalAdvance(heading());
    for (const QString &line : m_lines) {
        width = std::max(width, metrics.horizontalAdvance(line));
    }
    const double height = metrics.height() * double(m_lines.size() + 1);
    return QRectF(kLeft, kTop, width + 2 * kPad, height + 2 * kPad);
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
