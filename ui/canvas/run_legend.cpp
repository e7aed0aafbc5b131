// SPDX-License-Identifier: MIT
#include "ui/canvas/run_legend.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QStringList>

#include <algorithm>

namespace collapipe {

namespace {

constexpr double kRow = 16.0;
constexpr double kSwatch = 26.0;

QFont legendFont()
{
    QFont font = QGuiApplication::font();
    font.setPointSizeF(8.0);
    return font;
}

// Colours match DeviceRunBadge and PipelineHopItem.
QStringList legendRows()
{
    return {
        QStringLiteral("blocks i–j held this round"),
        QStringLiteral("load: busy / round latency"),
        QStringLiteral("memory / capacity (red: over)"),
        QStringLiteral("D2D activations (width: rate)"),
        QStringLiteral("D2E hop to the edge server"),
        QStringLiteral("faded: idle (no blocks)"),
        QStringLiteral("away: left its cluster (churn)"),
    };
}

double textWidth()
{
    const QFontMetricsF metrics(legendFont());
    double width = metrics.horizontalAdvance(QStringLiteral("Round 0000"));
    for (const QString &row : legendRows()) {
        width = std::max(width, metrics.horizontalAdvance(row));
    }
    return width;
}

QString legendCompactTitle(int round)
{
    return QStringLiteral("Round %1 \u00B7 key").arg(round);
}

double legendCompactWidth()
{
    QFont bold = legendFont();
    bold.setBold(true);
    return QFontMetricsF(bold).horizontalAdvance(legendCompactTitle(8888)) + 16.0;
}

} // namespace

QSizeF runLegendSize(bool compact)
{
    if (compact) {
        return QSizeF(legendCompactWidth(), kRow + 8.0);
    }
    return QSizeF(textWidth() + kSwatch + 16.0, kRow * 8 + 8.0);
}

void paintRunLegend(QPainter *painter, const QPointF &topLeft, int round, bool compact)
{
    const QStringList rows = legendRows();
    const QFont font = legendFont();
    const double width = textWidth();
    const QRectF box(topLeft, runLegendSize(compact));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(QColor(180, 180, 180), 1.0));
    painter->setBrush(QColor(255, 255, 255, 225));
    painter->drawRoundedRect(box, 4, 4);
    painter->setFont(font);
    QFont bold = font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(QColor(40, 40, 40));
    const double x = box.left() + 8.0;
    if (compact) {
        painter->drawText(QRectF(x, box.top() + 4, box.width() - 8.0, kRow), Qt::AlignVCenter,
            legendCompactTitle(round));
        painter->restore();
        return;
    }
    painter->drawText(QRectF(x, box.top() + 4, width + kSwatch, kRow), Qt::AlignVCenter,
        QStringLiteral("Round %1").arg(round));
    painter->setFont(font);
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const double y = box.top() + 4 + kRow * (i + 1);
        const QRectF swatch(x, y + 2, kSwatch - 6, kRow - 4);
        const double midY = swatch.center().y();
        switch (i) {
        case 0:
            painter->setPen(QPen(QColor(230, 81, 0), 1.0));
            painter->setBrush(Qt::white);
            painter->drawRoundedRect(swatch, 3, 3);
            break;
        case 1:
        case 2:
            painter->setPen(Qt::NoPen);
            painter->setBrush(i == 1 ? QColor(30, 136, 229) : QColor(67, 160, 71));
            painter->drawRect(QRectF(x + 2, y + 2, 4, kRow - 4));
            if (i == 2) {
                painter->setBrush(QColor(211, 47, 47));
                painter->drawRect(QRectF(x + 9, y + 2, 4, kRow - 4));
            }
            break;
        case 3:
        case 4:
            painter->setPen(QPen(i == 3 ? QColor(230, 81, 0) : QColor(123, 31, 162), 3.0));
            painter->drawLine(QPointF(swatch.left(), midY), QPointF(swatch.right() - 5, midY));
            painter->setPen(Qt::NoPen);
            painter->setBrush(i == 3 ? QColor(230, 81, 0) : QColor(123, 31, 162));
            painter->drawPolygon(QPolygonF{QPointF(swatch.right(), midY),
                QPointF(swatch.right() - 7, midY - 4), QPointF(swatch.right() - 7, midY + 4)});
            break;
        case 6:
            painter->setPen(QPen(QColor(198, 40, 40), 2.0, Qt::SolidLine, Qt::RoundCap));
            painter->drawLine(QPointF(x + 4, y + 3), QPointF(x + 14, y + kRow - 3));
            painter->drawLine(QPointF(x + 4, y + kRow - 3), QPointF(x + 14, y + 3));
            break;
        default:
            painter->setPen(QPen(QColor(30, 30, 30, 90), 1.0));
            painter->setBrush(QColor(120, 160, 200, 90));
            painter->drawRoundedRect(QRectF(x + 4, y + 1, 9, kRow - 2), 2, 2);
            break;
        }
        painter->setPen(QColor(40, 40, 40));
        painter->drawText(QRectF(x + kSwatch, y, width + 4, kRow), Qt::AlignVCenter, rows[i]);
    }
    painter->restore();
}

} // namespace collapipe
