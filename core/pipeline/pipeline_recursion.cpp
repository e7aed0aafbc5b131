// SPDX-License-Identifier: MIT
#include "core/pipeline/pipeline_recursion.h"

#include <algorithm>

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

struct Scratch
{
    std::vector<double> end;
    std::vector<int> resPred;
    std::vector<int> resSucc;
    std::vector<int> indeg;
    std::vector<int> queue;
    std::vector<char> critChain;
    std::vector<double> dur; ///< duration by chain position
    std::vector<char> klass; ///< OpClass by chain position
    std::vector<ScheduledOp> order;
    std::vector<int> pos; ///< chain position of an op id (avoids a division per op)
};

// stageOrder() into a reused buffer (the evaluator runs thousands of times per round).
void fillStageOrder(PipelineSchedule schedule, int microbatches, int stageCount, int stage,
    std::vector<ScheduledOp> *order)
{
    order->clear();
    if (schedule == PipelineSchedule::GPipe) {
        for (int m = 0; m < microbatches; ++m) {
            order->push_back({false, m});
        }
        for (int m = 0; m < microbatches; ++m) {
            order->push_back({true, m});
        }
        return;
    }
    // 1F1B (PipeDream-Flush) over the S device stages and the edge, the chain's last stage (it
    // runs the head/decoder and any tail of every micro-batch, forward then backward at once):
    // device stage j (0-based) has S − j stages after it, so it runs S − j warm-up forwards, then
    // one forward and one backward in turn, then drains the remaining backwards. Peak stash =
    // min(M, S − j + 1) (stashedMicrobatches()). Without the edge counted, a single device stage
    // would send each micro-batch through the D2E round trip alone.
    const int warmup = std::clamp(stageCount - stage, 0, microbatches);
    int nextF = 0;
    for (; nextF < warmup; ++nextF) {
        order->push_back({false, nextF});
    }
    for (int m = 0; m < microbatches; ++m) {
        if (nextF < microbatches) {
            order->push_back({false, nextF++});
        }
        order->push_back({true, m});
    }
}

} // namespace

std::vector<ScheduledOp> stageOrder(
    PipelineSchedule schedule, int microbatches, int stageCount, int stage)
{
    std::vector<ScheduledOp> order;
    order.reserve(2 * std::max(0, microbatches));
    fillStageOrder(schedule, microbatches, stageCount, stage, &order);
    return order;
}

