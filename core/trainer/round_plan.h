// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/federated_trainer.h"
#include "core/types/decision.h"

#include <QString>

#include <vector>

/// What a cluster actually executes in one local iteration, derived from its decision
/// (spec §10-A micro-batch sizes; core/MODEL.md "Baselines" for the non-pipeline modes).
namespace collapipe {

struct ClusterPlan
{
    /// A contiguous pipeline over devices (index K = the edge server) in chain order; with a
    /// chunked schedule one stage per virtual stage (chunk_layout.h).
    ClusterDecision decision;
    std::vector<StageOp> ops; ///< execution order of `decision`
    std::vector<int> sizes;   ///< micro-batch sizes (samples)
    std::vector<int> mirrors; ///< FederatedFull: other member devices holding a full copy
};

/// Micro-batch sizes of a decision: Count → M × b; Split → B split into M, b = ⌈B/M⌉, last
/// smaller, balanced (⌊B/M⌋ or +1) when ⌈B/M⌉ would leave an empty micro-batch.
bool microbatchSizes(
    const Scenario &s, const ClusterDecision &cd, std::vector<int> *sizes, QString *error);

/// Pipeline: the decision and the given op order as they are (devices must be < K); ops of a
/// chunked schedule (interleaved, ZB-V) cut each stage's δ blocks into v equal chunks laid along
/// the chain (virtualStageSegments(); refused, naming the stage and δ, if v does not divide δ).
/// FederatedFull: every member device trains the full encoder on its share of the samples;
/// executed as one stage on the first member with one micro-batch per member, forward then
/// backward (data-parallel: the summed gradients of the members), the other members mirrored.
/// EdgeTail: the device stages run blocks [0, cut) in the given (or the schedule's) order, the
/// edge server (segment slot K) the rest, right after the last device stage's (or, chunked,
/// virtual stage's) forward of each micro-batch. `givenOps` may be null (reference mode).
bool planCluster(const Scenario &s, int cluster, const ClusterDecision &cd,
    const std::vector<StageOp> *givenOps, ClusterPlan *out, QString *error);

} // namespace collapipe
