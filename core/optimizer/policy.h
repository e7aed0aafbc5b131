// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/scenario/scenario.h"
#include "core/types/decision.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

/// The per-round decision maker (architecture.md "core/optimizer"; spec §6, §8).
namespace collapipe {

/// What a policy sees at the start of round t (spec §6 step 1). Pointers are owned by the caller
/// and valid for the call only.
struct PolicyState
{
    int round = 0;
    const Scenario *scenario = nullptr;
    const ChannelState *channel = nullptr;
    /// Energy virtual queues Q_{n,k}(t) in joules, [cluster][device] (spec §5). Empty = all zero.
    const std::vector<std::vector<double>> *energyQueues = nullptr;
    /// Convergence queues Z_n(t), [cluster] (spec §3, §5). Empty = all zero.
    const std::vector<double> *convergenceQueues = nullptr;
    const Decision *previous = nullptr; ///< last round's decision, nullptr in round 0
    /// At a mid-round fail-over only (core/MODEL.md "Churn"): this round's plan that the dropout
    /// aborted, per cluster of the view, its stages on the devices still present. A policy may
    /// repair it (optimizer.failover = repair: DSSDA's rule, DSSDA.md "Fail-over") instead of
    /// planning anew; null at a round's start.
    const Decision *aborted = nullptr;
    /// True once the run should stop (Ctrl+C, the Studio's stop): a long decide() polls it and
    /// gives up (returns false) instead of finishing. Empty = never. Called from the solver's
    /// threads, so it must be thread-safe (RunControl's atomics are).
    std::function<bool()> cancelled;
};

/// A policy maps the observed state to a decision. Implementations may keep state across rounds
/// but must be deterministic given the same sequence of states.
class Policy
{
public:
    virtual ~Policy() = default;
    /// Stable CLI name, e.g. "dssda", "uniform".
    virtual QString name() const = 0;
    /// Fills `out` and returns true, or returns false with a message in `error` that names the
    /// cluster, the devices and the bytes needed vs available when nothing fits (infeasible).
    virtual bool decide(const PolicyState &state, Decision *out, QString *error) = 0;
};

/// Every registered policy name, in a stable order.
QStringList policyNames();
/// Creates the named policy, or returns nullptr with a message listing the valid names.
std::unique_ptr<Policy> makePolicy(const QString &name, QString *error);

} // namespace collapipe
