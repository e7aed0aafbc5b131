// SPDX-License-Identifier: MIT
#include "core/optimizer/exact_bound.h"

#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"
#include "core/optimizer/virtual_queues.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

ExactBound::ExactBound(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights)
    : m_scenario(scenario)
    , m_cluster(cluster)
    , m_c(scenario.topology.clusters[std::size_t(cluster)])
    , m_channel(channel)
    , m_weights(weights)
{
    const Topology &t = scenario.topology;
    const EdgeServer *server = nullptr;
    for (const EdgeServer &es : t.edgeServers) {
        if (es.id == m_c.edgeServerId) {
            server = &es;
        }
    }
    if (!server && !t.edgeServers.empty()) {
        server = &t.edgeServers[0];
    }
    // The evaluator's sharing (core/cost/cost_context.h): from the channel when it carries it.
    const int sharing = channel.edgeSharing > 0
        ? channel.edgeSharing
        : int(std::lround(1.0 / d2eShareOfCluster(scenario, cluster)));
    m_d2eBandwidthHz = t.d2e.bandwidthHz / std::max(1, sharing);
    m_edgeFlops = server ? server->computeFlops / std::max(1, sharing) : 0.0;
    m_edgePowerW = server ? server->txPowerW : 0.0;
    m_n0d2d = noisePowerW(1.0, t.d2d.noisePsdDbmPerHz);
    m_n0d2e = noisePowerW(1.0, t.d2e.noisePsdDbmPerHz);
    const int cu = channel.controlUnitNode();
    m_uploadRateBps = ergodicRateBps(t.d2e.fading, m_d2eBandwidthHz, m_c.controlUnit.maxPowerW,
        channel.meanD2eGain(cu), t.d2e.noisePsdDbmPerHz);
    m_broadcastS = broadcastTimesS(scenario, cluster, channel);
    m_trained = trainedParts(scenario.model.profiled, scenario.training);
}

double ExactBound::d2dRate(double share, double powerW, int from, int to) const
{
    const std::size_t nodes = std::size_t(m_channel.deviceCount) + 1;
    if (nodes > kCachedNodes || from < 0 || to < 0) {
        return shannonRateBpsPsdW(
            share * m_scenario.topology.d2d.bandwidthHz, powerW, m_channel.gain(from, to), m_n0d2d);
    }
    if (m_d2dRates.empty()) {
        m_d2dRates.assign(nodes * nodes, CachedRate{});
    }
    CachedRate &c = m_d2dRates[std::size_t(from) * nodes + std::size_t(to)];
    if (!(c.used && c.share == share && c.powerW == powerW)) {
        c = {true, share, powerW,
            shannonRateBpsPsdW(share * m_scenario.topology.d2d.bandwidthHz, powerW,
                m_channel.gain(from, to), m_n0d2d)};
    }
    return c.rateBps;
}

double ExactBound::d2eRate(double powerW, int device) const
{
    const std::size_t nodes = std::size_t(m_channel.deviceCount) + 1;
    if (nodes > kCachedNodes || device < 0) {
        return shannonRateBpsPsdW(
            m_d2eBandwidthHz, powerW, m_channel.d2eGain[std::size_t(device)], m_n0d2e);
    }
    if (m_d2eRates.empty()) {
        m_d2eRates.assign(nodes, CachedRate{});
    }
    CachedRate &c = m_d2eRates[std::size_t(device)];
    if (!(c.used && c.powerW == powerW)) {
        c = {true, 0.0, powerW,
            shannonRateBpsPsdW(
                m_d2eBandwidthHz, powerW, m_channel.d2eGain[std::size_t(device)], m_n0d2e)};
    }
    return c.rateBps;
}

