// SPDX-License-Identifier: MIT
#pragma once

#include <utility>

/// How a plot's value axis frames its data (issue [1/7] #9): never ending exactly at the data
/// (a curve on the axis line is invisible), never a nonsense span for a single point.
namespace collapipe {

/// The axis range for data spanning [lo, hi]: 6 % of the span added on both sides. A zero span
/// (one point, or a constant) gets ±10 % of the value (±0.05 at 0). With `includeZero` the range
/// reaches 0 and does not pad below a non-negative minimum of 0. lo > hi (no data) gives [0, 1].
std::pair<double, double> paddedRange(double lo, double hi, bool includeZero = false);

} // namespace collapipe
