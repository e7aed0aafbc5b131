// SPDX-License-Identifier: MIT
#pragma once

#include "core/optimizer/policy.h"

/// The non-pipelined baselines of spec §8 items 1–2, charged by the evaluator's FederatedFull and
/// EdgeTail paths (core/MODEL.md "Baselines").
namespace collapipe {

/// `fl` (FedAvg inside the cluster): every device whose memory holds the whole encoder (at its
/// share of the cluster's samples) trains it alone at max power; devices that cannot hold it sit
/// out (spec §8: "ignoring memory limits, or using the largest devices only" — we never ignore
/// memory). Samples per round as the pipeline baselines: B in split mode, M·b with
/// M = fixedMicrobatchCount() in count mode. Infeasible if no device can hold the encoder.
class FederatedFullPolicy final : public Policy
{
public:
    QString name() const override { return QStringLiteral("fl"); }
    bool decide(const PolicyState &state, Decision *out, QString *error) override;
};

/// `sl` (split learning with a fixed cut, spec §8 item 2): one device runs the embedding's
/// output through blocks 0..c−1 (c = OptimizerSettings::slCutBlocks, clamped to [1, L]), the
/// edge runs the rest and the head; one micro-batch (no pipelining), the whole CU band, max
/// power. The device is the one with the lowest exact objective among those whose memory holds
/// c blocks. Infeasible if none does.
class SplitFixedCutPolicy final : public Policy
{
public:
    QString name() const override { return QStringLiteral("sl"); }
    bool decide(const PolicyState &state, Decision *out, QString *error) override;
};

/// The `sl` decision of one cluster with device `device` holding the first slCutBlocks blocks
/// (DSSDA scores these too when edge offload is on: they are points of its decision space).
ClusterDecision splitClusterDecision(const Scenario &scenario, int cluster, int device);

/// The static baselines DSSDA scores as starts (spec §8 items 3–4: uniform and proportional over
/// the devices in index order) and, with edge offload, sl's decision for every device.
std::vector<ClusterDecision> baselineDecisions(const Scenario &scenario, int cluster);

} // namespace collapipe
