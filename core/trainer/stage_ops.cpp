// SPDX-License-Identifier: MIT
#include "core/trainer/stage_ops.h"

#include <algorithm>

namespace collapipe {

std::vector<StageOp> mergeStageSequences(
    const std::vector<std::vector<StageOp>> &perStage, int microbatches)
{
    const int stages = int(perStage.size());
    std::vector<std::vector<char>> fwd(
        static_cast<size_t>(stages), std::vector<char>(size_t(microbatches), 0));
    auto bwd = fwd;
    std::vector<size_t> next(static_cast<size_t>(stages), 0);
    std::vector<StageOp> out;
    bool progress = true;
    while (progress) {
        progress = false;
        // One tick: every stage whose next op is ready (given the previous tick) runs it.
        std::vector<StageOp> tick;
        for (int j = 0; j < stages; ++j) {
            if (next[size_t(j)] >= perStage[size_t(j)].size()) {
                continue;
            }
            const StageOp op = perStage[size_t(j)][next[size_t(j)]];
            const size_t m = size_t(op.microbatch);
            const bool ready = op.backward
                ? fwd[size_t(j)][m] && (j == stages - 1 || bwd[size_t(j + 1)][m])
                : (j == 0 || fwd[size_t(j - 1)][m]);
            if (ready) {
                tick.push_back(op);
            }
        }
        for (const StageOp &op : tick) {
            (op.backward ? bwd : fwd)[size_t(op.stage)][size_t(op.microbatch)] = 1;
            ++next[size_t(op.stage)];
            out.push_back(op);
            progress = true;
        }
    }
    return out;
}

std::vector<StageOp> gpipeOrder(int stages, int microbatches)
{
    std::vector<std::vector<StageOp>> per(static_cast<size_t>(stages));
    for (int j = 0; j < stages; ++j) {
        for (int m = 0; m < microbatches; ++m) {
            per[size_t(j)].push_back({j, m, false});
        }
        for (int m = 0; m < microbatches; ++m) {
            per[size_t(j)].push_back({j, m, true});
        }
    }
    return mergeStageSequences(per, microbatches);
}

std::vector<StageOp> oneFOneBOrder(int stages, int microbatches)
{
    std::vector<std::vector<StageOp>> per(static_cast<size_t>(stages));
    for (int j = 0; j < stages; ++j) {
        const int warm = std::min(stages - j - 1, microbatches);
        int f = 0, b = 0;
        auto &seq = per[size_t(j)];
        for (; f < warm; ++f) {
            seq.push_back({j, f, false});
        }
        while (f < microbatches) {
            seq.push_back({j, f++, false});
            seq.push_back({j, b++, true});
        }
        while (b < microbatches) {
            seq.push_back({j, b++, true});
        }
    }
    return mergeStageSequences(per, microbatches);
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
