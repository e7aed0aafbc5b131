// SPDX-License-Identifier: MIT
#include "core/pipeline/schedule.h"

#include "core/pipeline/zero_bubble_v.h"

#include <algorithm>
#include <cstddef>

namespace collapipe {

namespace {

void gpipe(int M, int j, std::vector<ScheduleOp> *order)
{
    for (int m = 0; m < M; ++m) {
        order->push_back({OpKind::Forward, j, m, 0});
    }
    for (int m = 0; m < M; ++m) {
        order->push_back({OpKind::Backward, j, m, 0});
    }
}

// 1F1B (PipeDream-Flush) over the S device stages and the edge, the chain's last stage (it runs
// the head/decoder and any tail of every micro-batch, forward then backward at once): device
// stage j has S − j stages after it, so it runs S − j warm-up forwards, then one forward and one
// backward in turn, then drains the remaining backwards. Peak stash min(M, S − j + 1). Without
// the edge counted, a single device stage would send each micro-batch through the D2E round trip
// alone (core/MODEL.md "Pipeline recursion").
void oneFOneB(int S, int M, int j, std::vector<ScheduleOp> *order)
{
    const int warmup = std::clamp(S - j, 0, M);
    int nextF = 0;
    for (; nextF < warmup; ++nextF) {
        order->push_back({OpKind::Forward, j, nextF, 0});
    }
    for (int m = 0; m < M; ++m) {
        if (nextF < M) {
            order->push_back({OpKind::Forward, j, nextF++, 0});
        }
        order->push_back({OpKind::Backward, j, m, 0});
    }
}

// The k-th forward (backward: reversed chunks) of device j in the interleaved order for a
// multiple of S micro-batches: groups of S micro-batches; within a group every chunk in turn
// (Narayanan et al. 2021).
ScheduleOp interleavedOp(int S, int v, int j, int k, bool backward)
{
    const int group = k / (S * v);
    const int inGroup = k % (S * v);
    const int chunk = inGroup / S;
    return {backward ? OpKind::Backward : OpKind::Forward, j, group * S + inGroup % S,
        backward ? v - 1 - chunk : chunk};
}

void interleaved(int S, int M, int v, int j, std::vector<ScheduleOp> *order)
{
    // When S does not divide M, the order of the next multiple of S with the extra micro-batches
    // left out: dropping ops from a deadlock-free fixed order keeps it deadlock-free (a cycle
    // among the rest would be one through the dropped ops too), while a short last group with
    // Megatron-LM's warm-up deadlocks (e.g. S = 8, M = 19, v = 3).
    const int padded = (M + S - 1) / S * S;
    const int total = padded * v;
    // Megatron-LM's warm-up, 2(S − 1 − j) + (v − 1)S, plus one for the edge (the chain's last
    // stage), as in 1F1B.
    const int warmup = std::min(total, 2 * (S - 1 - j) + (v - 1) * S + 1);
    const auto emit = [&](const ScheduleOp &op) {
        if (op.microbatch < M) {
            order->push_back(op);
        }
    };
    int f = 0;
    for (; f < warmup; ++f) {
        emit(interleavedOp(S, v, j, f, false));
    }
    for (int b = 0; b < total; ++b) {
        if (f < total) {
            emit(interleavedOp(S, v, j, f++, false));
        }
        emit(interleavedOp(S, v, j, b, true));
    }
}

// ZB-H1 (Qi et al. 2024, handcrafted H1): the 1F1B skeleton with B in place of the fused backward;
// W(m) follows B(m + j). Stage j thus holds j more stashes than in 1F1B (S + 1 on every stage,
// 1F1B's peak on stage 0) and keeps its last j + 1 weight gradients for the drain, where it would
// otherwise wait for the input gradients coming back up the chain.
void zeroBubbleH1(int S, int M, int j, std::vector<ScheduleOp> *order)
{
    const int warmup = std::clamp(S - j, 0, M);
    const int defer = j;
    int nextF = 0;
    int nextW = 0;
    for (; nextF < warmup; ++nextF) {
        order->push_back({OpKind::Forward, j, nextF, 0});
    }
    for (int m = 0; m < M; ++m) {
        if (nextF < M) {
            order->push_back({OpKind::Forward, j, nextF++, 0});
        }
        order->push_back({OpKind::BackwardInput, j, m, 0});
        if (m - defer >= 0) {
            order->push_back({OpKind::BackwardWeight, j, nextW++, 0});
        }
    }
    for (; nextW < M; ++nextW) {
        order->push_back({OpKind::BackwardWeight, j, nextW, 0});
    }
}

} // namespace

int virtualStage(ScheduleKind kind, int stages, int stage, int chunk)
{
    if (kind == ScheduleKind::ZeroBubbleV) {
        return chunk == 0 ? stage : 2 * stages - 1 - stage;
    }
    return chunk * stages + stage;
}

void stageOfVirtual(ScheduleKind kind, int stages, int k, int *stage, int *chunk)
{
    if (kind == ScheduleKind::ZeroBubbleV) {
        *chunk = k < stages ? 0 : 1;
        *stage = k < stages ? k : 2 * stages - 1 - k;
        return;
    }
    *chunk = k / stages;
    *stage = k % stages;
}

void fillStageOrder(ScheduleKind kind, int stages, int microbatches, int interleave, int stage,
    std::vector<ScheduleOp> *order)
{
    order->clear();
    const int S = std::max(1, stages);
    const int M = std::max(1, microbatches);
    const int j = std::clamp(stage, 0, S - 1);
    const int v = chunksOf(kind, interleave);
    switch (kind) {
    case ScheduleKind::GPipe:
        gpipe(M, j, order);
        return;
    case ScheduleKind::OneFOneB:
        oneFOneB(S, M, j, order);
        return;
    case ScheduleKind::Interleaved:
        if (v == 1) {
            oneFOneB(S, M, j, order);
        } else {
            interleaved(S, M, v, j, order);
        }
        return;
    case ScheduleKind::ZeroBubbleH1:
        zeroBubbleH1(S, M, j, order);
        return;
    case ScheduleKind::ZeroBubbleV: {
        // List scheduling is O(S·M) per call and every stage asks: keep the last (S, M)'s
        // orders (the cost model evaluates one chain stage by stage, many times per round).
        thread_local int cachedS = 0;
        thread_local int cachedM = 0;
        thread_local std::vector<std::vector<ScheduleOp>> cached;
        if (cachedS != S || cachedM != M) {
            cached = zeroBubbleVOrders(S, M, ChunkOpTimes{});
            cachedS = S;
            cachedM = M;
        }
        *order = cached[std::size_t(j)];
        return;
    }
    }
}

Schedule makeSchedule(
    ScheduleKind kind, int stages, int microbatches, int interleave, const ChunkOpTimes &zbvTimes)
{
    Schedule s;
    s.kind = kind;
    s.stages = std::max(1, stages);
    s.microbatches = std::max(1, microbatches);
    s.chunks = chunksOf(kind, interleave);
    if (kind == ScheduleKind::ZeroBubbleV) {
        s.perStage = zeroBubbleVOrders(s.stages, s.microbatches, zbvTimes);
        return s;
    }
    s.perStage.resize(std::size_t(s.stages));
    for (int j = 0; j < s.stages; ++j) {
        s.perStage[std::size_t(j)].reserve(std::size_t(3 * s.microbatches * s.chunks));
        fillStageOrder(kind, s.stages, s.microbatches, s.chunks, j, &s.perStage[std::size_t(j)]);
    }
    return s;
}

} // namespace collapipe
