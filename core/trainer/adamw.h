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

/// √(Σ g²) over the given tensors, summed in the given order (deterministic).
template <typename T> double gradNorm(const std::vector<Param<T> *> &params)
{
    double s = 0.0;
    for (const Param<T> *p : params) {
        s += double(p->g.squaredNorm());
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
    for (Param<T> *p : params) {
        ++p->step;
        const T c1 = T(1) / (T(1) - std::pow(b1, T(p->step)));
        const T c2 = T(1) / (T(1) - std::pow(b2, T(p->step)));
        p->m = b1 * p->m + (T(1) - b1) * clip * p->g;
        p->v = b2 * p->v + (T(1) - b2) * (clip * p->g).cwiseAbs2();
        if (p->decay) {
            p->w *= T(1) - lr * wd;
        }
        p->w.array() -= lr * (p->m.array() * c1) / ((p->v.array() * c2).sqrt() + eps);
        p->g.setZero();
    }
}

} // namespace collapipe
