// SPDX-License-Identifier: MIT
#include "core/sim/round_assembly.h"

#include "core/channel/channel_model.h"
#include "core/cost/cost_terms.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

// The trainer keeps fp32 tensors (core/trainer/tensor.h), whatever q the profiled model uses.
constexpr int kTrainerBytesPerElement = 4;

// Blocks c…L−1 the edge ran in EdgeTail mode, c = the plan's edge-tail cut.
void setEdgeTail(const Scenario &scenario, const ClusterCost &cc, int cut, ClusterRound *cr)
{
    if (cc.mode != ClusterDecision::Mode::EdgeTail || cc.stages.empty() || cut < 0) {
        return;
    }
    const int L = scenario.model.encoderBlocks;
    if (cut <= L - 1) {
        cr->edgeFirstBlock = cut;
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

void assembleRound(const Scenario &scenario, const ChannelState &channel, const RoundPlan &plan,
    const TrainedRound *training, const VirtualQueues &queues, RoundRecord *record)
{
    const RoundCost &cost = plan.cost;
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
        cr.schedule = cc.schedule;
        cr.interleave = cc.interleave;
        cr.convergenceQueue = queues.convergenceQueue(int(n));
        if (training && n < training->clusterLoss.size()) {
            cr.loss = training->clusterLoss[n];
        }
        setEdgeTail(scenario, cc, n < plan.edgeCut.size() ? plan.edgeCut[n] : -1, &cr);
        const Cluster &cluster = clusters[n];
        const ClusterChannel &ch = channel.clusters[n];
        // Positions of the round (moved by mobility); a hand-built channel has none.
        const auto position = [&](std::size_t node) {
            return node < ch.positions.size()   ? ch.positions[node]
                : node < cluster.devices.size() ? cluster.devices[node].position
                                                : cluster.controlUnit.position;
        };
        cr.controlUnitXM = position(cluster.devices.size()).xM;
        cr.controlUnitYM = position(cluster.devices.size()).yM;
        r.clusters.push_back(cr);

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
            dr.xM = position(k).xM;
            dr.yM = position(k).yM;
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

namespace collapipe {

namespace {

/// A value that must be a number: finite.
bool badValue(double v)
{
    return !std::isfinite(v);
}

/// A value that may be "not measured" (NaN) but never infinite.
bool badOptional(double v)
{
    return std::isinf(v);
}

QString named(const QString &owner, const char *column, double v)
{
    const QString number = std::isnan(v) ? QStringLiteral("nan")
        : v > 0                          ? QStringLiteral("inf")
                                         : QStringLiteral("-inf");
    return (owner.isEmpty() ? QString() : owner + QLatin1Char(' ')) + QLatin1String(column)
        + QStringLiteral(" = ") + number;
}

} // namespace

QString nonFiniteMetric(const Scenario &scenario, const RoundRecord &r, bool trained)
{
    const auto &clusters = scenario.topology.clusters;
    auto clusterName = [&](int c) {
        return QStringLiteral("cluster %1")
            .arg(c >= 0 && std::size_t(c) < clusters.size() ? clusters[std::size_t(c)].id
                                                            : QString::number(c));
    };
    for (const ClusterRound &c : r.clusters) {
        const struct
        {
            const char *column;
            double value;
        } values[] = {{"latency_s", c.latencyS}, {"makespan_s", c.makespanS},
            {"bubble_fraction", c.bubbleFraction},
            {"computation_efficiency", c.computationEfficiency}, {"upload_s", c.uploadS},
            {"convergence_queue", c.convergenceQueue}};
        for (const auto &m : values) {
            if (badValue(m.value)) {
                return named(clusterName(c.cluster), m.column, m.value);
            }
        }
        if (trained ? badValue(c.loss) : badOptional(c.loss)) {
            return named(clusterName(c.cluster), "loss", c.loss);
        }
        if (badOptional(c.edgeMemoryBytes)) {
            return named(clusterName(c.cluster), "edge_memory_bytes", c.edgeMemoryBytes);
        }
    }
    for (const DeviceRound &d : r.devices) {
        const struct
        {
            const char *column;
            double value;
        } values[] = {{"bandwidth_share", d.bandwidthShare}, {"power_w", d.powerW},
            {"memory_predicted_bytes", d.memoryPredictedBytes},
            {"memory_capacity_bytes", d.memoryCapacityBytes}, {"energy_j", d.energyJ},
            {"energy_queue_j", d.energyQueueJ}, {"busy_s", d.busyS},
            {"link_distance_m", d.linkDistanceM}, {"link_snr_db", d.linkSnrDb},
            {"link_rate_bps", d.linkRateBps}};
        // Named only for a bad value: building the name for every device of every round was a
        // few percent of a cost-only round.
        auto owner
            = [&] { return clusterName(d.cluster) + QStringLiteral(" device ") + d.deviceId; };
        for (const auto &m : values) {
            if (badValue(m.value)) {
                return named(owner(), m.column, m.value);
            }
        }
        if (badOptional(d.memoryMeasuredBytes)) {
            return named(owner(), "memory_measured_bytes", d.memoryMeasuredBytes);
        }
        if (badOptional(d.memoryPredictedTrainerBytes)) {
            return named(owner(), "memory_predicted_trainer_bytes", d.memoryPredictedTrainerBytes);
        }
    }
    const struct
    {
        const char *column;
        double value;
    } required[] = {{"latency_s", r.latencyS}, {"sim_time_s", r.simTimeS},
        {"compute_s", r.split.computeS}, {"d2d_s", r.split.d2dS}, {"d2e_s", r.split.d2eS},
        {"decoder_s", r.split.decoderS}, {"upload_s", r.split.uploadS},
        {"aggregation_s", r.split.aggregationS}, {"bubble_s", r.split.bubbleS},
        {"bubble_fraction", r.bubbleFraction}, {"computation_efficiency", r.computationEfficiency},
        {"energy_j", r.energyJ}, {"drift", r.drift}, {"penalty", r.penalty},
        {"objective", r.objective}, {"decision_time_s", r.decisionTimeS}};
    for (const auto &m : required) {
        if (badValue(m.value)) {
            return named(QString(), m.column, m.value);
        }
    }
    if (trained ? badValue(r.loss) : badOptional(r.loss)) {
        return named(QString(), "loss", r.loss);
    }
    if (badOptional(r.accuracy)) {
        return named(QString(), "accuracy", r.accuracy);
    }
    if (badOptional(r.bytesMoved)) {
        return named(QString(), "bytes_moved", r.bytesMoved);
    }
    for (const TimelineEvent &e : r.events) {
        if (badValue(e.startS) || badValue(e.endS)) {
            return named(clusterName(e.cluster), "event start_s/end_s",
                badValue(e.startS) ? e.startS : e.endS);
        }
    }
    return QString();
}

} // namespace collapipe
