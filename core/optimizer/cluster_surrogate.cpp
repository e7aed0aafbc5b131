// SPDX-License-Identifier: MIT
#include "core/optimizer/cluster_surrogate.h"

#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"
#include "core/optimizer/virtual_queues.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {

const EdgeServer *edgeServerOf(const Scenario &scenario, const Cluster &cluster)
{
    for (const EdgeServer &server : scenario.topology.edgeServers) {
        if (server.id == cluster.edgeServerId) {
            return &server;
        }
    }
    return scenario.topology.edgeServers.empty() ? nullptr : &scenario.topology.edgeServers[0];
}

/// Every input of setMicrobatches()' memory limits and edge tail limit but the devices'
/// memories (SurrogateMemo::key; those are SurrogateMemo::deviceMemories).
std::vector<double> memoKey(const Scenario &s, double edgeFlops, double edgeMemoryBytes)
{
    const TransformerDims &d = s.model.profiled;
    std::vector<double> key{double(s.model.encoderBlocks), double(s.model.bytesPerElement),
        double(d.dModel), double(d.heads), double(d.dFf), double(d.seqLen), double(d.vocabSize),
        double(int(s.optimizer.schedule)), double(int(s.optimizer.microbatchMode)),
        double(s.training.batchSize), double(s.training.microbatchSize),
        double(s.optimizer.edgeOffload), double(edgeFlops > 0.0), edgeMemoryBytes,
        // What training.mode trains sets a block's memory (trainedParts()).
        double(int(s.training.mode)), double(s.training.lora.rank),
        double(int(s.training.lora.targets))};
    return key;
}

} // namespace

ClusterSurrogate::ClusterSurrogate(const Scenario &scenario, int cluster,
    const ClusterChannel &channel, const ClusterWeights &weights, SurrogateMemo *memo)
    : m_scenario(scenario)
    , m_cluster(scenario.topology.clusters[std::size_t(cluster)])
    , m_channel(channel)
    , m_weights(weights)
    , m_deviceCount(int(m_cluster.devices.size()))
{
    m_weights.v = std::max(m_weights.v, 1e-9);
    const EdgeServer *server = edgeServerOf(scenario, m_cluster);
    m_edgeGradPowerW = server ? server->txPowerW : 0.0;
    m_n0d2d = noisePowerW(1.0, scenario.topology.d2d.noisePsdDbmPerHz);
    m_n0d2e = noisePowerW(1.0, scenario.topology.d2e.noisePsdDbmPerHz);
    // The same sharing as the evaluator's (core/cost/cost_context.h).
    const int sharing = channel.edgeSharing > 0
        ? channel.edgeSharing
        : int(std::lround(1.0 / d2eShareOfCluster(scenario, cluster)));
    m_d2eBandwidthHz = scenario.topology.d2e.bandwidthHz / std::max(1, sharing);
    m_edgeFlops = server ? server->computeFlops / std::max(1, sharing) : 0.0;
    m_edgeMemoryBytes = server ? server->memoryBytes / std::max(1, sharing) : 0.0;
    // Same rate as the evaluator's upload: ergodic D2E at the CU (core/MODEL.md "Long transfers").
    const TransformerDims &dims = scenario.model.profiled;
    const int q = scenario.model.bytesPerElement;
    // Per block, what training.mode uploads (core/MODEL.md "Parameter-efficient fine-tuning").
    const TrainedParts trained = trainedParts(dims, scenario.training);
    const double blockBytes = modelUploadBytes(trained, 1, q) - modelUploadBytes(trained, 0, q);
    const int cu = channel.controlUnitNode();
    const double uploadRate = ergodicRateBps(scenario.topology.d2e.fading, m_d2eBandwidthHz,
        m_cluster.controlUnit.maxPowerW, channel.meanD2eGain(cu),
        scenario.topology.d2e.noisePsdDbmPerHz);
    // The broadcast back shrinks by the same block (exactObjective() counts it).
    const double broadcastRate = server
        ? ergodicRateBps(scenario.topology.d2e.fading, scenario.topology.d2e.bandwidthHz,
            server->txPowerW, channel.meanD2eGain(cu), scenario.topology.d2e.noisePsdDbmPerHz)
        : 0.0;
    m_d2dRates.assign(std::size_t((m_deviceCount + 1) * (m_deviceCount + 1)), CachedRate{});
    m_d2eRates.assign(std::size_t(m_deviceCount), CachedRate{});
    for (int k = 0; k < m_deviceCount; ++k) {
        m_edgeGradRateBps.push_back(shannonRateBpsPsdW(
            m_d2eBandwidthHz, m_edgeGradPowerW, m_channel.d2eGain[std::size_t(k)], m_n0d2e));
    }
    m_uploadPerBlockS
        = (transferTimeS(blockBytes, uploadRate)
              + (broadcastRate > 0.0 ? transferTimeS(blockBytes, broadcastRate) : 0.0))
        / std::max(1, scenario.training.localIterations);
    m_memo = memo ? memo : &m_ownMemo;
    std::vector<double> key = memoKey(scenario, m_edgeFlops, m_edgeMemoryBytes);
    if (m_memo->key != key) {
        *m_memo = SurrogateMemo{};
        m_memo->key = std::move(key);
    }
    setMicrobatches(1);
}

