// SPDX-License-Identifier: MIT
#pragma once

#include <limits>

/// The two special doubles the engine uses as values: "no bound / infeasible" and "not measured".
/// Declared once for every module (a unity build puts several files in one translation unit, so
/// per-file copies would collide).
namespace collapipe {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace collapipe
