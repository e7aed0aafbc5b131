// SPDX-License-Identifier: MIT
#include "core/optimizer/proportional_policy.h"

#include "core/optimizer/uniform_policy.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace collapipe {

std::vector<int> proportionalBlockCounts(int blocks, const std::vector<double> &weights)
{
    const int n = static_cast<int>(weights.size());
    std::vector<int> out(n, 0);
    double total = 0.0;
    for (double w : weights) {
        total += std::max(0.0, w);
    }
    if (n == 0 || total <= 0.0) {
        return n == 0 ? out : equalBlockCounts(blocks, n);
    }
    std::vector<double> remainder(n, 0.0);
    int given = 0;
    for (int k = 0; k < n; ++k) {
        const double exact = blocks * std::max(0.0, weights[k]) / total;
        out[k] = static_cast<int>(std::floor(exact));
        remainder[k] = exact - out[k];
        given += out[k];
    }
    // Largest remainders get the blocks floor() left over; stable sort keeps ties in index order.
    std::vector<int> idx(n);
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(
        idx.begin(), idx.end(), [&](int a, int b) { return remainder[a] > remainder[b]; });
    for (int i = 0; given < blocks; ++i) {
        ++out[idx[i % n]];
        ++given;
    }
    return out;
}

bool ProportionalPolicy::decide(const PolicyState &state, Decision *out, QString *error)
{
    return decideStatic(
        state, QStringLiteral("proportional"),
        [](const Scenario &s, const Cluster &cl) {
            std::vector<double> weights;
            for (const Device &d : cl.devices) {
                weights.push_back(d.computeFlops); // spec §8 item 4: δ_k ∝ f_k
            }
            return proportionalBlockCounts(s.model.encoderBlocks, weights);
        },
        out, error);
}

} // namespace collapipe
