// SPDX-License-Identifier: MIT
#include "core/trainer/kernel_path.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace collapipe::kernels {

namespace {

thread_local Mode t_mode = Mode::Reproducible;

// −1: not forced.
std::atomic<int> g_forced{-1};

bool cpuHas(Isa isa)
{
#if defined(__x86_64__) && defined(__GNUC__)
    switch (isa) {
    case Isa::Baseline:
        return true;
    case Isa::Avx2:
        return __builtin_cpu_supports("avx2");
    case Isa::Avx512:
        return __builtin_cpu_supports("avx512f");
    }
    return false;
#else
    return isa == Isa::Baseline;
#endif
}

Isa bestIsa()
{
    const std::vector<Isa> all = supportedIsas();
    return all.back();
}

Isa fromEnvironment()
{
    const char *env = std::getenv("COLLAPIPE_TRAINER_ISA");
    if (env == nullptr || *env == '\0') {
        return bestIsa();
    }
    for (Isa isa : {Isa::Baseline, Isa::Avx2, Isa::Avx512}) {
        if (std::strcmp(env, isaName(isa)) == 0) {
            if (cpuHas(isa)) {
                return isa;
            }
            std::fprintf(stderr,
                "COLLAPIPE_TRAINER_ISA=%s: this CPU lacks %s; using %s (results are the same)\n",
                env, env, isaName(bestIsa()));
            return bestIsa();
        }
    }
    std::fprintf(stderr, "COLLAPIPE_TRAINER_ISA=%s: unknown (baseline, avx2 or avx512); using %s\n",
        env, isaName(bestIsa()));
    return bestIsa();
}

} // namespace

const char *isaName(Isa isa)
{
    switch (isa) {
    case Isa::Baseline:
        return "baseline";
    case Isa::Avx2:
        return "avx2";
    case Isa::Avx512:
        return "avx512";
    }
    return "?";
}

std::vector<Isa> supportedIsas()
{
    std::vector<Isa> out;
    for (Isa isa : {Isa::Baseline, Isa::Avx2, Isa::Avx512}) {
        if (cpuHas(isa)) {
            out.push_back(isa);
        }
    }
    return out;
}

Isa activeIsa()
{
    const int forced = g_forced.load(std::memory_order_relaxed);
    if (forced >= 0) {
        return Isa(forced);
    }
    static const Isa fromEnv = fromEnvironment();
    return fromEnv;
}

bool forceIsa(Isa isa)
{
    if (!cpuHas(isa)) {
        return false;
    }
    g_forced.store(int(isa), std::memory_order_relaxed);
    return true;
}

Mode currentMode()
{
    return t_mode;
}

ModeScope::ModeScope(Mode mode)
    : m_previous(t_mode)
{
    t_mode = mode;
}

ModeScope::~ModeScope()
{
    t_mode = m_previous;
}

} // namespace collapipe::kernels
