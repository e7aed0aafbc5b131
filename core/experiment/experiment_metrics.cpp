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
        {"mean_computation_efficiency", "", "mean computation efficiency: FLOPs done / (T_pipe x sum of the scheduled devices' FLOP/s), slowest cluster (spec §2.1, §10-L)", [](const S &s) { return s.meanComputationEfficiency; }},
        {"mean_objective", "", "mean drift-plus-penalty objective (spec §5)", [](const S &s) { return s.meanObjective; }},
        {"mean_energy_queue_j", "J", "mean energy queue over devices and rounds", [](const S &s) { return s.meanEnergyQueueJ; }},
        {"max_device_memory_bytes", "B", "max predicted memory of one device over devices and rounds (spec §2.4)", [](const S &s) { return s.maxDeviceMemoryBytes; }},
        {"max_memory_fraction", "", "max predicted memory / capacity over devices and rounds", [](const S &s) { return s.maxMemoryFraction; }},
        // The round latency split by cause (spec §2.3, LatencySplit), each averaged over rounds:
        // the claims table names the part that decides a comparison.
        {"mean_compute_s", "s", "mean encoder compute on the critical path", [](const S &s) { return s.meanSplit.computeS; }},
        {"mean_d2d_s", "s", "mean D2D transfer time on the critical path", [](const S &s) { return s.meanSplit.d2dS; }},
        {"mean_d2e_s", "s", "mean device-edge activation/gradient hops on the critical path", [](const S &s) { return s.meanSplit.d2eS; }},
        {"mean_decoder_s", "s", "mean decoder/head time at the edge", [](const S &s) { return s.meanSplit.decoderS; }},
        {"mean_upload_s", "s", "mean encoder upload D2E", [](const S &s) { return s.meanSplit.uploadS; }},
        {"mean_aggregation_s", "s", "mean aggregation + broadcast", [](const S &s) { return s.meanSplit.aggregationS; }},
        {"mean_bubble_s", "s", "mean pipeline fill/drain idle on the critical path", [](const S &s) { return s.meanSplit.bubbleS; }},
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