void ClusterSurrogate::setMicrobatches(int microbatches)
{
    const Scenario &s = m_scenario;
    const TransformerDims &dims = s.model.profiled;
    const int q = s.model.bytesPerElement;
    m_microbatches = std::max(1, microbatches);
    m_microbatchSize = microbatchSizeFor(s.training, s.optimizer.microbatchMode, m_microbatches);
    const double b = m_microbatchSize;
    m_payloadBytes = boundaryPayloadBytes(dims, m_microbatchSize, q);
    m_zTerm = m_weights.convergenceQueue
        * VirtualQueues::convergencePenalty(m_scenario, m_microbatches, m_microbatchSize)
        / (m_weights.v * std::max(1, m_scenario.training.localIterations));
    m_energyWeights.resize(std::size_t(m_deviceCount));
    for (int k = 0; k < m_deviceCount; ++k) {
        const auto &queues = m_weights.energyQueues;
        const double queue = std::size_t(k) < queues.size() ? queues[std::size_t(k)] : 0.0;
        m_energyWeights[std::size_t(k)] = m_microbatches * queue / m_weights.v;
    }
    m_stash.clear();
    m_embedS = computeTimeS(b * embeddingFlops(dims), m_cluster.controlUnit.computeFlops);
    const double decoderFwd = computeTimeS(b * decoderForwardFlops(s.model), m_edgeFlops);
    m_decoderS = 3.0 * decoderFwd; // forward + backward (2×, spec §2.1)
    const TrainedParts trained = trainedParts(dims, s.training);
    const double phi = trained.forwardFlops + trained.backwardFlops;
    m_computePerBlock.assign(std::size_t(m_deviceCount), 0.0);
    m_maxBlocks.resize(std::size_t(m_deviceCount));
    const int L = s.model.encoderBlocks;
    // The evaluator charges the edge's blocks forward + backward (φ_F + φ_B per block).
    m_edgeBlockS = computeTimeS(b * phi, m_edgeFlops);
    std::vector<int> &edgeLimits = m_memo->edgeMaxBlocksByM;
    if (edgeLimits.size() <= std::size_t(m_microbatches)) {
        edgeLimits.resize(std::size_t(m_microbatches) + 1, -1);
    }
    m_edgeMaxBlocks = std::max(0, edgeLimits[std::size_t(m_microbatches)]);
    if (edgeLimits[std::size_t(m_microbatches)] < 0 && s.optimizer.edgeOffload
        && m_edgeFlops > 0.0) {
        // The edge keeps the tail's state and one micro-batch's activations in the cluster's
        // share of its memory (edgeTailMemoryBytes(), core/MODEL.md "Baselines").
        while (m_edgeMaxBlocks + 1 < L
            && edgeTailMemoryBytes(dims, trained, m_edgeMaxBlocks + 1, m_microbatchSize, q)
                <= m_edgeMemoryBytes) {
            ++m_edgeMaxBlocks;
        }
    }
    edgeLimits[std::size_t(m_microbatches)] = m_edgeMaxBlocks;
    for (int k = 0; k < m_deviceCount; ++k) {
        m_computePerBlock[std::size_t(k)]
            = computeTimeS(b * phi, m_cluster.devices[std::size_t(k)].computeFlops);
    }
    // The solver revisits each M several times (screening, order swaps, BCD), and under churn
    // each cluster is solved over changing sets of devices: a device's limits depend only on M
    // and its memory, so they are computed once per (M, memory) and kept in the memo.
    // Bytes for n blocks with `stages` stages from here on do not depend on the device: one
    // table per M (rows added as more stages are asked), then a device's limit is the largest
    // n that fits (memory grows with n, §2.4).
    const std::size_t row = std::size_t(L) + 1;
    std::vector<std::vector<double>> &needByM = m_memo->needByM;
    if (needByM.size() <= std::size_t(m_microbatches)) {
        needByM.resize(std::size_t(m_microbatches) + 1);
    }
    std::vector<double> &need = needByM[std::size_t(m_microbatches)];
    for (int k = 0; k < m_deviceCount; ++k) {
        const double capacity = m_cluster.devices[std::size_t(k)].memoryBytes;
        std::vector<int> &limits = m_memo->limitsFor(capacity, m_microbatches);
        for (int stages = int(limits.size()) + 1; stages <= m_deviceCount; ++stages) {
            if (need.size() < std::size_t(stages) * row) {
                for (int n = 0; n <= L; ++n) {
                    need.push_back(memoryNeeded(0, n, stages));
                }
            }
            const double *bytes = need.data() + std::size_t(stages - 1) * row;
            int n = 0;
            while (n < L && bytes[n + 1] <= capacity) {
                ++n;
            }
            limits.push_back(n);
        }
        m_maxBlocks[std::size_t(k)].assign(limits.begin(), limits.begin() + m_deviceCount);
    }
    setLastLimitChanges();
}

