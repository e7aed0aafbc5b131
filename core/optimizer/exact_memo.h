// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/cost/cluster_cost.h"
#include "core/optimizer/cluster_surrogate.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"

#include <cstdint>
#include <vector>

/// exactObjective() (dssda_solver.h) of one cluster's problem with a memory (issue [5/7]
/// "Speed"): within one solve the starts and the polish score many decisions more than once
/// (a bandwidth move undone by the next one, the polish's last pass re-scoring the trials of the
/// one before, a start polished twice). exactObjective() is a pure function of the scenario,
/// the cluster, the channel, the weights and the decision, so a decision equal to one scored
/// before (every field compared bit for bit) gets the value that scoring gave: same bits, same
/// decisions (`tst_exact_bound` compares every hit with a fresh evaluation).
namespace collapipe {

namespace exact_memo {
struct Pool;

/// exactObjective() (dssda_solver.h) with `broadcastS` (may be null): broadcastTimesS() of the
/// same scenario, cluster and channel, read instead of computing broadcastTimeS() per call (the
/// same bits; issue #15).
double exactObjectiveWith(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const ClusterDecision &decision, ClusterCost *cost,
    const std::vector<double> *broadcastS);
} // namespace exact_memo

class ExactMemo
{
public:
    ExactMemo(const Scenario &scenario, int cluster, const ClusterChannel &channel,
        const ClusterWeights &weights);
    ~ExactMemo();
    ExactMemo(const ExactMemo &) = delete;
    ExactMemo &operator=(const ExactMemo &) = delete;

    /// exactObjective(scenario, cluster, channel, weights, decision, cost). With `cost`
    /// the evaluation is kept too (a hit without a kept evaluation evaluates again).
    double operator()(const ClusterDecision &decision, ClusterCost *cost = nullptr);

    /// The value a decision equal bit for bit to `decision` was scored at in this solve, if
    /// there was one (no evaluation; false when disabled). The polish looks here before it
    /// bounds a trial (issue #15): a repeat needs neither its bound nor its evaluation, and its
    /// value is what operator() would return.
    bool find(const ClusterDecision &decision, double *value);

    /// false: every call evaluates (nothing kept), for the tests that compare.
    void setEnabled(bool enabled) { m_enabled = enabled; }
    const ClusterWeights &weights() const { return m_weights; }
    long hits() const { return m_hits; }
    long misses() const { return m_misses; }

    /// Bitwise equality of every field exactObjective() reads (doubles by their bits, so 0.0
    /// and −0.0 differ and a NaN equals itself).
    static bool sameBits(const ClusterDecision &a, const ClusterDecision &b);
    static std::uint64_t hashOf(const ClusterDecision &decision);

private:
    friend struct exact_memo::Pool;
    struct Entry
    {
        std::uint64_t hash = 0;
        ClusterDecision decision;
        double value = 0.0;
        bool hasCost = false;
        ClusterCost cost;
    };
    const Entry *find(std::uint64_t hash, const ClusterDecision &decision) const;

    const Scenario &m_scenario;
    int m_cluster = 0;
    const ClusterChannel &m_channel;
    const ClusterWeights &m_weights;
    /// Open-addressed index into m_entries by hash (−1 = empty); rebuilt when it fills.
    std::vector<int> m_index;
    /// The first m_count are this solve's; the rest are kept constructed from an earlier memo
    /// of the thread (issue #15: a solve scores hundreds of decisions under binding queues,
    /// and each entry's stage list and the growing vector were allocated anew): an entry is
    /// reused by assignment, so its stage list keeps its capacity.
    std::vector<Entry> m_entries;
    std::size_t m_count = 0;
    /// broadcastTimesS() of the problem, filled at the first evaluation (exactObjective()
    /// computed broadcastTimeS() per call: its trained parts and the ergodic rate).
    std::vector<double> m_broadcastS;
    long m_hits = 0;
    long m_misses = 0;
    bool m_enabled = true;
};

} // namespace collapipe
