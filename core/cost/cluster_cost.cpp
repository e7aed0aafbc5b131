// SPDX-License-Identifier: MIT
#include "core/cost/cluster_cost.h"

#include "core/channel/channel_model.h"
#include "core/cost/cost_context.h"
#include "core/cost/cost_terms.h"
#include "core/pipeline/pipeline_recursion.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

void finishStage(
    const Context &ctx, StageCost *st, int iterations, int microbatches, double txPerMicrobatchS)
{
    const Device &dev = ctx.cluster.devices[st->device];
    st->memoryCapacityBytes = dev.memoryBytes;
    st->busyS = double(iterations) * microbatches * (st->tFwdS + st->tBwdS);
    const double tx = txPerMicrobatchS >= 0.0 ? txPerMicrobatchS : st->tSendS + st->tSendGradS;
    st->txS = double(iterations) * microbatches * tx;
    st->energyJ = deviceEnergyJ(dev.computePowerW, st->busyS, st->powerW, st->txS);
}

namespace {

// Transmit time per micro-batch of device stage j (what its radio sends: core/MODEL.md
// "Schedules"). Without chunks one activation forward and one gradient back. Interleaved (v ≥ 2,
// S ≥ 2): each hop v times, except that the last stage sends v − 1 of its activations over the
// wrap to stage 0 and one to the edge, and stage 0 sends v − 1 gradients back over the wrap and
// one to the CU. ZB-V: chunk 0 goes down and chunk 1 up, so a middle stage sends twice each way
// (chunk 1's activations up the gradient link, its gradients down the activation link); the
// last stage's turn is on-device; stage 0 sends chunk 1's activation to the edge.
double stageTxPerMicrobatchS(const ChainTimes &chain, ScheduleKind kind, int v, int j)
{
    const int S = int(chain.stages.size());
    const StageTimes &st = chain.stages[std::size_t(j)];
    if (kind == ScheduleKind::Interleaved && v >= 2 && S >= 2) {
        const double down = j + 1 < S ? v * st.sendS : st.sendS + (v - 1) * chain.wrapSendS;
        const double up = j > 0 ? v * st.gradS : st.gradS + (v - 1) * chain.wrapGradS;
        return down + up;
    }
    if (kind == ScheduleKind::ZeroBubbleV) {
        const double down = j + 1 < S ? 2.0 * st.sendS : 0.0;
        const double up = j > 0 ? 2.0 * st.gradS : st.gradS + chain.firstStageEdgeSendS;
        return down + up;
    }
    return st.sendS + st.gradS;
}

// Pipeline and EdgeTail: one chain of S stages (spec §2.3); SL is S = 1 with the edge also
// running blocks c..L−1 (core/MODEL.md "Baselines").
ClusterCost evaluateChain(const Context &ctx, int c, const ClusterDecision &d, ChainTimes *chainOut)
{
    ClusterCost out;
    out.cluster = c;
    out.mode = d.mode;
    out.schedule = d.schedule;
    out.interleave = d.schedule == ScheduleKind::Interleaved ? std::max(1, d.interleave) : 1;
    const int chunks = chunksOf(d.schedule, d.interleave);
    const int M = std::max(1, d.microbatches);
    const int b = std::max(1, d.microbatchSize);
    const int iterations = std::max(1, ctx.s.training.localIterations);
    out.microbatches = M;
    out.microbatchSize = b;
    out.samples = ctx.s.optimizer.microbatchMode == MicrobatchMode::Split
        ? std::min(ctx.s.training.batchSize, M * b)
        : M * b;
    const double payload = boundaryPayloadBytes(ctx.dims, b, ctx.q);
    // Per sample and block, what training.mode computes (core/MODEL.md "Parameter-efficient
    // fine-tuning"; full fine-tuning: φ_F and φ_B = 2·φ_F of spec §2.1).
    const double phiF = ctx.trained.forwardFlops;
    const double phiB = ctx.trained.backwardFlops;
    const int K = ctx.ch.deviceCount;
    const int cuNode = ctx.ch.controlUnitNode();

    thread_local std::vector<const StageDecision *> stages;
    thread_local ChainTimes chain;
    stages.clear();
    for (const StageDecision &sd : d.stages) {
        if (sd.device >= 0 && sd.device < K && sd.blockCount() > 0) {
            stages.push_back(&sd);
        }
    }
    const int S = static_cast<int>(stages.size());
    if (S == 0) {
        out.makespanS = out.latencyS = std::numeric_limits<double>::infinity();
        return out;
    }
    chain.embedS = computeTimeS(b * embeddingFlops(ctx.dims), ctx.cluster.controlUnit.computeFlops);
    chain.controlUnitSendS = transferTimeS(payload,
        ctx.d2dRate(
            d.controlUnitShare, ctx.cluster.controlUnit.maxPowerW, cuNode, stages[0]->device));
    double edgeFwdFlops = b * decoderForwardFlops(ctx.s.model);
    int encoderBlocksOnDevices = 0;
    out.stages.resize(S);
    chain.stages.resize(S);
    double flopsDone = 0.0;
    double flopsCapacity = 0.0;
    for (int j = 0; j < S; ++j) {
        const StageDecision &sd = *stages[j];
        const Device &dev = ctx.cluster.devices[sd.device];
        StageCost &st = out.stages[j];
        st.stage = j;
        st.device = sd.device;
        st.firstBlock = sd.firstBlock;
        st.lastBlock = sd.lastBlock;
        st.blocks = sd.blockCount();
        st.bandwidthShare = sd.bandwidthShare;
        st.powerW = sd.powerW;
        encoderBlocksOnDevices += st.blocks;
        st.tFwdS = computeTimeS(double(b) * st.blocks * phiF, dev.computeFlops);
        st.tBwdS = computeTimeS(double(b) * st.blocks * phiB, dev.computeFlops);
        if (j + 1 < S) {
            const int next = stages[j + 1]->device;
            st.rateBps = ctx.d2dRate(sd.bandwidthShare, sd.powerW, sd.device, next);
            st.snrDb = ctx.d2dSnr(sd.bandwidthShare, sd.powerW, sd.device, next);
            st.distanceM = ctx.ch.distance(sd.device, next);
        } else {
            st.rateBps = ctx.d2eRate(ctx.d2eW, sd.powerW, sd.device);
            st.snrDb = ctx.d2eSnr(ctx.d2eW, sd.powerW, sd.device);
            st.distanceM = ctx.ch.d2eDistanceM[sd.device];
        }
        // The gradient crosses the boundary this stage received its input over, sent by us at
        // our power (the radio that emits it; spec §2.5 charges it to us): see core/MODEL.md
        // "Links" for why not spec §2.2's "same rate both ways" default.
        const double backShare = j == 0 ? d.controlUnitShare : stages[j - 1]->bandwidthShare;
        const int backTo = j == 0 ? cuNode : stages[j - 1]->device;
        st.gradRateBps = ctx.d2dRate(backShare, sd.powerW, sd.device, backTo);
        st.tSendS = transferTimeS(payload, st.rateBps);
        st.tSendGradS = transferTimeS(payload, st.gradRateBps);
        // The stash in chunk activations, each 1/v of the stage's (core/pipeline stash
        // accounting; v = 1: whole micro-batches as before).
        st.inflight = stashedChunks(d.schedule, d.interleave, M, S, j);
        st.memoryBytes = segmentMemoryBytes(
            ctx.dims, ctx.trained, st.blocks, b, double(st.inflight) / double(chunks), ctx.q);
        st.memoryCapacityBytes = dev.memoryBytes;
        out.memoryFits = out.memoryFits && st.memoryBytes <= st.memoryCapacityBytes;
        out.scheduleFits = out.scheduleFits && chunksFit(d.schedule, d.interleave, st.blocks);
        chain.stages[j] = {sd.device, st.tFwdS, st.tBwdS, st.tSendS, st.tSendGradS,
            ctx.trained.weightGradFraction};
        flopsDone += double(M) * b * st.blocks * (phiF + phiB);
        flopsCapacity += dev.computeFlops;
    }
    if (d.mode == ClusterDecision::Mode::EdgeTail) {
        // The edge runs blocks c…L−1, then the head; c is the one edge-tail cut the trainer and
        // the record use too (edgeTailCut(), core/types/decision.h).
        const int edgeBlocks = std::max(0, ctx.blocks - edgeTailCut(d));
        edgeFwdFlops += double(b) * edgeBlocks * phiF;
        // SFL keeps one server-side model per client (cluster): its state and one micro-batch's
        // activations (the edge runs each micro-batch's F and B back to back) live on the edge,
        // in the cluster's share of its memory.
        out.edgeMemoryBytes = edgeTailMemoryBytes(ctx.dims, ctx.trained, edgeBlocks, b, ctx.q);
        out.memoryFits = out.memoryFits && out.edgeMemoryBytes <= ctx.edgeMemoryBytes;
    }
    chain.decoderFwdS = computeTimeS(edgeFwdFlops, ctx.edgeFlops);
    // The head's backward is 2× its forward; an edge tail's blocks take φ_B each, which is less
    // than 2·φ_F when their base weights are frozen (LoRA): the difference is taken off.
    const int tailBlocks
        = d.mode == ClusterDecision::Mode::EdgeTail ? std::max(0, ctx.blocks - edgeTailCut(d)) : 0;
    chain.decoderBwdS = 2.0 * chain.decoderFwdS
        - computeTimeS(double(b) * tailBlocks * (2.0 * phiF - phiB), ctx.edgeFlops);
    chain.edgeSendGradS
        = transferTimeS(payload, ctx.d2eRate(ctx.d2eW, ctx.edgePowerW, stages[S - 1]->device));
    out.stages[S - 1].tEdgeGradS = chain.edgeSendGradS;
    // Chunked schedules' extra hops (core/MODEL.md "Schedules"). Interleaved: the last device
    // hands chunk c's output to the first device's chunk c + 1 over D2D on the last stage's share
    // (unused otherwise: its forward hop is D2E) at its power; the gradient comes back on the same
    // share at the first device's power. ZB-V: the V ends on stage 0, which sends to the edge over
    // D2E at its power; the edge's gradient comes back at the edge's power.
    chain.wrapSendS = chain.wrapGradS = 0.0;
    chain.firstStageEdgeSendS = chain.edgeFirstStageGradS = 0.0;
    if (d.schedule == ScheduleKind::Interleaved && chunks >= 2 && S >= 2) {
        const StageDecision &first = *stages[0];
        const StageDecision &last = *stages[S - 1];
        chain.wrapSendS = transferTimeS(
            payload, ctx.d2dRate(last.bandwidthShare, last.powerW, last.device, first.device));
        chain.wrapGradS = transferTimeS(
            payload, ctx.d2dRate(last.bandwidthShare, first.powerW, first.device, last.device));
    } else if (d.schedule == ScheduleKind::ZeroBubbleV) {
        const StageDecision &first = *stages[0];
        chain.firstStageEdgeSendS
            = transferTimeS(payload, ctx.d2eRate(ctx.d2eW, first.powerW, first.device));
        chain.edgeFirstStageGradS
            = transferTimeS(payload, ctx.d2eRate(ctx.d2eW, ctx.edgePowerW, first.device));
    }
    for (int j = 0; j < S; ++j) {
        finishStage(ctx, &out.stages[j], iterations, M,
            stageTxPerMicrobatchS(chain, d.schedule, chunks, j));
    }

    const PipelineRun run = runPipeline(chain, d.schedule, d.interleave, M);
    if (chainOut) {
        *chainOut = chain;
    }
    out.makespanS = run.makespanS;
    double busy = 0.0;
    for (const StageCost &st : out.stages) {
        busy += M * (st.tFwdS + st.tBwdS);
        out.energyJ += st.energyJ;
    }
    if (std::isfinite(out.makespanS) && out.makespanS > 0.0) {
        out.bubbleFraction = 1.0 - busy / (S * out.makespanS);
        out.computationEfficiency = flopsDone / (out.makespanS * flopsCapacity);
    }
    // The CU uploads the embedding and the encoder blocks the cluster trained (spec §2.2 U, t^up,
    // §10-H; in sl only the c device-side blocks: the edge keeps its part). The upload lasts
    // many coherence times, so it runs at the ergodic rate, not at this round's block draw
    // (core/MODEL.md "Long transfers").
    const double up = modelUploadBytes(ctx.trained, encoderBlocksOnDevices, ctx.q);
    out.uploadS = transferTimeS(
        up, ctx.d2eErgodicRate(ctx.d2eW, ctx.cluster.controlUnit.maxPowerW, cuNode));
    out.latencyS = out.scheduleFits ? iterations * out.makespanS + out.uploadS
                                    : std::numeric_limits<double>::infinity();
    out.controlUnitShare = d.controlUnitShare;
    out.controlUnitPowerW = ctx.cluster.controlUnit.maxPowerW;
    out.embedS = chain.embedS;
    out.controlUnitSendS = chain.controlUnitSendS;
    out.edgeFwdS = chain.decoderFwdS;
    out.edgeBwdS = chain.decoderBwdS;
    out.edgeSendGradS = chain.edgeSendGradS;
    out.wrapSendS = chain.wrapSendS;
    out.wrapGradS = chain.wrapGradS;
    out.firstStageEdgeSendS = chain.firstStageEdgeSendS;
    out.edgeFirstStageGradS = chain.edgeFirstStageGradS;
    // The CU's radio (spec §2.5, "for the CU: p^E·t^up"): every micro-batch's activation to
    // stage 0 and the upload, at its one power.
    out.controlUnitTxS = double(iterations) * M * chain.controlUnitSendS + out.uploadS;
    out.controlUnitEnergyJ = out.controlUnitPowerW * out.controlUnitTxS;
    out.energyJ += out.controlUnitEnergyJ;
    out.split.computeS = iterations * run.split.computeS;
    out.split.bubbleS = iterations * run.split.bubbleS;
    out.split.d2dS = iterations * run.split.d2dS;
    out.split.d2eS = iterations * run.split.d2eS;
    out.split.decoderS = iterations * run.split.decoderS;
    out.split.uploadS = out.uploadS;
    return out;
}

} // namespace

