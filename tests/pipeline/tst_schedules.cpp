// SPDX-License-Identifier: MIT
// Pipeline schedules (issue [4/7] "Schedules"): for every schedule and random S ∈ [1, 8],
// M ∈ [1, 32], v ∈ {1, 2, 3}: every op once, every precedence, no overlap on a device or a link;
// the homogeneous closed forms (bubble, peak stash); GPipe/1F1B exactly as runPipeline() times them.
#include "core/pipeline/chain_slots.h"
#include "core/pipeline/execution_order.h"
#include "core/pipeline/pipeline_recursion.h"
#include "core/pipeline/pipeline_split.h"
#include "core/pipeline/schedule.h"
#include "core/pipeline/schedule_memory.h"
#include "schedule_checks.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace collapipe;
using namespace collapipe::test;

namespace {

const ScheduleKind kAll[] = {ScheduleKind::GPipe, ScheduleKind::OneFOneB, ScheduleKind::Interleaved,
    ScheduleKind::ZeroBubbleH1, ScheduleKind::ZeroBubbleV};

// Busy time of one device per iteration: M·(F + B) whatever the schedule (chunks split it).
double bubblePerDevice(const ScheduleTiming &t, int M, double F, double B)
{
    return t.run.makespanS - M * (F + B);
}

} // namespace

class TstSchedules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyOpOnceAndTimed();
    void sameAsRunPipeline();
    void durationsAreTheSlots();
    void repeatedShapesWithoutEvents();
    void homogeneousBubble();
    void peakStash();
    void stashClosedFormIsTheOrders();
    void interleavedOneChunkIs1F1B();
    void executionOrderRespectsTheChain();
};

void TstSchedules::everyOpOnceAndTimed()
{
    std::mt19937 rng(20261203);
    std::uniform_int_distribution<int> stages(1, 8);
    std::uniform_int_distribution<int> micro(1, 32);
    std::uniform_int_distribution<int> chunks(1, 3);
    for (ScheduleKind kind : kAll) {
        for (int trial = 0; trial < 80; ++trial) {
            const Schedule s = makeSchedule(kind, stages(rng), micro(rng), chunks(rng));
            const QString once = checkOpsOnce(s);
            QVERIFY2(once.isEmpty(), qPrintable(caseText(s) + QStringLiteral(": ") + once));
            const ScheduleTiming t = timeSchedule(randomChain(s.stages, rng), s);
            const QString timed = checkTiming(s, t);
            QVERIFY2(timed.isEmpty(), qPrintable(caseText(s) + QStringLiteral(": ") + timed));
            // The memory curve read off the timed events peaks where the order says it does.
            const std::vector<int> fromOrder = peakStashed(s);
            QVERIFY2(t.peakStashed == fromOrder,
                qPrintable(caseText(s) + QStringLiteral(": timed peak differs from the order's")));
        }
    }
}

void TstSchedules::sameAsRunPipeline()
{
    // Every schedule (the cost model's path, runPipeline(), with chunks and the wrap / V-edge
    // hops) against timeSchedule() of makeSchedule()'s order: one recursion, one order.
    std::mt19937 rng(7);
    for (ScheduleKind p : kAll) {
        for (int trial = 0; trial < 40; ++trial) {
            const int S = 1 + int(rng() % 8);
            const int M = 1 + int(rng() % 32);
            const int v = 1 + int(rng() % 3);
            // Twice per shape with other times: the second runPipeline() reuses the shape's
            // settling order (its topology cache) and must still time every op the same.
            for (int repeat = 0; repeat < 2; ++repeat) {
                const ChainTimes chain = randomChain(S, rng);
                std::vector<TimelineEvent> events;
                const PipelineRun run = runPipeline(chain, p, v, M, &events);
                const ScheduleTiming t = timeSchedule(chain, makeSchedule(p, S, M, v));
                QVERIFY(t.ok);
                QCOMPARE(t.run.makespanS, run.makespanS); // bit for bit: one recursion
                QCOMPARE(t.run.split.bubbleS, run.split.bubbleS);
                QCOMPARE(t.run.split.computeS, run.split.computeS);
                QCOMPARE(t.run.split.d2dS, run.split.d2dS);
                QCOMPARE(t.events.size(), events.size());
                for (size_t i = 0; i < events.size(); ++i) {
                    const TimelineEvent &a = t.events[i].event;
                    const TimelineEvent &b = events[i];
                    QVERIFY2(a.kind == b.kind && a.resource == b.resource && a.stage == b.stage
                            && a.microbatch == b.microbatch && a.startS == b.startS
                            && a.endS == b.endS,
                        qPrintable(QStringLiteral("event %1 differs").arg(i)));
                }
            }
        }
    }
}

