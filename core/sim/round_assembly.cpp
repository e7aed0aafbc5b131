// SPDX-License-Identifier: MIT
#include "core/sim/round_assembly.h"

#include "core/channel/channel_model.h"
#include "core/cost/cost_terms.h"

#include <algorithm>

namespace collapipe {

namespace {

// The trainer keeps fp32 tensors (core/trainer/tensor.h), whatever q the profiled model uses.
constexpr int kTrainerBytesPerElement = 4;

// Blocks c…L−1 the edge ran in EdgeTail mode: those after the last device-held block (the
// device stages cover 0…c−1 contiguously, core/cost/decision.h).
void setEdgeTail(const Scenario &scenario, const ClusterCost &cc, ClusterRound *cr)
{
    if (cc.mode != ClusterDecision::Mode::EdgeTail || cc.stages.empty()) {
        return;
    }
    int lastOnDevices = -1;
    for (const StageCost &st : cc.stages) {
        lastOnDevices = std::max(lastOnDevices, st.lastBlock);
    }
    const int L = scenario.model.encoderBlocks;
    if (lastOnDevices + 1 <= L - 1) {
        cr->edgeFirstBlock = lastOnDevices + 1;
        cr->edgeLastBlock = L - 1;
        cr->edgeMemoryBytes = cc.edgeMemoryBytes;
    }
}

} // namespace

std::vector<std::vector<double>> deviceEnergy(const Scenario &scenario, const RoundCost &cost)
{
    std::vector<std::vector<double>> energy(scenario.topology.clusters.size());
    for (std::size_t n = 0; n < energy.size(); ++n) {
        energy[n].assign(scenario.topology.clusters[n].devices.size(), 0.0);
    }
    for (const ClusterCost &c : cost.clusters) {
        for (const StageCost &st : c.stages) {
            if (c.cluster < int(energy.size()) && st.device < int(energy[c.cluster].size())) {
                energy[c.cluster][st.device] += st.energyJ;
            }
        }
    }
    return energy;
}

std::vector<double> convergencePenalties(const Scenario &scenario, const Decision &decision)
{
    std::vector<double> phi;
    phi.reserve(decision.clusters.size());
    for (const ClusterDecision &c : decision.clusters) {
        phi.push_back(
            VirtualQueues::convergencePenalty(scenario, c.microbatches, c.microbatchSize));
    }
    return phi;
}

void assembleRound(const Scenario &scenario, const ChannelState &channel, const RoundCost &cost,
    const TrainedRound *training, const VirtualQueues &queues, RoundRecord *record)
{
    RoundRecord &r = *record;
    r.latencyS = cost.systemLatencyS;
    r.split = cost.split;
    r.energyJ = cost.energyJ;
    if (!cost.clusters.empty()) {
        const ClusterCost &slowest = cost.clusters[std::size_t(cost.slowestCluster)];
        r.bubbleFraction = slowest.bubbleFraction;
        r.computationEfficiency = slowest.computationEfficiency;
    }
    r.loss = training ? training->loss : kNotMeasured;
    r.bytesMoved = training ? training->bytesMoved : kNotMeasured;
    r.clusters.clear();
    r.devices.clear();
    const std::vector<Cluster> &clusters = scenario.topology.clusters;
    for (std::size_t n = 0; n < clusters.size() && n < cost.clusters.size(); ++n) {
        const ClusterCost &cc = cost.clusters[n];
        ClusterRound cr;
        cr.cluster = int(n);
        cr.microbatches = cc.microbatches;
        cr.microbatchSize = cc.microbatchSize;
        cr.makespanS = cc.makespanS;
        cr.bubbleFraction = cc.bubbleFraction;
        cr.computationEfficiency = cc.computationEfficiency;
        cr.uploadS = cc.uploadS;
        cr.latencyS = cc.latencyS;
        cr.controlUnitEnergyJ = cc.controlUnitEnergyJ;
        cr.convergenceQueue = queues.convergenceQueue(int(n));
        if (training && n < training->clusterLoss.size()) {
            cr.loss = training->clusterLoss[n];
        }
        setEdgeTail(scenario, cc, &cr);
        r.clusters.push_back(cr);

        const Cluster &cluster = clusters[n];
        const ClusterChannel &ch = channel.clusters[n];
        const double d2eShareHz
            = scenario.topology.d2e.bandwidthHz * d2eShareOfCluster(scenario, int(n));
        for (std::size_t k = 0; k < cluster.devices.size(); ++k) {
            const Device &device = cluster.devices[k];
            DeviceRound dr;
            dr.cluster = int(n);
            dr.device = int(k);
            dr.deviceId = device.id;
            dr.memoryCapacityBytes = device.memoryBytes;
            dr.energyQueueJ = queues.energyQueue(int(n), int(k));
            const StageCost *stage = nullptr;
            for (const StageCost &st : cc.stages) {
                if (st.device == int(k)) {
                    stage = &st;
                    break;
                }
            }
            if (stage) {
                dr.stage = stage->stage;
                dr.firstBlock = stage->firstBlock;
                dr.lastBlock = stage->lastBlock;
                dr.microbatches = cc.microbatches;
                dr.bandwidthShare = stage->bandwidthShare;
                dr.powerW = stage->powerW;
                dr.memoryPredictedBytes = stage->memoryBytes;
                dr.energyJ = stage->energyJ;
                dr.busyS = stage->busyS;
                dr.linkDistanceM = stage->distanceM;
                dr.linkSnrDb = stage->snrDb;
                dr.linkRateBps = stage->rateBps;
            } else {
                dr.linkDistanceM = ch.d2eDistanceM[k];
                dr.linkSnrDb = snrDb(d2eShareHz, device.maxPowerW, ch.d2eGain[k],
                    scenario.topology.d2e.noisePsdDbmPerHz);
                dr.linkRateBps = 0.0; // not transmitting this round
            }
            if (training && n < training->measuredBytes.size()
                && k < training->measuredBytes[n].size()) {
                dr.memoryMeasuredBytes = training->measuredBytes[n][k];
            }
            if (training && stage) {
                // Spec §2.4 with the evaluator's blocks, b and stash count, at the width the
                // trainer really runs, so it compares with memoryMeasuredBytes (same units);
                // tests/cost/tst_memory_vs_trainer.cpp bounds their gap.
                dr.memoryPredictedTrainerBytes = segmentMemoryBytes(scenario.model.trainer,
                    stage->blocks, cc.microbatchSize, stage->inflight, kTrainerBytesPerElement);
            }
            r.devices.push_back(std::move(dr));
        }
    }
}

} // namespace collapipe