double d2eShareOfCluster(const Scenario &scenario, int cluster)
{
    const Cluster &cl = scenario.topology.clusters[cluster];
    return 1.0 / clustersServedBy(scenario, cl.edgeServerId);
}

ClusterCost evaluateCluster(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterDecision &decision)
{
    return evaluateClusterChains(scenario, cluster, channel, decision, nullptr);
}

ClusterCost idleClusterCost(int cluster, const ClusterDecision &decision)
{
    ClusterCost idle;
    idle.cluster = cluster;
    idle.mode = decision.mode;
    idle.schedule = decision.schedule;
    idle.interleave
        = decision.schedule == ScheduleKind::Interleaved ? std::max(1, decision.interleave) : 1;
    return idle;
}

ClusterCost evaluateClusterChains(const Scenario &scenario, int cluster,
    const ClusterChannel &channel, const ClusterDecision &decision, std::vector<ChainTimes> *chains)
{
    const Context ctx(scenario, cluster, channel);
    if (decision.mode == ClusterDecision::Mode::FederatedFull) {
        return evaluateFederatedFull(ctx, cluster, decision, chains);
    }
    if (!chains) {
        return evaluateChain(ctx, cluster, decision, nullptr);
    }
    chains->assign(1, ChainTimes{});
    return evaluateChain(ctx, cluster, decision, &chains->front());
}