void TstSchedules::durationsAreTheSlots()
{
    // chain::fillDurations() (a known shape's repeat without events, issue #15) gives every
    // position's duration bit for bit as chain::buildSlots() does.
    std::mt19937 rng(15);
    for (ScheduleKind kind : kAll) {
        for (int S = 1; S <= 6; ++S) {
            for (int interleave = 1; interleave <= 3; ++interleave) {
                chain::Layout l;
                l.kind = kind;
                l.S = S;
                l.M = 4;
                l.v = chunksOf(kind, interleave);
                l.split = splitsBackward(kind);
                const ChainTimes chain = randomChain(S, rng);
                chain::ChainSlots slots;
                chain::buildSlots(slots, chain, l);
                std::vector<double> dur(std::size_t(l.P()), -1.0);
                chain::fillDurations(dur.data(), chain, l);
                QCOMPARE(int(slots.slots.size()), l.P());
                for (int pos = 0; pos < l.P(); ++pos) {
                    QVERIFY2(dur[std::size_t(pos)] == slots.slots[std::size_t(pos)].dur,
                        qPrintable(QStringLiteral("kind %1 S=%2 v=%3 position %4")
                                       .arg(int(kind))
                                       .arg(S)
                                       .arg(l.v)
                                       .arg(pos)));
                }
            }
        }
    }
}

void TstSchedules::repeatedShapesWithoutEvents()
{
    // The exact evaluator's path (issue #15): runPipeline() without events on a shape it has
    // seen fills only the durations and reads the slots' classes and chain predecessors from
    // its per-shape cache. Shapes of every schedule share (S, M, v) in a random sequence, so an
    // entry found under the wrong shape (a key without the schedule, v or M) gives another
    // makespan or split than timeSchedule(), which builds everything afresh. Under a
    // PipelineSplitSkip the makespan is the same bits and the split zero.
    std::mt19937 rng(1515);
    for (int trial = 0; trial < 600; ++trial) {
        const ScheduleKind kind = kAll[rng() % std::size(kAll)];
        const int S = 2 + int(rng() % 2);
        const int M = 3 + int(rng() % 2);
        const int v = 1 + int(rng() % 2);
        const ChainTimes chain = randomChain(S, rng);
        const ScheduleTiming t = timeSchedule(chain, makeSchedule(kind, S, M, v));
        QVERIFY(t.ok);
        const QString at = QStringLiteral("trial %1: kind %2 S=%3 M=%4 v=%5")
                               .arg(trial)
                               .arg(int(kind))
                               .arg(S)
                               .arg(M)
                               .arg(v);
        const PipelineRun run = runPipeline(chain, kind, v, M);
        QVERIFY2(run.makespanS == t.run.makespanS, qPrintable(at));
        QVERIFY2(run.split.computeS == t.run.split.computeS
                && run.split.bubbleS == t.run.split.bubbleS && run.split.d2dS == t.run.split.d2dS
                && run.split.d2eS == t.run.split.d2eS && run.split.decoderS == t.run.split.decoderS,
            qPrintable(at + QStringLiteral(": split")));
        {
            const PipelineSplitSkip noSplit;
            const PipelineRun bare = runPipeline(chain, kind, v, M);
            QVERIFY2(bare.makespanS == t.run.makespanS, qPrintable(at));
            QVERIFY2(bare.split.computeS == 0.0 && bare.split.bubbleS == 0.0
                    && bare.split.d2dS == 0.0 && bare.split.d2eS == 0.0
                    && bare.split.decoderS == 0.0,
                qPrintable(at + QStringLiteral(": split under PipelineSplitSkip")));
        }
        // The scope ended: the split is back.
        QVERIFY(runPipeline(chain, kind, v, M).split.computeS == t.run.split.computeS);
    }
}

