// SPDX-License-Identifier: MIT
#include "ui/plots/memory_plot.h"

#include "core/scenario/scenario.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {
constexpr double kBytesPerGb = 1e9;
constexpr double kBytesPerMb = 1e6;

/// The aggregate view's value: the prediction as a share of the device's own memory (devices
/// differ: no single GB line is every device's limit; 100 % is).
double usedPercentOfCapacity(const DeviceRound &d)
{
    return d.memoryCapacityBytes > 0.0 ? 100.0 * d.memoryPredictedBytes / d.memoryCapacityBytes
                                       : std::numeric_limits<double>::quiet_NaN();
}
} // namespace

MemoryPlot::MemoryPlot(QWidget *parent)
    : RoundPlot(QString(), parent)
{
    // No device legend of its own: its colours are the energy panels' (same device order), and
    // a third legend column does not fit next to the right (MB) axis at 1280 px.
    setObjectName(QStringLiteral("memory"));
    setIncludeZero(yAxis, true);
    setIncludeZero(yAxis2, true);
    setDeviceLayout(0, usedPercentOfCapacity);
    setTrainerWidthShown(false);
}

void MemoryPlot::setScenario(const Scenario &scenario)
{
    int devices = 0;
    for (const Cluster &cluster : scenario.topology.clusters) {
        devices += static_cast<int>(cluster.devices.size());
    }
    setDeviceLayout(devices, usedPercentOfCapacity);
    setTrainerWidthShown(m_trainerWidth);
}

void MemoryPlot::setTrainerWidthShown(bool shown)
{
    m_trainerWidth = shown;
    // The profiled model (e.g. BERT-base) needs GBs, the trainer's small model MBs: each pair
    // gets its own axis so the comparison that matters (trainer: predicted vs measured) is in
    // one unit.
    yAxis2->setVisible(shown);
    yAxis2->setLabel(tr("MB")); // units only: the title names the curves
    if (aggregatesDevices()) {
        // Used against available per device; the trainer's widths per device are not drawn.
        yAxis2->setVisible(false);
        yAxis->setLabel(tr("% used"));
        setReferenceLine(QStringLiteral("limit"), 100.0, QPen(Qt::black), nullptr,
            tr("limit: each device's memory"));
        setTitle(tr("Memory used [% of capacity], profiled model"));
        return;
    }
    yAxis->setLabel(tr("GB"));
    // The title names the panel first ("GB profiled —, …" alone did not say it was memory);
    // a narrow panel drops the last clauses (fitTitleText), never the name.
    setTitle(shown ? tr("Memory: GB profiled —, MB trainer -·-, measured ···")
                   : tr("Memory [GB] profiled: —, capacity - -"));
}

void MemoryPlot::clearData()
{
    setTrainerWidthShown(false);
    RoundPlot::clearData();
}

void MemoryPlot::takeRound(const RoundRecord &record)
{
    if (aggregatesDevices()
        || static_cast<int>(record.devices.size()) > RoundPlot::kDeviceSeriesLimit) {
        const bool switched = !aggregatesDevices();
        takeDeviceRound(record); // switches to the aggregates for a record larger than the layout
        if (switched) {
            setTrainerWidthShown(false);
        }
        return;
    }
    for (const DeviceRound &d : record.devices) {
        const QString key = deviceKey(d);
        const int predicted
            = ensureSeries(key, deviceLabel(d), QPen(seriesColor(seriesCount() / 3)));
        const QColor color = graphOf(predicted)->pen().color();
        const int trainer = ensureSeries(key + QStringLiteral("/trainer"),
            tr("%1 predicted (trainer)").arg(deviceLabel(d)), QPen(color, 1, Qt::DashDotLine),
            yAxis2);
        graphOf(trainer)->removeFromLegend();
        const int measured = ensureSeries(key + QStringLiteral("/measured"),
            tr("%1 measured").arg(deviceLabel(d)), QPen(color, 1, Qt::DotLine), yAxis2);
        graphOf(measured)->removeFromLegend();
        appendPoint(predicted, record, d.memoryPredictedBytes / kBytesPerGb);
        appendPoint(trainer, record, d.memoryPredictedTrainerBytes / kBytesPerMb);
        appendPoint(measured, record, d.memoryMeasuredBytes / kBytesPerMb);
        if (!m_trainerWidth
            && (std::isfinite(d.memoryMeasuredBytes)
                || std::isfinite(d.memoryPredictedTrainerBytes))) {
            setTrainerWidthShown(true);
        }
        if (d.memoryCapacityBytes > 0.0) {
            setReferenceLine(key, d.memoryCapacityBytes / kBytesPerGb, QPen(color));
        }
    }
}

} // namespace collapipe
