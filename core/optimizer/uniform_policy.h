// SPDX-License-Identifier: MIT
#pragma once

#include "core/optimizer/policy.h"

#include <functional>

/// Baseline `uniform` (spec §8 item 3, GPipe-even): equal segments, devices in index order,
/// equal D2D bandwidth, maximum power, fixed M. See core/MODEL.md "Policies".
namespace collapipe {

/// M used by the fixed-M baselines: min(M_max, 4) — a common GPipe setting that already removes
/// most of the bubble for 4–8 stages without tiny micro-batches.
int fixedMicrobatchCount(const OptimizerSettings &optimizer);

/// Completes a cluster decision from its block counts (one per device in `order`, zeros allowed):
/// contiguous segments in that order, M = fixedMicrobatchCount(), b per the micro-batch mode,
/// the scenario's schedule, equal bandwidth over the S D2D links that carry data (CU → stage 0
/// and stage j → j+1; the last stage's hop is D2E, so its share is 0), every stage at its device's
/// max power. Shared by `uniform` and `proportional`.
ClusterDecision staticClusterDecision(const Scenario &scenario, int cluster,
    const std::vector<int> &order, const std::vector<int> &blocksPerDevice);

/// Checks every stage's predicted memory against its device; on a violation returns false and
/// writes "infeasible: cluster <id>: device <id> needs <bytes> B > <bytes> B available; …"
/// naming every device that does not fit.
bool checkMemory(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterDecision &decision, QString *error);

/// The whole decide() of a static policy: devices in index order, `blocksFor(cluster)` blocks each,
/// then staticClusterDecision() and checkMemory() per cluster. `policyName` prefixes the message
/// given when the state lacks a scenario or channel.
bool decideStatic(const PolicyState &state, const QString &policyName,
    const std::function<std::vector<int>(const Scenario &, const Cluster &)> &blocksFor,
    Decision *out, QString *error);

/// Splits L blocks as evenly as possible over n devices: the first L mod n get one more block.
std::vector<int> equalBlockCounts(int blocks, int devices);

class UniformPolicy final : public Policy
{
public:
    QString name() const override { return QStringLiteral("uniform"); }
    /// Equal segments over all devices of each cluster in index order (if L < K the first L
    /// devices get one block each). Fails (infeasible) if a segment does not fit its device.
    bool decide(const PolicyState &state, Decision *out, QString *error) override;
};

} // namespace collapipe