int deviceHeldBlocks(const Scenario &scenario, const ClusterDecision *decision)
{
    const int L = scenario.model.encoderBlocks;
    if (!decision || decision->mode != ClusterDecision::Mode::EdgeTail) {
        return L;
    }
    return std::clamp(edgeTailCut(*decision), 0, L);
}

double broadcastTimeS(
    const Scenario &scenario, int cluster, const ClusterChannel &channel, int deviceBlocks)
{
    const EdgeServer *es = serverOf(scenario, scenario.topology.clusters[cluster]);
    if (!es) {
        return 0.0;
    }
    // Broadcast of the new embedding + encoder over the full D2E band at the server's power
    // (spec §2.3 t^bcast). Long transfer: ergodic rate at the CU's path-loss gain (core/MODEL.md
    // "Long transfers").
    const double bytes = modelUploadBytes(trainedParts(scenario.model.profiled, scenario.training),
        deviceBlocks, scenario.model.bytesPerElement);
    const double rate = ergodicRateBps(scenario.topology.d2e.fading,
        scenario.topology.d2e.bandwidthHz, es->txPowerW,
        channel.meanD2eGain(channel.controlUnitNode()), scenario.topology.d2e.noisePsdDbmPerHz);
    return transferTimeS(bytes, rate);
}

