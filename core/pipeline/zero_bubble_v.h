// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/schedule.h"

#include <vector>

/// The ZB-V op order (Qi et al. 2024, "Zero Bubble Pipeline Parallelism", V-shape): each device
/// holds two chunks, chunk 0 at virtual stage j (down the devices) and chunk 1 at 2S − 1 − j
/// (back up), so device 0 runs both the first and the last chunk of the chain; the backward is
/// split into B and W. Built by list scheduling with given op times (unit by default), free links
/// and a free edge (core/MODEL.md "Schedules"), then used as a fixed order for any op times.
namespace collapipe {

/// Per-stage op orders of ZB-V for S stages and M micro-batches (S, M ≥ 1), list-scheduled
/// with the given op durations (one chunk's F, B, W; free links, free edge). Each device runs,
/// whenever idle and in this priority: a ready B (oldest micro-batch first, chunk 1 on a tie);
/// a ready F (chunk 1 first) while its stash stays within 2(S + 1) chunk activations (1F1B's
/// peak on stage 0, S + 1 micro-batches of a whole stage) and a chunk-0 F leaves room for one
/// chunk-1 F (so the V always drains); otherwise its oldest pending W.
std::vector<std::vector<ScheduleOp>> zeroBubbleVOrders(
    int stages, int microbatches, const ChunkOpTimes &times);

} // namespace collapipe
