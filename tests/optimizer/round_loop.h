// SPDX-License-Identifier: MIT
#pragma once

// The cost-only round loop of the optimizer tests: the engine's own stepRound() (channel →
// policy → cost → queues, no trainer, no timeline), run for `rounds` rounds, with the averages
// the tests check.
#include "core/channel/channel_model.h"
#include "core/cost/cluster_cost.h"
#include "core/optimizer/policy.h"
#include "core/sim/step_round.h"

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
    std::vector<double> latencyS;                       ///< system latency of every round
    std::vector<std::vector<double>> finalEnergyQueueJ; ///< Q_{n,k}(T) after the last round
};

/// The cost-only round's parts, set up once for the tests and bench_optimizer: the scenario's
/// channels under `seed`, `policy`, no trainer, no timeline events, round 0.
struct CostOnlyRounds
{
    CostOnlyRounds(const Scenario &s, Policy &policy, std::uint64_t seed)
        : channels(s.topology, seed)
    {
        context.scenario = &s;
        context.channel = &channels;
        context.policy = &policy;
        context.recordEvents = false;
        state.reset(s);
    }
    CostOnlyRounds(const CostOnlyRounds &) = delete; // context points into this object
    CostOnlyRounds &operator=(const CostOnlyRounds &) = delete;

    /// stepRound() on the next round (see core/sim/step_round.h).
    bool step(RoundRecord *record, QString *error, RoundOutcome *outcome = nullptr)
    {
        return stepRound(context, &state, record, error, outcome);
    }

    ChannelModel channels;
    RoundContext context;
    RoundState state;
};

inline LoopResult runLoop(const Scenario &s, Policy &policy, int rounds, std::uint64_t seed)
{
    LoopResult r;
    CostOnlyRounds loop(s, policy, seed);
    r.meanEnergyJ.resize(s.topology.clusters.size());
    for (std::size_t n = 0; n < s.topology.clusters.size(); ++n) {
        r.meanEnergyJ[n].assign(s.topology.clusters[n].devices.size(), 0.0);
    }
    RoundRecord record;
    RoundOutcome outcome;
    for (int t = 0; t < rounds; ++t) {
        if (!loop.step(&record, &r.error, &outcome)) {
            r.ok = false;
            return r;
        }
        for (const ClusterCost &c : outcome.plan.cost.clusters) {
            for (const StageCost &st : c.stages) {
                r.memoryViolated = r.memoryViolated || st.memoryBytes > st.memoryCapacityBytes;
            }
        }
        for (std::size_t n = 0; n < outcome.energyJ.size(); ++n) {
            for (std::size_t k = 0; k < outcome.energyJ[n].size(); ++k) {
                r.meanEnergyJ[n][k] += outcome.energyJ[n][k] / rounds;
            }
        }
        r.meanLatencyS += outcome.plan.cost.systemLatencyS / rounds;
        r.latencyS.push_back(outcome.plan.cost.systemLatencyS);
        r.meanBacklogJ += loop.state.queues.totalEnergyBacklog() / rounds;
        ++r.rounds;
    }
    r.finalEnergyQueueJ = loop.state.queues.energy();
    return r;
}

} // namespace collapipe::testing
