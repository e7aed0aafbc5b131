// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

/// Which code computes the trainer's fp32 math (issue [3/7] finding 8: results must not depend
/// on the CPU). Two choices, both per run:
///
/// - the kernel MODE (Scenario training.kernels): `reproducible` (default) runs the trainer's
///   own fixed-order gemm and element-wise kernels, whose every output element is computed by the
///   same sequence of IEEE float operations on any x86-64 CPU — no FMA, no reassociation, no
///   approximate instructions, no libm — so a scenario and a seed give the same curve bit for
///   bit on Intel or AMD, with or without AVX-512, in a portable or -march=native build.
///   `fastest` hands the matrix products to BLIS, whose runtime dispatch picks per-CPU
///   micro-kernels (different summation order and FMA): faster, equal only on the same CPU model.
/// - the instruction set (ISA) the own kernels are compiled for: baseline x86-64 (SSE2), AVX2 or
///   AVX-512, the best the CPU has. Only the vector width changes, never an element's arithmetic,
///   so every ISA gives the same bits; COLLAPIPE_TRAINER_ISA=baseline|avx2|avx512 (or forceIsa)
///   picks a lower one, which is how the tests show that on one machine.
namespace collapipe::kernels {

enum class Isa {
    Baseline, ///< x86-64 SSE2 (4 floats per vector); the generic build elsewhere
    Avx2,     ///< 8 floats per vector (no FMA: the own kernels never fuse)
    Avx512    ///< 16 floats per vector (AVX-512F)
};

enum class Mode {
    Reproducible, ///< own fixed-order kernels: the same bits on every CPU (default)
    Fastest       ///< BLIS's per-CPU gemm: faster, CPU-dependent results
};

/// "baseline", "avx2", "avx512".
const char *isaName(Isa isa);

/// The ISAs this CPU runs, lowest first; Baseline is always there.
std::vector<Isa> supportedIsas();

/// The ISA the own kernels use now: forceIsa's, else COLLAPIPE_TRAINER_ISA's when this CPU has
/// it (an unknown or unsupported value is reported on stderr once and ignored), else the best.
Isa activeIsa();

/// Forces the ISA for the whole process (tests, benchmarks). False, and nothing changes, when
/// this CPU lacks it.
bool forceIsa(Isa isa);

/// The mode of the calling thread (Reproducible unless a ModeScope says otherwise).
/// The trainer hands the caller's mode to parallelFor's workers (federated_trainer.cpp).
Mode currentMode();

/// Sets the calling thread's mode for the lifetime of the object (restores the previous one).
class ModeScope
{
public:
    explicit ModeScope(Mode mode);
    ~ModeScope();
    ModeScope(const ModeScope &) = delete;
    ModeScope &operator=(const ModeScope &) = delete;

private:
    Mode m_previous;
};

} // namespace collapipe::kernels
