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
    : RoundPlot(tr("Latency per round by cause (stacked)"), parent)
{
    yAxis->setLabel(tr("s"));
    setIncludeZero(yAxis, true);
    static const std::array<QColor, kParts> colors
        = {QColor(78, 121, 167), QColor(89, 161, 79), QColor(242, 142, 43), QColor(176, 122, 161),
            QColor(156, 117, 95), QColor(225, 87, 89), QColor(210, 210, 210)};
    const QStringList names = partNames();
    QCPGraph *below = nullptr;
    // Legend top-down matches the stack top-down: add the graphs bottom-first, then reverse
    // the legend order below.
    for (int i = 0; i < kParts; ++i) {
        const int s = ensureSeries(names[i], names[i], QPen(colors[i].darker(130)));
        QCPGraph *g = graphOf(s);
        g->setLineStyle(QCPGraph::lsStepCenter);
        g->setBrush(QBrush(colors[i])); // opaque: translucent fills are slow
        if (below) {
            g->setChannelFillGraph(below);
        }
        below = g;
    }
    for (int i = kParts - 1; i >= 0; --i) {
        graphOf(i)->removeFromLegend();
        graphOf(i)->addToLegend();
    }
}

void LatencyPlot::takeRound(const RoundRecord &record)
{
    const LatencySplit &s = record.split;
    const std::array<double, kParts> parts
        = {s.computeS, s.d2dS, s.d2eS, s.decoderS, s.uploadS, s.aggregationS, s.bubbleS};
    double sum = 0.0;
    for (int i = 0; i < kParts; ++i) {
        sum += parts[static_cast<std::size_t>(i)];
        appendPoint(i, record, sum);
    }
}

} // namespace collapipe
