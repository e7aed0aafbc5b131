// SPDX-License-Identifier: MIT
#pragma once

// The warm start's decision quality (issue 17, core/optimizer/DSSDA.md "Warm start"): every
// cluster decision a DSSDA policy just made, against the full solver re-solving the same
// cluster-round state (channel, queues, last round's decision). Shared by bench_optimizer's warm
// mode (tests/bench/bench_optimizer_warm.cpp) and tst_warm_quality, so both measure the same.
#include "core/optimizer/dssda_policy.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/policy.h"

#include <algorithm>
#include <vector>

namespace collapipe::testing {

struct WarmComparison
{
    long compared = 0;  ///< cluster solves compared (the full solve feasible)
    long worse = 0;     ///< … whose objective is above the full solve's
    long better = 0;    ///< … whose objective is below it
    double worst = 1.0; ///< largest warm / full objective ratio
    int worstRound = -1;
    int worstCluster = -1;
    double ratioSum = 0.0; ///< Σ warm / full over the compared solves
    double warmSum = 0.0;  ///< Σ warm objective over the compared solves
    double fullSum = 0.0;  ///< Σ full objective over the compared solves

    /// Compares `policy`'s last decide() on `state` (it returned true) cluster by cluster with
    /// solveCluster() under `full` (DssdaPolicy::optionsFor(Variant::Full, …)).
    void add(const PolicyState &state, const DssdaPolicy &policy, const DssdaOptions &full)
    {
        const Scenario &s = *state.scenario;
        const std::vector<double> &mine = policy.lastObjectives();
        for (int c = 0; c < int(s.topology.clusters.size()); ++c) {
            const ClusterWeights w
                = clusterWeights(s, c, s.optimizer.energyBudgets ? state.energyQueues : nullptr,
                    state.convergenceQueues, true);
            const ClusterDecision *previous
                = state.previous && std::size_t(c) < state.previous->clusters.size()
                ? &state.previous->clusters[std::size_t(c)]
                : nullptr;
            const ClusterSolution ref
                = solveCluster(s, c, state.channel->clusters[std::size_t(c)], w, full, previous);
            if (!ref.feasible) {
                continue;
            }
            const double ratio = mine[std::size_t(c)] / ref.objective;
            ++compared;
            if (ratio > worst) {
                worst = ratio;
                worstRound = state.round;
                worstCluster = c;
            }
            worse += ratio > 1.0 + 1e-9 ? 1 : 0;
            better += ratio < 1.0 - 1e-9 ? 1 : 0;
            ratioSum += ratio;
            warmSum += mine[std::size_t(c)];
            fullSum += ref.objective;
        }
    }
};

} // namespace collapipe::testing
