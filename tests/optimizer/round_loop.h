// SPDX-License-Identifier: MIT
#pragma once

// A cost-only round loop for the optimizer tests (channel → policy → evaluator → queues), the
// same steps core/sim::Session runs with training off, kept here so the optimizer is tested
// without the run engine.
#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/optimizer/policy.h"
#include "core/optimizer/virtual_queues.h"

#include <vector>

namespace collapipe::testing {

struct LoopResult
{
    bool ok = true;
    QString error;
    int rounds = 0;
    double meanLatencyS = 0.0;                    ///< time average of the system latency
    double meanBacklogJ = 0.0;                    ///< time average of Σ Q (after each update)
    std::vector<std::vector<double>> meanEnergyJ; ///< [cluster][device] time average
    bool memoryViolated = false;
    std::vector<double> latencyS; ///< system latency of every round
};

inline LoopResult runLoop(const Scenario &s, Policy &policy, int rounds, std::uint64_t seed)
{
    LoopResult r;
    ChannelModel channels(s.topology, seed);
    VirtualQueues queues(s);
    r.meanEnergyJ.resize(s.topology.clusters.size());
    for (std::size_t n = 0; n < s.topology.clusters.size(); ++n) {
        r.meanEnergyJ[n].assign(s.topology.clusters[n].devices.size(), 0.0);
    }
    Decision previous;
    for (int t = 0; t < rounds; ++t) {
        const ChannelState ch = channels.stateForRound(t);
        PolicyState state;
        state.round = t;
        state.scenario = &s;
        state.channel = &ch;
        state.energyQueues = &queues.energy();
        state.convergenceQueues = &queues.convergence();
        state.previous = t > 0 ? &previous : nullptr;
        Decision d;
        if (!policy.decide(state, &d, &r.error)) {
            r.ok = false;
            return r;
        }
        const RoundCost cost = evaluateRound(s, ch, d);
        std::vector<std::vector<double>> energy = r.meanEnergyJ;
        std::vector<double> phi;
        for (std::size_t n = 0; n < cost.clusters.size(); ++n) {
            std::fill(energy[n].begin(), energy[n].end(), 0.0);
            for (const StageCost &st : cost.clusters[n].stages) {
                energy[n][std::size_t(st.device)] += st.energyJ;
                r.memoryViolated = r.memoryViolated || st.memoryBytes > st.memoryCapacityBytes;
            }
            phi.push_back(VirtualQueues::convergencePenalty(
                s, d.clusters[n].microbatches, d.clusters[n].microbatchSize));
        }
        queues.update(s, energy, phi);
        for (std::size_t n = 0; n < energy.size(); ++n) {
            for (std::size_t k = 0; k < energy[n].size(); ++k) {
                r.meanEnergyJ[n][k] += energy[n][k] / rounds;
            }
        }
        r.meanLatencyS += cost.systemLatencyS / rounds;
        r.latencyS.push_back(cost.systemLatencyS);
        r.meanBacklogJ += queues.totalEnergyBacklog() / rounds;
        previous = d;
        ++r.rounds;
    }
    return r;
}

} // namespace collapipe::testing
