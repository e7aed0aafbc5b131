// SPDX-License-Identifier: MIT
#pragma once

#include "ui/canvas/lab_step_item.h"
#include "ui/lab/lab_schedule_source.h"

#include <optional>

namespace collapipe {

/// Where the output of compute op `op` of schedule `kind` goes next, in stage indices: ≥ 0 a
/// stage, kToControlUnit (stage 0's input gradient), kToEdge (the last virtual stage's
/// activations), kNowhere (a W, or a hop between two chunks on the same device). Interleaved
/// wraps from the last stage to the first between chunks; ZB-V's chunk 1 runs the stages
/// backwards (its V ends on stage 0, which sends to the edge).
constexpr int kToControlUnit = -1;
constexpr int kToEdge = -2;
constexpr int kNowhere = -3;
int labOpTarget(const LabScheduleKind &kind, int stages, const LabEvent &op);

/// The canvas mark of op `op` of schedule `kind` in `plan` (its scenario's ids): the device of
/// the op's stage, and the receiver of its output. Empty when the plan names no such device.
std::optional<LabStepMark> labStepMark(
    const LabPlan &plan, const LabScheduleKind &kind, const LabEvent &op);

} // namespace collapipe
