// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/schedule.h"
#include "core/trainer/federated_trainer.h"
#include "core/types/timeline_event.h"

#include <QString>

#include <vector>

/// Execution orders of a cluster's micro-batch ops (spec §2.3, §10-D).
namespace collapipe {

/// The cluster's ops in core/pipeline's order for `schedule` (makeSchedule() merged by
/// executionOrder(): the one definition of GPipe and 1F1B, the edge counted as the last stage).
std::vector<StageOp> scheduleStageOps(PipelineSchedule schedule, int stages, int microbatches);

/// The same for any schedule core/pipeline generates; `chunks` is v of Interleaved (ZB-V has 2
/// whatever is passed, the others 1).
std::vector<StageOp> scheduleStageOps(ScheduleKind kind, int stages, int microbatches, int chunks);

/// A core/pipeline schedule as the trainer's ops, in executionOrder(): fused F/B (GPipe, 1F1B),
/// split B/W (ZB-H1, ZB-V), and chunks (interleaved with v ≥ 2, ZB-V: each op carries its chunk
/// and its virtualStage(), which the trainer cuts the blocks by — chunk_layout.h). False +
/// message naming the schedule if its orders deadlock (never for makeSchedule()'s).
bool stageOpsFromSchedule(const Schedule &schedule, std::vector<StageOp> *ops, QString *error);

/// The Forward/Backward events of one cluster from the [2/6] timeline, sorted by start time
/// (ties: stage, then micro-batch, then forward before backward).
std::vector<StageOp> stageOpsFromTimeline(const std::vector<TimelineEvent> &events, int cluster);

/// Checks that `ops` holds each (chain stage, micro-batch) forward exactly once and either its fused
/// backward or its B and W exactly once each (never both forms), in a dependency-respecting order
/// (W after its B); false + message naming the first offending op or the first missing one.
/// `stages` is the chain's length: S, or V = v·S virtual stages with chunks (StageOp::chainStage()).
bool validateStageOps(
    const std::vector<StageOp> &ops, int stages, int microbatches, QString *error);

} // namespace collapipe
