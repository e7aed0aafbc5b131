// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/schedule.h"

#include <vector>

/// One global order of a schedule's ops, for an executor that runs them one at a time (the
/// trainer; the Lab's step-by-step view).
namespace collapipe {

/// Merges the per-stage orders into one order that respects every dependency of the chain
/// (pipeline_recursion.h): the order a synchronous machine would run them with one op per stage
/// per tick, every stage whose next op is ready running it (stages in index order within a tick).
/// F(k, m) after F(k − 1, m); B(k, m) after F(k, m) and B(k + 1, m); W(k, m) after B(k, m), for
/// virtual stages k. Returns fewer ops than the schedule holds only if its orders deadlock.
std::vector<ScheduleOp> executionOrder(const Schedule &schedule);

} // namespace collapipe
