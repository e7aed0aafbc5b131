// SPDX-License-Identifier: MIT
#pragma once

/// The pipeline schedule a cluster runs (spec §2.3). Here, below scenario, because a Decision
/// names it too and the trainer, cost and pipeline modules read it without needing the scenario.
/// Its JSON keys ("gpipe", "1f1b") live in the scenario's field table (scenario_fields.cpp).
namespace collapipe {

enum class PipelineSchedule {
    GPipe,
    OneFOneB
};

} // namespace collapipe
