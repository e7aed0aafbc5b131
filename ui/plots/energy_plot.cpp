// SPDX-License-Identifier: MIT
#include "ui/plots/energy_plot.h"

#include "core/scenario/scenario.h"

namespace collapipe {

EnergyPlot::EnergyPlot(QWidget *parent)
    : RoundPlot(tr("Energy per round [J], - - budget Ē"), parent)
{
    setObjectName(QStringLiteral("energy-per-round"));
    placeLegendBeside(2); // every device named, none of its curve covered
    yAxis->setLabel(tr("J"));
    setIncludeZero(yAxis, true);
    offerLogScale(); // a few devices spending 100× the rest: log axis (automatic)
    setDeviceLayout(0, [](const DeviceRound &d) { return d.energyJ; });
}

void EnergyPlot::setScenario(const Scenario &scenario)
{
    const DeviceBudgetMean budget = deviceBudgetMean(scenario);
    setDeviceLayout(budget.devices, [](const DeviceRound &d) { return d.energyJ; });
    if (aggregatesDevices()) {
        // One budget line, not one per device (issue [7/7]: 100,000 devices).
        setReferenceLine(QStringLiteral("budget"), budget.meanBudgetJ, QPen(Qt::black), nullptr,
            tr("mean budget Ē"));
        setTitle(tr("Energy per round [J], - - mean budget Ē"));
        return;
    }
    setTitle(tr("Energy per round [J], - - budget Ē"));
    int index = 0;
    for (std::size_t c = 0; c < scenario.topology.clusters.size(); ++c) {
        const Cluster &cluster = scenario.topology.clusters[c];
        for (std::size_t d = 0; d < cluster.devices.size(); ++d, ++index) {
            const QString key = QStringLiteral("%1/%2").arg(c).arg(d);
            ensureSeries(key, cluster.devices[d].id, QPen(seriesColor(index)));
            setReferenceLine(key, cluster.devices[d].energyBudgetJ, QPen(seriesColor(index)));
        }
    }
}

void EnergyPlot::takeRound(const RoundRecord &record)
{
    takeDeviceRound(record);
}

} // namespace collapipe