void ClusterSurrogate::setLastLimitChanges()
{
    // solveSegments()' count cap per device (the last stage count whose limit differs from the
    // next one's), once per M instead of O(K) per device in every DP.
    m_lastLimitChange.assign(std::size_t(m_deviceCount), 0);
    for (int k = 0; k < m_deviceCount; ++k) {
        const std::vector<int> &limits = m_maxBlocks[std::size_t(k)];
        int c = int(limits.size()) - 1;
        while (c > 0 && limits[std::size_t(c - 1)] == limits[std::size_t(c)]) {
            --c;
        }
        m_lastLimitChange[std::size_t(k)] = std::max(0, c);
    }
}

int ClusterSurrogate::maxBlocks(int device, int stagesFromHere) const
{
    const auto &limits = m_maxBlocks[std::size_t(device)];
    return limits[std::size_t(std::clamp(stagesFromHere, 1, int(limits.size())) - 1)];
}

double ClusterSurrogate::memoryNeeded(int device, int blocks, int stagesFromHere) const
{
    (void)device;
    const Scenario &s = m_scenario;
    // stashedMicrobatches(schedule, M, S, j) depends on S − j only: pass (stagesFromHere, 0).
    const int inflight
        = stashedMicrobatches(s.optimizer.schedule, m_microbatches, stagesFromHere, 0);
    return segmentMemoryBytes(s.model.profiled, trainedParts(s.model.profiled, s.training), blocks,
        m_microbatchSize, inflight, s.model.bytesPerElement);
}

double ClusterSurrogate::maxPower(int device) const
{
    return m_cluster.devices[std::size_t(device)].maxPowerW;
}

double ClusterSurrogate::computePowerW(int device) const
{
    return m_cluster.devices[std::size_t(device)].computePowerW;
}

double ClusterSurrogate::energyWeight(int device) const
{
    return m_energyWeights[std::size_t(device)]; // M·Q_k/V, set by setMicrobatches()
}

const std::vector<int> &ClusterSurrogate::stashFor(int stages) const
{
    if (m_stash.size() <= std::size_t(stages)) {
        m_stash.resize(std::size_t(stages) + 1);
    }
    std::vector<int> &row = m_stash[std::size_t(stages)];
    if (row.empty()) {
        for (int j = 0; j < stages; ++j) {
            row.push_back(
                stashedMicrobatches(PipelineSchedule::OneFOneB, m_microbatches, stages, j));
        }
    }
    return row;
}

