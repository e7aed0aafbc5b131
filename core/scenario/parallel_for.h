// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

/// The engine's one thread pool (issue [3/7] "the plumbing"): the trainer spreads clusters over
/// it, the DSSDA solver too, and both size it from `training.threads`, so a run never uses more
/// worker threads than the scenario allows. A leaf (no engine types) so every module can use it.
namespace collapipe {

/// Physical cores: distinct (physical id, core id) pairs of /proc/cpuinfo; falls back to
/// std::thread::hardware_concurrency() (logical CPUs), then 1.
int physicalCoreCount();

/// The worker count a `training.threads` value asks for: `requested` if ≥ 1, else
/// physicalCoreCount().
int resolveThreadCount(int requested);

/// Calls fn(0..n−1), spread over min(threads, n) threads (the caller's thread is one of them,
/// so `threads` ≤ 1 runs everything inline). Each index runs exactly once; which thread runs it
/// does not affect results when the calls touch disjoint state. Thread-local state of the
/// caller (e.g. the trainer's kernel mode) is not carried over: set it inside `fn`.
void parallelFor(int n, int threads, const std::function<void(int)> &fn);

} // namespace collapipe
