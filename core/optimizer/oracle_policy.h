// SPDX-License-Identifier: MIT
#pragma once

#include "core/optimizer/cluster_surrogate.h"
#include "core/optimizer/policy.h"

#include <vector>

/// `oracle`: exhaustive search of the same per-round problem P1(t) that DSSDA solves (spec §5),
/// for small instances (with edge offload: every edge tail too), scored by the same evaluator;
/// the yardstick of DSSDA's optimality gap.
namespace collapipe {

struct OracleOptions
{
    int maxDevices = 4;      ///< refuse clusters with more devices
    int maxBlocks = 8;       ///< refuse encoders with more blocks
    int bandwidthSteps = 20; ///< shares are multiples of 1/steps on the simplex (all > 0)
    int powerLevels = 8;     ///< powers p_max·i/levels, i = 1..levels
};

struct OracleResult
{
    bool feasible = false;
    ClusterDecision decision;
    double objective = 0.0; ///< exact V·T + Σ Q·E + Z·Φ (dssda_solver.h exactObjective)
    long long evaluations = 0;
    QString error;
};

/// The M values the oracle tries: the candidates of DSSDA (candidateMicrobatches) that are
/// powers of two — a subset, so DSSDA can only match or beat the oracle on M.
std::vector<int> oracleMicrobatches(const Scenario &scenario);

/// Every ordered subset of devices × every composition of L blocks over it × every M of
/// oracleMicrobatches() × every schedule of scheduleCandidates() (the scenario's, or with
/// `auto` each one the blocks admit) × every bandwidth point of the grid × every power level per stage, with
/// branch and bound that cannot cut the grid optimum: a discrete choice (or a bandwidth point)
/// is skipped only if its lower bound — all links at the full band (resp. the point's shares)
/// and max power, radio energy counted as 0 — is not below the best value found.
OracleResult solveClusterExhaustive(const Scenario &scenario, int cluster,
    const ClusterChannel &channel, const ClusterWeights &weights, const OracleOptions &options);

class OraclePolicy final : public Policy
{
public:
    explicit OraclePolicy(const OracleOptions &options = OracleOptions());
    QString name() const override { return QStringLiteral("oracle"); }
    /// Refuses (false, message naming the cluster, K and L and the limits) scenarios beyond
    /// OracleOptions::maxDevices / maxBlocks; "infeasible: …" when nothing fits memory.
    bool decide(const PolicyState &state, Decision *out, QString *error) override;

private:
    OracleOptions m_options;
};

} // namespace collapipe
