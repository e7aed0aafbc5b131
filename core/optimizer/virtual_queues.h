// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <vector>

/// Lyapunov virtual queues of the online optimizer (spec §5, §3, §10-A/B).
namespace collapipe {

/// The long-term state DSSDA reads every round: one energy queue per device and one convergence
/// queue per cluster. The run engine (core/sim::Session) owns one instance per run, passes
/// `energy()` / `convergence()` to policies through PolicyState, and calls `update()` after the
/// round with the energy actually spent. Plain value type: copy it to snapshot it. Not thread-safe.
///
/// Energy queue (spec §5):      Q_{n,k}(t+1) = max(Q_{n,k}(t) + E_{n,k}(t) − Ē_{n,k}, 0), joules,
///                              Ē = Device::energyBudgetJ. All zero while
///                              OptimizerSettings::energyBudgets is off.
/// Convergence queue (§3, §5):  Z_n(t+1) = max(Z_n(t) + Φ_n(t) − Φ̄, 0), with Φ_n = λ/(M·b) (the
///                              variance term of the bound, weighted by λ = convergenceWeight) and
///                              target Φ̄ = λ/B: on average at least one mini-batch B of samples per
///                              round. λ = 0 makes Φ ≡ Φ̄ ≡ 0, so Z stays 0 (disabled).
class VirtualQueues
{
public:
    VirtualQueues() = default;
    /// Sized to the scenario's topology, all queues zero.
    explicit VirtualQueues(const Scenario &scenario);

    /// Re-size to `scenario` and zero every queue.
    void reset(const Scenario &scenario);

    /// Applies one round. `energyJ` is [cluster][device] energy spent in the round (missing
    /// entries count as 0 J); `phi` is Φ_n per cluster (see convergencePenalty(); may be empty =
    /// all zero). Re-sizes itself first if the topology changed.
    void update(const Scenario &scenario, const std::vector<std::vector<double>> &energyJ,
        const std::vector<double> &phi);

    /// Q_{n,k}(t) in joules, [cluster][device]; pass its address as PolicyState::energyQueues.
    const std::vector<std::vector<double>> &energy() const { return m_energy; }
    /// Z_n(t), [cluster]; pass its address as PolicyState::convergenceQueues.
    const std::vector<double> &convergence() const { return m_convergence; }
    double energyQueue(int cluster, int device) const;
    double convergenceQueue(int cluster) const;

    /// Σ Q·(E − Ē) + Σ Z·(Φ − Φ̄) with the CURRENT (pre-update) queues: the drift term of the
    /// drift-plus-penalty bound (spec §5) for RoundRecord::drift. Call before update().
    double driftTerm(const Scenario &scenario, const std::vector<std::vector<double>> &energyJ,
        const std::vector<double> &phi) const;

    /// Σ_{n,k} Q_{n,k}: total energy backlog (J), the "backlog" of the V trade-off (spec §9).
    double totalEnergyBacklog() const;
    /// Number of rounds applied since the last reset.
    int rounds() const { return m_rounds; }

    /// Φ_n for a cluster that runs M micro-batches of b samples: λ/(M·b) (spec §3), 0 when λ = 0.
    static double convergencePenalty(
        const Scenario &scenario, int microbatches, int microbatchSize);
    /// Φ̄ = λ/B (see the class comment).
    static double convergenceTarget(const Scenario &scenario);

private:
    std::vector<std::vector<double>> m_energy;
    std::vector<double> m_convergence;
    int m_rounds = 0;
};

} // namespace collapipe
