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
constexpr double kIconRadius = 22.0; // the leader line starts outside the icon

const QFont &lineFont()
{
    static const QFont font = [] {
        QFont f = QGuiApplication::font();
        f.setPointSizeF(7.0);
        f.setBold(true);
        return f;
    }();
    return font;
}

const QFont &headingFont()
{
    static const QFont font = [] {
        QFont f = lineFont();
        f.setBold(false);
        f.setItalic(true);
        return f;
    }();
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
    // Constant pixel size (the parent ignores transformations): the pixmap survives zoom/pan.
    setCacheMode(DeviceCoordinateCache);
    setAcceptedMouseButtons(Qt::NoButton);
}

EdgeRunBadge::~EdgeRunBadge()
{
    if (m_onDestroyed) {
        m_onDestroyed();
    }
}

void EdgeRunBadge::setLines(const QStringList &lines, const QString &compactLine)
{
    if (lines != m_lines || compactLine != m_compactLine || m_fullSize.isEmpty()) {
        prepareGeometryChange(); // the chip's size follows its text
        m_lines = lines;
        m_compactLine = compactLine;
        // Measured once per text: the label pass asks for the chip's rectangle on every zoom.
        const QFontMetricsF metrics(lineFont());
        double width = QFontMetricsF(headingFont()).horizontalAdvance(heading());
        for (const QString &line : m_lines) {
            width = std::max(width, metrics.horizontalAdvance(line));
        }
        m_fullSize
            = QSizeF(width + 2 * kPad, metrics.height() * double(m_lines.size() + 1) + 2 * kPad);
        m_compactSize = m_compactLine.isEmpty()
            ? QSizeF()
            : QSizeF(
                metrics.horizontalAdvance(m_compactLine) + 2 * kPad, metrics.height() + 2 * kPad);
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

void EdgeRunBadge::setPreferredSide(Side side)
{
    m_preferred = side;
    setSide(side);
}

void EdgeRunBadge::setCompact(bool compact)
{
    if (compact != m_compact) {
        prepareGeometryChange();
        m_compact = compact;
    }
}

void EdgeRunBadge::setChipShown(bool shown)
{
    if (shown != m_chipShown) {
        m_chipShown = shown;
        update();
    }
}

void EdgeRunBadge::setShift(const QPointF &shift)
{
    if (shift != m_shift) {
        prepareGeometryChange();
        m_shift = shift;
    }
}

QRectF EdgeRunBadge::chipRectAt(Side side, bool compact) const
{
    const QSizeF size = compact && !m_compactLine.isEmpty() ? m_compactSize : m_fullSize;
    const double w = size.width();
    const double h = size.height();
    switch (side) {
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
    // The leader line from the icon's centre to a shifted chip lies inside the union.
    const QRectF chip = chipRect();
    return (m_shift.isNull() ? chip : chip.united(QRectF(-1, -1, 2, 2))).adjusted(-1, -1, 1, 1);
}

void EdgeRunBadge::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_lines.isEmpty() || !m_chipShown) {
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF chip = chipRect();
    if (!m_shift.isNull()) {
        // A leader line from the icon's edge to the moved chip's nearest point.
        const QPointF to(
            std::clamp(0.0, chip.left(), chip.right()), std::clamp(0.0, chip.top(), chip.bottom()));
        const QLineF leader(QPointF(0, 0), to);
        if (leader.length() > kIconRadius) {
            painter->setPen(QPen(QColor(69, 90, 100), 1.0, Qt::DotLine));
            painter->drawLine(QLineF(leader.pointAt(kIconRadius / leader.length()), to));
        }
    }
    // The edge server's slate, so the chip reads as the server's, not a device's (orange).
    painter->setPen(QPen(QColor(69, 90, 100), 1.0));
    painter->setBrush(QColor(255, 255, 255, 240));
    painter->drawRoundedRect(chip, 3, 3);
    const double lineHeight = QFontMetricsF(lineFont()).height();
    QRectF row(chip.left() + kPad, chip.top() + kPad, chip.width() - 2 * kPad, lineHeight);
    if (isCompact()) {
        painter->setFont(lineFont());
        painter->setPen(QColor(40, 40, 40));
        painter->drawText(row, Qt::AlignLeft | Qt::AlignVCenter, m_compactLine);
        return;
    }
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
