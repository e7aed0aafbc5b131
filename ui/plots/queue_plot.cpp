// SPDX-License-Identifier: MIT
#include "ui/plots/queue_plot.h"

#include "core/scenario/scenario.h"

namespace collapipe {

QueuePlot::QueuePlot(QWidget *parent)
    : RoundPlot(tr("Energy queues Q(t) [J], - - budget Ē"), parent)
{
    setObjectName(QStringLiteral("energy-queues"));
    placeLegendBeside(2); // every device named, none of its curve covered
    yAxis->setLabel(tr("J"));
    setIncludeZero(yAxis, true);
    setDeviceLayout(0, [](const DeviceRound &d) { return d.energyQueueJ; });
}

void QueuePlot::setScenario(const Scenario &scenario)
{
    const DeviceBudgetMean budget = deviceBudgetMean(scenario);
    setDeviceLayout(budget.devices, [](const DeviceRound &d) { return d.energyQueueJ; });
    if (aggregatesDevices()) {
        // One budget line, not one per device (issue [7/7]: 100,000 devices).
        if (scenario.optimizer.energyBudgets) {
            setReferenceLine(QStringLiteral("budget"), budget.meanBudgetJ, QPen(Qt::black), nullptr,
                tr("mean budget Ē"));
        }
        setTitle(tr("Energy queues Q(t) [J], - - mean budget Ē"));
        return;
    }
    setTitle(tr("Energy queues Q(t) [J], - - budget Ē"));
    int index = 0;
    for (std::size_t c = 0; c < scenario.topology.clusters.size(); ++c) {
        const Cluster &cluster = scenario.topology.clusters[c];
        for (std::size_t d = 0; d < cluster.devices.size(); ++d, ++index) {
            const QString key = QStringLiteral("%1/%2").arg(c).arg(d);
            const Device &device = cluster.devices[d];
            // Create the series now so colours match the budget lines from round 0 on.
            ensureSeries(key, device.id, QPen(seriesColor(index)));
            if (scenario.optimizer.energyBudgets) {
                setReferenceLine(key, device.energyBudgetJ, QPen(seriesColor(index)));
            }
        }
    }
}

void QueuePlot::takeRound(const RoundRecord &record)
{
    takeDeviceRound(record);
}

} // namespace collapipe
