// SPDX-License-Identifier: MIT
#include "core/optimizer/virtual_queues.h"

#include <algorithm>

namespace collapipe {

namespace {

bool sameShape(const Scenario &scenario, const std::vector<std::vector<double>> &energy)
{
    const auto &clusters = scenario.topology.clusters;
    if (clusters.size() != energy.size()) {
        return false;
    }
    for (std::size_t n = 0; n < clusters.size(); ++n) {
        if (clusters[n].devices.size() != energy[n].size()) {
            return false;
        }
    }
    return true;
}

double entry(const std::vector<std::vector<double>> &values, std::size_t n, std::size_t k)
{
    return n < values.size() && k < values[n].size() ? values[n][k] : 0.0;
}

double entry(const std::vector<double> &values, std::size_t n)
{
    return n < values.size() ? values[n] : 0.0;
}

} // namespace

VirtualQueues::VirtualQueues(const Scenario &scenario)
{
    reset(scenario);
}

void VirtualQueues::reset(const Scenario &scenario)
{
    const auto &clusters = scenario.topology.clusters;
    m_energy.assign(clusters.size(), {});
    for (std::size_t n = 0; n < clusters.size(); ++n) {
        m_energy[n].assign(clusters[n].devices.size(), 0.0);
    }
    m_convergence.assign(clusters.size(), 0.0);
    m_rounds = 0;
}

void VirtualQueues::update(const Scenario &scenario,
    const std::vector<std::vector<double>> &energyJ, const std::vector<double> &phi)
{
    if (!sameShape(scenario, m_energy)) {
        reset(scenario);
    }
    const auto &clusters = scenario.topology.clusters;
    const bool budgets = scenario.optimizer.energyBudgets;
    const double phiBar = convergenceTarget(scenario);
    for (std::size_t n = 0; n < clusters.size(); ++n) {
        for (std::size_t k = 0; k < clusters[n].devices.size(); ++k) {
            // Spec §5: Q(t+1) = max(Q(t) + E(t) − Ē, 0).
            const double next
                = m_energy[n][k] + entry(energyJ, n, k) - clusters[n].devices[k].energyBudgetJ;
            m_energy[n][k] = budgets ? std::max(next, 0.0) : 0.0;
        }
        // Spec §5: Z(t+1) = max(Z(t) + Φ(t) − Φ̄, 0).
        m_convergence[n] = std::max(m_convergence[n] + entry(phi, n) - phiBar, 0.0);
    }
    ++m_rounds;
}

double VirtualQueues::energyQueue(int cluster, int device) const
{
    return entry(m_energy, std::size_t(std::max(cluster, 0)), std::size_t(std::max(device, 0)));
}

double VirtualQueues::convergenceQueue(int cluster) const
{
    return entry(m_convergence, std::size_t(std::max(cluster, 0)));
}

double VirtualQueues::driftTerm(const Scenario &scenario,
    const std::vector<std::vector<double>> &energyJ, const std::vector<double> &phi) const
{
    const auto &clusters = scenario.topology.clusters;
    const double phiBar = convergenceTarget(scenario);
    double drift = 0.0;
    for (std::size_t n = 0; n < clusters.size(); ++n) {
        for (std::size_t k = 0; k < clusters[n].devices.size(); ++k) {
            drift += entry(m_energy, n, k)
                * (entry(energyJ, n, k) - clusters[n].devices[k].energyBudgetJ);
        }
        drift += entry(m_convergence, n) * (entry(phi, n) - phiBar);
    }
    return drift;
}

double VirtualQueues::totalEnergyBacklog() const
{
    double total = 0.0;
    for (const auto &cluster : m_energy) {
        for (double q : cluster) {
            total += q;
        }
    }
    return total;
}

double VirtualQueues::convergencePenalty(
    const Scenario &scenario, int microbatches, int microbatchSize)
{
    const double lambda = scenario.optimizer.convergenceWeight;
    const double samples = double(std::max(microbatches, 1)) * double(std::max(microbatchSize, 1));
    return lambda > 0.0 ? lambda / samples : 0.0;
}

double VirtualQueues::convergenceTarget(const Scenario &scenario)
{
    const double lambda = scenario.optimizer.convergenceWeight;
    return lambda > 0.0 ? lambda / double(std::max(scenario.training.batchSize, 1)) : 0.0;
}

} // namespace collapipe
