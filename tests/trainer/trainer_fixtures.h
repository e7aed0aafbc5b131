// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/trainer/stage_ops.h"
#include "core/types/decision.h"

#include <algorithm>
#include <numeric>
#include <random>

/// Small scenarios and decisions built in code for the trainer tests.
namespace collapipe::test {

inline Scenario smallScenario(ModelFamily family, int clusters, int devices, int blocks)
{
    Scenario s;
    s.name = QStringLiteral("trainer-test");
    for (int c = 0; c < clusters; ++c) {
        Cluster cl;
        cl.id = QStringLiteral("c%1").arg(c);
        for (int k = 0; k < devices; ++k) {
            Device dv;
            dv.id = QStringLiteral("c%1d%2").arg(c).arg(k);
            cl.devices.push_back(dv);
        }
        s.topology.clusters.push_back(cl);
    }
    s.model.family = family;
    s.model.encoderBlocks = blocks;
    s.model.decoderBlocks = 1;
    s.model.numClasses = 4;
    s.model.trainer = {16, 2, 32, 24, 80};
    s.training.dataset
        = family == ModelFamily::Bert ? QStringLiteral("fortunes") : QStringLiteral("dates");
    s.training.batchSize = 12;
    s.training.learningRate = 3e-3;
    s.training.localIterations = 1;
    s.training.seed = 7;
    s.training.threads = 1;
    s.optimizer.microbatchMode = MicrobatchMode::Split;
    return s;
}

/// Random contiguous segments of `blocks` over a random subset/order of `devices`.
inline ClusterDecision randomSegments(
    std::mt19937_64 &rng, int devices, int blocks, int microbatches, PipelineSchedule schedule)
{
    ClusterDecision cd;
    cd.microbatches = microbatches;
    cd.schedule = schedule;
    std::vector<int> order(static_cast<size_t>(devices));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    const int stages = 1 + int(rng() % size_t(std::min(devices, blocks)));
    std::vector<int> cuts(size_t(blocks - 1));
    std::iota(cuts.begin(), cuts.end(), 1);
    std::shuffle(cuts.begin(), cuts.end(), rng);
    cuts.resize(size_t(stages - 1));
    std::sort(cuts.begin(), cuts.end());
    cuts.push_back(blocks);
    int first = 0;
    for (int j = 0; j < stages; ++j) {
        StageDecision sd;
        sd.device = order[size_t(j)];
        sd.firstBlock = first;
        sd.lastBlock = cuts[size_t(j)] - 1;
        first = cuts[size_t(j)];
        cd.stages.push_back(sd);
    }
    return cd;
}

/// Device stages with deltas[j] blocks each, contiguous from block 0, stage j on device S − 1 − j
/// (the stage → device map is exercised, not the identity).
inline ClusterDecision stagesOf(const std::vector<int> &deltas, int microbatches)
{
    ClusterDecision cd;
    cd.microbatches = microbatches;
    const int stages = int(deltas.size());
    int first = 0;
    for (int j = 0; j < stages; ++j) {
        cd.stages.push_back(StageDecision{stages - 1 - j, first, first + deltas[size_t(j)] - 1});
        first += deltas[size_t(j)];
    }
    return cd;
}

inline std::vector<StageOp> orderFor(const ClusterDecision &cd, int microbatches)
{
    const int s = int(cd.stages.size());
    return scheduleStageOps(cd.schedule, s, microbatches);
}

/// ‖a − b‖ / ‖b‖ over the whole vector.
inline double relDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        num += double(a[i] - b[i]) * double(a[i] - b[i]);
        den += double(b[i]) * double(b[i]);
    }
    return std::sqrt(num / std::max(den, 1e-30));
}

} // namespace collapipe::test
