// SPDX-License-Identifier: MIT
#include "ui/plots/latency_plot.h"

#include <array>

namespace collapipe {

QStringList LatencyPlot::partNames()
{
    return {tr("compute"), tr("D2D"), tr("D2E"), tr("decoder"), tr("upload"), tr("aggregation"),
        tr("bubble")};
}

LatencyPlot::LatencyPlot(QWidget *parent)
    : RoundPlot(tr("Latency per round by cause [s], stacked"), parent)
{
    setObjectName(QStringLiteral("latency-by-cause"));
    yAxis->setLabel(tr("s"));
    setIncludeZero(yAxis, true);
    placeLegendOutside(); // the stack fills the axis rect
    static const std::array<QColor, kParts> colors
        = {QColor(78, 121, 167), QColor(89, 161, 79), QColor(242, 142, 43), QColor(176, 122, 161),
            QColor(156, 117, 95), QColor(225, 87, 89), QColor(210, 210, 210)};
    const QStringList names = partNames();
    // Series k holds the sum of parts 0..k and is filled (opaque) down to zero. The series are
    // created top part first so each lower, smaller sum is painted over the larger ones: that
    // reads as a stack, and filling to the baseline is ~15x cheaper at 10⁶ rounds than
    // QCustomPlot's channel fill between graphs (measured in tests/bench/bench_replot.cpp).
    // Creation order also makes the legend list the parts top-down, like the stack.
    for (int k = kParts - 1; k >= 0; --k) {
        const int s = ensureSeries(names[k], names[k], QPen(colors[k].darker(130)));
        QCPGraph *g = graphOf(s);
        g->setLineStyle(QCPGraph::lsStepCenter);
        g->setBrush(QBrush(colors[k])); // opaque: translucent fills are slow
        m_fills.push_back(colors[k]);
    }
}

void LatencyPlot::dataChanged()
{
    const bool fill = roundCount() <= kMaxFilledRounds;
    if (fill == m_filled) {
        return;
    }
    m_filled = fill;
    for (int s = 0; s < seriesCount(); ++s) {
        graphOf(s)->setBrush(
            fill ? QBrush(m_fills[static_cast<std::size_t>(s)]) : QBrush(Qt::NoBrush));
    }
}

void LatencyPlot::takeRound(const RoundRecord &record)
{
    const LatencySplit &s = record.split;
    const std::array<double, kParts> parts
        = {s.computeS, s.d2dS, s.d2eS, s.decoderS, s.uploadS, s.aggregationS, s.bubbleS};
    double sum = 0.0;
    for (int k = 0; k < kParts; ++k) {
        sum += parts[static_cast<std::size_t>(k)];
        appendPoint(seriesOfPart(k), record, sum);
    }
}

} // namespace collapipe