double ClusterSurrogate::d2dTime(int from, int to, double share, double powerW) const
{
    // A rate does not depend on M, and the screening DPs ask for the same links at the same
    // share and power for every order and M: reuse the last rate of the link (same bits).
    CachedRate &c = m_d2dRates[std::size_t(from * (m_deviceCount + 1) + to)];
    if (!(c.share == share && c.powerW == powerW)) {
        c = {share, powerW,
            shannonRateBpsPsdW(share * m_scenario.topology.d2d.bandwidthHz, powerW,
                m_channel.gain(from, to), m_n0d2d)};
    }
    if (c.bytes != m_payloadBytes) {
        c.bytes = m_payloadBytes;
        c.timeS = transferTimeS(m_payloadBytes, c.rateBps);
    }
    return c.timeS;
}

double ClusterSurrogate::edgeGradTime(int device) const
{
    return transferTimeS(m_payloadBytes, m_edgeGradRateBps[std::size_t(device)]);
}

double ClusterSurrogate::linkOccupancy(double forwardS, double backwardS) const
{
    return m_scenario.optimizer.schedule == PipelineSchedule::GPipe ? forwardS + backwardS
                                                                    : std::max(forwardS, backwardS);
}

double ClusterSurrogate::d2dSnr(int from, int to, double powerW) const
{
    const double w = m_scenario.topology.d2d.bandwidthHz;
    const double gain = m_channel.gain(from, to);
    return (w <= 0.0 || powerW <= 0.0 || gain <= 0.0) ? 0.0 : powerW * gain / (m_n0d2d * w);
}

double ClusterSurrogate::d2eTime(int device, double powerW) const
{
    CachedRate &c = m_d2eRates[std::size_t(device)];
    if (!(c.powerW == powerW)) {
        c = {0.0, powerW,
            shannonRateBpsPsdW(
                m_d2eBandwidthHz, powerW, m_channel.d2eGain[std::size_t(device)], m_n0d2e)};
    }
    if (c.bytes != m_payloadBytes) {
        c.bytes = m_payloadBytes;
        c.timeS = transferTimeS(m_payloadBytes, c.rateBps);
    }
    return c.timeS;
}

int ClusterSurrogate::edgeBlocks(const ClusterDecision &decision) const
{
    // The cut is derived in one place (edgeTailCut(), core/types/decision.h); −1 when no tail.
    const int cut = edgeTailCut(decision);
    return cut < 0 ? 0 : std::max(0, m_scenario.model.encoderBlocks - cut);
}

ClusterDecision ClusterSurrogate::emptyDecision() const
{
    ClusterDecision d;
    d.microbatches = m_microbatches;
    d.microbatchSize = m_microbatchSize;
    d.schedule = m_scenario.optimizer.schedule;
    d.mode = ClusterDecision::Mode::Pipeline;
    return d;
}