void TstSchedules::homogeneousBubble()
{
    // Free links, no embedding or decoder time: each device's idle time per iteration.
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> u(0.2, 2.0);
    int h1Checked = 0;
    for (int trial = 0; trial < 400; ++trial) {
        const int S = 1 + int(rng() % 8);
        const int M = 1 + int(rng() % 32);
        const int v = 2 + int(rng() % 2);
        const double F = u(rng);
        const double B = 2 * u(rng); // fused backward
        const double wf = std::uniform_real_distribution<double>(0.3, 0.6)(rng);
        const double W = B * wf;
        const ChainTimes chain = homogeneousChain(S, F, B, wf);
        const QString at = QStringLiteral("S=%1 M=%2 v=%3 F=%4 B=%5 W=%6")
                               .arg(S)
                               .arg(M)
                               .arg(v)
                               .arg(F)
                               .arg(B)
                               .arg(W);
        const double tol = 1e-9 * M * (F + B);
        for (ScheduleKind kind : {ScheduleKind::GPipe, ScheduleKind::OneFOneB}) {
            const ScheduleTiming t = timeSchedule(chain, makeSchedule(kind, S, M));
            const double expected = (S - 1) * (F + B);
            QVERIFY2(std::abs(bubblePerDevice(t, M, F, B) - expected) < tol,
                qPrintable(QStringLiteral("%1 %2: bubble %3, expected (S−1)(F+B) = %4")
                               .arg(QLatin1String(scheduleName(kind)), at)
                               .arg(bubblePerDevice(t, M, F, B))
                               .arg(expected)));
        }
        if (M % S == 0) {
            // Narayanan et al. 2021: (S − 1)(F + B)/v when S divides M.
            const ScheduleTiming t
                = timeSchedule(chain, makeSchedule(ScheduleKind::Interleaved, S, M, v));
            const double expected = (S - 1) * (F + B) / v;
            QVERIFY2(std::abs(bubblePerDevice(t, M, F, B) - expected) < tol,
                qPrintable(QStringLiteral("interleaved %1: bubble %2, expected (S−1)(F+B)/v = %3")
                               .arg(at)
                               .arg(bubblePerDevice(t, M, F, B))
                               .arg(expected)));
        }
        if (M > S && W <= F && W <= B - W) {
            // Qi et al. 2024: (S − 1)(F + B − 2W), B the fused backward, in the regime the
            // handcrafted H1 is built for: a weight gradient no longer than a forward or an
            // input gradient, and more micro-batches than stages (fewer: the warm-up never
            // reaches its steady state).
            ++h1Checked;
            const ScheduleTiming t
                = timeSchedule(chain, makeSchedule(ScheduleKind::ZeroBubbleH1, S, M));
            const double expected = (S - 1) * (F + B - 2 * W);
            QVERIFY2(std::abs(bubblePerDevice(t, M, F, B) - expected) < tol,
                qPrintable(QStringLiteral("zb-h1 %1: bubble %2, expected (S−1)(F+B−2W) = %3")
                               .arg(at)
                               .arg(bubblePerDevice(t, M, F, B))
                               .arg(expected)));
        }
        {
            // ZB-V has no closed form for arbitrary F, B, W; it never idles more than 1F1B.
            const ChunkOpTimes chunk{F / 2, (B - W) / 2, W / 2};
            const ScheduleTiming v2
                = timeSchedule(chain, makeSchedule(ScheduleKind::ZeroBubbleV, S, M, 2, chunk));
            const ScheduleTiming f1
                = timeSchedule(chain, makeSchedule(ScheduleKind::OneFOneB, S, M));
            QVERIFY2(v2.run.makespanS <= f1.run.makespanS + tol,
                qPrintable(QStringLiteral("zb-v %1: makespan %2 > 1f1b's %3")
                               .arg(at)
                               .arg(v2.run.makespanS)
                               .arg(f1.run.makespanS)));
        }
    }
    QVERIFY2(h1Checked >= 50, "too few ZB-H1 cases in its regime: the closed form went untested");
}

void TstSchedules::peakStash()
{
    for (int S = 1; S <= 8; ++S) {
        for (int M = 1; M <= 32; ++M) {
            const QString at = QStringLiteral("S=%1 M=%2").arg(S).arg(M);
            const std::vector<int> gpipe = peakStashed(makeSchedule(ScheduleKind::GPipe, S, M));
            const std::vector<int> f1b = peakStashed(makeSchedule(ScheduleKind::OneFOneB, S, M));
            const std::vector<int> h1 = peakStashed(makeSchedule(ScheduleKind::ZeroBubbleH1, S, M));
            const std::vector<int> zbv = peakStashed(makeSchedule(ScheduleKind::ZeroBubbleV, S, M));
            const int f1bMax = *std::max_element(f1b.begin(), f1b.end());
            for (int j = 0; j < S; ++j) {
                QVERIFY2(gpipe[size_t(j)] == M, qPrintable(at));
                // S − j stages after stage j (the edge is one): S − j warm-up forwards + 1.
                QVERIFY2(f1b[size_t(j)] == std::min(M, S - j + 1), qPrintable(at));
                // ZB-H1 keeps 1F1B's peak memory: every stage holds what 1F1B's stage 0 does.
                QVERIFY2(h1[size_t(j)] == f1bMax && f1bMax == std::min(M, S + 1), qPrintable(at));
                // ZB-V: two half-size chunks, at most 1F1B's peak of whole-stage activations.
                QVERIFY2(zbv[size_t(j)] <= 2 * f1bMax, qPrintable(at));
            }
            for (int v = 2; v <= 3; ++v) {
                const std::vector<int> il
                    = peakStashed(makeSchedule(ScheduleKind::Interleaved, S, M, v));
                for (int j = 0; j < S; ++j) {
                    // Megatron-LM: warm-up 2(S − 1 − j) + (v − 1)S (+ 1 for the edge), then one
                    // more forward before the first backward: that many chunk activations when
                    // S divides M; fewer otherwise (the left-out micro-batches stash nothing).
                    const int expected = std::min(M * v, 2 * (S - 1 - j) + (v - 1) * S + 2);
                    QVERIFY2(M % S == 0 ? il[size_t(j)] == expected : il[size_t(j)] <= expected,
                        qPrintable(at
                            + QStringLiteral(" v=%1 stage %2: %3 != %4")
                                  .arg(v)
                                  .arg(j)
                                  .arg(il[size_t(j)])
                                  .arg(expected)));
                }
            }
        }
    }
}

