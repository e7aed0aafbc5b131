// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_model.h"
#include "core/scenario/scenario.h"

/// Scenarios built in code for the cost/pipeline tests (no file I/O, every number visible here).
namespace collapipe::test {

/// One edge server, one cluster of `devices` devices on a line 10 m apart, BERT-base profile.
/// `negligibleOverhead` makes transfers, the embedding and the edge head ~free (huge band and
/// FLOP/s there) so the pipeline's compute alone sets the makespan.
inline Scenario lineScenario(int devices, double flops = 1e12, bool negligibleOverhead = false)
{
    Scenario s;
    s.name = QStringLiteral("test");
    EdgeServer es;
    es.id = QStringLiteral("es");
    es.position = {0.0, 200.0};
    s.topology.edgeServers.push_back(es);
    Cluster c;
    c.id = QStringLiteral("c0");
    c.edgeServerId = es.id;
    c.controlUnit.id = QStringLiteral("cu");
    c.controlUnit.position = {-10.0, 0.0};
    for (int k = 0; k < devices; ++k) {
        Device d;
        d.id = QStringLiteral("d%1").arg(k);
        d.position = {10.0 * k, 0.0};
        d.computeFlops = flops;
        d.memoryBytes = 64e9;
        c.devices.push_back(d);
    }
    s.topology.clusters.push_back(c);
    s.topology.d2d.fading = FadingModel::None;
    s.topology.d2e.fading = FadingModel::None;
    s.model.encoderBlocks = 12;
    s.training.batchSize = 32;
    s.training.microbatchSize = 4;
    s.optimizer.microbatchMode = MicrobatchMode::Count;
    if (negligibleOverhead) {
        s.topology.d2d.bandwidthHz = 1e15;
        s.topology.d2e.bandwidthHz = 1e15;
        s.topology.edgeServers[0].computeFlops = 1e30;
        s.topology.edgeServers[0].position = {15.0, 1.0}; // a few metres: D2E ≈ free too
        s.topology.clusters[0].controlUnit.computeFlops = 1e30;
    }
    return s;
}

/// Pipeline decision over devices 0..S−1 with the given block counts, equal shares, max power.
/// `interleave` is v of an interleaved schedule (its wrap hop then gets the last stage's share).
inline ClusterDecision chainDecision(const Scenario &s, const std::vector<int> &blocks, int m,
    ScheduleKind schedule, int interleave = 1)
{
    ClusterDecision d;
    d.microbatches = m;
    d.microbatchSize = s.training.microbatchSize;
    d.schedule = schedule;
    d.interleave = interleave;
    int next = 0;
    const double share = 1.0 / double(blocks.size());
    d.controlUnitShare = share;
    for (std::size_t j = 0; j < blocks.size(); ++j) {
        StageDecision st;
        st.device = int(j);
        st.firstBlock = next;
        st.lastBlock = next + blocks[j] - 1;
        next += blocks[j];
        const bool wraps = schedule == ScheduleKind::Interleaved && interleave >= 2;
        st.bandwidthShare = j + 1 < blocks.size() || wraps ? share : 0.0;
        st.powerW = 0.2;
        d.stages.push_back(st);
    }
    return d;
}

} // namespace collapipe::test
