// SPDX-License-Identifier: MIT
#pragma once

#include <ctime>

/// CPU seconds this process has used (all threads): the benchmarks report CPU time beside wall
/// time because the machine they run on is often shared.
namespace collapipe::bench {

inline double processCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/// CPU seconds the calling thread has used (the round loop's share, without a store committer's).
inline double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

} // namespace collapipe::bench