PipelineRun runPipeline(const ChainTimes &chain, PipelineSchedule schedule, int microbatches,
    std::vector<TimelineEvent> *events, int cluster, double offsetS, int microbatchOffset)
{
    PipelineRun run;
    const int S = static_cast<int>(chain.stages.size());
    const int M = microbatches;
    if (S <= 0 || M <= 0) {
        return run;
    }
    const int P = 4 * S + 4; // operations per micro-batch (see header)
    const int n = P * M;
    thread_local Scratch w;
    w.end.assign(n, 0.0);
    w.resPred.assign(n, -1);
    w.resSucc.assign(n, -1);
    w.indeg.assign(n, 0);
    w.critChain.assign(n, 0);
    w.queue.resize(n);

    const auto fwdPos = [](int j) { return 2 + 2 * j; };
    const auto bwdPos = [S](int j) { return 2 * S + 4 + 2 * (S - 1 - j); };
    const auto classOf = [S](int pos) {
        if (pos == 0) {
            return OpClass::Embed;
        }
        if (pos == 2 * S + 1 || pos == 2 * S + 3) {
            return OpClass::D2e;
        }
        if (pos == 2 * S + 2) {
            return OpClass::Decoder;
        }
        if (pos < 2 * S + 1) {
            return pos % 2 == 1 ? OpClass::D2d : OpClass::Forward;
        }
        return (pos - (2 * S + 4)) % 2 == 0 ? OpClass::Backward : OpClass::D2d;
    };
    // Duration of the op at chain position pos.
    const auto duration = [&](int pos) {
        if (pos == 0) {
            return chain.embedS;
        }
        if (pos <= 2 * S) {
            const int j = (pos - 1) / 2;
            if (pos % 2 == 0) {
                return chain.stages[j].fwdS;
            }
            return j == 0 ? chain.controlUnitSendS : chain.stages[j - 1].sendS;
        }
        if (pos == 2 * S + 1) {
            return chain.stages[S - 1].sendS;
        }
        if (pos == 2 * S + 2) {
            return chain.decoderFwdS + chain.decoderBwdS;
        }
        if (pos == 2 * S + 3) {
            return chain.edgeSendGradS;
        }
        const int i = (pos - (2 * S + 4)) / 2;
        const int j = S - 1 - i;
        return (pos - (2 * S + 4)) % 2 == 0 ? chain.stages[j].bwdS : chain.stages[j].gradS;
    };

    w.dur.resize(P);
    w.klass.resize(P);
    for (int pos = 0; pos < P; ++pos) {
        w.dur[pos] = duration(pos);
        w.klass[pos] = static_cast<char>(classOf(pos));
    }

    // Resource order: non-stage resources serve micro-batches in order.
    for (int m = 1; m < M; ++m) {
        for (int pos = 0; pos < P; ++pos) {
            const OpClass c = OpClass(w.klass[pos]);
            if (c != OpClass::Forward && c != OpClass::Backward) {
                w.resPred[m * P + pos] = (m - 1) * P + pos;
                w.resSucc[(m - 1) * P + pos] = m * P + pos;
            }
        }
    }
    for (int j = 0; j < S; ++j) {
        int prev = -1;
        fillStageOrder(schedule, M, S, j, &w.order);
        for (const ScheduledOp &op : w.order) {
            const int id = op.microbatch * P + (op.backward ? bwdPos(j) : fwdPos(j));
            w.resPred[id] = prev;
            if (prev >= 0) {
                w.resSucc[prev] = id;
            }
            prev = id;
        }
    }
    int head = 0;
    int tail = 0;
    w.pos.resize(n);
    for (int m = 0, id = 0; m < M; ++m) {
        for (int pos = 0; pos < P; ++pos, ++id) {
            w.pos[id] = pos;
            w.indeg[id] = (pos != 0 ? 1 : 0) + (w.resPred[id] >= 0 ? 1 : 0);
            if (w.indeg[id] == 0) {
                w.queue[tail++] = id;
            }
        }
    }
    // Kahn's algorithm: settle an op once both predecessors ended; start = the later of the two.
    double makespan = 0.0;
    int last = -1;
    while (head < tail) {
        const int id = w.queue[head++];
        const int pos = w.pos[id];
        double start = 0.0;
        bool chainCritical = false;
        if (pos != 0) {
            start = w.end[id - 1];
            chainCritical = true;
        }
        if (w.resPred[id] >= 0 && w.end[w.resPred[id]] > start) {
            start = w.end[w.resPred[id]];
            chainCritical = false;
        }
        w.critChain[id] = chainCritical ? 1 : 0;
        w.end[id] = start + w.dur[pos];
        if (w.end[id] >= makespan) {
            makespan = w.end[id];
            last = id;
        }
        if (pos + 1 < P && --w.indeg[id + 1] == 0) {
            w.queue[tail++] = id + 1;
        }
        if (w.resSucc[id] >= 0 && --w.indeg[w.resSucc[id]] == 0) {
            w.queue[tail++] = w.resSucc[id];
        }
    }
    run.makespanS = makespan;

    // Critical path back from the last op, split by cause (header: PipelineRun::split).
    double stageCompute = 0.0;
    for (int id = last; id >= 0;) {
        const int pos = w.pos[id];
        const double d = w.dur[pos];
        switch (OpClass(w.klass[pos])) {
        case OpClass::Embed:
            run.split.computeS += d;
            break;
        case OpClass::D2d:
            run.split.d2dS += d;
            break;
        case OpClass::D2e:
            run.split.d2eS += d;
            break;
        case OpClass::Decoder:
            run.split.decoderS += d;
            break;
        case OpClass::Forward:
        case OpClass::Backward:
            stageCompute += d;
            break;
        }
        if (w.critChain[id]) {
            id = pos == 0 ? -1 : id - 1;
        } else {
            id = w.resPred[id];
        }
    }
    double bottleneck = 0.0;
    for (const StageTimes &st : chain.stages) {
        bottleneck = std::max(bottleneck, M * (st.fwdS + st.bwdS));
    }
    run.split.computeS += std::min(stageCompute, bottleneck);
    run.split.bubbleS = stageCompute - std::min(stageCompute, bottleneck);

    if (events) {
        const auto node = [&](int j) { return j < 0 ? kControlUnitNode : chain.stages[j].device; };
        for (int k = 0; k < n; ++k) {
            const int id = w.queue[k];
            const int pos = id % P;
            const int m = id / P;
            TimelineEvent e;
            e.cluster = cluster;
            e.microbatch = m + microbatchOffset;
            e.endS = w.end[id] + offsetS;
            e.startS = e.endS - w.dur[pos];
            if (pos == 0) {
                e.resource = {ResourceKind::ControlUnit, kControlUnitNode, 0};
                e.kind = EventKind::Embed;
            } else if (pos <= 2 * S) {
                const int j = (pos - 1) / 2;
                e.stage = j;
                if (pos % 2 == 0) {
                    e.resource = {ResourceKind::Device, node(j), 0};
                    e.kind = EventKind::Forward;
                } else {
                    e.resource = {ResourceKind::Link, node(j - 1), node(j)};
                    e.kind = EventKind::SendActivation;
                }
            } else if (pos == 2 * S + 1) {
                e.stage = S - 1;
                e.resource = {ResourceKind::Link, node(S - 1), kEdgeServerNode};
                e.kind = EventKind::SendActivation;
            } else if (pos == 2 * S + 2) {
                e.resource = {ResourceKind::EdgeServer, kEdgeServerNode, 0};
                TimelineEvent f = e;
                f.kind = EventKind::DecoderForward;
                f.endS = f.startS + chain.decoderFwdS;
                events->push_back(f);
                e.kind = EventKind::DecoderBackward;
                e.startS = f.endS;
            } else if (pos == 2 * S + 3) {
                e.stage = S - 1;
                e.resource = {ResourceKind::Link, kEdgeServerNode, node(S - 1)};
                e.kind = EventKind::SendGradient;
            } else {
                const int i = (pos - (2 * S + 4)) / 2;
                const int j = S - 1 - i;
                e.stage = j;
                if ((pos - (2 * S + 4)) % 2 == 0) {
                    e.resource = {ResourceKind::Device, node(j), 0};
                    e.kind = EventKind::Backward;
                } else {
                    e.resource = {ResourceKind::Link, node(j), node(j - 1)};
                    e.kind = EventKind::SendGradient;
                }
            }
            events->push_back(e);
        }
    }
    return run;
}

} // namespace collapipe
