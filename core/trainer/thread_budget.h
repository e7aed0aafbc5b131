// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

/// The trainer's own bounded parallelism: Eigen runs single-threaded (no OpenMP), and the
/// trainer spreads independent clusters over at most `threads` workers, so it never
/// oversubscribes the cores it was given.
namespace collapipe {

/// Physical cores: distinct (physical id, core id) pairs of /proc/cpuinfo; falls back to
/// std::thread::hardware_concurrency() (logical CPUs), then 1.
int physicalCoreCount();

/// `requested` if ≥ 1, else physicalCoreCount().
int resolveThreadCount(int requested);

/// Calls fn(0..n−1), spread over min(threads, n) threads (the caller's thread is one of them).
/// Each index runs exactly once; which thread runs it does not affect results when the calls
/// touch disjoint state.
void parallelFor(int n, int threads, const std::function<void(int)> &fn);

} // namespace collapipe
