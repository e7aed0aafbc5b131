// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

/// FedAvg's weights (spec §1.3 step 9, §10-M) over the clusters that take part in a round's
/// aggregation (core/MODEL.md "Deadline"): w_n = D_n / Σ_{m∈P} D_m for n in P, 0 otherwise, with
/// D_n the cluster's shard size. `participants` empty means every cluster; all weights are 0 when
/// no cluster takes part.
namespace collapipe {

inline std::vector<double> fedAvgWeights(
    const std::vector<int> &shardSizes, const std::vector<char> &participants)
{
    auto takesPart = [&](std::size_t n) {
        return participants.empty() || (n < participants.size() && participants[n] != 0);
    };
    double total = 0.0;
    for (std::size_t n = 0; n < shardSizes.size(); ++n) {
        total += takesPart(n) ? double(shardSizes[n]) : 0.0;
    }
    std::vector<double> weights(shardSizes.size(), 0.0);
    for (std::size_t n = 0; n < shardSizes.size() && total > 0.0; ++n) {
        weights[n] = takesPart(n) ? double(shardSizes[n]) / total : 0.0;
    }
    return weights;
}

} // namespace collapipe
