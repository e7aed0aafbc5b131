// SPDX-License-Identifier: MIT
#include "core/sim/session_trainer.h"

#include "core/trainer/federated_trainer.h"
#include "core/trainer/stage_ops.h"

#include <algorithm>
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

bool SessionTrainer::checkDivergence(const Scenario &scenario, double loss, QString *error)
{
    if (m_referenceLoss <= 0.0) {
        // ln(outputs) is the loss of a model that predicts uniformly: the floor keeps a first
        // round that already learned much (many local iterations) from making the bar too low.
        const int outputs = scenario.model.family == ModelFamily::Bert
            ? scenario.model.numClasses
            : scenario.model.trainer.vocabSize;
        m_referenceLoss = std::max(loss, std::log(double(std::max(outputs, 2))));
        return false;
    }
    const double bar = kDivergenceFactor * m_referenceLoss;
    m_roundsAbove = loss > bar ? m_roundsAbove + 1 : 0;
    if (m_roundsAbove < kDivergenceRounds) {
        return false;
    }
    *error = QStringLiteral(
        "diverged: the loss has been above %1 x its reference %2 "
        "for %3 rounds in a row (now %4; rule: core/trainer/README.md \"Divergence\"); "
        "lower training.learning_rate (%5) or set training.grad_clip (%6)")
                 .arg(kDivergenceFactor)
                 .arg(m_referenceLoss, 0, 'g', 4)
                 .arg(kDivergenceRounds)
                 .arg(loss, 0, 'g', 5)
                 .arg(scenario.training.learningRate)
                 .arg(scenario.training.gradClip);
    return true;
}

double SessionTrainer::validationAccuracy() const
{
    return m_trainer->evaluate().accuracy;
}

} // namespace collapipe
