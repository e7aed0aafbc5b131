// SPDX-License-Identifier: MIT
#include "core/optimizer/oracle_policy.h"

#include "core/cost/cluster_cost.h"
#include "core/cost/cost_terms.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/virtual_queues.h"
#include "core/types/special_values.h"
#include "core/types/vector_state.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {

/// A discrete choice: devices in pipeline order, block counts, M, schedule.
struct Discrete
{
    std::vector<int> devices;
    std::vector<int> blocks;
    int microbatches = 1;
    ScheduleChoice schedule;
    double bound = kInf;
};

void compositions(
    int total, int parts, std::vector<int> &current, std::vector<std::vector<int>> &out)
{
    if (parts == 1) {
        current.push_back(total);
        out.push_back(current);
        current.pop_back();
        return;
    }
    for (int first = 1; first <= total - (parts - 1); ++first) {
        current.push_back(first);
        compositions(total - first, parts - 1, current, out);
        current.pop_back();
    }
}

void orderedSubsets(
    int K, std::vector<int> &current, std::vector<bool> &used, std::vector<std::vector<int>> &out)
{
    if (!current.empty()) {
        out.push_back(current);
    }
    for (int k = 0; k < K; ++k) {
        if (!used[std::size_t(k)]) {
            used[std::size_t(k)] = true;
            current.push_back(k);
            orderedSubsets(K, current, used, out);
            current.pop_back();
            used[std::size_t(k)] = false;
        }
    }
}

ClusterDecision::Mode tailMode(const std::vector<int> &blocks, int encoderBlocks)
{
    int onDevices = 0;
    for (int b : blocks) {
        onDevices += b;
    }
    return onDevices < encoderBlocks ? ClusterDecision::Mode::EdgeTail
                                     : ClusterDecision::Mode::Pipeline;
}

/// Link shares of a pipeline in band order: CU → s0, then s_j → s_{j+1}; with one share more
/// than stages, the last is the interleaved wrap's (last stage → first); otherwise the last
/// stage's hop is D2E and its share 0.
void setShares(ClusterDecision &d, const std::vector<double> &shares)
{
    d.controlUnitShare = shares[0];
    for (std::size_t j = 0; j < d.stages.size(); ++j) {
        d.stages[j].bandwidthShare = j + 1 < shares.size() ? shares[j + 1] : 0.0;
    }
}

/// Links that share the cluster's D2D band: CU → s0, s_j → s_{j+1}, and the wrap when the
/// schedule is interleaved (v ≥ 2) over S ≥ 2 stages.
int d2dLinks(const ClusterDecision &d)
{
    const int S = int(d.stages.size());
    const bool wraps = d.schedule == ScheduleKind::Interleaved
        && chunksOf(d.schedule, d.interleave) >= 2 && S >= 2;
    return S + (wraps ? 1 : 0);
}

/// Objective with radio energy dropped: a lower bound for every power ≤ the decision's.
double boundObjective(const Scenario &s, int cluster, const ClusterChannel &channel,
    const ClusterWeights &w, const ClusterDecision &d, bool *fits)
{
    const ClusterCost cost = evaluateCluster(s, cluster, channel, d);
    *fits = cost.memoryFits;
    if (!cost.memoryFits || !std::isfinite(cost.latencyS)) {
        return kInf;
    }
    // The broadcast term of exactObjective() does not depend on power or bandwidth: exact here.
    const double broadcast = broadcastTimeS(s, cluster, channel, deviceHeldBlocks(s, &d));
    double value = std::max(w.v, 1e-9) * (cost.latencyS + broadcast);
    for (const StageCost &st : cost.stages) {
        if (std::size_t(st.device) < w.energyQueues.size()) {
            value += w.energyQueues[std::size_t(st.device)] * (st.energyJ - st.powerW * st.txS);
        }
    }
    return value
        + w.convergenceQueue
        * VirtualQueues::convergencePenalty(s, d.microbatches, d.microbatchSize);
}

} // namespace

std::vector<int> oracleMicrobatches(const Scenario &scenario)
{
    std::vector<int> ms;
    for (int m : candidateMicrobatches(scenario)) {
        if ((m & (m - 1)) == 0) {
            ms.push_back(m);
        }
    }
    return ms;
}

