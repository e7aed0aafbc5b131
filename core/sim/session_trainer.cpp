// SPDX-License-Identifier: MIT
#include "core/sim/session_trainer.h"

#include "core/trainer/federated_trainer.h"
#include "core/trainer/stage_ops.h"

#include <cmath>

namespace collapipe {

SessionTrainer::SessionTrainer() = default;
SessionTrainer::~SessionTrainer() = default;

bool SessionTrainer::init(const Scenario &scenario, QString *error)
{
    m_trainer = std::make_unique<FederatedTrainer>();
    if (!m_trainer->init(scenario, error)) {
        m_trainer.reset();
        return false;
    }
    return true;
}

void SessionTrainer::setCancelCheck(std::function<bool()> check)
{
    m_trainer->setCancelCheck(std::move(check));
}

bool SessionTrainer::trainRound(const Scenario &scenario, const Decision &decision,
    const std::vector<TimelineEvent> &events, TrainedRound *out, QString *error)
{
    const std::size_t clusters = decision.clusters.size();
    std::vector<std::vector<StageOp>> ops(clusters);
    std::vector<TimelineEvent> first;
    for (std::size_t n = 0; n < clusters; ++n) {
        // With I local iterations the timeline numbers micro-batches across iterations
        // (timeline.h); the trainer wants one iteration's order and repeats it.
        const int m = decision.clusters[n].microbatches;
        first.clear();
        for (const TimelineEvent &e : events) {
            if (e.cluster == int(n) && e.microbatch >= 0 && e.microbatch < m) {
                first.push_back(e);
            }
        }
        ops[n] = stageOpsFromTimeline(first, int(n));
    }
    TrainRoundResult result;
    if (!m_trainer->trainRound(decision, ops, &result, error)) {
        return false;
    }
    out->loss = result.loss;
    out->bytesMoved = result.bytesMoved;
    out->clusterLoss.assign(clusters, std::nan(""));
    out->measuredBytes.resize(scenario.topology.clusters.size());
    for (std::size_t n = 0; n < out->measuredBytes.size(); ++n) {
        out->measuredBytes[n].assign(scenario.topology.clusters[n].devices.size(), std::nan(""));
    }
    for (std::size_t n = 0; n < result.clusters.size() && n < clusters; ++n) {
        out->clusterLoss[n] = result.clusters[n].loss;
        for (const DeviceTrainStats &d : result.clusters[n].devices) {
            if (n < out->measuredBytes.size() && d.device >= 0
                && d.device < int(out->measuredBytes[n].size())) {
                out->measuredBytes[n][std::size_t(d.device)] = d.measuredPeakBytes;
            }
        }
    }
    return true;
}

double SessionTrainer::validationAccuracy() const
{
    return m_trainer->evaluate().accuracy;
}

} // namespace collapipe
