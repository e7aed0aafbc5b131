// SPDX-License-Identifier: MIT
#include "ui/lab/lab_heat_map.h"

#include <QImage>
#include <QPainter>

#include <algorithm>

namespace collapipe {

LabHeatMap::LabHeatMap(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("labHeatMap"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void LabHeatMap::setTensor(const LabOpTensor &tensor)
{
    m_tensor = tensor;
    m_has = !tensor.preview.empty();
    m_max = 0.0;
    for (float v : tensor.preview) {
        m_max = std::max(m_max, double(v));
    }
    update();
}

void LabHeatMap::clear()
{
    m_has = false;
    m_max = 0.0;
    update();
}

QColor LabHeatMap::colorFor(double v, double max)
{
    // White → dark blue, one hue: magnitude reads as darkness, also in greyscale print.
    const double t = max > 0.0 ? std::clamp(v / max, 0.0, 1.0) : 0.0;
    return QColor::fromRgbF(float(1.0 - 0.92 * t), float(1.0 - 0.75 * t), float(1.0 - 0.35 * t));
}

void LabHeatMap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QFontMetrics fm = p.fontMetrics();
    if (!m_has) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("no tensor"));
        return;
    }
    // Left: the row axis name (rotated); bottom: the column axis name; right: the colour scale.
    const QString maxText = QString::number(m_max, 'g', 2);
    const int scaleW = 12 + 4 + fm.horizontalAdvance(maxText);
    const int left = fm.height() + 6;
    const int bottom = fm.height() + 6;
    const QRect room(left, 4, width() - left - scaleW - 10, height() - bottom - 8);
    if (room.width() < 20 || room.height() < 20) {
        return;
    }
    // Square cells: a 64 × 32 tensor reads as twice as tall as wide, not as the panel's shape.
    const double cell = std::min(double(room.width()) / m_tensor.previewColumns,
        double(room.height()) / m_tensor.previewRows);
    const QRect area(room.left(), room.top(), int(cell * m_tensor.previewColumns),
        int(cell * m_tensor.previewRows));
    QImage image(m_tensor.previewColumns, m_tensor.previewRows, QImage::Format_RGB32);
    for (int r = 0; r < m_tensor.previewRows; ++r) {
        for (int c = 0; c < m_tensor.previewColumns; ++c) {
            const float v = m_tensor.preview[std::size_t(r) * std::size_t(m_tensor.previewColumns)
                + std::size_t(c)];
            image.setPixelColor(c, r, colorFor(v, m_max));
        }
    }
    p.drawImage(area, image); // nearest neighbour: one cell per pooled block, no blur
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(area.adjusted(0, 0, -1, -1));
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(area.left(), area.bottom() + 3, area.width(), fm.height()), Qt::AlignCenter,
        tr("%1 → (%2)").arg(m_tensor.columnAxis).arg(m_tensor.columns));
    p.save();
    p.translate(2, area.center().y());
    p.rotate(-90);
    p.drawText(QRect(-area.height() / 2, 0, area.height(), fm.height()), Qt::AlignCenter,
        tr("%1 → (%2)").arg(m_tensor.rowAxis).arg(m_tensor.rows));
    p.restore();
    // Colour scale: |value| 0 at the bottom, the largest pooled value at the top.
    const QRect bar(area.right() + 8, area.top(), 12, area.height());
    for (int y = 0; y < bar.height(); ++y) {
        p.setPen(colorFor(1.0 - double(y) / std::max(1, bar.height() - 1), 1.0));
        p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    p.setPen(palette().color(QPalette::Text));
    p.drawText(bar.right() + 4, bar.top() + fm.ascent(), maxText);
    p.drawText(bar.right() + 4, bar.bottom(), QStringLiteral("0"));
}

} // namespace collapipe