void ClusterSurrogate::buildNodeTables(const std::vector<double> &share, double controlUnitShare,
    const std::vector<double> &power) const
{
    // The same expressions, term by term, as the position-indexed tables they replace, so every
    // entry has the same bits (tst_dssda_threads scaleWorkKeepsDecisions).
    NodeTables &t = m_tables;
    SegmentProblem &p = m_problem;
    const int K = m_deviceCount;
    const std::size_t stride = std::size_t(K) + 1;
    const int cu = m_channel.controlUnitNode();
    const double cuPower = m_cluster.controlUnit.maxPowerW;
    t.microbatches = m_microbatches;
    t.share = share;
    t.controlUnitShare = controlUnitShare;
    t.power = power;
    t.valid = true;
    t.sorted = false;
    p.linkTime.assign(std::size_t(K) * stride, 0.0);
    p.linkExtra.assign(p.linkTime.size(), 0.0);
    p.linkOccupancy.assign(p.linkTime.size(), 0.0);
    t.headTime.assign(std::size_t(K), 0.0);
    t.headExtra.assign(std::size_t(K), 0.0);
    t.headOccupancy.assign(std::size_t(K), 0.0);
    for (int da = 0; da < K; ++da) {
        if (da % 64 == 0 && cancelRequested()) {
            t.valid = false; // half built: never reused
            return;
        }
        const double wa = energyWeight(da);
        const double pa = power[std::size_t(da)];
        for (int db = 0; db <= K; ++db) {
            if (db == da) {
                continue; // a device never links to itself
            }
            double fwd = 0.0;
            double grad = 0.0;
            double extra = 0.0;
            if (db < K) {
                const double pb = power[std::size_t(db)];
                fwd = d2dTime(da, db, share[std::size_t(da)], pa);
                grad = d2dTime(db, da, share[std::size_t(da)], pb);
                extra = wa * pa * fwd + energyWeight(db) * pb * grad;
            } else {
                fwd = d2eTime(da, pa);
                grad = edgeGradTime(da);
                extra = wa * pa * fwd;
            }
            const std::size_t at = std::size_t(da) * stride + std::size_t(db);
            p.linkTime[at] = fwd + grad;
            // The D2E hop sits between the last stage's forwards and backwards (its pace does
            // not add to theirs); a D2D link under GPipe paces both phases (linkOccupancy()).
            p.linkOccupancy[at] = db < K ? linkOccupancy(fwd, grad) : std::max(fwd, grad);
            p.linkExtra[at] = extra;
        }
        const double fwd = d2dTime(cu, da, controlUnitShare, cuPower);
        const double grad = d2dTime(da, cu, controlUnitShare, pa);
        t.headTime[std::size_t(da)] = fwd + grad;
        t.headOccupancy[std::size_t(da)] = linkOccupancy(fwd, grad);
        t.headExtra[std::size_t(da)] = wa * pa * grad;
    }
}

void ClusterSurrogate::sortNodeTables() const
{
    NodeTables &t = m_tables;
    const SegmentProblem &p = m_problem;
    const int K = m_deviceCount;
    const std::size_t stride = std::size_t(K) + 1;
    const double w = m_microbatches - 1;
    t.byKey.resize(stride);
    for (int to = 0; to <= K; ++to) {
        if (to % 64 == 0 && cancelRequested()) {
            return; // not marked sorted: the next use sorts again
        }
        auto &list = t.byKey[std::size_t(to)];
        list.clear();
        list.reserve(std::size_t(K));
        for (int from = 0; from < K; ++from) {
            if (from == to) {
                continue;
            }
            const std::size_t at = std::size_t(from) * stride + std::size_t(to);
            const double link = p.linkTime[at];
            const double occ = p.linkOccupancy[at];
            // A lower bound of what the DP adds through this link; an unusable link sorts last.
            double key = std::numeric_limits<double>::infinity();
            if (std::isfinite(link)) {
                key = std::isfinite(occ) ? link + w * occ : link;
            }
            list.push_back(SegmentProblem::KeyedNode{key, from});
        }
        std::sort(list.begin(), list.end(),
            [](const SegmentProblem::KeyedNode &a, const SegmentProblem::KeyedNode &b) {
                return a.key < b.key || (a.key == b.key && a.node < b.node);
            });
    }
    t.sorted = true;
}