OracleResult solveClusterExhaustive(const Scenario &s, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const OracleOptions &options)
{
    OracleResult result;
    const Cluster &c = s.topology.clusters[std::size_t(cluster)];
    const int K = int(c.devices.size());
    const int L = s.model.encoderBlocks;
    std::vector<std::vector<int>> subsets;
    std::vector<int> current;
    std::vector<bool> used(std::size_t(K), false);
    orderedSubsets(K, current, used, subsets);

    // Every discrete choice with its bound at the full band and max power.
    std::vector<Discrete> choices;
    // With edge offload the devices may cover only blocks 0…c−1 (c ≥ 1), the edge the rest
    // (its memory is checked by the evaluator like every stage's).
    const int fewestOnDevices = s.optimizer.edgeOffload ? 1 : L;
    for (int m : oracleMicrobatches(s)) {
        for (const auto &devices : subsets) {
            const int S = int(devices.size());
            std::vector<std::vector<int>> splits;
            for (int onDevices = L; onDevices >= std::max(S, fewestOnDevices); --onDevices) {
                compositions(onDevices, S, current, splits);
            }
            for (const auto &blocks : splits) {
                // The schedule dimension: every schedule the segmentation admits (fixed: one).
                for (const ScheduleChoice &schedule : scheduleCandidates(s, blocks)) {
                    ClusterDecision d;
                    d.mode = tailMode(blocks, L);
                    d.microbatches = m;
                    d.microbatchSize = microbatchSizeFor(s.training, s.optimizer.microbatchMode, m);
                    d.schedule = schedule.kind;
                    d.interleave = schedule.interleave;
                    d.controlUnitShare = 1.0;
                    int first = 0;
                    for (int j = 0; j < S; ++j) {
                        const int k = devices[std::size_t(j)];
                        d.stages.push_back(
                            StageDecision{k, first, first + blocks[std::size_t(j)] - 1, 1.0,
                                c.devices[std::size_t(k)].maxPowerW});
                        first += blocks[std::size_t(j)];
                    }
                    bool fits = false;
                    const double bound = boundObjective(s, cluster, channel, weights, d, &fits);
                    ++result.evaluations;
                    if (fits && std::isfinite(bound)) {
                        choices.push_back(Discrete{devices, blocks, m, schedule, bound});
                    }
                }
            }
        }
    }
    if (choices.empty()) {
        result.error = infeasibleClusterMessage(s, cluster, channel);
        return result;
    }
    std::sort(choices.begin(), choices.end(),
        [](const Discrete &a, const Discrete &b) { return a.bound < b.bound; });

    double best = kInf;
    const int G = std::max(1, options.bandwidthSteps);
    const int P = std::max(1, options.powerLevels);
    for (const Discrete &choice : choices) {
        if (choice.bound >= best) {
            break; // sorted: no remaining choice can beat the incumbent
        }
        const int S = int(choice.devices.size());
        ClusterDecision d;
        d.mode = tailMode(choice.blocks, L);
        d.microbatches = choice.microbatches;
        d.microbatchSize
            = microbatchSizeFor(s.training, s.optimizer.microbatchMode, choice.microbatches);
        d.schedule = choice.schedule.kind;
        d.interleave = choice.schedule.interleave;
        int first = 0;
        for (int j = 0; j < S; ++j) {
            const int k = choice.devices[std::size_t(j)];
            d.stages.push_back(StageDecision{k, first, first + choice.blocks[std::size_t(j)] - 1,
                0.0, c.devices[std::size_t(k)].maxPowerW});
            first += choice.blocks[std::size_t(j)];
        }
        // Bandwidth grid: S links (CU → s0 and s_j → s_{j+1}; + the wrap when interleaved),
        // multiples of 1/G, all > 0.
        const int links = d2dLinks(d);
        std::vector<std::vector<int>> grid;
        if (links <= G) {
            compositions(G, links, current, grid);
        }
        for (const auto &units : grid) {
            std::vector<double> shares;
            for (int u : units) {
                shares.push_back(double(u) / G);
            }
            setShares(d, shares);
            for (int j = 0; j < S; ++j) {
                d.stages[std::size_t(j)].powerW
                    = c.devices[std::size_t(choice.devices[std::size_t(j)])].maxPowerW;
            }
            bool fits = false;
            const double bound = boundObjective(s, cluster, channel, weights, d, &fits);
            ++result.evaluations;
            if (!(bound < best)) {
                continue;
            }
            // Every power combination: levels p_max·i/P per stage (odometer).
            std::vector<int> level(std::size_t(S), 1);
            while (true) {
                for (int j = 0; j < S; ++j) {
                    d.stages[std::size_t(j)].powerW
                        = c.devices[std::size_t(choice.devices[std::size_t(j)])].maxPowerW
                        * level[std::size_t(j)] / P;
                }
                const double v = exactObjective(s, cluster, channel, weights, d);
                ++result.evaluations;
                if (v < best) {
                    best = v;
                    result.decision = d;
                }
                int j = 0;
                while (j < S && level[std::size_t(j)] == P) {
                    level[std::size_t(j)] = 1;
                    ++j;
                }
                if (j == S) {
                    break;
                }
                ++level[std::size_t(j)];
            }
        }
    }
    if (!std::isfinite(best)) {
        result.error = infeasibleClusterMessage(s, cluster, channel);
        return result;
    }
    result.feasible = true;
    result.objective = best;
    return result;
}

OraclePolicy::OraclePolicy(const OracleOptions &options)
    : m_options(options)
{ }

bool OraclePolicy::decide(const PolicyState &state, Decision *out, QString *error)
{
    clearUpperVectorState(); // core/types/vector_state.h
    if (!state.scenario || !state.channel
        || state.channel->clusters.size() < state.scenario->topology.clusters.size()) {
        if (error) {
            *error = QStringLiteral("oracle: policy state without scenario or channel");
        }
        return false;
    }
    const Scenario &s = *state.scenario;
    for (const Cluster &c : s.topology.clusters) {
        if (int(c.devices.size()) > m_options.maxDevices
            || s.model.encoderBlocks > m_options.maxBlocks) {
            if (error) {
                *error = QStringLiteral("oracle: cluster %1 has %2 devices and %3 encoder blocks; "
                                        "the exhaustive search is limited to K ≤ %4 and L ≤ %5 "
                                        "(use dssda for larger scenarios)")
                             .arg(c.id)
                             .arg(c.devices.size())
                             .arg(s.model.encoderBlocks)
                             .arg(m_options.maxDevices)
                             .arg(m_options.maxBlocks);
            }
            return false;
        }
    }
    Decision decision;
    QStringList problems;
    for (std::size_t c = 0; c < s.topology.clusters.size(); ++c) {
        const ClusterWeights w
            = clusterWeights(s, int(c), s.optimizer.energyBudgets ? state.energyQueues : nullptr,
                state.convergenceQueues, true);
        OracleResult r
            = solveClusterExhaustive(s, int(c), state.channel->clusters[c], w, m_options);
        if (!r.feasible) {
            problems << r.error;
            continue;
        }
        decision.clusters.push_back(std::move(r.decision));
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
