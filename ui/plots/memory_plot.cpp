// SPDX-License-Identifier: MIT
#include "ui/plots/memory_plot.h"

namespace collapipe {

namespace {
constexpr double kBytesPerGb = 1e9;
}

MemoryPlot::MemoryPlot(QWidget *parent)
    : RoundPlot(tr("Memory [GB]: predicted —, measured ···, capacity - -"), parent)
{
    yAxis->setLabel(tr("GB"));
    setIncludeZero(yAxis, true);
}

void MemoryPlot::takeRound(const RoundRecord &record)
{
    for (const DeviceRound &d : record.devices) {
        const QString key = deviceKey(d);
        const int predicted
            = ensureSeries(key, deviceLabel(d), QPen(seriesColor(seriesCount() / 2)));
        const QColor color = graphOf(predicted)->pen().color();
        const int measured = ensureSeries(key + QStringLiteral("/measured"),
            tr("%1 measured").arg(deviceLabel(d)), QPen(color, 1, Qt::DotLine));
        graphOf(measured)->removeFromLegend();
        appendPoint(predicted, record, d.memoryPredictedBytes / kBytesPerGb);
        appendPoint(measured, record, d.memoryMeasuredBytes / kBytesPerGb);
        if (d.memoryCapacityBytes > 0.0) {
            setReferenceLine(key, d.memoryCapacityBytes / kBytesPerGb, QPen(color));
        }
    }
}

} // namespace collapipe