const SegmentProblem &ClusterSurrogate::segmentProblem(const std::vector<int> &order,
    const std::vector<double> &share, double controlUnitShare,
    const std::vector<double> &power) const
{
    // Rebuilt in place: the solver asks for dozens of these per cluster and round. The link
    // tables do not depend on the order: they are built once per (M, shares, powers) and indexed
    // by device (SegmentProblem::node), so a new order costs O(K), not O(K²) (issue [7/7]). The
    // screening and order-swap DPs ask for the same tables many times; from the second time on
    // they also get the sorted keys that let the DP skip hopeless links.
    SegmentProblem &p = m_problem;
    const int P = int(order.size());
    const int K = m_deviceCount;
    p.positions = P;
    p.blocks = m_scenario.model.encoderBlocks;
    p.bottleneckWeight = m_microbatches - 1;
    p.fixedSum = m_embedS + m_decoderS + m_zTerm;
    p.fixedTime = std::max(m_embedS, m_decoderS);
    p.inFlight.clear();
    if (m_scenario.optimizer.schedule == PipelineSchedule::OneFOneB) {
        // The engine's window (stashedMicrobatches() depends on S − j only: (stages, 0)).
        for (int stages = 1; stages <= std::max(1, P); ++stages) {
            p.inFlight.push_back(
                stashedMicrobatches(PipelineSchedule::OneFOneB, m_microbatches, stages, 0));
        }
    }
    p.loopBase = m_decoderS;
    p.edgeMaxBlocks = m_edgeMaxBlocks;
    p.edgeBase = m_decoderS;
    p.edgePerBlock = m_edgeBlockS;
    NodeTables &t = m_tables;
    const bool reuse = t.valid && t.microbatches == m_microbatches
        && t.controlUnitShare == controlUnitShare && t.share == share && t.power == power;
    // Below a few dozen devices a DP scans its few positions faster than the keys sort.
    constexpr int kSortedKeysFrom = 32;
    if (!reuse) {
        buildNodeTables(share, controlUnitShare, power);
    } else if (!t.sorted && K >= kSortedKeysFrom) {
        sortNodeTables();
    }
    if (!t.valid) {
        p.positions = 0; // cancelled while building (setCancelCheck()): nothing to solve
        return p;
    }
    p.fromByKey = t.sorted ? &t.byKey : nullptr;
    p.node.assign(order.begin(), order.end());
    p.node.push_back(K); // the edge
    p.nodeStride = K + 1;
    p.nodeMaxBlocks = &m_maxBlocks;
    p.maxBlocks.clear();
    p.positionOfNode.assign(std::size_t(K), -1);
    p.limitCountCap = 0;
    p.computePerBlock.clear();
    p.extraPerBlock.clear();
    p.headTime.clear();
    p.headOccupancy.clear();
    p.headExtra.clear();
    for (int a = 0; a < P; ++a) {
        const int da = order[std::size_t(a)];
        p.positionOfNode[std::size_t(da)] = a;
        p.limitCountCap = std::max(p.limitCountCap, m_lastLimitChange[std::size_t(da)]);
        const double wa = energyWeight(da);
        p.computePerBlock.push_back(m_computePerBlock[std::size_t(da)]);
        p.extraPerBlock.push_back(
            wa * computePowerW(da) * m_computePerBlock[std::size_t(da)] + m_uploadPerBlockS);
        p.headTime.push_back(t.headTime[std::size_t(da)]);
        p.headOccupancy.push_back(t.headOccupancy[std::size_t(da)]);
        p.headExtra.push_back(t.headExtra[std::size_t(da)]);
    }
    return p;
}

