// SPDX-License-Identifier: MIT
// The `fl` baseline's cost (spec §8 item 1): every participating device trains the whole encoder
// on its share of the cluster's samples, exchanging only encoder outputs/gradients with the edge
// head over D2E; no D2D. See core/MODEL.md "Baselines".
#include "core/cost/cost_context.h"
#include "core/cost/cost_terms.h"

#include <cmath>

namespace collapipe {

ClusterCost evaluateFederatedFull(
    const Context &ctx, int cluster, const ClusterDecision &d, std::vector<ChainTimes> *chains)
{
    ClusterCost out;
    out.cluster = cluster;
    out.mode = d.mode;
    out.schedule = d.schedule;
    const int K = ctx.ch.deviceCount;
    std::vector<StageDecision> devices;
    for (const StageDecision &sd : d.stages) {
        if (sd.device >= 0 && sd.device < K) {
            devices.push_back(sd);
        }
    }
    if (devices.empty()) {
        for (int k = 0; k < K; ++k) {
            devices.push_back({k, 0, ctx.blocks - 1, 0.0, ctx.cluster.devices[k].maxPowerW});
        }
    }
    const int D = static_cast<int>(devices.size());
    const int M = std::max(1, d.microbatches);
    const int b = std::max(1, d.microbatchSize);
    const int iterations = std::max(1, ctx.s.training.localIterations);
    const int samples = ctx.s.optimizer.microbatchMode == MicrobatchMode::Split
        ? ctx.s.training.batchSize
        : M * b;
    const int n = std::max(1, (samples + D - 1) / D); // samples per device
    out.microbatches = 1;
    out.microbatchSize = n;
    out.samples = samples;
    const int L = ctx.blocks;
    const double payload = boundaryPayloadBytes(ctx.dims, n, ctx.q);
    // Every device holds (and uploads) the embedding and the whole encoder (spec §8 item 1).
    const double upBytes = modelUploadBytes(ctx.trained, L, ctx.q);
    // D devices use the cluster's D2E share and the edge's compute concurrently, equal parts.
    const double bw = ctx.d2eW / D;
    const double decF = computeTimeS(n * decoderForwardFlops(ctx.s.model), ctx.edgeFlops / D);
    if (chains) {
        chains->clear();
    }
    double busy = 0.0;
    double flopsDone = 0.0;
    double capacity = 0.0;
    int slowest = 0;
    for (int i = 0; i < D; ++i) {
        const StageDecision &sd = devices[i];
        const Device &dev = ctx.cluster.devices[sd.device];
        StageCost st;
        st.stage = i;
        st.device = sd.device;
        st.firstBlock = 0;
        st.lastBlock = L - 1;
        st.blocks = L;
        st.bandwidthShare = sd.bandwidthShare;
        st.powerW = sd.powerW;
        const double fwdFlops
            = double(n) * (L * ctx.trained.forwardFlops + embeddingFlops(ctx.dims));
        const double bwdFlops = double(n) * L * ctx.trained.backwardFlops;
        st.tFwdS = computeTimeS(fwdFlops, dev.computeFlops);
        st.tBwdS = computeTimeS(bwdFlops, dev.computeFlops);
        st.rateBps = ctx.d2eRate(bw, sd.powerW, sd.device);
        st.snrDb = ctx.d2eSnr(bw, sd.powerW, sd.device);
        st.distanceM = ctx.ch.d2eDistanceM[sd.device];
        st.gradRateBps = ctx.d2eRate(bw, ctx.edgePowerW, sd.device);
        st.tSendS = transferTimeS(payload, st.rateBps);
        st.tSendGradS = 0.0; // the gradient is sent by the edge, not by the device
        st.inflight = 1;
        // The device trains (and uploads) the embedding too: its state counts (spec §10-H).
        st.memoryBytes = federatedDeviceMemoryBytes(ctx.dims, ctx.trained, L, n, ctx.q);
        finishStage(ctx, &st, iterations, 1);
        // The upload spans many coherence times: ergodic rate (core/MODEL.md "Long transfers").
        const double upload = transferTimeS(upBytes, ctx.d2eErgodicRate(bw, sd.powerW, sd.device));
        st.txS += upload;
        st.energyJ += sd.powerW * upload;
        const double tGrad = transferTimeS(payload, st.gradRateBps);
        st.tEdgeGradS = tGrad;
        const double t = st.tFwdS + st.tSendS + 3.0 * decF + tGrad + st.tBwdS;
        if (chains) {
            ChainTimes ch;
            ch.stages.push_back({sd.device, st.tFwdS, st.tBwdS, st.tSendS, 0.0});
            ch.decoderFwdS = decF;
            ch.decoderBwdS = 2.0 * decF;
            ch.edgeSendGradS = tGrad;
            chains->push_back(ch);
        }
        if (t > out.makespanS) {
            out.makespanS = t;
            slowest = i;
        }
        out.uploadS = std::max(out.uploadS, upload);
        busy += st.tFwdS + st.tBwdS;
        flopsDone += fwdFlops + bwdFlops;
        capacity += dev.computeFlops;
        out.memoryFits = out.memoryFits && st.memoryBytes <= st.memoryCapacityBytes;
        out.energyJ += st.energyJ;
        out.stages.push_back(st);
    }
    if (std::isfinite(out.makespanS) && out.makespanS > 0.0) {
        out.bubbleFraction = 1.0 - busy / (D * out.makespanS);
        out.computationEfficiency = flopsDone / (out.makespanS * capacity);
    }
    // Uploads start together once every device has finished (synchronous round).
    out.latencyS = iterations * out.makespanS + out.uploadS;
    const StageCost &s = out.stages[slowest];
    // The CU only hands out token ids (not charged): no CU radio, no CU op on the chains.
    out.controlUnitPowerW = ctx.cluster.controlUnit.maxPowerW;
    out.edgeFwdS = decF;
    out.edgeBwdS = 2.0 * decF;
    out.edgeSendGradS = s.tEdgeGradS;
    out.split.computeS = iterations * (s.tFwdS + s.tBwdS);
    out.split.decoderS = iterations * 3.0 * decF;
    out.split.d2eS = iterations * out.makespanS - out.split.computeS - out.split.decoderS;
    out.split.uploadS = out.uploadS;
    return out;
}

} // namespace collapipe
