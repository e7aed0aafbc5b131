// SPDX-License-Identifier: MIT
#include "ui/canvas/scale_bar_strip.h"

#include "ui/canvas/link_item.h"
#include "ui/canvas/topology_view.h"

#include <QFontMetricsF>
#include <QPainter>

namespace collapipe {

namespace {

constexpr double kBarLeftPx = 12.0;
constexpr double kTextGapPx = 6.0;

} // namespace

ScaleBarStrip::ScaleBarStrip(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("canvasScaleBar"));
    setAttribute(Qt::WA_OpaquePaintEvent);
    setToolTip(tr("Scale of the canvas at the current zoom"));
}

int ScaleBarStrip::stripHeight()
{
    return 22;
}

void ScaleBarStrip::setPixelsPerMetre(double pixelsPerMetre)
{
    if (pixelsPerMetre > 0.0 && pixelsPerMetre != m_pixelsPerMetre) {
        m_pixelsPerMetre = pixelsPerMetre;
        update();
    }
}

double ScaleBarStrip::barMetres() const
{
    return niceLength(120.0 / m_pixelsPerMetre);
}

QString ScaleBarStrip::text() const
{
    const double metres = barMetres();
    return metres >= 1000.0 ? QStringLiteral("%1 km").arg(metres / 1000.0)
                            : QStringLiteral("%1 m").arg(metres);
}

QRectF ScaleBarStrip::barRect() const
{
    const double pixels = barMetres() * m_pixelsPerMetre;
    const double textWidth = QFontMetricsF(font()).horizontalAdvance(text());
    return QRectF(kBarLeftPx - 2.0, 2.0, pixels + 4.0 + kTextGapPx + textWidth, height() - 4.0);
}

void ScaleBarStrip::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), canvasBackground());
    painter.setPen(QColor(210, 210, 204));
    painter.drawLine(0, 0, width(), 0); // the canvas's bottom edge
    const double pixels = barMetres() * m_pixelsPerMetre;
    const double y = height() / 2.0 + 0.5;
    const QPointF start(kBarLeftPx, y);
    painter.setPen(QPen(QColor(40, 40, 40), 2));
    painter.drawLine(start, start + QPointF(pixels, 0));
    painter.drawLine(start + QPointF(0, -5), start + QPointF(0, 4));
    painter.drawLine(start + QPointF(pixels, -5), start + QPointF(pixels, 4));
    painter.drawText(QRectF(kBarLeftPx + pixels + kTextGapPx, 0, width(), height()),
        Qt::AlignLeft | Qt::AlignVCenter, text());
}

} // namespace collapipe
