// SPDX-License-Identifier: MIT
#pragma once

#include "core/optimizer/policy.h"

#include <vector>

/// Baseline `proportional` (spec §8 item 4): segments ∝ device FLOP/s, otherwise as `uniform`.
namespace collapipe {

/// Largest-remainder apportionment of `blocks` over weights (≥ 0, not all 0): δ_k = floor(L·w_k/Σw)
/// plus one block for the largest remainders (ties to the lower index); Σ δ_k = L exactly.
std::vector<int> proportionalBlockCounts(int blocks, const std::vector<double> &weights);

class ProportionalPolicy final : public Policy
{
public:
    QString name() const override { return QStringLiteral("proportional"); }
    /// Segments ∝ computeFlops over all devices in index order (devices rounded to 0 blocks are
    /// left out). Fails (infeasible) if a segment does not fit its device.
    bool decide(const PolicyState &state, Decision *out, QString *error) override;
};

} // namespace collapipe
