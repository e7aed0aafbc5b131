// SPDX-License-Identifier: MIT
#include "core/optimizer/exact_refine.h"

#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/resource_search.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

/// Link shares of a pipeline in band order: CU → s0, then s_j → s_{j+1}.
double &linkShare(ClusterDecision &d, std::size_t link)
{
    return link == 0 ? d.controlUnitShare : d.stages[link - 1].bandwidthShare;
}

} // namespace

double refineExact(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, ClusterDecision *decision, int rounds)
{
    ClusterDecision &d = *decision;
    auto score = [&](const ClusterDecision &x) {
        return exactObjective(scenario, cluster, channel, weights, x);
    };
    double best = score(d);
    const Cluster &c = scenario.topology.clusters[std::size_t(cluster)];
    const std::size_t S = d.stages.size();
    for (int round = 0; round < rounds; ++round) {
        const double start = best;
        // One block across each boundary, both ways (memory is checked by the evaluator).
        for (std::size_t j = 0; j + 1 < S; ++j) {
            for (int dir : {-1, +1}) {
                ClusterDecision trial = d;
                StageDecision &left = trial.stages[j];
                StageDecision &right = trial.stages[j + 1];
                if ((dir < 0 && left.blockCount() < 2) || (dir > 0 && right.blockCount() < 2)) {
                    continue;
                }
                left.lastBlock += dir;
                right.firstBlock += dir;
                const double v = score(trial);
                if (v < best) {
                    best = v;
                    d = trial;
                }
            }
        }
        // The edge tail's boundary: the last stage hands a block to the edge or takes one back.
        if (scenario.optimizer.edgeOffload && S > 0) {
            for (int dir : {-1, +1}) {
                ClusterDecision trial = d;
                StageDecision &last = trial.stages.back();
                const int edge = scenario.model.encoderBlocks - 1 - last.lastBlock;
                if ((dir < 0 && last.blockCount() < 2) || (dir > 0 && edge < 1)) {
                    continue;
                }
                last.lastBlock += dir;
                trial.mode = last.lastBlock + 1 < scenario.model.encoderBlocks
                    ? ClusterDecision::Mode::EdgeTail
                    : ClusterDecision::Mode::Pipeline;
                const double v = score(trial);
                if (v < best) {
                    best = v;
                    d = trial;
                }
            }
        }
        // Power per stage (spec §6 step 2.2 on the exact objective).
        for (std::size_t j = 0; j < S; ++j) {
            const double pmax = c.devices[std::size_t(d.stages[j].device)].maxPowerW;
            ClusterDecision trial = d;
            double value = 0.0;
            // The surrogate's power is nearly always already optimal: only search (18
            // evaluations) when a ±5 % step improves the exact objective (2 evaluations).
            const double p0 = d.stages[j].powerW;
            bool helps = false;
            for (double x : {std::max(1e-3 * pmax, 0.95 * p0), std::min(pmax, 1.05 * p0)}) {
                trial.stages[j].powerW = x;
                helps = helps || (x != p0 && score(trial) < best);
            }
            trial.stages[j].powerW = p0;
            if (!helps) {
                continue;
            }
            const double p = goldenSectionMin(
                [&](double x) {
                    trial.stages[j].powerW = x;
                    return score(trial);
                },
                1e-3 * pmax, pmax, 18, &value);
            if (value < best) {
                best = value;
                d.stages[j].powerW = p;
            }
        }
        // Pairwise bandwidth moves over the S D2D links (the last stage's hop is D2E).
        for (double step : {0.05, 0.01, 0.002}) {
            bool moved = true;
            for (int guard = 0; moved && guard < 6; ++guard) {
                moved = false;
                for (std::size_t a = 0; a < S; ++a) {
                    for (std::size_t b = 0; b < S; ++b) {
                        if (a == b) {
                            continue;
                        }
                        ClusterDecision trial = d;
                        const double delta = std::min(step, linkShare(trial, a));
                        if (delta <= 0.0) {
                            continue;
                        }
                        linkShare(trial, a) -= delta;
                        linkShare(trial, b) += delta;
                        const double v = score(trial);
                        if (v < best * (1.0 - 1e-12)) {
                            best = v;
                            d = trial;
                            moved = true;
                        }
                    }
                }
            }
        }
        if (!(best < start * (1.0 - 1e-9))) {
            break;
        }
    }
    return best;
}

} // namespace collapipe