void TstSchedules::stashClosedFormIsTheOrders()
{
    // What the cost model charges (stashedChunks(): closed forms for GPipe, 1F1B and ZB-H1) is
    // the peak of the order every schedule runs.
    for (ScheduleKind p : kAll) {
        for (int v = 1; v <= (p == ScheduleKind::Interleaved ? 3 : 1); ++v) {
            for (int S = 1; S <= 8; ++S) {
                for (int M = 1; M <= 32; ++M) {
                    const std::vector<int> peak = peakStashed(makeSchedule(p, S, M, v));
                    for (int j = 0; j < S; ++j) {
                        QVERIFY2(stashedChunks(p, v, M, S, j) == peak[size_t(j)],
                            qPrintable(QStringLiteral("%1 v=%2 S=%3 M=%4 stage %5: %6 vs %7")
                                           .arg(QLatin1String(scheduleName(p)))
                                           .arg(v)
                                           .arg(S)
                                           .arg(M)
                                           .arg(j)
                                           .arg(stashedChunks(p, v, M, S, j))
                                           .arg(peak[size_t(j)])));
                    }
                }
            }
        }
    }
}

void TstSchedules::interleavedOneChunkIs1F1B()
{
    for (int S = 1; S <= 8; ++S) {
        for (int M = 1; M <= 16; ++M) {
            QCOMPARE(makeSchedule(ScheduleKind::Interleaved, S, M, 1).perStage,
                makeSchedule(ScheduleKind::OneFOneB, S, M).perStage);
        }
    }
}

void TstSchedules::executionOrderRespectsTheChain()
{
    std::mt19937 rng(3);
    for (ScheduleKind kind : kAll) {
        for (int trial = 0; trial < 60; ++trial) {
            const Schedule s
                = makeSchedule(kind, 1 + int(rng() % 8), 1 + int(rng() % 32), 1 + int(rng() % 3));
            const std::vector<ScheduleOp> order = executionOrder(s);
            size_t expected = 0;
            for (const auto &stage : s.perStage) {
                expected += stage.size();
            }
            QVERIFY2(order.size() == expected, qPrintable(caseText(s)));
            const int V = s.chunks * s.stages;
            std::map<std::tuple<int, int, int>, size_t> at; // kind, vs, mb → index
            for (size_t i = 0; i < order.size(); ++i) {
                const ScheduleOp &op = order[i];
                at[{int(op.kind), virtualStage(kind, s.stages, op.stage, op.chunk), op.microbatch}]
                    = i;
            }
            const OpKind back = splitsBackward(kind) ? OpKind::BackwardInput : OpKind::Backward;
            for (size_t i = 0; i < order.size(); ++i) {
                const ScheduleOp &op = order[i];
                const int k = virtualStage(kind, s.stages, op.stage, op.chunk);
                const int m = op.microbatch;
                std::vector<std::tuple<int, int, int>> deps;
                if (op.kind == OpKind::Forward && k > 0) {
                    deps.push_back({int(OpKind::Forward), k - 1, m});
                } else if (op.kind == back) {
                    deps.push_back({int(OpKind::Forward), k, m});
                    if (k + 1 < V) {
                        deps.push_back({int(back), k + 1, m});
                    }
                } else if (op.kind == OpKind::BackwardWeight) {
                    deps.push_back({int(back), k, m});
                }
                for (const auto &dep : deps) {
                    QVERIFY2(at.count(dep) && at[dep] < i,
                        qPrintable(caseText(s) + QStringLiteral(": ") + opText(op)
                            + QStringLiteral(" runs before an op it depends on")));
                }
            }
        }
    }
}

QTEST_GUILESS_MAIN(TstSchedules)
#include "tst_schedules.moc"
