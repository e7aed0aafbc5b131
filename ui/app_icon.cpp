// SPDX-License-Identifier: MIT
#include "ui/app_icon.h"

#include <QPainter>
#include <QPixmap>

namespace collapipe {

namespace {

// Drawn on a 64×64 grid: an edge server (top), a cluster hull with three devices chained as a
// pipeline, and the upload link — the layout of the SVG.
QPixmap paintIcon(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 64.0, size / 64.0);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(38, 50, 56));
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12);
    p.setBrush(QColor(78, 121, 167, 120));
    p.setPen(QPen(QColor(144, 202, 249), 2));
    p.drawEllipse(QRectF(8, 30, 48, 26));
    p.setPen(QPen(QColor(255, 183, 77), 2.5));
    p.drawLine(QPointF(32, 22), QPointF(32, 36));
    p.drawLine(QPointF(18, 44), QPointF(32, 40));
    p.drawLine(QPointF(32, 40), QPointF(46, 44));
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(176, 190, 197));
    p.drawRoundedRect(QRectF(22, 8, 20, 14), 2, 2);
    p.setBrush(QColor(255, 183, 77));
    p.drawEllipse(QPointF(32, 40), 4.5, 4.5);
    p.setBrush(QColor(129, 212, 250));
    p.drawEllipse(QPointF(18, 44), 4, 4);
    p.drawEllipse(QPointF(46, 44), 4, 4);
    return pixmap;
}

} // namespace

QIcon appIcon()
{
    QIcon icon;
    for (const int size : {16, 32, 48, 64, 128}) {
        icon.addPixmap(paintIcon(size));
    }
    return icon;
}

QString studioVersion()
{
    return QStringLiteral(COLLAPIPE_VERSION_STRING);
}

} // namespace collapipe
