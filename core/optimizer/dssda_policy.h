// SPDX-License-Identifier: MIT
#pragma once

#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/policy.h"

#include <map>
#include <vector>

/// DSSDA (= DSSRA, spec §6, §10-O) and its ablations (spec §8 items 5–6) as policies.
namespace collapipe {

class DssdaPolicy final : public Policy
{
public:
    /// Stable CLI names: "dssda" (alias "dssra"), "dssda-myopic", "dssda-fixed-m",
    /// "dssda-equal-bw".
    enum class Variant {
        Full,          ///< Lyapunov drift-plus-penalty with the queues of PolicyState
        Myopic,        ///< queues ignored (Q ≡ Z ≡ 0): minimises latency only
        FixedM,        ///< M = fixedMicrobatchCount() (uniform_policy.h), the rest optimised
        EqualBandwidth ///< equal D2D shares and max power; segments, order and M optimised
    };

    explicit DssdaPolicy(Variant variant = Variant::Full, const QString &name = QString());

    QString name() const override { return m_name; }
    /// Solves each cluster independently (P1(t) decomposes per cluster: each has its own D2D
    /// band and a fixed share of its server's D2E band; spec §5 "Decomposition", with the
    /// system latency max_n T_n replaced by per-cluster terms). Fails with "infeasible: …"
    /// (every infeasible cluster named) if some cluster fits memory at no M.
    bool decide(const PolicyState &state, Decision *out, QString *error) override;

    /// Exact per-cluster objective V·T_n + Σ Q·E + Z·Φ of the last successful decide().
    const std::vector<double> &lastObjectives() const { return m_lastObjectives; }

    /// Per cluster of the last successful decide(): true when it kept the previous plan's
    /// structure and only re-allocated resources (optimizer.replan_every), false when it planned.
    const std::vector<bool> &lastKeptPlan() const { return m_lastKeptPlan; }

    /// Per cluster of the last successful decide(): true when it repaired the plan a mid-round
    /// dropout aborted (PolicyState::aborted, DSSDA.md "Fail-over"), false when it solved.
    const std::vector<bool> &lastRepaired() const { return m_lastRepaired; }

    /// The solver options a variant uses for a scenario.
    static DssdaOptions optionsFor(Variant variant, const Scenario &scenario);

    /// Threads decide() solves the clusters on: resolveThreadCount(training.threads)
    /// (core/scenario/parallel_for.h), capped at the cluster count, and 1 below 4 clusters
    /// (starting threads costs more than it saves there). The decision does not depend on it.
    static int solverThreads(const Scenario &scenario);

    /// Solver options override (tests and the bench tune the search effort).
    void setOptions(const DssdaOptions &options);

private:
    Variant m_variant;
    QString m_name;
    bool m_hasOptions = false;
    DssdaOptions m_options;
    std::vector<double> m_lastObjectives;
    std::vector<bool> m_lastKeptPlan;
    std::vector<bool> m_lastRepaired;
    /// Cluster id → its exact objective in the last successful decide(): a tracked round
    /// (optimizer.replan_every) whose objective grew beyond DssdaOptions::replanGrowth of it
    /// re-plans.
    std::map<QString, double> m_lastObjectiveById;
    /// Cluster id → the surrogate's per-M tables, kept across rounds (SurrogateMemo; each
    /// cluster's memo is touched only by the thread solving that cluster; the map is only
    /// changed before the threads start).
    std::map<QString, SurrogateMemo> m_memos;
};

} // namespace collapipe
