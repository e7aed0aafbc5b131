// SPDX-License-Identifier: MIT
#include "ui/plots/axis_range.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

std::pair<double, double> paddedRange(double lo, double hi, bool includeZero)
{
    if (!(lo <= hi) || !std::isfinite(lo) || !std::isfinite(hi)) {
        return {0.0, 1.0};
    }
    if (includeZero) {
        lo = std::min(lo, 0.0);
        hi = std::max(hi, 0.0);
    }
    const double span = hi - lo;
    const double pad = span > 0.0 ? 0.06 * span : (hi != 0.0 ? 0.1 * std::abs(hi) : 0.05);
    return {includeZero && lo >= 0.0 ? lo : lo - pad, hi + pad};
}

} // namespace collapipe
