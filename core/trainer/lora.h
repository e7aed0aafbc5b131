// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/gemm.h"
#include "core/trainer/tensor.h"

#include <cmath>
#include <vector>

/// Low-rank adapters (LoRA, Hu et al. 2021) on a frozen projection Y = X·W + b (issue [6/7],
/// training.mode = lora; core/MODEL.md "Parameter-efficient fine-tuning"):
///   Y += s · (X·Aᵀ)·Bᵀ,   A [r × in], B [out × r], s = alpha / r,
/// so the learned update of W [in × out] is s·Aᵀ·Bᵀ. B starts at zero (the adapted model equals
/// the base model at step 0) and A ~ N(0, 1/in). The rank-r intermediate U = X·Aᵀ [N × r] is
/// recomputed in the weight pass instead of stashed: no stash bytes beyond what the block already
/// keeps (X is its projection input, dY its output gradient), 2·N·r·in FLOP more.
namespace collapipe {

template <typename T> struct LoraAdapter
{
    Param<T> a; ///< A [r × in]
    Param<T> b; ///< B [out × r]
    T scale = T(0);

    bool active() const { return a.w.size() > 0; }

    void init(int in, int out, int rank, double alpha, std::mt19937_64 &rng)
    {
        a.resize(rank, in, true);
        a.randomize(rng, 1.0 / std::sqrt(double(in)));
        b.resize(out, rank, true);
        scale = T(alpha / rank);
    }
};

namespace ops {

/// y[N×out] += s·(x[N×in]·Aᵀ)·Bᵀ; nothing when the adapter is inactive.
template <typename T> void loraForward(const Mat<T> &x, const LoraAdapter<T> &l, Mat<T> &y)
{
    if (!l.active()) {
        return;
    }
    const int n = int(x.rows()), r = int(l.a.w.rows()), in = int(l.a.w.cols());
    const int out = int(l.b.w.rows());
    thread_local Mat<T> u;
    u.resize(n, r);
    gemm<T>(false, true, n, r, in, T(1), x.data(), in, l.a.w.data(), in, T(0), u.data(), r);
    gemm<T>(false, true, n, out, r, l.scale, u.data(), r, l.b.w.data(), r, T(1), y.data(), out);
}

/// The input half ("B"): dx[N×in] += s·(dy·B)·A; reads the adapter, writes no gradient.
template <typename T> void loraBackwardInput(const Mat<T> &dy, const LoraAdapter<T> &l, Mat<T> &dx)
{
    if (!l.active()) {
        return;
    }
    const int n = int(dy.rows()), r = int(l.a.w.rows()), in = int(l.a.w.cols());
    const int out = int(l.b.w.rows());
    thread_local Mat<T> du;
    du.resize(n, r);
    gemm<T>(false, false, n, r, out, l.scale, dy.data(), out, l.b.w.data(), r, T(0), du.data(), r);
    gemm<T>(false, false, n, in, r, T(1), du.data(), r, l.a.w.data(), in, T(1), dx.data(), in);
}

/// The weight half ("W"): dB += s·dyᵀ·(x·Aᵀ), dA += (s·dy·B)ᵀ·x, from the projection's input x
/// and output gradient dy (U and dU recomputed, see above).
template <typename T> void loraBackwardWeights(const Mat<T> &x, const Mat<T> &dy, LoraAdapter<T> &l)
{
    if (!l.active()) {
        return;
    }
    const int n = int(x.rows()), r = int(l.a.w.rows()), in = int(l.a.w.cols());
    const int out = int(l.b.w.rows());
    thread_local Mat<T> u, du;
    u.resize(n, r);
    du.resize(n, r);
    gemm<T>(false, true, n, r, in, T(1), x.data(), in, l.a.w.data(), in, T(0), u.data(), r);
    gemm<T>(true, false, out, r, n, l.scale, dy.data(), out, u.data(), r, T(1), l.b.g.data(), r);
    gemm<T>(false, false, n, r, out, l.scale, dy.data(), out, l.b.w.data(), r, T(0), du.data(), r);
    gemm<T>(true, false, r, in, n, T(1), du.data(), r, x.data(), in, T(1), l.a.g.data(), in);
}

} // namespace ops
} // namespace collapipe
