// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/tensor.h"

#include <algorithm>
#include <cmath>
#include <functional>

/// Central finite differences in double against an analytic gradient (style.md rule 14).
namespace collapipe::test {

/// Max over the tensor of |analytic − numeric| divided by max(max |numeric|, 1e-8).
/// `loss` must recompute the scalar from p.w; at most `maxEntries` entries are probed
/// (evenly strided) to keep the test fast.
inline double relativeGradError(Param<double> &p, const Mat<double> &analytic,
    const std::function<double()> &loss, int maxEntries = 64, double h = 1e-5)
{
    const Eigen::Index n = p.w.size();
    const Eigen::Index stride = std::max<Eigen::Index>(1, n / maxEntries);
    double maxDiff = 0, maxNum = 0;
    for (Eigen::Index i = 0; i < n; i += stride) {
        double &w = p.w.data()[i];
        const double keep = w;
        w = keep + h;
        const double lp = loss();
        w = keep - h;
        const double lm = loss();
        w = keep;
        const double num = (lp - lm) / (2 * h);
        maxDiff = std::max(maxDiff, std::abs(num - analytic.data()[i]));
        maxNum = std::max(maxNum, std::abs(num));
    }
    return maxDiff / std::max(maxNum, 1e-8);
}

inline Mat<double> randomMat(std::mt19937_64 &rng, int rows, int cols, double scale = 1.0)
{
    std::normal_distribution<double> nd(0.0, scale);
    Mat<double> m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = nd(rng);
    }
    return m;
}

inline void randomizeParam(Param<double> &p, std::mt19937_64 &rng, double scale)
{
    p.w = randomMat(rng, int(p.w.rows()), int(p.w.cols()), scale);
}

} // namespace collapipe::test