std::vector<double> broadcastTimesS(
    const Scenario &scenario, int cluster, const ClusterChannel &channel)
{
    const int L = scenario.model.encoderBlocks;
    const EdgeServer *es = serverOf(scenario, scenario.topology.clusters[cluster]);
    if (!es) {
        return std::vector<double>(std::size_t(std::max(0, L) + 1), 0.0);
    }
    // broadcastTimeS()' expressions, with what does not depend on the blocks taken out.
    const TrainedParts trained = trainedParts(scenario.model.profiled, scenario.training);
    const double rate = ergodicRateBps(scenario.topology.d2e.fading,
        scenario.topology.d2e.bandwidthHz, es->txPowerW,
        channel.meanD2eGain(channel.controlUnitNode()), scenario.topology.d2e.noisePsdDbmPerHz);
    std::vector<double> times;
    times.reserve(std::size_t(std::max(0, L) + 1));
    for (int blocks = 0; blocks <= L; ++blocks) {
        times.push_back(
            transferTimeS(modelUploadBytes(trained, blocks, scenario.model.bytesPerElement), rate));
    }
    return times;
}

double clusterAggregationTimeS(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterDecision *decision)
{
    const auto &clusters = scenario.topology.clusters;
    const EdgeServer *es = serverOf(scenario, clusters[cluster]);
    if (!es) {
        return 0.0;
    }
    double slowestFlops = es->computeFlops;
    for (const Cluster &c : clusters) {
        if (const EdgeServer *other = serverOf(scenario, c)) {
            slowestFlops = std::min(slowestFlops, other->computeFlops);
        }
    }
    // FedAvg: one multiply-add per trained parameter and cluster (spec §1.3 step 9) at the
    // slowest server; frozen tensors are the same everywhere and are not averaged.
    const double encoderParams = scenario.model.encoderBlocks
        * trainedParts(scenario.model.profiled, scenario.training).blockTrainableParams;
    const double flops = 2.0 * double(clusters.size()) * encoderParams;
    return computeTimeS(flops, slowestFlops)
        + broadcastTimeS(scenario, cluster, channel, deviceHeldBlocks(scenario, decision));
}

