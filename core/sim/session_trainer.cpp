// SPDX-License-Identifier: MIT
#include "core/sim/session_trainer.h"

#include "core/trainer/federated_trainer.h"
#include "core/trainer/stage_ops.h"

#include <algorithm>
#include <cmath>
#include <unistd.h>

namespace collapipe {

namespace {

/// An upper estimate of the bytes the trainer allocates for `s` (core/trainer/README.md
/// "Measured memory"): fp32 weights, gradients and both AdamW moments of the whole model for
/// every cluster's replica and the global model, plus every cluster's activations with the whole
/// mini-batch in flight. In doubles, so absurd sizes cannot overflow.
double trainerFootprintBytes(const Scenario &s)
{
    const TransformerDims &t = s.model.trainer;
    const double d = t.dModel, f = t.dFf, sq = t.seqLen, vocab = t.vocabSize, a = t.heads;
    const double block = 4 * d * d + 2 * d * f + 9 * d;
    const bool seq2seq = s.model.family == ModelFamily::Transformer;
    const double decoders = seq2seq ? s.model.decoderBlocks : 0;
    const double head = seq2seq ? decoders * 2 * block + vocab * d : s.model.numClasses * d + d * d;
    const double params = vocab * d + sq * d + s.model.encoderBlocks * block + head;
    const double clusters = double(s.topology.clusters.size());
    const double state = params * 4.0 * 4.0 * (clusters + 1);
    const double perSampleBlock = 4.0 * (8 * sq * d + 2 * sq * f + a * sq * sq + 2 * sq);
    const double activations
        = clusters * s.training.batchSize * (s.model.encoderBlocks + decoders) * perSampleBlock;
    return state + activations;
}

/// Physical memory of this machine in bytes; 0 if unknown.
double physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? double(pages) * double(pageSize) : 0.0;
}

} // namespace

SessionTrainer::SessionTrainer() = default;
SessionTrainer::~SessionTrainer() = default;

bool SessionTrainer::init(const Scenario &scenario, QString *error)
{
    // Refuse a model this machine cannot hold before allocating any of it: a failed allocation
    // would end the process instead of giving a message (issue [2/7]: bad input never crashes).
    const double needed = trainerFootprintBytes(scenario);
    const double available = 0.75 * physicalMemoryBytes();
    if (available > 0.0 && needed > available) {
        *error = QStringLiteral("model.trainer is too large to train on this machine: about %1 GB "
                                "(weights, gradients and AdamW state of %2 model copies, "
                                "activations of training.batch_size %3) > %4 GB usable; lower "
                                "model.trainer.d_model, d_ff, seq_len, vocab_size or "
                                "training.batch_size, or set training.train off")
                     .arg(needed / 1e9, 0, 'g', 3)
                     .arg(scenario.topology.clusters.size() + 1)
                     .arg(scenario.training.batchSize)
                     .arg(available / 1e9, 0, 'g', 3);
        return false;
    }
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

bool SessionTrainer::trainRound(const Scenario &scenario, const RoundPlan &plan,
    const std::vector<char> &participants, TrainedRound *out, QString *error)
{
    const Decision &decision = plan.decision;
    const std::size_t clusters = decision.clusters.size();
    std::vector<std::vector<StageOp>> ops(clusters);
    std::vector<TimelineEvent> first;
    for (std::size_t n = 0; n < clusters && n < plan.timelines.size(); ++n) {
        // With I local iterations the timeline numbers micro-batches across iterations
        // (timeline.h); the trainer wants one iteration's order and repeats it.
        const ClusterDecision &cd = decision.clusters[n];
        if (n < participants.size() && !participants[n]) {
            continue; // not trained this round: no op order needed
        }
        const int m = cd.microbatches;
        if (cd.mode != ClusterDecision::Mode::FederatedFull
            && (splitsBackward(cd.schedule) || chunksOf(cd.schedule, cd.interleave) > 1)) {
            // The timeline's events say Backward for both B and W and carry no chunk: take the
            // order from the schedule itself (the one the cost model timed). The trainer refuses
            // what it cannot execute yet (chunks) by name.
            const Schedule schedule
                = makeSchedule(cd.schedule, int(cd.stages.size()), m, cd.interleave);
            if (!stageOpsFromSchedule(schedule, &ops[n], error)) {
                return false;
            }
            continue;
        }
        first.clear();
        for (const TimelineEvent &e : plan.timelines[n].events) {
            if (e.microbatch >= 0 && e.microbatch < m) {
                first.push_back(e);
            }
        }
        ops[n] = stageOpsFromTimeline(first, int(n));
    }
    TrainRoundResult result;
    if (!m_trainer->trainRound(decision, ops, &result, error, participants)) {
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
    // The same "training.learning_rate = x, training.grad_clip = y" wording as the trainer's
    // NaN checks, so every path to "diverged" reads alike.
    *error = QStringLiteral("diverged: the loss has been above %1 x its reference %2 for %3 "
                            "rounds in a row (now %4; rule: core/trainer/README.md "
                            "\"Divergence\") with training.learning_rate = %5, "
                            "training.grad_clip = %6: lower the learning rate or clip gradients")
                 .arg(kDivergenceFactor)
                 .arg(m_referenceLoss, 0, 'g', 4)
                 .arg(kDivergenceRounds)
                 .arg(loss, 0, 'g', 5)
                 .arg(scenario.training.learningRate)
                 .arg(scenario.training.gradClip);
    return true;
}

std::vector<float> SessionTrainer::globalParameters() const
{
    return m_trainer->globalParameters();
}

std::size_t SessionTrainer::averagedParameterCount() const
{
    return m_trainer->averagedParameterCount();
}

std::vector<int> SessionTrainer::shardSizes() const
{
    return m_trainer->shardSizes();
}

double SessionTrainer::validationAccuracy() const
{
    return m_trainer->evaluate().accuracy;
}

} // namespace collapipe
