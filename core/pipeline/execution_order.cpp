// SPDX-License-Identifier: MIT
#include "core/pipeline/execution_order.h"

#include <cstddef>

namespace collapipe {

std::vector<ScheduleOp> executionOrder(const Schedule &schedule)
{
    const int S = schedule.stages;
    const int M = schedule.microbatches;
    const int V = schedule.chunks * S;
    // done[kind][k·M + m]: forward, backward (fused or B) and W of virtual stage k, micro-batch m.
    std::vector<char> fwd(static_cast<std::size_t>(V * M), 0);
    std::vector<char> bwd(fwd.size(), 0);
    std::vector<std::size_t> next(static_cast<std::size_t>(S), 0);
    std::vector<ScheduleOp> out;
    std::vector<ScheduleOp> tick;
    bool progress = true;
    while (progress) {
        progress = false;
        tick.clear();
        for (int j = 0; j < S; ++j) {
            const auto &order = schedule.perStage[std::size_t(j)];
            if (next[std::size_t(j)] >= order.size()) {
                continue;
            }
            const ScheduleOp &op = order[next[std::size_t(j)]];
            const int k = virtualStage(schedule.kind, S, j, op.chunk);
            const std::size_t at = std::size_t(k * M + op.microbatch);
            bool ready = false;
            switch (op.kind) {
            case OpKind::Forward:
                ready = k == 0 || fwd[at - std::size_t(M)];
                break;
            case OpKind::Backward:
            case OpKind::BackwardInput:
                ready = fwd[at] && (k == V - 1 || bwd[at + std::size_t(M)]);
                break;
            case OpKind::BackwardWeight:
                ready = bwd[at];
                break;
            }
            if (ready) {
                tick.push_back(op);
            }
        }
        // Ops of one tick become visible together (each saw only the previous ticks).
        for (const ScheduleOp &op : tick) {
            const int k = virtualStage(schedule.kind, S, op.stage, op.chunk);
            const std::size_t at = std::size_t(k * M + op.microbatch);
            if (op.kind == OpKind::Forward) {
                fwd[at] = 1;
            } else if (op.kind != OpKind::BackwardWeight) {
                bwd[at] = 1;
            }
            ++next[std::size_t(op.stage)];
            out.push_back(op);
            progress = true;
        }
    }
    return out;
}

} // namespace collapipe
