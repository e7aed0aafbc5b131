// SPDX-License-Identifier: MIT
#pragma once

#if defined(__AVX__)
#include <immintrin.h>
#endif

/// Clears the upper halves of the AVX registers (x86-64 `vzeroupper`) so the round's SSE code
/// runs at full speed. Measured on this project's machines (Intel Xeon, Qt 6.4.2 from Debian 12):
/// an insert into a QHash<QString, …> (scenario parsing and validation use them) leaves the
/// upper AVX state dirty, and from then on every legacy-SSE instruction of the portable build —
/// all of core's floating point, and the SSE2 entry points of libm it calls — pays the
/// SSE/AVX transition penalty: log10 + pow of one path loss took ~1,100 TSC ticks instead of
/// ~50, and a cost-only round of the uniform policy ran 3.3× slower (DSSDA 2.4×). Nothing in
/// the process cleans the state on its own (only some of glibc's memmove sizes do, by luck).
/// stepRound() calls this first: the threads a round starts (parallelFor) copy the clean state;
/// the optimizer's entry points (DssdaPolicy::decide(), solveCluster(), OraclePolicy::decide())
/// call it too, so `collapipe plan`, the Lab and direct calls get it without a round.
/// Changes no value: only the upper halves, which SSE code never reads, are cleared. A no-op off
/// x86-64, on a CPU without AVX, and in a build whose own code is AVX (-march=native: the
/// compiler then places vzeroupper itself, and this is its intrinsic).
namespace collapipe {

inline void clearUpperVectorState()
{
#if defined(__AVX__)
    _mm256_zeroupper();
#elif defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    static const bool avx = __builtin_cpu_supports("avx");
    if (avx) {
        // The clobbers: the compiler keeps nothing in a vector register across the asm.
        asm volatile("vzeroupper" ::
                         : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
                     "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    }
#endif
}

} // namespace collapipe