double ExactBound::edgeGradRate(int device) const
{
    const std::size_t nodes = std::size_t(m_channel.deviceCount) + 1;
    if (nodes > kCachedNodes) {
        return shannonRateBpsPsdW(
            m_d2eBandwidthHz, m_edgePowerW, m_channel.d2eGain[std::size_t(device)], m_n0d2e);
    }
    if (m_edgeGradRates.empty()) {
        m_edgeGradRates.assign(nodes, CachedRate{});
    }
    CachedRate &c = m_edgeGradRates[std::size_t(device)];
    if (!c.used) {
        c = {true, 0.0, m_edgePowerW,
            shannonRateBpsPsdW(
                m_d2eBandwidthHz, m_edgePowerW, m_channel.d2eGain[std::size_t(device)], m_n0d2e)};
    }
    return c.rateBps;
}

double ExactBound::operator()(const ClusterDecision &d) const
{
    return bound(d, false, {});
}

double ExactBound::atPowers(
    const ClusterDecision &d, std::initializer_list<std::size_t> freePowers) const
{
    return bound(d, true, freePowers);
}

double ExactBound::bound(
    const ClusterDecision &d, bool radio, std::initializer_list<std::size_t> freePowers) const
{
    if (d.mode == ClusterDecision::Mode::FederatedFull) {
        return 0.0;
    }
    const Scenario &s = m_scenario;
    const TransformerDims &dims = s.model.profiled;
    const int q = s.model.bytesPerElement;
    const int K = m_channel.deviceCount;
    const int M = std::max(1, d.microbatches);
    const int b = std::max(1, d.microbatchSize);
    const int iterations = std::max(1, s.training.localIterations);
    const int cu = m_channel.controlUnitNode();
    const double payload = boundaryPayloadBytes(dims, b, q);
    // What training.mode computes per sample and block (the evaluator's, core/cost/cost_terms.h).
    const TrainedParts &trained = m_trained;
    const double phiF = trained.forwardFlops;
    const double phiB = trained.backwardFlops;
    thread_local std::vector<const StageDecision *> stages;
    stages.clear();
    for (const StageDecision &sd : d.stages) {
        if (sd.device >= 0 && sd.device < K && sd.blockCount() > 0) {
            stages.push_back(&sd);
        }
    }
    const int S = int(stages.size());
    if (S == 0) {
        return 0.0;
    }
    auto d2d = [&](double share, double powerW, int from, int to) {
        return transferTimeS(payload, d2dRate(share, powerW, from, to));
    };
    // The chain of one micro-batch (core/pipeline/pipeline_recursion.h) and the largest per-micro-
    // batch time of a resource that is not a device.
    double chain = computeTimeS(b * embeddingFlops(dims), m_c.controlUnit.computeFlops);
    double slowestOther = chain;
    const double cuSend = d2d(d.controlUnitShare, m_c.controlUnit.maxPowerW, cu, stages[0]->device);
    chain += cuSend;
    slowestOther = std::max(slowestOther, cuSend);
    thread_local std::vector<double> fwd, bwd, send, grad;
    fwd.assign(std::size_t(S), 0.0);
    bwd.assign(std::size_t(S), 0.0);
    send.assign(std::size_t(S), 0.0);
    grad.assign(std::size_t(S), 0.0);
    int onDevices = 0;
    double computeEnergy = 0.0;
    // GPipe and 1F1B (the schedules the surrogate models and DSSDA plans on) send each stage's
    // activation forward and its gradient back once per micro-batch at the stage's power
    // (stageTxPerMicrobatchS(), core/cost/cluster_cost.cpp). Not the others: the makespan bound
    // only holds with slack under ZB-H1 (tst_exact_bound found the radio energy would exceed
    // it), and chunked schedules are scored from the 1F1B plan (chooseSchedule()).
    const bool countRadio
        = radio && (d.schedule == ScheduleKind::GPipe || d.schedule == ScheduleKind::OneFOneB);
    for (int j = 0; j < S; ++j) {
        const StageDecision &sd = *stages[std::size_t(j)];
        const Device &dev = m_c.devices[std::size_t(sd.device)];
        const int blocks = sd.blockCount();
        onDevices += blocks;
        fwd[std::size_t(j)] = computeTimeS(double(b) * blocks * phiF, dev.computeFlops);
        bwd[std::size_t(j)] = computeTimeS(double(b) * blocks * phiB, dev.computeFlops);
        send[std::size_t(j)] = j + 1 < S
            ? d2d(sd.bandwidthShare, sd.powerW, sd.device, stages[std::size_t(j + 1)]->device)
            : transferTimeS(payload, d2eRate(sd.powerW, sd.device));
        const double backShare
            = j == 0 ? d.controlUnitShare : stages[std::size_t(j - 1)]->bandwidthShare;
        const int backTo = j == 0 ? cu : stages[std::size_t(j - 1)]->device;
        grad[std::size_t(j)] = d2d(backShare, sd.powerW, sd.device, backTo);
        chain += fwd[std::size_t(j)] + bwd[std::size_t(j)] + send[std::size_t(j)]
            + grad[std::size_t(j)];
        slowestOther = std::max({slowestOther, send[std::size_t(j)], grad[std::size_t(j)]});
        const std::size_t k = std::size_t(sd.device);
        if (k < m_weights.energyQueues.size()) {
            computeEnergy += m_weights.energyQueues[k] * dev.computePowerW * double(iterations) * M
                * (fwd[std::size_t(j)] + bwd[std::size_t(j)]);
            const auto at = std::size_t(&sd - d.stages.data());
            if (countRadio
                && std::find(freePowers.begin(), freePowers.end(), at) == freePowers.end()) {
                computeEnergy += m_weights.energyQueues[k] * sd.powerW * double(iterations) * M
                    * (send[std::size_t(j)] + grad[std::size_t(j)]);
            }
        }
    }
    double edgeFlops = b * decoderForwardFlops(s.model);
    int tailBlocks = 0;
    if (d.mode == ClusterDecision::Mode::EdgeTail) {
        // The tail's blocks from the one place the cut is derived (edgeTailCut()).
        tailBlocks = std::max(0, s.model.encoderBlocks - edgeTailCut(d));
        edgeFlops += double(b) * tailBlocks * phiF;
    }
    const double decoderFwd = computeTimeS(edgeFlops, m_edgeFlops);
    // As the evaluator: the tail's backward is φ_B per block, not 2·φ_F (LoRA freezes weights).
    const double edge = decoderFwd + 2.0 * decoderFwd
        - computeTimeS(double(b) * tailBlocks * (2.0 * phiF - phiB), m_edgeFlops);
    const double edgeGrad
        = transferTimeS(payload, edgeGradRate(stages[std::size_t(S - 1)]->device));
    chain += edge + edgeGrad;
    slowestOther = std::max({slowestOther, edge, edgeGrad});
    double makespan = chain;
    if (M > 1 && std::isfinite(chain)) {
        makespan = chain + (M - 1) * slowestOther;
        // Device j: its first F starts after the chain before it, its last B ends before the
        // chain after it; in between it is busy M·(F + B). `between` = the chain from send_j to
        // grad_{j+1} (the last stage: its D2E send, the edge, the gradient back).
        double between = send[std::size_t(S - 1)] + edge + edgeGrad;
        for (int j = S - 1; j >= 0; --j) {
            if (j < S - 1) {
                between += send[std::size_t(j)] + fwd[std::size_t(j + 1)] + bwd[std::size_t(j + 1)]
                    + grad[std::size_t(j + 1)];
            }
            const double busy = fwd[std::size_t(j)] + bwd[std::size_t(j)];
            makespan = std::max(makespan, chain - between + (M - 1) * busy);
        }
    }
    const int held = d.mode == ClusterDecision::Mode::EdgeTail
        ? std::min(onDevices, s.model.encoderBlocks)
        : s.model.encoderBlocks;
    const double upload = transferTimeS(modelUploadBytes(trained, onDevices, q), m_uploadRateBps);
    const double broadcast
        = m_broadcastS[std::size_t(std::clamp(held, 0, int(m_broadcastS.size()) - 1))];
    double value = std::max(m_weights.v, 1e-9) * (iterations * makespan + upload + broadcast)
        + computeEnergy + m_weights.convergenceQueue * VirtualQueues::convergencePenalty(s, M, b);
    return value * (1.0 - 1e-9);
}

} // namespace collapipe
