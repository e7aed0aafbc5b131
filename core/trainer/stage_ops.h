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

/// A core/pipeline schedule as the trainer's ops, in executionOrder(). The trainer executes ops of
/// whole stages: fused F/B (GPipe, 1F1B) and split B/W (ZB-H1). A schedule with chunks
/// (interleaved with v ≥ 2, ZB-V) is refused (false + message naming the schedule): the trainer
/// does not yet give a device several non-contiguous block ranges.
bool stageOpsFromSchedule(const Schedule &schedule, std::vector<StageOp> *ops, QString *error);

/// The Forward/Backward events of one cluster from the [2/6] timeline, sorted by start time
/// (ties: stage, then micro-batch, then forward before backward).
std::vector<StageOp> stageOpsFromTimeline(const std::vector<TimelineEvent> &events, int cluster);

/// Checks that `ops` holds each (stage, micro-batch) forward exactly once and either its fused
/// backward or its B and W exactly once each (never both forms), in a dependency-respecting order
/// (W after its B); false + message naming the first offending op or the first missing one.
bool validateStageOps(
    const std::vector<StageOp> &ops, int stages, int microbatches, QString *error);

} // namespace collapipe
