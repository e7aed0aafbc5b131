// SPDX-License-Identifier: MIT
#include "ui/canvas/device_run_badge.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

// Pixel geometry around the device's origin; the icons span at most ±12 × ±13 px (DeviceItem).
constexpr double kBarHalfHeight = 13.0;
constexpr double kBarInner = 14.0; // bars sit just outside the widest icon (the board, ±12 px)
constexpr double kBarWidth = 4.0;
constexpr double kChipGap = 15.0; // chip edge off the origin, clear of the phone (13 px)
constexpr double kChipHeight = 12.0;

const QFont &chipFont()
{
    static const QFont font = [] {
        QFont f = QGuiApplication::font();
        f.setPointSizeF(7.0);
        f.setBold(true);
        return f;
    }();
    return font;
}

QRectF barRect(bool right)
{
    const double x = right ? kBarInner : -kBarInner - kBarWidth;
    return QRectF(x, -kBarHalfHeight, kBarWidth, 2 * kBarHalfHeight);
}

// Draws a vertical gauge filled bottom-up to fraction (clamped to the bar).
void drawGauge(QPainter *painter, const QRectF &bar, double fraction, const QColor &fill)
{
    painter->setPen(QPen(QColor(60, 60, 60), 0.8));
    painter->setBrush(QColor(255, 255, 255, 220));
    painter->drawRect(bar);
    const double f = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
    if (f > 0.0) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        const double h = f * bar.height();
        painter->drawRect(QRectF(bar.left(), bar.bottom() - h, bar.width(), h));
    }
}

} // namespace

DeviceRunBadge::DeviceRunBadge(QGraphicsItem *deviceItem)
    : QGraphicsItem(deviceItem)
{
    // Constant pixel size (the parent ignores transformations): the pixmap survives zoom/pan.
    setCacheMode(DeviceCoordinateCache);
    setAcceptedMouseButtons(Qt::NoButton);
}

DeviceRunBadge::~DeviceRunBadge()
{
    if (m_onDestroyed) {
        m_onDestroyed();
    }
}

void DeviceRunBadge::setState(const DeviceRunState &state)
{
    const bool textChanged = state.idle != m_state.idle || state.away != m_state.away
        || state.firstBlock != m_state.firstBlock || state.lastBlock != m_state.lastBlock;
    if (textChanged || m_chipWidths[0] == 0.0) {
        prepareGeometryChange(); // the chip's width follows its text
    }
    m_state = state;
    if (textChanged || m_chipWidths[0] == 0.0) {
        // Measured once per text, not per frame (boundingRect() is asked on every paint).
        const QFontMetricsF metrics(chipFont());
        const bool compact = m_compact;
        for (const bool c : {false, true}) {
            m_compact = c;
            m_chipWidths[c ? 1 : 0] = metrics.horizontalAdvance(segmentText()) + 6.0;
        }
        m_compact = compact;
    }
    update();
}

void DeviceRunBadge::setCompact(bool compact)
{
    if (compact != m_compact) {
        prepareGeometryChange();
        m_compact = compact;
    }
}

void DeviceRunBadge::setChipShown(bool shown)
{
    if (shown != m_chipShown) {
        m_chipShown = shown;
        update();
    }
}

void DeviceRunBadge::setChipBelow(bool below)
{
    if (below != m_chipBelow) {
        prepareGeometryChange();
        m_chipBelow = below;
    }
}

QRectF DeviceRunBadge::gaugesRect() const
{
    return m_state.idle ? QRectF() : barRect(false).united(barRect(true));
}

QString DeviceRunBadge::segmentText() const
{
    if (m_state.away) {
        return QStringLiteral("away");
    }
    if (m_state.idle) {
        return QStringLiteral("idle");
    }
    // One block is "block 11", not "blocks 11–11".
    if (m_state.firstBlock == m_state.lastBlock) {
        const QString block = QString::number(m_state.firstBlock);
        return m_compact ? block : QStringLiteral("block ") + block;
    }
    const QString range = QStringLiteral("%1–%2").arg(m_state.firstBlock).arg(m_state.lastBlock);
    return m_compact ? range : QStringLiteral("blocks ") + range;
}

QRectF DeviceRunBadge::chipRect() const
{
    const double w = m_chipWidths[m_compact ? 1 : 0];
    return QRectF(-w / 2.0, m_chipBelow ? kChipGap : -kChipGap - kChipHeight, w, kChipHeight);
}

QRectF DeviceRunBadge::boundingRect() const
{
    return chipRect().united(barRect(false)).united(barRect(true)).adjusted(-1, -1, 1, 1);
}

QPainterPath DeviceRunBadge::shape() const
{
    // The chip, the bars and the icon between them: hovering any of it shows the details.
    QPainterPath path;
    if (m_chipShown) {
        path.addRect(chipRect());
    }
    path.addRect(barRect(false).united(barRect(true)));
    return path;
}

void DeviceRunBadge::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setRenderHint(QPainter::Antialiasing);
    if (!m_state.idle) {
        drawGauge(painter, barRect(false), m_state.loadFraction, QColor(30, 136, 229));
        const double worst = std::max(m_state.memoryFraction,
            std::isfinite(m_state.measuredFraction) ? m_state.measuredFraction : 0.0);
        const QColor memory = m_state.overCapacity ? QColor(211, 47, 47)
            : worst > 0.85                         ? QColor(245, 124, 0)
                                                   : QColor(67, 160, 71);
        const QRectF bar = barRect(true);
        drawGauge(painter, bar, m_state.memoryFraction, memory);
        if (std::isfinite(m_state.measuredFraction)) {
            // The measured value as a tick across the bar, so both read on one gauge.
            const double f = std::clamp(m_state.measuredFraction, 0.0, 1.0);
            const double y = bar.bottom() - f * bar.height();
            painter->setPen(QPen(QColor(20, 20, 20), 1.6));
            painter->drawLine(QPointF(bar.left() - 1.5, y), QPointF(bar.right() + 1.5, y));
        }
        if (m_state.overCapacity) {
            painter->setPen(QPen(QColor(211, 47, 47), 1.2));
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(bar.adjusted(-1.5, -1.5, 1.5, 1.5));
        }
    }
    const QColor awayRed(198, 40, 40); // the plots' dropout marker colour, a shade darker
    if (m_state.away) {
        // A cross over the icon: the device left its cluster (it sits this round out).
        painter->setPen(QPen(awayRed, 2.0, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(QPointF(-9, -9), QPointF(9, 9));
        painter->drawLine(QPointF(-9, 9), QPointF(9, -9));
    }
    if (!m_chipShown) {
        return;
    }
    const QRectF chip = chipRect();
    painter->setPen(m_state.away ? QPen(awayRed, 1.0)
            : m_state.idle       ? QPen(QColor(150, 150, 150), 0.8)
                                 : QPen(QColor(230, 81, 0), 1.0));
    painter->setBrush(m_state.idle ? QColor(238, 238, 238, 230) : QColor(255, 255, 255, 240));
    painter->drawRoundedRect(chip, 3, 3);
    painter->setFont(chipFont());
    painter->setPen(m_state.away ? awayRed
            : m_state.idle       ? QColor(110, 110, 110)
                                 : QColor(40, 40, 40));
    painter->drawText(chip, Qt::AlignCenter, segmentText());
}

} // namespace collapipe
