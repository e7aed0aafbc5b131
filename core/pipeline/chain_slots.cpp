// SPDX-License-Identifier: MIT
#include "core/pipeline/chain_slots.h"

namespace collapipe::chain {

namespace {

constexpr int kCu = -1;   // a hop end that is the control unit
constexpr int kEdge = -2; // a hop end that is the edge server

// The index of the link direction between two chain ends (device stages ≥ 0, kCu, kEdge), in
// closed form: the chain only hops between neighbouring stages, the last and the first (the
// interleaved wrap), the CU and stage 0, the edge and the last or the first stage (ZB-V). Equal
// ends give equal indices, so ops on one physical link direction share its resource.
int linkIndex(int S, int from, int to)
{
    if (from >= 0 && to >= 0) {
        if (to == from + 1) {
            return 2 * from;
        }
        if (to == from - 1) {
            return 2 * to + 1;
        }
        return from > to ? 2 * (S - 1) : 2 * (S - 1) + 1; // the wrap, S − 1 → 0 or back
    }
    if (from == kCu) {
        return 2 * S;
    }
    if (to == kCu) {
        return 2 * S + 1;
    }
    if (to == kEdge) {
        return 2 * S + 2 + (from == S - 1 ? 0 : 1);
    }
    return 2 * S + 4 + (to == S - 1 ? 0 : 1);
}

int linkCount(int S)
{
    return 2 * S + 6;
}

// Duration of the activation hop from virtual stage k to k + 1 (both on devices).
double activationHopS(const ChainTimes &chain, const Layout &l, int from, int to)
{
    if (l.kind == ScheduleKind::Interleaved && from == l.S - 1 && to == 0) {
        return chain.wrapSendS;
    }
    return to == from + 1 ? chain.stages[from].sendS : chain.stages[from].gradS;
}

// Duration of the gradient hop from virtual stage k to k − 1 (both on devices).
double gradientHopS(const ChainTimes &chain, const Layout &l, int from, int to)
{
    if (l.kind == ScheduleKind::Interleaved && from == 0 && to == l.S - 1) {
        return chain.wrapGradS;
    }
    return to == from - 1 ? chain.stages[from].gradS : chain.stages[from].sendS;
}

// A hop between two chain ends (stages, kCu, kEdge; nodes name them in events): a link op, or
// nothing when both ends are the same device stage.
void setHop(
    const Layout &l, Slot &slot, int fromStage, int toStage, int fromNode, int toNode, double dur)
{
    if (fromStage == toStage) {
        slot.dur = 0.0;
        slot.link = -1;
        slot.local = true;
        slot.resource = {ResourceKind::Device, fromNode, 0};
        return;
    }
    slot.dur = dur;
    slot.link = linkIndex(l.S, fromStage, toStage);
    slot.resource = {ResourceKind::Link, fromNode, toNode};
}

} // namespace

void buildSlots(ChainSlots &w, const ChainTimes &chain, const Layout &l)
{
    const int V = l.V();
    const int P = l.P();
    const bool vShape = l.kind == ScheduleKind::ZeroBubbleV;
    const double chunkShare = l.v > 1 ? 1.0 / l.v : 1.0;
    w.linkCount = linkCount(l.S);
    w.slots.assign(P, Slot{});
    for (int pos = 0; pos < P; ++pos) {
        w.slots[pos].pred = pos - 1;
    }
    Slot &embed = w.slots[0];
    embed.dur = chain.embedS;
    embed.klass = OpClass::Embed;
    embed.pred = -1;
    embed.perMicrobatch = true;
    embed.resource = {ResourceKind::ControlUnit, kControlUnitNode, 0};
    const int firstStage = l.deviceOf(0);
    Slot &first = w.slots[1];
    first.klass = OpClass::D2d;
    first.perMicrobatch = true;
    first.event = EventKind::SendActivation;
    first.stage = firstStage;
    setHop(l, first, kCu, firstStage, kControlUnitNode, chain.stages[firstStage].device,
        chain.controlUnitSendS);
    for (int k = 0; k < V; ++k) {
        const int j = l.deviceOf(k);
        const int chunk = l.chunkOf(k);
        const StageTimes &st = chain.stages[j];
        Slot &f = w.slots[l.fwdPos(k)];
        f.dur = l.v > 1 ? st.fwdS * chunkShare : st.fwdS;
        f.klass = OpClass::Forward;
        f.stage = j;
        f.chunk = chunk;
        f.event = EventKind::Forward;
        f.resource = {ResourceKind::Device, st.device, 0};
        Slot &send = w.slots[l.fwdPos(k) + 1];
        send.event = EventKind::SendActivation;
        if (k + 1 < V) {
            const int next = l.deviceOf(k + 1);
            send.klass = OpClass::D2d;
            send.stage = next;
            send.chunk = l.chunkOf(k + 1);
            setHop(l, send, j, next, st.device, chain.stages[next].device,
                activationHopS(chain, l, j, next));
        } else {
            send.klass = OpClass::D2e;
            send.stage = j;
            send.chunk = chunk;
            setHop(l, send, j, kEdge, st.device, kEdgeServerNode,
                vShape ? chain.firstStageEdgeSendS : st.sendS);
        }
        const double bwd = l.v > 1 ? st.bwdS * chunkShare : st.bwdS;
        const double weight = bwd * st.weightGradFraction;
        Slot &b = w.slots[l.bwdPos(k)];
        b.dur = l.split ? bwd - weight : bwd;
        b.klass = OpClass::Backward;
        b.stage = j;
        b.chunk = chunk;
        b.op = l.split ? OpKind::BackwardInput : OpKind::Backward;
        b.event = EventKind::Backward;
        b.resource = f.resource;
        Slot &grad = w.slots[l.bwdPos(k) + 1];
        grad.event = EventKind::SendGradient;
        grad.stage = j;
        grad.chunk = chunk;
        grad.klass = OpClass::D2d;
        if (k > 0) {
            const int prev = l.deviceOf(k - 1);
            setHop(l, grad, j, prev, st.device, chain.stages[prev].device,
                gradientHopS(chain, l, j, prev));
        } else {
            setHop(l, grad, j, kCu, st.device, kControlUnitNode, st.gradS);
        }
        if (l.split) {
            b.wSucc = l.wPos(k);
            Slot &wt = w.slots[l.wPos(k)];
            wt = b;
            wt.dur = weight;
            wt.pred = l.bwdPos(k);
            wt.wSucc = -1;
            wt.op = OpKind::BackwardWeight;
        }
    }
    Slot &dec = w.slots[2 * V + 2];
    dec.dur = chain.decoderFwdS + chain.decoderBwdS;
    dec.klass = OpClass::Decoder;
    dec.perMicrobatch = true;
    dec.event = EventKind::DecoderBackward;
    dec.resource = {ResourceKind::EdgeServer, kEdgeServerNode, 0};
    const int lastStage = l.deviceOf(V - 1);
    Slot &back = w.slots[2 * V + 3];
    back.klass = OpClass::D2e;
    back.perMicrobatch = true;
    back.stage = lastStage;
    back.chunk = l.chunkOf(V - 1);
    back.event = EventKind::SendGradient;
    setHop(l, back, kEdge, lastStage, kEdgeServerNode, chain.stages[lastStage].device,
        vShape ? chain.edgeFirstStageGradS : chain.edgeSendGradS);
}

void fillDurations(double *dur, const ChainTimes &chain, const Layout &l)
{
    // buildSlots()' durations, position by position (setHop(): a hop between two chunks on one
    // device is free; a hop to or from the CU or the edge never is).
    const int V = l.V();
    const bool vShape = l.kind == ScheduleKind::ZeroBubbleV;
    const double chunkShare = l.v > 1 ? 1.0 / l.v : 1.0;
    dur[0] = chain.embedS;
    dur[1] = chain.controlUnitSendS;
    for (int k = 0; k < V; ++k) {
        const int j = l.deviceOf(k);
        const StageTimes &st = chain.stages[j];
        dur[l.fwdPos(k)] = l.v > 1 ? st.fwdS * chunkShare : st.fwdS;
        if (k + 1 < V) {
            const int next = l.deviceOf(k + 1);
            dur[l.fwdPos(k) + 1] = j == next ? 0.0 : activationHopS(chain, l, j, next);
        } else {
            dur[l.fwdPos(k) + 1] = vShape ? chain.firstStageEdgeSendS : st.sendS;
        }
        const double bwd = l.v > 1 ? st.bwdS * chunkShare : st.bwdS;
        const double weight = bwd * st.weightGradFraction;
        dur[l.bwdPos(k)] = l.split ? bwd - weight : bwd;
        if (k > 0) {
            const int prev = l.deviceOf(k - 1);
            dur[l.bwdPos(k) + 1] = j == prev ? 0.0 : gradientHopS(chain, l, j, prev);
        } else {
            dur[l.bwdPos(k) + 1] = st.gradS;
        }
        if (l.split) {
            dur[l.wPos(k)] = weight;
        }
    }
    dur[2 * V + 2] = chain.decoderFwdS + chain.decoderBwdS;
    dur[2 * V + 3] = vShape ? chain.edgeFirstStageGradS : chain.edgeSendGradS;
}

} // namespace collapipe::chain
