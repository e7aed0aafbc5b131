// SPDX-License-Identifier: MIT
#pragma once

#include "core/channel/channel_state.h"
#include "core/cost/cluster_cost.h"
#include "core/cost/round_plan.h"
#include "core/optimizer/virtual_queues.h"
#include "core/scenario/scenario.h"
#include "core/sim/session_trainer.h"
#include "core/types/decision.h"
#include "core/types/round_record.h"

#include <vector>

/// Turning one round's pieces into its RoundRecord (core/sim, private to the Session).
namespace collapipe {

/// Energy spent per device, [cluster][device], from the cost model (spec §2.5); devices given no
/// blocks spent nothing.
std::vector<std::vector<double>> deviceEnergy(const Scenario &scenario, const RoundCost &cost);

/// Φ_n per cluster for the convergence queue (spec §3): λ/(M·b) of each cluster's decision.
std::vector<double> convergencePenalties(const Scenario &scenario, const Decision &decision);

/// Fills the per-round scalars, clusters and devices of `record` (not round, simTimeS, drift,
/// penalty, objective, accuracy, decisionTimeS, events: the Session owns those). `training` is
/// null with training off (loss, measured memory and the trainer-width prediction stay NaN).
/// An EdgeTail cluster gets the blocks its edge server ran (ClusterRound::edgeFirstBlock, from
/// the plan's cut). `queues` are after this round's
/// update. Every device of every cluster gets a row; an idle device (no blocks) reports stage −1,
/// its D2E link's distance and SNR at max power over its cluster's D2E share, and rate 0.
void assembleRound(const Scenario &scenario, const ChannelState &channel, const RoundPlan &plan,
    const TrainedRound *training, const VirtualQueues &queues, RoundRecord *record);

/// "" when every number of `record` the store keeps as a value is finite; else the first one that
/// is not, named by its store column and owner, e.g. "latency_s = inf" or "device d3
/// link_rate_bps = nan". NaN is allowed only where it means "not measured" (accuracy between
/// evaluations, loss / measured memory / bytes moved with training off, edge memory without a
/// tail); infinity never. The Session fails the round with this text (issue [2/7] item 8): a
/// stored inf/NaN would read as a result.
QString nonFiniteMetric(const Scenario &scenario, const RoundRecord &record, bool trained);

} // namespace collapipe
