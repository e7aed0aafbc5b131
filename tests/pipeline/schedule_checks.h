// SPDX-License-Identifier: MIT
#pragma once

// Structural checks of a schedule and of its timed result, shared by the pipeline tests: every op
// once, every precedence of the chain respected, no two ops at once on one resource.
#include "core/pipeline/pipeline_recursion.h"
#include "core/pipeline/schedule.h"

#include <QString>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>
#include <vector>

namespace collapipe::test {

inline QString opText(const ScheduleOp &op)
{
    static const char *kinds[] = {"F", "B", "Bi", "W"};
    return QStringLiteral("%1(stage %2, chunk %3, mb %4)")
        .arg(QLatin1String(kinds[int(op.kind)]))
        .arg(op.stage)
        .arg(op.chunk)
        .arg(op.microbatch);
}

inline QString caseText(const Schedule &s)
{
    return QStringLiteral("%1 S=%2 M=%3 v=%4")
        .arg(QLatin1String(scheduleName(s.kind)))
        .arg(s.stages)
        .arg(s.microbatches)
        .arg(s.chunks);
}

/// Every (stage, chunk, micro-batch) op of each kind the schedule uses exactly once, on its own
/// stage; empty string or the first problem.
inline QString checkOpsOnce(const Schedule &s)
{
    const bool split = splitsBackward(s.kind);
    const std::vector<OpKind> kinds = split
        ? std::vector<OpKind>{OpKind::Forward, OpKind::BackwardInput, OpKind::BackwardWeight}
        : std::vector<OpKind>{OpKind::Forward, OpKind::Backward};
    if (int(s.perStage.size()) != s.stages) {
        return QStringLiteral("%1 per-stage lists for %2 stages")
            .arg(s.perStage.size())
            .arg(s.stages);
    }
    std::map<std::tuple<int, int, int, int>, int> seen;
    for (int j = 0; j < s.stages; ++j) {
        for (const ScheduleOp &op : s.perStage[size_t(j)]) {
            if (op.stage != j || op.chunk < 0 || op.chunk >= s.chunks || op.microbatch < 0
                || op.microbatch >= s.microbatches
                || std::find(kinds.begin(), kinds.end(), op.kind) == kinds.end()) {
                return QStringLiteral("stray op %1 in stage %2's list").arg(opText(op)).arg(j);
            }
            if (++seen[{int(op.kind), j, op.chunk, op.microbatch}] > 1) {
                return QStringLiteral("%1 twice").arg(opText(op));
            }
        }
    }
    const size_t expected = kinds.size() * size_t(s.stages * s.chunks * s.microbatches);
    if (seen.size() != expected) {
        return QStringLiteral("%1 ops, expected %2").arg(seen.size()).arg(expected);
    }
    return {};
}

/// The timed result: ok, every chain precedence, no overlap per resource, makespan = last end.
inline QString checkTiming(const Schedule &s, const ScheduleTiming &t)
{
    if (!t.ok) {
        return QStringLiteral("the recursion deadlocked");
    }
    const int V = s.chunks * s.stages;
    const double eps = 1e-9 * std::max(1.0, t.run.makespanS);
    // Compute ops by (kind, virtual stage, micro-batch); decoder and send events by micro-batch.
    std::map<std::tuple<int, int, int>, const TimelineEvent *> compute;
    std::map<std::tuple<int, int, int>, const TimelineEvent *> sends; // kind, vs, mb
    std::map<int, const TimelineEvent *> decoder;
    std::map<std::tuple<int, int, int>, std::vector<std::pair<double, double>>> byResource;
    double lastEnd = 0.0;
    for (const PipelineEvent &pe : t.events) {
        const TimelineEvent &e = pe.event;
        lastEnd = std::max(lastEnd, e.endS);
        if (e.endS < e.startS - eps) {
            return QStringLiteral("negative duration");
        }
        byResource[{int(e.resource.kind), e.resource.from, e.resource.to}].push_back(
            {e.startS, e.endS});
        const int vs = e.stage >= 0 ? virtualStage(s.kind, s.stages, e.stage, pe.chunk) : -1;
        if (e.resource.kind == ResourceKind::Device) {
            compute[{int(pe.op), vs, e.microbatch}] = &e;
        } else if (e.kind == EventKind::DecoderBackward) {
            decoder[e.microbatch] = &e;
        } else if (e.kind == EventKind::SendActivation && e.resource.to != kEdgeServerNode
            && e.resource.from != kControlUnitNode) {
            sends[{0, vs, e.microbatch}] = &e; // into virtual stage vs
        } else if (e.kind == EventKind::SendGradient && e.resource.from != kEdgeServerNode
            && e.resource.to != kControlUnitNode) {
            sends[{1, vs, e.microbatch}] = &e; // out of virtual stage vs
        }
    }
    if (std::abs(lastEnd - t.run.makespanS) > eps) {
        return QStringLiteral("makespan %1 != last end %2").arg(t.run.makespanS).arg(lastEnd);
    }
    for (auto &[res, spans] : byResource) {
        std::sort(spans.begin(), spans.end());
        for (size_t i = 1; i < spans.size(); ++i) {
            if (spans[i].first < spans[i - 1].second - eps) {
                return QStringLiteral("two ops at once on resource (%1, %2, %3) at t = %4")
                    .arg(std::get<0>(res))
                    .arg(std::get<1>(res))
                    .arg(std::get<2>(res))
                    .arg(spans[i].first);
            }
        }
    }
    const bool split = splitsBackward(s.kind);
    const OpKind back = split ? OpKind::BackwardInput : OpKind::Backward;
    const auto find = [&](OpKind kind, int vs, int m) -> const TimelineEvent * {
        const auto it = compute.find({int(kind), vs, m});
        return it == compute.end() ? nullptr : it->second;
    };
    for (int m = 0; m < s.microbatches; ++m) {
        for (int k = 0; k < V; ++k) {
            const TimelineEvent *f = find(OpKind::Forward, k, m);
            const TimelineEvent *b = find(back, k, m);
            if (!f || !b) {
                return QStringLiteral("vs %1 mb %2: a forward or backward event is missing")
                    .arg(k)
                    .arg(m);
            }
            if (k > 0) {
                const TimelineEvent *prev = find(OpKind::Forward, k - 1, m);
                const auto in = sends.find({0, k, m});
                const double ready = in != sends.end() ? in->second->endS : prev->endS;
                if (in != sends.end() && in->second->startS < prev->endS - eps) {
                    return QStringLiteral("send into vs %1 mb %2 before its forward").arg(k).arg(m);
                }
                if (f->startS < ready - eps) {
                    return QStringLiteral("F vs %1 mb %2 starts before its input").arg(k).arg(m);
                }
            }
            if (b->startS < f->endS - eps) {
                return QStringLiteral("B vs %1 mb %2 before its own F").arg(k).arg(m);
            }
            if (k + 1 < V) {
                const TimelineEvent *up = find(back, k + 1, m);
                const auto in = sends.find({1, k + 1, m});
                const double ready = in != sends.end() ? in->second->endS : up->endS;
                if (in != sends.end() && in->second->startS < up->endS - eps) {
                    return QStringLiteral("gradient out of vs %1 mb %2 before its B")
                        .arg(k + 1)
                        .arg(m);
                }
                if (b->startS < ready - eps) {
                    return QStringLiteral("B vs %1 mb %2 before the gradient from vs %3")
                        .arg(k)
                        .arg(m)
                        .arg(k + 1);
                }
            } else if (!decoder.count(m) || decoder[m]->startS < f->endS - eps
                || b->startS < decoder[m]->endS - eps) {
                return QStringLiteral("mb %1: decoder not between the last F and B").arg(m);
            }
            if (split) {
                const TimelineEvent *w = find(OpKind::BackwardWeight, k, m);
                if (!w || w->startS < b->endS - eps) {
                    return QStringLiteral("W vs %1 mb %2 missing or before its B").arg(k).arg(m);
                }
            }
        }
    }
    return {};
}

/// S identical stages: forward F, fused backward B (weight share wf), every transfer, the
/// embedding and the decoder free.
inline ChainTimes homogeneousChain(int S, double F, double B, double wf)
{
    ChainTimes c;
    for (int j = 0; j < S; ++j) {
        StageTimes st;
        st.device = j;
        st.fwdS = F;
        st.bwdS = B;
        st.weightGradFraction = wf;
        c.stages.push_back(st);
    }
    return c;
}

/// Random heterogeneous chain: every duration > 0 (transfers may be large).
inline ChainTimes randomChain(int S, std::mt19937 &rng)
{
    std::uniform_real_distribution<double> u(0.1, 2.0);
    std::uniform_real_distribution<double> frac(0.1, 0.9);
    ChainTimes c;
    for (int j = 0; j < S; ++j) {
        c.stages.push_back({j, u(rng), 2 * u(rng), u(rng), u(rng), frac(rng)});
    }
    c.embedS = u(rng);
    c.controlUnitSendS = u(rng);
    c.decoderFwdS = u(rng);
    c.decoderBwdS = u(rng);
    c.edgeSendGradS = u(rng);
    c.wrapSendS = u(rng);
    c.wrapGradS = u(rng);
    c.firstStageEdgeSendS = u(rng);
    c.edgeFirstStageGradS = u(rng);
    return c;
}

} // namespace collapipe::test
