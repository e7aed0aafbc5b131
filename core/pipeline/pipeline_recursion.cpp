// SPDX-License-Identifier: MIT
#include "core/pipeline/pipeline_recursion.h"

#include "core/pipeline/chain_slots.h"
#include "core/pipeline/pipeline_split.h"
#include "core/pipeline/schedule_memory.h"

#include <algorithm>
#include <limits>

namespace collapipe {

namespace {

using chain::ChainSlots;
using chain::Layout;
using chain::OpClass;
using chain::Slot;

struct Scratch
{
    std::vector<double> end;
    std::vector<int> resPred;
    std::vector<int> resSucc;
    std::vector<int> indeg;
    std::vector<int> queue;
    std::vector<int> pos; ///< chain position of an op id (avoids a division per op)
    ChainSlots chain;     ///< the chain's positions (chain_slots.h)
    // Per chain position, the fields the settling loop reads (packed: the loop runs per op).
    std::vector<double> dur;
    std::vector<int> pred;
    std::vector<int> wSucc;
    std::vector<OpClass> klass; ///< per chain position (finishSettle() reads it)
    std::vector<int> feedsLink; ///< link index of the hop after a device op, −1: none
    std::vector<int> lastOnLink;
    std::vector<ScheduleOp> order;
    /// What finishSettle() and forEachEvent() read after a settle: this scratch's resPred, pos
    /// and queue, or a known shape's own (Topology), which a repeat no longer copies per call.
    const int *resPredOf = nullptr;
    const int *posOf = nullptr;
    const int *queueOf = nullptr;
};

// Appends op `id` after the last op of its resource chain `last` (−1: first).
void chainAfter(Scratch &w, int *last, int id)
{
    w.resPred[id] = *last;
    if (*last >= 0) {
        w.resSucc[*last] = id;
    }
    *last = id;
}

/// Times op `id` once both its predecessors ended: start = the later of its chain predecessor's and
/// its resource predecessor's end; records the running makespan (the first settle and a repeat of
/// a known shape time an op alike, bit for bit; finishSettle() finds which of the two was
/// critical by the same comparison).
inline void timeOp(Scratch &w, int id, double *makespan, int *last)
{
    const int pos = w.pos[id];
    double start = 0.0;
    if (w.pred[pos] >= 0) {
        start = w.end[id - pos + w.pred[pos]];
    }
    if (w.resPred[id] >= 0 && w.end[w.resPred[id]] > start) {
        start = w.end[w.resPred[id]];
    }
    w.end[id] = start + w.dur[pos];
    if (w.end[id] >= *makespan) {
        *makespan = w.end[id];
        *last = id;
    }
}

/// One op of a known shape in settling order, its predecessors resolved to op ids (−1: none):
/// what timeOp() looks up per op through w.pos, w.pred and w.resPred.
struct TimedOp
{
    int id = 0;
    int chainPred = -1;
    int resPred = -1;
    int pos = 0;
};

/// timeOp() for the TimedOps of a known shape, in order: the same comparisons and the same
/// sums, so the same bits. The arrays are held in locals (the scratch is thread_local: read
/// through it, every op reloaded their addresses and spilled the running makespan).
inline void timeKnownOps(
    Scratch &w, const std::vector<TimedOp> &ops, double *makespanOut, int *lastOut)
{
    double *const end = w.end.data();
    const double *const dur = w.dur.data();
    double makespan = *makespanOut;
    int last = *lastOut;
    for (const TimedOp &op : ops) {
        double start = 0.0;
        if (op.chainPred >= 0) {
            start = end[op.chainPred];
        }
        if (op.resPred >= 0 && end[op.resPred] > start) {
            start = end[op.resPred];
        }
        const double e = start + dur[op.pos];
        end[op.id] = e;
        if (e >= makespan) {
            makespan = e;
            last = op.id;
        }
    }
    *makespanOut = makespan;
    *lastOut = last;
}

/// settle()'s structure and Kahn's algorithm from scratch (no known Topology): fills w.resPred,
/// w.queue (the settling order), w.pos and w.end; returns the ops settled.
template <typename OrderOf>
int settleFresh(Scratch &w, const Layout &l, OrderOf &&orderOf, double *makespanOut, int *lastOut)
{
    const int P = l.P();
    const int M = l.M;
    const int n = P * M;
    w.resPred.assign(n, -1);
    w.resSucc.assign(n, -1);
    w.indeg.assign(n, 0);
    w.dur.resize(P);
    w.pred.resize(P);
    w.wSucc.resize(P);
    w.klass.resize(P);
    w.feedsLink.assign(P, -1);
    for (int pos = 0; pos < P; ++pos) {
        const Slot &slot = w.chain.slots[pos];
        w.dur[pos] = slot.dur;
        w.pred[pos] = slot.pred;
        w.wSucc[pos] = slot.wSucc;
        w.klass[pos] = slot.klass;
        // A device's F or B feeds the hop after it (a W feeds nothing).
        if (slot.klass == OpClass::Forward
            || (slot.klass == OpClass::Backward && slot.op != OpKind::BackwardWeight)) {
            const Slot &hop = w.chain.slots[pos + 1];
            if (hop.link >= 0 && !hop.perMicrobatch) {
                w.feedsLink[pos] = hop.link;
            }
        }
    }

    // CU and edge resources serve micro-batches in order.
    for (int m = 1; m < M; ++m) {
        for (int pos = 0; pos < P; ++pos) {
            if (w.chain.slots[pos].perMicrobatch) {
                w.resPred[m * P + pos] = (m - 1) * P + pos;
                w.resSucc[(m - 1) * P + pos] = m * P + pos;
            }
        }
    }
    // Devices in the schedule's order; the links a device feeds in the order it fed them.
    w.lastOnLink.assign(w.chain.linkCount, -1);
    for (int j = 0; j < l.S; ++j) {
        int prev = -1;
        for (const ScheduleOp &op : orderOf(j)) {
            const int k = l.virtualOf(j, op.chunk);
            const int pos = op.kind == OpKind::Forward ? l.fwdPos(k)
                : op.kind == OpKind::BackwardWeight    ? l.wPos(k)
                                                       : l.bwdPos(k);
            const int id = op.microbatch * P + pos;
            chainAfter(w, &prev, id);
            if (w.feedsLink[pos] >= 0) {
                chainAfter(w, &w.lastOnLink[w.feedsLink[pos]], id + 1);
            }
        }
    }
    int head = 0;
    int tail = 0;
    w.pos.resize(n);
    for (int m = 0, id = 0; m < M; ++m) {
        for (int pos = 0; pos < P; ++pos, ++id) {
            w.pos[id] = pos;
            w.indeg[id] = (w.pred[pos] >= 0 ? 1 : 0) + (w.resPred[id] >= 0 ? 1 : 0);
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
        timeOp(w, id, &makespan, &last);
        if (pos < chainEnd && --w.indeg[id + 1] == 0) {
            w.queue[tail++] = id + 1;
        }
        if (w.wSucc[pos] >= 0) {
            const int wid = id - pos + w.wSucc[pos];
            if (--w.indeg[wid] == 0) {
                w.queue[tail++] = wid;
            }
        }
        if (w.resSucc[id] >= 0 && --w.indeg[w.resSucc[id]] == 0) {
            w.queue[tail++] = w.resSucc[id];
        }
    }
    *makespanOut = makespan;
    *lastOut = last;
    return tail;
}

/// settle()'s critical path back from the last op, split by cause (PipelineRun::split), from
/// the positions' durations `w.dur` and their classes and chain predecessors `klass`, `pred`
/// (the slots', which depend on the layout alone).
void finishSettle(const Scratch &w, const ChainTimes &chain, const Layout &l, PipelineRun *run,
    int last, const OpClass *klass, const int *pred)
{
    const int M = l.M;
    double stageCompute = 0.0;
    for (int id = last; id >= 0;) {
        const int pos = w.posOf[id];
        const double d = w.dur[std::size_t(pos)];
        switch (klass[pos]) {
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
        // The predecessor that ended last (timeOp()'s comparison: the chain's on a tie).
        const int chainPred = pred[pos] >= 0 ? id - pos + pred[pos] : -1;
        const int resPred = w.resPredOf[id];
        const double chainEnd = chainPred >= 0 ? w.end[chainPred] : 0.0;
        id = chainPred >= 0 && !(resPred >= 0 && w.end[resPred] > chainEnd) ? chainPred : resPred;
    }
    double bottleneck = 0.0;
    for (const StageTimes &st : chain.stages) {
        bottleneck = std::max(bottleneck, M * (st.fwdS + st.bwdS));
    }
    run->split.computeS += std::min(stageCompute, bottleneck);
    run->split.bubbleS = stageCompute - std::min(stageCompute, bottleneck);
}

/// What settle() derives from the layout alone when the device orders are fillStageOrder()'s:
/// each op's resource predecessor and the order Kahn's algorithm settles the ops in. Neither
/// depends on a duration (the in-degrees count edges, not times), so runPipeline() keeps them per
/// (schedule, S, M, v) and later calls with the same shape only time the ops in that order: the
/// same start and end of every op, computed by the same expressions in the same order (issue
/// [5/7]: the exact evaluator is called ~40 times per cluster and round).
struct Topology
{
    ScheduleKind kind = ScheduleKind::OneFOneB;
    int S = 0;
    int M = 0;
    int v = 0;
    int settled = 0;
    std::vector<int> resPred;
    std::vector<int> queue;
    std::vector<TimedOp> ops; ///< queue's ops with their predecessors (the timing loop's input)
    std::vector<int> pos;     ///< chain position of each op id
    /// Per chain position: the slot's class and chain predecessor (finishSettle()'s; with
    /// chain::fillDurations() a repeat builds no slots unless it emits events).
    std::vector<OpClass> klass;
    std::vector<int> pred;
};

/// Per thread: the topologies of recent shapes (a handful per cluster; bounded).
struct TopologyCache
{
    static constexpr std::size_t kEntries = 32;
    static constexpr int kMaxOps = 1 << 14; ///< larger shapes are not kept (≤ 12 MB a thread)
    std::vector<Topology> entries;
    std::size_t next = 0;

    const Topology *find(const Layout &l) const
    {
        for (const Topology &t : entries) {
            if (t.kind == l.kind && t.S == l.S && t.M == l.M && t.v == l.v) {
                return &t;
            }
        }
        return nullptr;
    }
    void keep(const Layout &l, int settled, const std::vector<int> &resPred,
        const std::vector<int> &queue, const std::vector<int> &pos, const std::vector<int> &pred,
        const std::vector<OpClass> &klass)
    {
        const int n = l.P() * l.M;
        if (n > kMaxOps) {
            return;
        }
        Topology t{l.kind, l.S, l.M, l.v, settled, {resPred.begin(), resPred.begin() + n},
            {queue.begin(), queue.begin() + settled}, {}, {pos.begin(), pos.begin() + n},
            {klass.begin(), klass.begin() + l.P()}, {pred.begin(), pred.begin() + l.P()}};
        t.ops.reserve(std::size_t(settled));
        for (int k = 0; k < settled; ++k) {
            const int id = queue[std::size_t(k)];
            const int p = pos[std::size_t(id)];
            const int chainPred = pred[std::size_t(p)] >= 0 ? id - p + pred[std::size_t(p)] : -1;
            t.ops.push_back(TimedOp{id, chainPred, resPred[std::size_t(id)], p});
        }
        if (entries.size() < kEntries) {
            entries.push_back(std::move(t));
        } else {
            entries[next] = std::move(t);
            next = (next + 1) % kEntries;
        }
    }
};

/// The recursion proper. `orderOf(j)` gives device stage j's op order. Returns the number of ops
/// settled (n when the orders are consistent; fewer on a deadlock). `cache` (may be null): the
/// topologies of fillStageOrder()'s orders (Topology), read and filled here. `slots`: w.chain
/// must hold the chain's slots afterwards (forEachEvent() reads them); without, a known shape
/// only fills the durations. `split`: false leaves run->split zero (the makespan is the same).
template <typename OrderOf>
int settle(Scratch &w, const ChainTimes &chain, const Layout &l, OrderOf &&orderOf,
    PipelineRun *run, TopologyCache *cache = nullptr, bool slots = true, bool split = true)
{
    const int P = l.P();
    const int M = l.M;
    const int n = P * M;
    const Topology *known = cache ? cache->find(l) : nullptr;
    if (known) {
        // A settled op's end is written before anything reads it (its
        // predecessors settle first), so a repeat neither clears it nor copies the shape's
        // resource predecessors, positions and order: it reads the Topology's (the same values).
        w.end.resize(n);
        w.dur.resize(P);
        if (slots) {
            chain::buildSlots(w.chain, chain, l);
            for (int pos = 0; pos < P; ++pos) {
                w.dur[pos] = w.chain.slots[pos].dur;
            }
        } else {
            chain::fillDurations(w.dur.data(), chain, l); // the same values (chain_slots.h)
        }
        w.resPredOf = known->resPred.data();
        w.posOf = known->pos.data();
        w.queueOf = known->queue.data();
    } else {
        chain::buildSlots(w.chain, chain, l);
        w.end.assign(n, 0.0);
        w.queue.resize(n);
    }
    double makespan = 0.0;
    int last = -1;
    int tail = 0;
    if (known) {
        // The settling loop below in the order it settled these ops before.
        tail = known->settled;
        timeKnownOps(w, known->ops, &makespan, &last);
    } else {
        tail = settleFresh(w, l, orderOf, &makespan, &last);
        if (cache) {
            cache->keep(l, tail, w.resPred, w.queue, w.pos, w.pred, w.klass);
        }
        w.resPredOf = w.resPred.data();
        w.posOf = w.pos.data();
        w.queueOf = w.queue.data();
    }
    run->makespanS = makespan;
    if (split) {
        finishSettle(w, chain, l, run, last, known ? known->klass.data() : w.klass.data(),
            known ? known->pred.data() : w.pred.data());
    }
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
        const int id = w.queueOf[k];
        const int pos = id % P;
        const Slot &slot = w.chain.slots[pos];
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
        e.stage = slot.stage;
        const int chunk = slot.chunk;
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

namespace pipeline_detail {

bool &splitSkipFlag()
{
    thread_local bool skip = false;
    return skip;
}

} // namespace pipeline_detail

PipelineSplitSkip::PipelineSplitSkip()
    : m_previous(pipeline_detail::splitSkipFlag())
{
    pipeline_detail::splitSkipFlag() = true;
}

PipelineSplitSkip::~PipelineSplitSkip()
{
    pipeline_detail::splitSkipFlag() = m_previous;
}

PipelineRun runPipeline(const ChainTimes &chain, ScheduleKind kind, int interleave,
    int microbatches, std::vector<TimelineEvent> *events, int cluster, double offsetS,
    int microbatchOffset)
{
    PipelineRun run;
    const int S = static_cast<int>(chain.stages.size());
    const int M = microbatches;
    if (S <= 0 || M <= 0) {
        return run;
    }
    thread_local Scratch w;
    thread_local TopologyCache topologies;
    const int v = chunksOf(kind, interleave);
    const Layout l = layoutOf(kind, S, M, v);
    const int settled = settle(
        w, chain, l,
        [&](int j) -> const std::vector<ScheduleOp> & {
            fillStageOrder(l.kind, S, M, v, j, &w.order);
            return w.order;
        },
        &run, &topologies, events != nullptr, !pipeline_detail::splitSkipFlag());
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
    const int settled = settle(
        w, chain, l,
        [&](int j) -> const std::vector<ScheduleOp> & { return schedule.perStage[size_t(j)]; },
        &t.run);
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
