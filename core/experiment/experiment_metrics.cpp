// SPDX-License-Identifier: MIT
#include "core/experiment/experiment_metrics.h"

namespace collapipe {

// clang-format off
const std::vector<ExperimentMetric> &experimentMetrics()
{
    using S = RunSummary;
    static const std::vector<ExperimentMetric> table{
        {"mean_latency_s", "s", "mean round latency (spec §2.4)", [](const S &s) { return s.meanLatencyS; }},
        {"sim_time_s", "s", "simulated time of all rounds", [](const S &s) { return s.simTimeS; }},
        {"mean_energy_j", "J", "mean energy per round, all devices (spec §2.5)", [](const S &s) { return s.meanEnergyJ; }},
        {"total_energy_j", "J", "energy of all rounds, all devices", [](const S &s) { return s.totalEnergyJ; }},
        {"mean_bubble_fraction", "", "mean pipeline bubble fraction", [](const S &s) { return s.meanBubbleFraction; }},
        {"mean_computation_efficiency", "", "mean computation efficiency", [](const S &s) { return s.meanComputationEfficiency; }},
        {"mean_objective", "", "mean drift-plus-penalty objective (spec §5)", [](const S &s) { return s.meanObjective; }},
        {"mean_energy_queue_j", "J", "mean energy queue over devices and rounds", [](const S &s) { return s.meanEnergyQueueJ; }},
        {"max_memory_fraction", "", "max predicted memory / capacity over devices and rounds", [](const S &s) { return s.maxMemoryFraction; }},
        {"final_loss", "", "loss of the last round that trained (NaN: training off)", [](const S &s) { return s.finalLoss; }},
        {"final_accuracy", "", "accuracy of the last evaluated round (NaN: training off)", [](const S &s) { return s.finalAccuracy; }},
    };
    return table;
}
// clang-format on

const ExperimentMetric *findExperimentMetric(const QString &key)
{
    for (const ExperimentMetric &m : experimentMetrics()) {
        if (key == QLatin1String(m.key)) {
            return &m;
        }
    }
    return nullptr;
}

QStringList experimentMetricKeys()
{
    QStringList keys;
    for (const ExperimentMetric &m : experimentMetrics()) {
        keys << QLatin1String(m.key);
    }
    return keys;
}

QStringList defaultExperimentMetrics()
{
    return {QStringLiteral("mean_latency_s"), QStringLiteral("mean_energy_j")};
}

} // namespace collapipe