double aggregationTimeS(
    const Scenario &scenario, const ChannelState &channel, const Decision *decision)
{
    double t = 0.0;
    const std::size_t n = std::min(scenario.topology.clusters.size(), channel.clusters.size());
    for (std::size_t c = 0; c < n; ++c) {
        const ClusterDecision *d
            = decision && c < decision->clusters.size() ? &decision->clusters[c] : nullptr;
        t = std::max(t, clusterAggregationTimeS(scenario, int(c), channel.clusters[c], d));
    }
    return t;
}

RoundCost combineClusters(const Scenario &scenario, const ChannelState &channel,
    const Decision &decision, std::vector<ClusterCost> clusters)
{
    RoundCost out;
    out.clusters = std::move(clusters);
    double slowest = -1.0;
    for (std::size_t c = 0; c < out.clusters.size(); ++c) {
        out.energyJ += out.clusters[c].energyJ;
        if (out.clusters[c].latencyS > slowest) {
            slowest = out.clusters[c].latencyS;
            out.slowestCluster = int(c);
        }
    }
    out.aggregationS = aggregationTimeS(scenario, channel, &decision);
    out.systemLatencyS = std::max(0.0, slowest) + out.aggregationS;
    if (!out.clusters.empty()) {
        out.split = out.clusters[out.slowestCluster].split;
    }
    out.split.aggregationS = out.aggregationS;
    return out;
}

RoundCost evaluateRound(
    const Scenario &scenario, const ChannelState &channel, const Decision &decision)
{
    const int n = static_cast<int>(std::min(
        {scenario.topology.clusters.size(), channel.clusters.size(), decision.clusters.size()}));
    std::vector<ClusterCost> clusters;
    clusters.reserve(std::size_t(n));
    for (int c = 0; c < n; ++c) {
        clusters.push_back(evaluateCluster(scenario, c, channel.clusters[c], decision.clusters[c]));
    }
    return combineClusters(scenario, channel, decision, std::move(clusters));
}

} // namespace collapipe
