// SPDX-License-Identifier: MIT
#include "core/pipeline/schedule_memory.h"

#include "core/pipeline/pipeline_recursion.h"

#include <algorithm>
#include <cstddef>

namespace collapipe {

namespace {

bool freesStash(OpKind kind)
{
    return kind == OpKind::Backward || kind == OpKind::BackwardWeight;
}

/// The most activations one stage's order holds at once: +1 per forward, −1 per op that frees.
int peakOfOrder(const std::vector<ScheduleOp> &order)
{
    int now = 0;
    int most = 0;
    for (const ScheduleOp &op : order) {
        if (op.kind == OpKind::Forward) {
            most = std::max(most, ++now);
        } else if (freesStash(op.kind)) {
            --now;
        }
    }
    return most;
}

} // namespace

std::vector<int> peakStashed(const Schedule &schedule)
{
    std::vector<int> peak;
    peak.reserve(schedule.perStage.size());
    for (const std::vector<ScheduleOp> &order : schedule.perStage) {
        peak.push_back(peakOfOrder(order));
    }
    return peak;
}

int stashedChunks(ScheduleKind kind, int interleave, int microbatches, int stageCount, int stage)
{
    const int M = std::max(1, microbatches);
    switch (kind) {
    case ScheduleKind::GPipe:
        return M;
    case ScheduleKind::OneFOneB:
        // S − j warm-up forwards (the edge is the last stage), then one F per B: peak S − j + 1.
        return std::clamp(stageCount - stage + 1, 1, M);
    case ScheduleKind::ZeroBubbleH1:
        // Stage j defers j weight gradients past 1F1B's S − j + 1: S + 1 on every stage.
        return std::clamp(stageCount + 1, 1, M);
    case ScheduleKind::Interleaved:
    case ScheduleKind::ZeroBubbleV:
        break;
    }
    thread_local std::vector<ScheduleOp> order;
    fillStageOrder(kind, stageCount, M, interleave, stage, &order);
    return peakOfOrder(order);
}

int stashedMicrobatches(ScheduleKind kind, int microbatches, int stageCount, int stage)
{
    return stashedChunks(kind, 1, microbatches, stageCount, stage);
}

std::vector<std::vector<StashPoint>> stashCurves(
    const std::vector<PipelineEvent> &events, int stages)
{
    // A device's ops in execution order (they do not overlap, so by end time). An event's start
    // is its end minus its duration, which may round a hair below the previous op's end: the
    // curve follows the execution order and keeps its times monotone instead of sorting the
    // steps by time, so its counts are exactly the order's (peakStashed()).
    std::vector<std::vector<const PipelineEvent *>> ops(std::size_t(std::max(0, stages)));
    for (const PipelineEvent &pe : events) {
        const TimelineEvent &e = pe.event;
        if (e.resource.kind == ResourceKind::Device && e.stage >= 0 && e.stage < stages
            && (e.kind == EventKind::Forward || e.kind == EventKind::Backward)) {
            ops[std::size_t(e.stage)].push_back(&pe);
        }
    }
    std::vector<std::vector<StashPoint>> curves(ops.size());
    for (std::size_t j = 0; j < ops.size(); ++j) {
        std::stable_sort(
            ops[j].begin(), ops[j].end(), [](const PipelineEvent *a, const PipelineEvent *b) {
                return a->event.endS < b->event.endS;
            });
        auto &curve = curves[j];
        curve.push_back({0.0, 0});
        int now = 0;
        for (const PipelineEvent *pe : ops[j]) {
            double time = 0.0;
            if (pe->event.kind == EventKind::Forward) {
                ++now;
                time = pe->event.startS;
            } else if (freesStash(pe->op)) {
                --now;
                time = pe->event.endS;
            } else {
                continue;
            }
            // Several points may share a time (a backward ending as the next forward starts):
            // the step function passes through each count, so its maximum is the order's peak.
            curve.push_back({std::max(time, curve.back().timeS), now});
        }
    }
    return curves;
}

std::vector<int> peakOfCurves(const std::vector<std::vector<StashPoint>> &curves)
{
    std::vector<int> peak;
    peak.reserve(curves.size());
    for (const auto &curve : curves) {
        int most = 0;
        for (const StashPoint &p : curve) {
            most = std::max(most, p.stashed);
        }
        peak.push_back(most);
    }
    return peak;
}

} // namespace collapipe
