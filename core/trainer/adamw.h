// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/tensor.h"

#include <cmath>
#include <vector>

/// AdamW (Loshchilov & Hutter) with decoupled weight decay and global-norm gradient clipping
/// (spec §7 "Optimizer: AdamW"). β1 = 0.9, β2 = 0.999, ε = 1e-8.
namespace collapipe {

struct AdamWSettings
{
    double learningRate = 1e-3;
    double weightDecay = 0.01;
    double gradClip = 1.0; ///< max global L2 norm of the gradients; ≤ 0 disables clipping
};

/// √(Σ g²) over the given tensors (frozen ones left out), summed in the given order, each tensor's squares in double
/// in fixed::sumOf's order (deterministic on every CPU).
template <typename T> double gradNorm(const std::vector<Param<T> *> &params)
{
    double s = 0.0;
    for (const Param<T> *p : params) {
        if (!p->trainable) {
            continue;
        }
        const T *g = p->g.data();
        s += fixed::sumOf<double>(
            long(p->g.size()), [g](long i) { return double(g[i]) * double(g[i]); });
    }
    return std::sqrt(s);
}

/// One step over `params` with the gradients scaled by min(1, clip / ‖g‖) (the norm taken over
/// exactly these tensors); gradients are zeroed afterwards.
template <typename T> void adamwStep(const std::vector<Param<T> *> &params, const AdamWSettings &s)
{
    const double norm = gradNorm(params);
    const T clip = (s.gradClip > 0.0 && norm > s.gradClip) ? T(s.gradClip / norm) : T(1);
    const T b1 = T(0.9), b2 = T(0.999), eps = T(1e-8);
    const T lr = T(s.learningRate), wd = T(s.weightDecay);
    const T keep = T(1) - lr * wd;
    for (Param<T> *p : params) {
        if (!p->trainable) {
            continue; // frozen (training.mode): no gradient, no moments, no decay
        }
        ++p->step;
        // Bias corrections by repeated squaring, not std::pow (glibc's is CPU-dependent).
        const T c1 = T(1.0 / (1.0 - fixed::powInt(double(b1), p->step)));
        const T c2 = T(1.0 / (1.0 - fixed::powInt(double(b2), p->step)));
        // One plain loop of IEEE operations in source order: Eigen's float sqrt on SSE/AVX is an
        // rsqrt estimate + a Newton step, whose bits differ between Intel and AMD.
        T *w = p->w.data(), *m = p->m.data(), *v = p->v.data(), *g = p->g.data();
        const bool decay = p->decay;
        for (Eigen::Index i = 0, n = p->w.size(); i < n; ++i) {
            const T gi = clip * g[i];
            m[i] = b1 * m[i] + (T(1) - b1) * gi;
            v[i] = b2 * v[i] + (T(1) - b2) * (gi * gi);
            T wi = decay ? w[i] * keep : w[i];
            w[i] = wi - lr * (m[i] * c1) / (std::sqrt(v[i] * c2) + eps);
            g[i] = T(0);
        }
    }
}

} // namespace collapipe