double ClusterSurrogate::objective(const ClusterDecision &d) const
{
    const int S = int(d.stages.size());
    if (S == 0) {
        return std::numeric_limits<double>::infinity();
    }
    // Same terms as segmentProblem() restricted to these stages, O(S) (the power search calls
    // this in its inner loop).
    const int cu = m_channel.controlUnitNode();
    const double edgeS = m_decoderS + edgeBlocks(d) * m_edgeBlockS;
    double sum = m_embedS + edgeS + m_zTerm;
    // Per-micro-batch pace of the forward phase (CU, stages' forwards, activation sends), of
    // the backward phase (stages' backwards, gradient sends) and of the edge chain between them
    // (D2E both ways and the edge). 1F1B overlaps everything: the bottleneck is the slowest
    // resource. GPipe flushes between the phases: the bottleneck is max(forward pace + backward
    // pace, edge chain) (issue [3/7] finding 1: the CU's sends and the gradients back to it
    // pace different phases).
    double maxFwd = m_embedS;
    double maxBwd = 0.0;
    double maxChain = edgeS;
    const StageDecision &first = d.stages.front();
    {
        const double fwd
            = d2dTime(cu, first.device, d.controlUnitShare, m_cluster.controlUnit.maxPowerW);
        const double grad = d2dTime(first.device, cu, d.controlUnitShare, first.powerW);
        sum += fwd + grad + energyWeight(first.device) * first.powerW * grad;
        maxFwd = std::max(maxFwd, fwd);
        maxBwd = std::max(maxBwd, grad);
    }
    std::vector<double> &roundTrip = m_roundTrip; ///< compute + boundary of each stage
    roundTrip.assign(std::size_t(S), 0.0);
    for (int j = 0; j < S; ++j) {
        const StageDecision &st = d.stages[std::size_t(j)];
        const double wa = energyWeight(st.device);
        const double compute = st.blockCount() * m_computePerBlock[std::size_t(st.device)];
        sum += compute * (1.0 + wa * computePowerW(st.device))
            + st.blockCount() * m_uploadPerBlockS;
        maxFwd = std::max(maxFwd, compute / 3.0); // backward = 2 × forward (spec §2.1)
        maxBwd = std::max(maxBwd, compute * (2.0 / 3.0));
        double fwd = 0.0;
        double grad = 0.0;
        if (j + 1 < S) {
            const StageDecision &next = d.stages[std::size_t(j + 1)];
            fwd = d2dTime(st.device, next.device, st.bandwidthShare, st.powerW);
            grad = d2dTime(next.device, st.device, st.bandwidthShare, next.powerW);
            sum += fwd + grad + wa * st.powerW * fwd
                + energyWeight(next.device) * next.powerW * grad;
            maxFwd = std::max(maxFwd, fwd);
            maxBwd = std::max(maxBwd, grad);
        } else {
            fwd = d2eTime(st.device, st.powerW);
            grad = edgeGradTime(st.device);
            sum += fwd + grad + wa * st.powerW * fwd;
            maxChain = std::max({maxChain, fwd, grad});
        }
        roundTrip[std::size_t(j)] = compute + fwd + grad;
    }
    const bool gpipe = m_scenario.optimizer.schedule == PipelineSchedule::GPipe;
    // 1F1B: a device's forward and backward share one resource, so its F + B is its pace.
    double max = gpipe ? std::max(maxFwd + maxBwd, maxChain) : std::max({maxFwd, maxBwd, maxChain});
    for (int j = 0; !gpipe && j < S; ++j) {
        const StageDecision &st = d.stages[std::size_t(j)];
        max = std::max(max, st.blockCount() * m_computePerBlock[std::size_t(st.device)]);
    }
    if (!gpipe) {
        // Window bound of segment_dp.h: stage j's round trip over the micro-batches it keeps
        // in flight, the engine's count (stashedMicrobatches(): the edge is a stage too).
        double loop = edgeS;
        const std::vector<int> &stash = stashFor(S);
        for (int j = S - 1; j >= 0; --j) {
            loop += roundTrip[std::size_t(j)];
            max = std::max(max, loop / stash[std::size_t(j)]);
        }
    }
    return sum + (m_microbatches - 1) * max;
}

BandProblem ClusterSurrogate::bandProblem(const ClusterDecision &d) const
{
    BandProblem band;
    band.bandwidthHz = m_scenario.topology.d2d.bandwidthHz;
    band.bottleneckWeight = m_microbatches - 1;
    const int S = int(d.stages.size());
    if (S == 0) {
        return band;
    }
    const int cu = m_channel.controlUnitNode();
    const double bits = 8.0 * m_payloadBytes;
    double fixedMax = std::max(m_embedS, m_decoderS + edgeBlocks(d) * m_edgeBlockS);
    for (int j = 0; j < S; ++j) {
        const StageDecision &st = d.stages[std::size_t(j)];
        fixedMax = std::max(fixedMax, st.blockCount() * m_computePerBlock[std::size_t(st.device)]);
        const int from = j == 0 ? cu : d.stages[std::size_t(j - 1)].device;
        const double fromPower
            = j == 0 ? m_cluster.controlUnit.maxPowerW : d.stages[std::size_t(j - 1)].powerW;
        const double fromWeight = j == 0 ? 0.0 : energyWeight(from);
        BandLink link;
        link.forward
            = LinkFlow{bits, d2dSnr(from, st.device, fromPower), 1.0 + fromWeight * fromPower};
        link.backward = LinkFlow{
            bits, d2dSnr(st.device, from, st.powerW), 1.0 + energyWeight(st.device) * st.powerW};
        link.serialised = m_scenario.optimizer.schedule == PipelineSchedule::GPipe;
        band.links.push_back(link);
    }
    const StageDecision &last = d.stages.back();
    const double edgeGrad = edgeGradTime(last.device);
    band.fixedMax = std::max({fixedMax, d2eTime(last.device, last.powerW), edgeGrad});
    return band;
}

} // namespace collapipe
