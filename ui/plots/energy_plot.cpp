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
}

void EnergyPlot::setScenario(const Scenario &scenario)
{
    clearReferenceLines();
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
    for (const DeviceRound &d : record.devices) {
        const int s = ensureSeries(deviceKey(d), deviceLabel(d), QPen(seriesColor(seriesCount())));
        appendPoint(s, record, d.energyJ);
    }
}

} // namespace collapipe
