// SPDX-License-Identifier: MIT
#include "core/trainer/stage_ops.h"

#include "core/pipeline/execution_order.h"

#include <algorithm>
#include <array>

namespace collapipe {

bool stageOpsFromSchedule(const Schedule &schedule, std::vector<StageOp> *ops, QString *error)
{
    const std::vector<ScheduleOp> order = executionOrder(schedule);
    size_t total = 0;
    for (const std::vector<ScheduleOp> &stage : schedule.perStage) {
        total += stage.size();
    }
    if (order.size() != total) {
        *error = QStringLiteral("schedule \"%1\" (S = %2, M = %3, v = %4) deadlocks after %5 of "
                                "its %6 ops")
                     .arg(QLatin1String(scheduleName(schedule.kind)))
                     .arg(schedule.stages)
                     .arg(schedule.microbatches)
                     .arg(schedule.chunks)
                     .arg(order.size())
                     .arg(total);
        return false;
    }
    ops->clear();
    for (const ScheduleOp &op : order) {
        // The chain position: core/pipeline's mapping, the one definition of where a chunk sits
        // (interleaved: chunk·S + stage; ZB-V: stage, then 2S − 1 − stage on the way back).
        const int k = schedule.chunks > 1
            ? virtualStage(schedule.kind, schedule.stages, op.stage, op.chunk)
            : -1;
        ops->push_back({op.stage, op.microbatch, op.kind, op.chunk, k});
    }
    return true;
}

std::vector<StageOp> scheduleStageOps(ScheduleKind kind, int stages, int microbatches, int chunks)
{
    std::vector<StageOp> ops;
    QString unused;
    // core/pipeline's orders never deadlock (tests/pipeline): the check cannot fire here.
    stageOpsFromSchedule(makeSchedule(kind, stages, microbatches, chunks), &ops, &unused);
    return ops;
}

std::vector<StageOp> scheduleStageOps(PipelineSchedule schedule, int stages, int microbatches)
{
    return scheduleStageOps(scheduleKind(schedule), stages, microbatches, 1);
}

std::vector<StageOp> stageOpsFromTimeline(const std::vector<TimelineEvent> &events, int cluster)
{
    std::vector<const TimelineEvent *> sel;
    for (const TimelineEvent &e : events) {
        if (e.cluster == cluster
            && (e.kind == EventKind::Forward || e.kind == EventKind::Backward)) {
            sel.push_back(&e);
        }
    }
    std::stable_sort(sel.begin(), sel.end(), [](const TimelineEvent *a, const TimelineEvent *b) {
        if (a->startS != b->startS) {
            return a->startS < b->startS;
        }
        if (a->stage != b->stage) {
            return a->stage < b->stage;
        }
        if (a->microbatch != b->microbatch) {
            return a->microbatch < b->microbatch;
        }
        return a->kind == EventKind::Forward && b->kind != EventKind::Forward;
    });
    std::vector<StageOp> out;
    out.reserve(sel.size());
    for (const TimelineEvent *e : sel) {
        out.push_back({e->stage, e->microbatch,
            e->kind == EventKind::Backward ? OpKind::Backward : OpKind::Forward});
    }
    return out;
}

namespace {

const char *opKindName(OpKind kind)
{
    switch (kind) {
    case OpKind::Forward:
        return "forward";
    case OpKind::Backward:
        return "backward";
    case OpKind::BackwardInput:
        return "backward-input B";
    case OpKind::BackwardWeight:
        return "backward-weight W";
    }
    return "?";
}

} // namespace

bool validateStageOps(const std::vector<StageOp> &ops, int stages, int microbatches, QString *error)
{
    // done[kind][stage][micro-batch]
    std::array<std::vector<std::vector<char>>, 4> done;
    for (auto &d : done) {
        d.assign(size_t(stages), std::vector<char>(size_t(microbatches), 0));
    }
    const auto has = [&done](OpKind k, size_t j, size_t m) { return done[size_t(k)][j][m] != 0; };
    // Stage j's input gradient of m is out once its fused backward or its B has run.
    const auto gradientOut = [&has](size_t j, size_t m) {
        return has(OpKind::Backward, j, m) || has(OpKind::BackwardInput, j, m);
    };
    for (size_t i = 0; i < ops.size(); ++i) {
        const StageOp &op = ops[i];
        const int k = op.chainStage();
        const QString where = k == op.stage && op.chunk == 0
            ? QStringLiteral("stage %1").arg(k)
            : QStringLiteral("stage %1, chunk %2 = virtual stage %3")
                  .arg(op.stage)
                  .arg(op.chunk)
                  .arg(k);
        const QString what = QStringLiteral("op %1 (%2, micro-batch %3, %4)")
                                 .arg(i)
                                 .arg(where)
                                 .arg(op.microbatch)
                                 .arg(QLatin1String(opKindName(op.kind)));
        if (k < 0 || k >= stages || op.microbatch < 0 || op.microbatch >= microbatches) {
            *error = what
                + QStringLiteral(": out of range (%1 stages, %2 micro-batches)")
                      .arg(stages)
                      .arg(microbatches);
            return false;
        }
        const size_t j = size_t(k), m = size_t(op.microbatch);
        if (has(op.kind, j, m)) {
            *error = what + QStringLiteral(": appears twice");
            return false;
        }
        const bool fused = op.kind == OpKind::Backward;
        if ((fused && (has(OpKind::BackwardInput, j, m) || has(OpKind::BackwardWeight, j, m)))
            || (!fused && op.kind != OpKind::Forward && has(OpKind::Backward, j, m))) {
            *error = what + QStringLiteral(": mixes a fused backward with a split one");
            return false;
        }
        bool ready = false;
        switch (op.kind) {
        case OpKind::Forward:
            ready = k == 0 || has(OpKind::Forward, j - 1, m);
            break;
        case OpKind::Backward:
        case OpKind::BackwardInput:
            ready = has(OpKind::Forward, j, m) && (k == stages - 1 || gradientOut(j + 1, m));
            break;
        case OpKind::BackwardWeight:
            ready = has(OpKind::BackwardInput, j, m);
            break;
        }
        if (!ready) {
            *error = what + QStringLiteral(": runs before the op it depends on");
            return false;
        }
        done[size_t(op.kind)][j][m] = 1;
    }
    for (int j = 0; j < stages; ++j) {
        for (int m = 0; m < microbatches; ++m) {
            const size_t js = size_t(j), ms = size_t(m);
            const char *missing = !has(OpKind::Forward, js, ms) ? "forward"
                : has(OpKind::Backward, js, ms)                 ? nullptr
                : !has(OpKind::BackwardInput, js, ms)           ? "backward"
                : !has(OpKind::BackwardWeight, js, ms)          ? "backward-weight W"
                                                                : nullptr;
            if (missing) {
                *error = QStringLiteral("op list has %1 ops and lacks the %2 of stage %3, "
                                        "micro-batch %4 (%5 stages × %6 micro-batches)")
                             .arg(ops.size())
                             .arg(QLatin1String(missing))
                             .arg(j)
                             .arg(m)
                             .arg(stages)
                             .arg(microbatches);
                return false;
            }
        }
    }
    return true;
}

} // namespace collapipe
