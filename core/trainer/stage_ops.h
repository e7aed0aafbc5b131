// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/federated_trainer.h"
#include "core/types/timeline_event.h"

#include <QString>

#include <vector>

/// Execution orders of a cluster's micro-batch ops (spec §2.3, §10-D).
namespace collapipe {

/// GPipe: every stage runs all forwards, then all backwards (flush).
std::vector<StageOp> gpipeOrder(int stages, int microbatches);

/// 1F1B: stage j runs min(S−j−1, M) warm-up forwards, then alternates one forward and one
/// backward, then drains its backwards (at most S−j micro-batches in flight).
std::vector<StageOp> oneFOneBOrder(int stages, int microbatches);

/// Interleaves per-stage op sequences into one dependency-respecting global order (the order
/// the ops would run on a synchronous machine with one op per stage per tick).
std::vector<StageOp> mergeStageSequences(
    const std::vector<std::vector<StageOp>> &perStage, int microbatches);

/// The Forward/Backward events of one cluster from the [2/6] timeline, sorted by start time
/// (ties: stage, then micro-batch, then forward before backward).
std::vector<StageOp> stageOpsFromTimeline(const std::vector<TimelineEvent> &events, int cluster);

/// Checks that `ops` holds each (stage, micro-batch) forward and backward exactly once in a
/// dependency-respecting order; false + message naming the first offending op.
bool validateStageOps(
    const std::vector<StageOp> &ops, int stages, int microbatches, QString *error);

} // namespace collapipe
