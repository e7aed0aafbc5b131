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

/// The schedule of the static policies (uniform, proportional, fl, sl): the scenario's, or 1F1B
/// when it says `auto` (only DSSDA and the oracle choose).
ScheduleKind staticSchedule(const OptimizerSettings &optimizer);

/// Completes a cluster decision from its block counts (one per device in `order`, zeros allowed):
/// contiguous segments in that order, M = fixedMicrobatchCount(), b per the micro-batch mode,
/// staticSchedule() with the scenario's interleave, equal bandwidth over the D2D links that carry
/// data (CU → stage 0, stage j → j+1 and, interleaved with S ≥ 2, the wrap from the last stage to
/// the first; otherwise the last stage's hop is D2E, so its share is 0), every stage at its
/// device's max power. Shared by `uniform` and `proportional`.
ClusterDecision staticClusterDecision(const Scenario &scenario, int cluster,
    const std::vector<int> &order, const std::vector<int> &blocksPerDevice);

/// Checks every stage's predicted memory against its device and the schedule's chunk rule
/// (chunksFit()); on a violation returns false and writes "infeasible: cluster <id>: device <id>
/// needs <bytes> B > <bytes> B available; …" or "device <id> has 3 blocks, not a multiple of
/// the 2 chunks of optimizer.schedule interleaved (optimizer.interleave = 2)", naming every
/// device that does not fit.
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
