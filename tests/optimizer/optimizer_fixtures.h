// SPDX-License-Identifier: MIT
#pragma once

// Scenarios built in code for the optimizer tests and the bench (no JSON needed).
#include "core/scenario/scenario.h"

#include <cmath>
#include <random>

namespace collapipe::testing {

/// Device spread of randomScenario(): memory uniform in [memoryLo, memoryHi] bytes, FLOP/s
/// log-uniform in [computeLo, computeLo·computeSpread].
struct DeviceRanges
{
    double memoryLo = 1.0e9;
    double memoryHi = 4.0e9;
    double computeLo = 0.3e12;
    double computeSpread = 15.0;
};

/// One edge server, `clusters` clusters of `devices` heterogeneous devices around their CU,
/// a BERT-base profiled model with `blocks` encoder blocks. Seeded: same seed, same scenario.
inline Scenario randomScenario(std::uint64_t seed, int clusters, int devices, int blocks,
    const DeviceRanges &ranges = DeviceRanges())
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    Scenario s;
    s.name = QStringLiteral("random");
    EdgeServer es;
    es.id = QStringLiteral("es");
    es.computeFlops = 50e12;
    s.topology.edgeServers.push_back(es);
    s.topology.d2d.fading = FadingModel::None;
    s.topology.d2e.fading = FadingModel::None;
    for (int n = 0; n < clusters; ++n) {
        Cluster c;
        c.id = QStringLiteral("c%1").arg(n + 1);
        c.edgeServerId = es.id;
        const double angle = 6.283 * unit(rng);
        const double radius = 150.0 + 250.0 * unit(rng);
        c.controlUnit.id = c.id + QStringLiteral("-cu");
        c.controlUnit.position = {radius * std::cos(angle), radius * std::sin(angle)};
        for (int k = 0; k < devices; ++k) {
            Device d;
            d.id = QStringLiteral("%1-d%2").arg(c.id).arg(k + 1);
            d.position = {c.controlUnit.position.xM + 80.0 * (unit(rng) - 0.5),
                c.controlUnit.position.yM + 80.0 * (unit(rng) - 0.5)};
            d.computeFlops = ranges.computeLo * std::pow(ranges.computeSpread, unit(rng));
            d.memoryBytes = ranges.memoryLo + (ranges.memoryHi - ranges.memoryLo) * unit(rng);
            d.computePowerW = 3.0 + 10.0 * unit(rng);
            d.maxPowerW = 0.2;
            d.energyBudgetJ = 1.0 + unit(rng);
            c.devices.push_back(d);
        }
        s.topology.clusters.push_back(c);
    }
    s.model.family = ModelFamily::Bert;
    s.model.encoderBlocks = blocks;
    s.training.batchSize = 16;
    s.training.microbatchSize = 4;
    s.optimizer.microbatchMode = MicrobatchMode::Split;
    s.optimizer.maxMicrobatches = 16;
    s.optimizer.schedule = PipelineSchedule::OneFOneB;
    return s;
}

} // namespace collapipe::testing
