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

/// A core/pipeline schedule as the trainer's ops, in executionOrder(). The trainer executes fused
/// F/B ops of whole stages only: a schedule with chunks or a split backward is refused (false +
/// message naming the schedule) until the trainer runs B/W and chunk ops.
bool stageOpsFromSchedule(const Schedule &schedule, std::vector<StageOp> *ops, QString *error);

/// The Forward/Backward events of one cluster from the [2/6] timeline, sorted by start time
/// (ties: stage, then micro-batch, then forward before backward).
std::vector<StageOp> stageOpsFromTimeline(const std::vector<TimelineEvent> &events, int cluster);

/// Checks that `ops` holds each (stage, micro-batch) forward and backward exactly once in a
/// dependency-respecting order; false + message naming the first offending op.
bool validateStageOps(
    const std::vector<StageOp> &ops, int stages, int microbatches, QString *error);

} // namespace collapipe
