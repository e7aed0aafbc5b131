// SPDX-License-Identifier: MIT
#include "ui/plots/axis_ticks.h"

#include <QFontMetrics>

#include <algorithm>
#include <array>
#include <cmath>

namespace collapipe {

bool FittedTicker::setPixels(double axisPx, double spacingPx)
{
    if (std::abs(axisPx - m_axisPx) < 0.5 && std::abs(spacingPx - m_spacingPx) < 0.5) {
        return false;
    }
    m_axisPx = axisPx;
    m_spacingPx = spacingPx;
    return true;
}

double FittedTicker::getTickStep(const QCPRange &range)
{
    if (m_axisPx <= 0.0 || m_spacingPx <= 0.0 || range.size() <= 0.0) {
        return QCPAxisTicker::getTickStep(range); // before the first layout
    }
    // The smallest nice step at least `minimum` wide: its ticks are a label apart.
    const double minimum = range.size() * m_spacingPx / std::max(m_axisPx, 1.0);
    const double magnitude = std::pow(10.0, std::floor(std::log10(minimum)));
    static constexpr std::array<double, 5> kNice{1.0, 2.0, 2.5, 5.0, 10.0};
    double step = 10.0 * magnitude;
    for (const double m : kNice) {
        if (m == 2.5 && (m_integer && magnitude < 10.0)) {
            continue; // 2.5 rounds are not rounds
        }
        if (m * magnitude >= minimum * (1.0 - 1e-9)) {
            step = m * magnitude;
            break;
        }
    }
    return m_integer ? std::max(1.0, std::round(step)) : step;
}

namespace axis_ticks {

/// The room between two ticks' label centres that keeps the labels apart.
double spacingOf(const QCPAxis *axis)
{
    const QFontMetrics fm(axis->tickLabelFont());
    if (axis->orientation() == Qt::Vertical) {
        return fm.height() * 1.35; // a line and a third of air between two labels
    }
    int widest = 0;
    for (const QString &label : axis->tickVectorLabels()) {
        widest = std::max(widest, fm.horizontalAdvance(label));
    }
    if (widest == 0) { // before the first ticks: the range's ends as labels
        const QLocale locale = axis->parentPlot()->locale();
        for (const double v : {axis->range().lower, axis->range().upper}) {
            widest = std::max(widest, fm.horizontalAdvance(locale.toString(v, 'g', 4)));
        }
    }
    return widest + fm.horizontalAdvance(QStringLiteral("00"));
}

} // namespace axis_ticks

bool fitAxisTicks(QCPAxis *axis)
{
    auto *ticker = dynamic_cast<FittedTicker *>(axis->ticker().data());
    if (!ticker || !axis->visible() || !axis->axisRect()) {
        return false;
    }
    const QRect rect = axis->axisRect()->rect();
    const double length = axis->orientation() == Qt::Horizontal ? rect.width() : rect.height();
    return ticker->setPixels(length, axis_ticks::spacingOf(axis));
}

QList<QRect> tickLabelRects(const QCPAxis *axis)
{
    QList<QRect> rects;
    if (!axis->visible() || !axis->tickLabels()) {
        return rects;
    }
    const QFontMetrics fm(axis->tickLabelFont());
    const QRect area = axis->axisRect()->rect();
    const int gap = axis->tickLabelPadding() + std::max(axis->tickLengthOut(), 0);
    const QVector<double> ticks = axis->tickVector();
    const QVector<QString> labels = axis->tickVectorLabels();
    for (int i = 0; i < std::min(ticks.size(), labels.size()); ++i) {
        const QSize size(fm.horizontalAdvance(labels[i]), fm.height());
        const int at = int(std::lround(axis->coordToPixel(ticks[i])));
        QRect r(QPoint(0, 0), size);
        switch (axis->axisType()) {
        case QCPAxis::atBottom:
            r.moveTopLeft(QPoint(at - size.width() / 2, area.bottom() + 1 + gap));
            break;
        case QCPAxis::atTop:
            r.moveBottomLeft(QPoint(at - size.width() / 2, area.top() - 1 - gap));
            break;
        case QCPAxis::atLeft:
            r.moveTopRight(QPoint(area.left() - 1 - gap, at - size.height() / 2));
            break;
        case QCPAxis::atRight:
            r.moveTopLeft(QPoint(area.right() + 1 + gap, at - size.height() / 2));
            break;
        }
        rects << r;
    }
    return rects;
}

bool legendBesideAxisRect(const QCustomPlot *plot)
{
    QCPLayoutGrid *layout = plot->plotLayout();
    if (!plot->legend || plot->legend->layout() != layout) {
        return false;
    }
    for (int i = 0; i < layout->elementCount(); ++i) {
        if (layout->elementAt(i) == plot->legend) {
            int row = 0;
            int column = 0;
            layout->indexToRowCol(i, row, column);
            return column > 0;
        }
    }
    return false;
}

} // namespace collapipe
