// SPDX-License-Identifier: MIT
#include "core/trainer/stage_ops.h"

#include "core/pipeline/execution_order.h"

#include <algorithm>

namespace collapipe {

bool stageOpsFromSchedule(const Schedule &schedule, std::vector<StageOp> *ops, QString *error)
{
    if (schedule.chunks != 1 || splitsBackward(schedule.kind)) {
        *error = QStringLiteral("schedule \"%1\" (%2 chunks%3) cannot run in the trainer yet: it "
                                "executes fused forward/backward ops of whole stages only")
                     .arg(QLatin1String(scheduleName(schedule.kind)))
                     .arg(schedule.chunks)
                     .arg(splitsBackward(schedule.kind) ? QStringLiteral(", split backward")
                                                        : QString());
        return false;
    }
    ops->clear();
    for (const ScheduleOp &op : executionOrder(schedule)) {
        ops->push_back({op.stage, op.microbatch, op.kind == OpKind::Backward});
    }
    return true;
}

std::vector<StageOp> scheduleStageOps(PipelineSchedule schedule, int stages, int microbatches)
{
    std::vector<StageOp> ops;
    QString unused;
    // GPipe and 1F1B have one chunk and a fused backward: never refused.
    stageOpsFromSchedule(makeSchedule(scheduleKind(schedule), stages, microbatches), &ops, &unused);
    return ops;
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
        out.push_back({e->stage, e->microbatch, e->kind == EventKind::Backward});
    }
    return out;
}

bool validateStageOps(const std::vector<StageOp> &ops, int stages, int microbatches, QString *error)
{
    std::vector<std::vector<char>> fwd(
        static_cast<size_t>(stages), std::vector<char>(size_t(microbatches), 0));
    auto bwd = fwd;
    for (size_t i = 0; i < ops.size(); ++i) {
        const StageOp &op = ops[i];
        const QString what
            = QStringLiteral("op %1 (stage %2, micro-batch %3, %4)")
                  .arg(i)
                  .arg(op.stage)
                  .arg(op.microbatch)
                  .arg(op.backward ? QStringLiteral("backward") : QStringLiteral("forward"));
        if (op.stage < 0 || op.stage >= stages || op.microbatch < 0
            || op.microbatch >= microbatches) {
            *error = what
                + QStringLiteral(": out of range (%1 stages, %2 micro-batches)")
                      .arg(stages)
                      .arg(microbatches);
            return false;
        }
        const size_t j = size_t(op.stage), m = size_t(op.microbatch);
        auto &done = op.backward ? bwd : fwd;
        if (done[j][m]) {
            *error = what + QStringLiteral(": appears twice");
            return false;
        }
        const bool ready = op.backward ? fwd[j][m] && (op.stage == stages - 1 || bwd[j + 1][m])
                                       : (op.stage == 0 || fwd[j - 1][m]);
        if (!ready) {
            *error = what + QStringLiteral(": runs before the op it depends on");
            return false;
        }
        done[j][m] = 1;
    }
    if (ops.size() != size_t(2 * stages * microbatches)) {
        *error
            = QStringLiteral("op list has %1 ops, expected %2 (2 × %3 stages × %4 micro-batches)")
                  .arg(ops.size())
                  .arg(2 * stages * microbatches)
                  .arg(stages)
                  .arg(microbatches);
        return false;
    }
    return true;
}

} // namespace collapipe
