// SPDX-License-Identifier: MIT
#include "core/optimizer/exact_bound.h"

#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"
#include "core/optimizer/virtual_queues.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace exact_bound_detail {

/// Per-micro-batch times of the chain ExactBound::bound() has derived (the evaluator's).
struct SplitChainTimes
{
    ScheduleKind kind = ScheduleKind::ZeroBubbleH1;
    int S = 0;
    int M = 1;
    double embed = 0.0;
    double cuSend = 0.0;
    const std::vector<double> *fwd = nullptr;
    const std::vector<double> *bwd = nullptr;
    const std::vector<double> *send = nullptr; ///< stage j → j + 1 (the last: its D2E send)
    const std::vector<double> *grad = nullptr; ///< stage j → j − 1 (stage 0: to the CU)
    double weightGradFraction = 0.0;
    double edge = 0.0;     ///< the edge's F + B of one micro-batch
    double toEdge = 0.0;   ///< the last virtual stage's D2E send
    double fromEdge = 0.0; ///< the edge's gradient back to it
};

/// A lower bound of the makespan of a schedule that splits the backward (ZB-H1, ZB-V), whatever
/// its op order (issue #15: the fused-backward bound exceeded ZB's exact objective, e.g. 546.72
/// vs 545.41). Why the fused form fails: under a split the chain of a micro-batch carries only
/// B = (1 − f)·t^B of each backward; W = f·t^B follows its B on the same device and nothing
/// waits for it (core/MODEL.md "Schedules"), so the chain with the whole t^B, and a device's
/// F + B between the chain before its first F and after its last B, are longer than a ZB run.
/// What holds instead (core/pipeline/chain_slots.cpp builds the same chain):
///  - every op starts after its chain predecessor ends, so an op at chain position p starts at
///    or after prefix(p), the sum of the durations before p, and the run ends at or after its
///    end + suffix(p), the sum after p; the run is at least the whole chain;
///  - a resource (the CU, the edge, a device, a link direction) runs its ops one at a time. Its
///    first op (in time) sits at some position p ≥ its first position p₀ in the chain, its last
///    at some p ≤ its last position p₁, so makespan ≥ prefix(p₀) + M·(its time per micro-batch)
///    + suffix(p₁). ZB-V's D2D links carry two hops per micro-batch (chunk 0 and chunk 1);
///  - a device also runs M·W off the chain: its W follow their B, so all its ops lie after
///    prefix(p₀) (makespan ≥ prefix(p₀) + M·(F + B + W)), and the W of its last chained op,
///    a B, comes after that B (its chained ops end, then max(suffix(p₁), that W)).
/// No position is ever subtracted, so infinite times give +inf, never NaN.
double splitBackwardMakespan(const SplitChainTimes &t)
{
    const bool vShape = t.kind == ScheduleKind::ZeroBubbleV;
    const int S = t.S;
    const int v = vShape ? 2 : 1;
    const int V = v * S;
    auto deviceOf = [&](int k) { return vShape && k >= S ? 2 * S - 1 - k : k; };
    // Resources: devices 0…S−1, the CU, the edge, then link directions: j → j + 1 at 2j,
    // j + 1 → j at 2j + 1, CU → stage, stage → CU, to the edge, from the edge.
    const int cuRes = S;
    const int edgeRes = S + 1;
    const int linkBase = S + 2;
    const int cuOut = linkBase + 2 * S;
    const int cuIn = cuOut + 1;
    const int edgeIn = cuOut + 2;
    const int edgeOut = cuOut + 3;
    const int resources = cuOut + 4;
    struct Pos
    {
        double dur;
        int res;  ///< −1: a free hop between two chunks on one device
        double w; ///< a B's W (devices only)
    };
    thread_local std::vector<Pos> chain;
    chain.clear();
    const double chunkShare = 1.0 / v;
    // The hop from device a to b (neighbours): j → j + 1 runs on the sender's send link,
    // j → j − 1 on its gradient link (chunk 1 of ZB-V goes up the gradient links and its
    // gradients come down the send links, chain_slots.cpp activationHopS()/gradientHopS()).
    auto hop = [&](int a, int b) {
        if (a == b) {
            chain.push_back({0.0, -1, 0.0});
        } else if (b == a + 1) {
            chain.push_back({(*t.send)[std::size_t(a)], linkBase + 2 * a, 0.0});
        } else {
            chain.push_back({(*t.grad)[std::size_t(a)], linkBase + 2 * b + 1, 0.0});
        }
    };
    chain.push_back({t.embed, cuRes, 0.0});
    chain.push_back({t.cuSend, cuOut, 0.0});
    for (int k = 0; k < V; ++k) {
        const int j = deviceOf(k);
        const double f = (*t.fwd)[std::size_t(j)];
        chain.push_back({v > 1 ? f * chunkShare : f, j, 0.0});
        if (k + 1 < V) {
            hop(j, deviceOf(k + 1));
        } else {
            chain.push_back({t.toEdge, edgeIn, 0.0});
        }
    }
    chain.push_back({t.edge, edgeRes, 0.0});
    chain.push_back({t.fromEdge, edgeOut, 0.0});
    for (int k = V - 1; k >= 0; --k) {
        const int j = deviceOf(k);
        const double bw = v > 1 ? (*t.bwd)[std::size_t(j)] * chunkShare : (*t.bwd)[std::size_t(j)];
        const double w = bw * t.weightGradFraction;
        chain.push_back({bw - w, j, w});
        if (k > 0) {
            hop(j, deviceOf(k - 1));
        } else {
            chain.push_back({(*t.grad)[0], cuIn, 0.0});
        }
    }
    const int P = int(chain.size());
    thread_local std::vector<double> prefix, suffix;
    prefix.assign(std::size_t(P) + 1, 0.0);
    suffix.assign(std::size_t(P) + 1, 0.0);
    for (int p = 0; p < P; ++p) {
        prefix[std::size_t(p) + 1] = prefix[std::size_t(p)] + chain[std::size_t(p)].dur;
    }
    for (int p = P - 1; p >= 0; --p) {
        suffix[std::size_t(p)] = suffix[std::size_t(p) + 1] + chain[std::size_t(p)].dur;
    }
    struct Use
    {
        int first = -1;
        int last = -1;
        double chained = 0.0; ///< per micro-batch, on the chain
        double weight = 0.0;  ///< per micro-batch, W off the chain
    };
    thread_local std::vector<Use> uses;
    uses.assign(std::size_t(resources), Use{});
    for (int p = 0; p < P; ++p) {
        const Pos &x = chain[std::size_t(p)];
        if (x.res < 0) {
            continue;
        }
        Use &u = uses[std::size_t(x.res)];
        if (u.first < 0) {
            u.first = p;
        }
        u.last = p;
        u.chained += x.dur;
        u.weight += x.w;
    }
    double makespan = prefix[std::size_t(P)];
    for (const Use &u : uses) {
        if (u.first < 0) {
            continue;
        }
        const double before = prefix[std::size_t(u.first)];
        const double tail = std::max(suffix[std::size_t(u.last) + 1], chain[std::size_t(u.last)].w);
        makespan = std::max(
            {makespan, before + t.M * u.chained + tail, before + t.M * (u.chained + u.weight)});
    }
    return makespan;
}

} // namespace exact_bound_detail

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
    // Every entry is written by the stage loop below before it is read: no clearing.
    fwd.resize(std::size_t(S));
    bwd.resize(std::size_t(S));
    send.resize(std::size_t(S));
    grad.resize(std::size_t(S));
    int onDevices = 0;
    double computeEnergy = 0.0;
    // The radio energy at the stages' powers: what each stage's radio sends per micro-batch
    // (stageTxPerMicrobatchS(), core/cost/cluster_cost.cpp). GPipe, 1F1B and ZB-H1 send each
    // stage's activation forward and its gradient back once; ZB-V twice each way on a middle
    // stage (splitBackwardMakespan()). Not interleaved: it is scored from the 1F1B plan
    // (chooseSchedule()) and its wrap hops are not modelled here.
    const bool zeroBubbleV = d.schedule == ScheduleKind::ZeroBubbleV;
    const bool countRadio = radio
        && (d.schedule == ScheduleKind::GPipe || d.schedule == ScheduleKind::OneFOneB
            || d.schedule == ScheduleKind::ZeroBubbleH1 || zeroBubbleV);
    // ZB-V ends its V on stage 0, which sends to the edge over D2E at its power; the edge's
    // gradient comes back to it (core/MODEL.md "Schedules").
    const double firstToEdge
        = zeroBubbleV ? transferTimeS(payload, d2eRate(stages[0]->powerW, stages[0]->device)) : 0.0;
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
                // ZB-V (stageTxPerMicrobatchS()): a middle stage sends twice each way, the
                // last stage's turn is on-device, stage 0 also sends chunk 1 to the edge.
                const double tx = zeroBubbleV ? (j + 1 < S ? 2.0 * send[std::size_t(j)] : 0.0)
                        + (j > 0 ? 2.0 * grad[std::size_t(j)] : grad[0] + firstToEdge)
                                              : send[std::size_t(j)] + grad[std::size_t(j)];
                computeEnergy
                    += m_weights.energyQueues[k] * sd.powerW * double(iterations) * M * tx;
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
    if (splitsBackward(d.schedule)) {
        // The fused-backward bound above does not hold under a split (splitBackwardMakespan()).
        exact_bound_detail::SplitChainTimes split;
        split.kind = d.schedule;
        split.S = S;
        split.M = M;
        split.embed = computeTimeS(b * embeddingFlops(dims), m_c.controlUnit.computeFlops);
        split.cuSend = cuSend;
        split.fwd = &fwd;
        split.bwd = &bwd;
        split.send = &send;
        split.grad = &grad;
        split.weightGradFraction = trained.weightGradFraction;
        split.edge = edge;
        split.toEdge = zeroBubbleV ? firstToEdge : send[std::size_t(S - 1)];
        split.fromEdge
            = zeroBubbleV ? transferTimeS(payload, edgeGradRate(stages[0]->device)) : edgeGrad;
        makespan = exact_bound_detail::splitBackwardMakespan(split);
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
