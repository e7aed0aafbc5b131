// SPDX-License-Identifier: MIT
#include "core/pipeline/pipeline_recursion.h"

#include "core/pipeline/schedule_memory.h"

#include <algorithm>
#include <limits>

namespace collapipe {

namespace {

enum class OpClass {
    Embed,
    D2d,
    D2e,
    Forward,
    Backward,
    Decoder
};

/// What sits at one position of a micro-batch's chain (header: the chain), computed once per
/// call from the chain times and the schedule's layout.
struct Slot
{
    double dur = 0.0;
    OpClass klass = OpClass::Embed;
    int pred = -1;              ///< chain predecessor position (−1: none)
    int wSucc = -1;             ///< position of the W that follows this B (split backward only)
    int link = -1;              ///< index into Scratch::links for a link op; −1 otherwise
    bool perMicrobatch = false; ///< CU / edge op: the resource serves micro-batches in order
    bool local = false; ///< a hop between two chunks on one device: free, no resource, no event
    int vs = 0;         ///< virtual stage of the event (header: which stage a send names)
    OpKind op = OpKind::Forward;
    EventKind event = EventKind::Embed;
    ResourceId resource;
};

struct Scratch
{
    std::vector<double> end;
    std::vector<int> resPred;
    std::vector<int> resSucc;
    std::vector<int> indeg;
    std::vector<int> queue;
    std::vector<char> critChain;
    std::vector<int> pos; ///< chain position of an op id (avoids a division per op)
    std::vector<Slot> slots;
    std::vector<ResourceId> links;
    std::vector<int> lastOnLink;
    std::vector<ScheduleOp> order;
};

/// The schedule's shape as the recursion needs it.
struct Layout
{
    ScheduleKind kind = ScheduleKind::OneFOneB;
    int S = 0;
    int M = 0;
    int v = 1;
    bool split = false;
    int V() const { return v * S; }
    int P() const { return 4 * V() + 4 + (split ? V() : 0); }
    int fwdPos(int k) const { return 2 + 2 * k; }
    int bwdPos(int k) const { return 2 * V() + 4 + 2 * (V() - 1 - k); }
    int wPos(int k) const { return 4 * V() + 4 + k; }
    int deviceOf(int k) const
    {
        int stage = 0;
        int chunk = 0;
        stageOfVirtual(kind, S, k, &stage, &chunk);
        return stage;
    }
    int chunkOf(int k) const
    {
        int stage = 0;
        int chunk = 0;
        stageOfVirtual(kind, S, k, &stage, &chunk);
        return chunk;
    }
};

int linkIndex(std::vector<ResourceId> *links, int from, int to)
{
    const ResourceId r{ResourceKind::Link, from, to};
    for (size_t i = 0; i < links->size(); ++i) {
        if ((*links)[i] == r) {
            return int(i);
        }
    }
    links->push_back(r);
    return int(links->size()) - 1;
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

// A hop between two nodes: a link op, or nothing when both ends are the same device stage.
void setHop(Scratch &w, Slot &slot, int from, int to, bool sameStage, double dur)
{
    if (sameStage) {
        slot.dur = 0.0;
        slot.link = -1;
        slot.local = true;
        slot.resource = {ResourceKind::Device, from, 0};
        return;
    }
    slot.dur = dur;
    slot.link = linkIndex(&w.links, from, to);
    slot.resource = {ResourceKind::Link, from, to};
}

void buildSlots(Scratch &w, const ChainTimes &chain, const Layout &l)
{
    const int V = l.V();
    const int P = l.P();
    const bool vShape = l.kind == ScheduleKind::ZeroBubbleV;
    const double chunkShare = l.v > 1 ? 1.0 / l.v : 1.0;
    const auto node = [&](int k) { return chain.stages[l.deviceOf(k)].device; };
    w.links.clear();
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
    Slot &first = w.slots[1];
    first.klass = OpClass::D2d;
    first.perMicrobatch = true;
    first.event = EventKind::SendActivation;
    setHop(w, first, kControlUnitNode, node(0), false, chain.controlUnitSendS);
    for (int k = 0; k < V; ++k) {
        const StageTimes &st = chain.stages[l.deviceOf(k)];
        Slot &f = w.slots[l.fwdPos(k)];
        f.dur = l.v > 1 ? st.fwdS * chunkShare : st.fwdS;
        f.klass = OpClass::Forward;
        f.vs = k;
        f.event = EventKind::Forward;
        f.resource = {ResourceKind::Device, node(k), 0};
        Slot &send = w.slots[l.fwdPos(k) + 1];
        send.event = EventKind::SendActivation;
        if (k + 1 < V) {
            send.klass = OpClass::D2d;
            send.vs = k + 1;
            setHop(w, send, node(k), node(k + 1), l.deviceOf(k) == l.deviceOf(k + 1),
                activationHopS(chain, l, l.deviceOf(k), l.deviceOf(k + 1)));
        } else {
            send.klass = OpClass::D2e;
            send.vs = k;
            setHop(w, send, node(k), kEdgeServerNode, false,
                vShape ? chain.firstStageEdgeSendS : chain.stages[l.deviceOf(k)].sendS);
        }
        const double bwd = l.v > 1 ? st.bwdS * chunkShare : st.bwdS;
        const double weight = bwd * st.weightGradFraction;
        Slot &b = w.slots[l.bwdPos(k)];
        b.dur = l.split ? bwd - weight : bwd;
        b.klass = OpClass::Backward;
        b.vs = k;
        b.op = l.split ? OpKind::BackwardInput : OpKind::Backward;
        b.event = EventKind::Backward;
        b.resource = f.resource;
        Slot &grad = w.slots[l.bwdPos(k) + 1];
        grad.event = EventKind::SendGradient;
        grad.vs = k;
        grad.klass = OpClass::D2d;
        if (k > 0) {
            setHop(w, grad, node(k), node(k - 1), l.deviceOf(k) == l.deviceOf(k - 1),
                gradientHopS(chain, l, l.deviceOf(k), l.deviceOf(k - 1)));
        } else {
            setHop(w, grad, node(0), kControlUnitNode, false, chain.stages[l.deviceOf(0)].gradS);
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
    Slot &back = w.slots[2 * V + 3];
    back.klass = OpClass::D2e;
    back.perMicrobatch = true;
    back.vs = V - 1;
    back.event = EventKind::SendGradient;
    setHop(w, back, kEdgeServerNode, node(V - 1), false,
        vShape ? chain.edgeFirstStageGradS : chain.edgeSendGradS);
}

// Appends op `id` after the last op of its resource chain `last` (−1: first).
void chainAfter(Scratch &w, int *last, int id)
{
    w.resPred[id] = *last;
    if (*last >= 0) {
        w.resSucc[*last] = id;
    }
    *last = id;
}

/// The recursion proper. `orderOf(j)` gives device stage j's op order. Returns the number of ops
/// settled (n when the orders are consistent; fewer on a deadlock).
template <typename OrderOf>
int settle(Scratch &w, const ChainTimes &chain, const Layout &l, OrderOf &&orderOf,
    PipelineRun *run, int *lastOut)
{
    const int P = l.P();
    const int M = l.M;
    const int n = P * M;
    w.end.assign(n, 0.0);
    w.resPred.assign(n, -1);
    w.resSucc.assign(n, -1);
    w.indeg.assign(n, 0);
    w.critChain.assign(n, 0);
    w.queue.resize(n);
    buildSlots(w, chain, l);

    // CU and edge resources serve micro-batches in order.
    for (int m = 1; m < M; ++m) {
        for (int pos = 0; pos < P; ++pos) {
            if (w.slots[pos].perMicrobatch) {
                w.resPred[m * P + pos] = (m - 1) * P + pos;
                w.resSucc[(m - 1) * P + pos] = m * P + pos;
            }
        }
    }
    // Devices in the schedule's order; the links a device feeds in the order it fed them.
    w.lastOnLink.assign(w.links.size(), -1);
    for (int j = 0; j < l.S; ++j) {
        int prev = -1;
        for (const ScheduleOp &op : orderOf(j)) {
            const int k = virtualStage(l.kind, l.S, j, op.chunk);
            const int pos = op.kind == OpKind::Forward ? l.fwdPos(k)
                : op.kind == OpKind::BackwardWeight    ? l.wPos(k)
                                                       : l.bwdPos(k);
            const int id = op.microbatch * P + pos;
            chainAfter(w, &prev, id);
            if (op.kind == OpKind::BackwardWeight) {
                continue;
            }
            const Slot &hop = w.slots[pos + 1];
            if (hop.link >= 0 && !hop.perMicrobatch) {
                chainAfter(w, &w.lastOnLink[hop.link], id + 1);
            }
        }
    }
    int head = 0;
    int tail = 0;
    w.pos.resize(n);
    for (int m = 0, id = 0; m < M; ++m) {
        for (int pos = 0; pos < P; ++pos, ++id) {
            w.pos[id] = pos;
            w.indeg[id] = (w.slots[pos].pred >= 0 ? 1 : 0) + (w.resPred[id] >= 0 ? 1 : 0);
            if (w.indeg[id] == 0) {
                w.queue[tail++] = id;
            }
        }
    }
    // Kahn's algorithm: settle an op once both predecessors ended; start = the later of the two.
    const int chainEnd = 4 * l.V() + 3; // the last position with a chain successor is before it
    double makespan = 0.0;
    int last = -1;
    while (head < tail) {
        const int id = w.queue[head++];
        const int pos = w.pos[id];
        const Slot &slot = w.slots[pos];
        double start = 0.0;
        bool chainCritical = false;
        if (slot.pred >= 0) {
            start = w.end[id - pos + slot.pred];
            chainCritical = true;
        }
        if (w.resPred[id] >= 0 && w.end[w.resPred[id]] > start) {
            start = w.end[w.resPred[id]];
            chainCritical = false;
        }
        w.critChain[id] = chainCritical ? 1 : 0;
        w.end[id] = start + slot.dur;
        if (w.end[id] >= makespan) {
            makespan = w.end[id];
            last = id;
        }
        if (pos < chainEnd && --w.indeg[id + 1] == 0) {
            w.queue[tail++] = id + 1;
        }
        if (slot.wSucc >= 0) {
            const int wid = id - pos + slot.wSucc;
            if (--w.indeg[wid] == 0) {
                w.queue[tail++] = wid;
            }
        }
        if (w.resSucc[id] >= 0 && --w.indeg[w.resSucc[id]] == 0) {
            w.queue[tail++] = w.resSucc[id];
        }
    }
    run->makespanS = makespan;

    // Critical path back from the last op, split by cause (header: PipelineRun::split).
    double stageCompute = 0.0;
    for (int id = last; id >= 0;) {
        const int pos = w.pos[id];
        const Slot &slot = w.slots[pos];
        const double d = slot.dur;
        switch (slot.klass) {
        case OpClass::Embed:
            run->split.computeS += d;
            break;
        case OpClass::D2d:
            run->split.d2dS += d;
            break;
        case OpClass::D2e:
            run->split.d2eS += d;
            break;
        case OpClass::Decoder:
            run->split.decoderS += d;
            break;
        case OpClass::Forward:
        case OpClass::Backward:
            stageCompute += d;
            break;
        }
        if (w.critChain[id]) {
            id = id - pos + slot.pred;
        } else {
            id = w.resPred[id];
        }
    }
    double bottleneck = 0.0;
    for (const StageTimes &st : chain.stages) {
        bottleneck = std::max(bottleneck, M * (st.fwdS + st.bwdS));
    }
    run->split.computeS += std::min(stageCompute, bottleneck);
    run->split.bubbleS = stageCompute - std::min(stageCompute, bottleneck);
    *lastOut = last;
    return tail;
}

// Calls emit(event, op, chunk) for every settled op in settling order; the decoder op becomes
// two events, DecoderForward then DecoderBackward.
template <typename Emit>
void forEachEvent(const Scratch &w, const Layout &l, int settled, double decoderFwdS, int cluster,
    double offsetS, int microbatchOffset, Emit &&emit)
{
    const int P = l.P();
    for (int k = 0; k < settled; ++k) {
        const int id = w.queue[k];
        const int pos = id % P;
        const Slot &slot = w.slots[pos];
        if (slot.local) {
            continue;
        }
        TimelineEvent e;
        e.cluster = cluster;
        e.microbatch = id / P + microbatchOffset;
        e.endS = w.end[id] + offsetS;
        e.startS = e.endS - slot.dur;
        e.resource = slot.resource;
        e.kind = slot.event;
        if (slot.klass != OpClass::Embed && slot.klass != OpClass::Decoder) {
            e.stage = l.deviceOf(slot.vs);
        }
        const int chunk = l.chunkOf(slot.vs);
        if (slot.klass == OpClass::Decoder) {
            TimelineEvent f = e;
            f.kind = EventKind::DecoderForward;
            f.endS = f.startS + decoderFwdS;
            emit(f, slot.op, chunk);
            e.startS = f.endS;
        }
        emit(e, slot.op, chunk);
    }
}

Layout layoutOf(ScheduleKind kind, int S, int M, int v)
{
    Layout l;
    l.kind = kind;
    l.S = S;
    l.M = M;
    l.v = v;
    l.split = splitsBackward(kind);
    return l;
}

} // namespace

PipelineRun runPipeline(const ChainTimes &chain, PipelineSchedule schedule, int microbatches,
    std::vector<TimelineEvent> *events, int cluster, double offsetS, int microbatchOffset)
{
    PipelineRun run;
    const int S = static_cast<int>(chain.stages.size());
    const int M = microbatches;
    if (S <= 0 || M <= 0) {
        return run;
    }
    thread_local Scratch w;
    const Layout l = layoutOf(scheduleKind(schedule), S, M, 1);
    int last = -1;
    const int settled = settle(
        w, chain, l,
        [&](int j) -> const std::vector<ScheduleOp> & {
            fillStageOrder(l.kind, S, M, 1, j, &w.order);
            return w.order;
        },
        &run, &last);
    if (events) {
        forEachEvent(w, l, settled, chain.decoderFwdS, cluster, offsetS, microbatchOffset,
            [&](const TimelineEvent &e, OpKind, int) { events->push_back(e); });
    }
    return run;
}

ScheduleTiming timeSchedule(const ChainTimes &chain, const Schedule &schedule)
{
    ScheduleTiming t;
    const int S = static_cast<int>(chain.stages.size());
    if (S <= 0 || schedule.stages != S || schedule.microbatches <= 0
        || int(schedule.perStage.size()) != S) {
        return t;
    }
    Scratch w;
    const Layout l = layoutOf(schedule.kind, S, schedule.microbatches, schedule.chunks);
    int last = -1;
    const int settled = settle(
        w, chain, l,
        [&](int j) -> const std::vector<ScheduleOp> & { return schedule.perStage[size_t(j)]; },
        &t.run, &last);
    t.ok = settled == l.P() * l.M;
    if (!t.ok) {
        t.run.makespanS = std::numeric_limits<double>::infinity();
    }
    t.events.reserve(size_t(settled) + size_t(l.M));
    forEachEvent(w, l, settled, chain.decoderFwdS, 0, 0.0, 0,
        [&](const TimelineEvent &e, OpKind op, int chunk) {
            t.events.push_back({e, op, chunk});
        });
    t.memory = stashCurves(t.events, S);
    t.peakStashed = peakOfCurves(t.memory);
    return t;
}

} // namespace collapipe
