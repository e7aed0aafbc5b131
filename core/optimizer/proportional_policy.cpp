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
    if (!state.scenario || !state.channel || !out) {
        if (error) {
            *error = QStringLiteral("proportional: no scenario or channel state given");
        }
        return false;
    }
    const Scenario &s = *state.scenario;
    Decision decision;
    QStringList problems;
    for (std::size_t c = 0; c < s.topology.clusters.size(); ++c) {
        const Cluster &cl = s.topology.clusters[c];
        const int k = static_cast<int>(cl.devices.size());
        std::vector<int> order(k);
        std::vector<double> weights(k);
        for (int i = 0; i < k; ++i) {
            order[i] = i;
            weights[i] = cl.devices[i].computeFlops; // spec §8 item 4: δ_k ∝ f_k
        }
        decision.clusters.push_back(staticClusterDecision(
            s, int(c), order, proportionalBlockCounts(s.model.encoderBlocks, weights)));
        QString problem;
        if (!checkMemory(
                s, int(c), state.channel->clusters[c], decision.clusters.back(), &problem)) {
            problems << problem;
        }
    }
    if (!problems.isEmpty()) {
        if (error) {
            *error = problems.join(QLatin1Char('\n'));
        }
        return false;
    }
    *out = std::move(decision);
    return true;
}

} // namespace collapipe
