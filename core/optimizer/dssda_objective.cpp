// SPDX-License-Identifier: MIT
// The exact score and the small helpers of dssda_solver.h that the baselines and the oracle
// share with DSSDA.
#include "core/cost/cost_terms.h"
#include "core/optimizer/dssda_solver.h"
#include "core/optimizer/exact_memo.h"
#include "core/optimizer/virtual_queues.h"
#include "core/pipeline/pipeline_split.h"
#include "core/types/special_values.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {

namespace { } // namespace

ClusterWeights clusterWeights(const Scenario &scenario, int cluster,
    const std::vector<std::vector<double>> *energyQueues, const std::vector<double> *convergence,
    bool useQueues)
{
    ClusterWeights w;
    w.v = scenario.optimizer.v;
    if (useQueues && energyQueues && std::size_t(cluster) < energyQueues->size()) {
        w.energyQueues = (*energyQueues)[std::size_t(cluster)];
    }
    if (useQueues && convergence && std::size_t(cluster) < convergence->size()) {
        w.convergenceQueue = (*convergence)[std::size_t(cluster)];
    }
    return w;
}

double exactObjective(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, const ClusterDecision &decision, ClusterCost *cost)
{
    return exact_memo::exactObjectiveWith(
        scenario, cluster, channel, weights, decision, cost, nullptr);
}

double exact_memo::exactObjectiveWith(const Scenario &scenario, int cluster,
    const ClusterChannel &channel, const ClusterWeights &weights, const ClusterDecision &decision,
    ClusterCost *cost, const std::vector<double> *broadcastS)
{
    ClusterCost c;
    if (cost) {
        c = evaluateCluster(scenario, cluster, channel, decision);
    } else {
        // The value reads the latency, never its split by cause: the recursion skips the
        // critical-path walk (the cost is dropped here, so nobody sees the zero split).
        const PipelineSplitSkip noSplit;
        c = evaluateCluster(scenario, cluster, channel, decision);
    }
    double value = kInf;
    if (c.memoryFits && std::isfinite(c.latencyS)) {
        // The broadcast back is the one part of the aggregation the decision changes (an edge
        // tail shrinks it); counting it keeps edge-tail and pipeline decisions comparable.
        const int held = deviceHeldBlocks(scenario, &decision);
        const double broadcast = broadcastS && std::size_t(held) < broadcastS->size()
            ? (*broadcastS)[std::size_t(held)]
            : broadcastTimeS(scenario, cluster, channel, held);
        value = std::max(weights.v, 1e-9) * (c.latencyS + broadcast);
        for (const StageCost &st : c.stages) {
            const std::size_t k = std::size_t(st.device);
            if (k < weights.energyQueues.size()) {
                value += weights.energyQueues[k] * st.energyJ;
            }
        }
        value += weights.convergenceQueue
            * VirtualQueues::convergencePenalty(
                scenario, decision.microbatches, decision.microbatchSize);
    }
    if (cost) {
        *cost = std::move(c);
    }
    return value;
}

std::vector<ScheduleChoice> scheduleCandidates(
    const Scenario &scenario, const std::vector<int> &stageBlocks)
{
    std::vector<ScheduleChoice> all;
    const OptimizerSettings &o = scenario.optimizer;
    if (!o.autoSchedule) {
        all.push_back({o.schedule, o.schedule == ScheduleKind::Interleaved ? o.interleave : 1});
    } else {
        all = {
            {ScheduleKind::OneFOneB, 1}, {ScheduleKind::GPipe, 1}, {ScheduleKind::ZeroBubbleH1, 1}};
        for (int v = 2; v <= std::min(o.interleave, kMaxInterleave); ++v) {
            all.push_back({ScheduleKind::Interleaved, v});
        }
        all.push_back({ScheduleKind::ZeroBubbleV, 1});
    }
    std::vector<ScheduleChoice> out;
    for (const ScheduleChoice &c : all) {
        const bool fits = std::all_of(stageBlocks.begin(), stageBlocks.end(),
            [&](int blocks) { return chunksFit(c.kind, c.interleave, blocks); });
        if (fits) {
            out.push_back(c);
        }
    }
    return out;
}

ClusterDecision withSchedule(
    const ClusterDecision &decision, const ScheduleChoice &choice, double wrapShare)
{
    ClusterDecision d = decision;
    d.schedule = choice.kind;
    d.interleave = choice.kind == ScheduleKind::Interleaved ? std::max(1, choice.interleave) : 1;
    const std::size_t S = d.stages.size();
    if (S < 2) {
        return d;
    }
    // Shares of the links the base decision uses: the CU's and stages 0 … S−2 (the last stage's
    // is a wrap share only under interleaving). Rescale them to leave `keep` of the band.
    const double oldWrap = d.stages[S - 1].bandwidthShare;
    const bool wraps
        = chunksOf(d.schedule, d.interleave) >= 2 && d.schedule == ScheduleKind::Interleaved;
    const double newWrap = wraps ? std::clamp(wrapShare, 0.0, 1.0) : 0.0;
    const double scale = oldWrap < 1.0 ? (1.0 - newWrap) / (1.0 - oldWrap) : 0.0;
    d.controlUnitShare *= scale;
    for (std::size_t j = 0; j + 1 < S; ++j) {
        d.stages[j].bandwidthShare *= scale;
    }
    d.stages[S - 1].bandwidthShare = newWrap;
    return d;
}

double chooseSchedule(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights, ClusterDecision *decision, ClusterCost *cost)
{
    std::vector<int> blocks;
    for (const StageDecision &st : decision->stages) {
        blocks.push_back(st.blockCount());
    }
    const double S = double(decision->stages.size());
    double best = kInf;
    ClusterDecision bestDecision = *decision;
    for (const ScheduleChoice &choice : scheduleCandidates(scenario, blocks)) {
        const bool wraps = choice.kind == ScheduleKind::Interleaved && choice.interleave >= 2
            && decision->stages.size() >= 2;
        const std::vector<double> wrapShares = wraps
            ? std::vector<double>{0.5 / (S + 1.0), 1.0 / (S + 1.0), 2.0 / (S + 1.0)}
            : std::vector<double>{0.0};
        for (double w : wrapShares) {
            ClusterDecision d = withSchedule(*decision, choice, w);
            const double v = exactObjective(scenario, cluster, channel, weights, d);
            if (v < best) {
                best = v;
                bestDecision = std::move(d);
            }
        }
    }
    *decision = std::move(bestDecision);
    if (cost) {
        exactObjective(scenario, cluster, channel, weights, *decision, cost);
    }
    return best;
}

std::vector<int> candidateMicrobatches(const Scenario &scenario)
{
    const int maxM = std::max(1, scenario.optimizer.maxMicrobatches);
    std::vector<int> ms;
    const int B = std::max(1, scenario.training.batchSize);
    for (int m = 1; m <= maxM; ++m) {
        if (scenario.optimizer.microbatchMode == MicrobatchMode::Count || B % m == 0) {
            ms.push_back(m);
        }
    }
    return ms;
}

} // namespace collapipe
