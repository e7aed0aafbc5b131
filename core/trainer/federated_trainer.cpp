// SPDX-License-Identifier: MIT
#include "core/trainer/federated_trainer.h"

#include "core/scenario/parallel_for.h"
#include "core/scenario/scenario_json.h"
#include "core/trainer/fedavg_weights.h"
#include "core/trainer/federated_trainer_p.h"
#include "core/trainer/round_plan.h"
#include "core/trainer/subword_tokenizer.h"
#include "core/trainer/training_mode.h"

#include <cmath>

namespace collapipe {

FederatedTrainer::FederatedTrainer()
    : d(std::make_unique<FederatedTrainerPrivate>())
{ }
FederatedTrainer::~FederatedTrainer() = default;

void FederatedTrainer::setCancelCheck(std::function<bool()> check)
{
    d->cancel = std::move(check);
}
void FederatedTrainer::setLearningRate(double lr)
{
    d->adamw.learningRate = lr;
}
void FederatedTrainer::setReferenceMode(bool on)
{
    d->reference = on;
}
int FederatedTrainer::tokensPerSample() const
{
    return d->srcLen;
}
std::vector<int> FederatedTrainer::shardSizes() const
{
    return d->shardSizes;
}
int FederatedTrainer::encoderParameterCount() const
{
    int n = 0;
    for (const Param<float> *p : d->globalView().params()) {
        n += int(p->w.size());
    }
    for (Param<float> *p : d->head.params()) {
        n -= int(p->w.size());
    }
    return n;
}

int FederatedTrainer::trainedEncoderParameterCount() const
{
    int n = 0;
    for (const Param<float> *p : d->globalView().params()) {
        n += p->trainable ? int(p->w.size()) : 0;
    }
    for (Param<float> *p : d->head.params()) {
        n -= p->trainable ? int(p->w.size()) : 0;
    }
    return n;
}

bool FederatedTrainer::setShards(const std::vector<std::vector<int>> &shards,
    const std::vector<std::uint64_t> &samplingSeeds, QString *error)
{
    const size_t n = d->clusters.size();
    if (shards.size() != n || samplingSeeds.size() != n) {
        *error = QStringLiteral("setShards: %1 shards and %2 seeds for %3 clusters")
                     .arg(shards.size())
                     .arg(samplingSeeds.size())
                     .arg(n);
        return false;
    }
    for (size_t c = 0; c < n; ++c) {
        for (int i : shards[c]) {
            if (i < 0 || i >= d->data.train.size()) {
                *error = QStringLiteral("setShards: cluster %1: sample %2 not in 0..%3")
                             .arg(c)
                             .arg(i)
                             .arg(d->data.train.size() - 1);
                return false;
            }
        }
        if (shards[c].empty()) {
            *error = QStringLiteral("setShards: cluster %1 has an empty shard").arg(c);
            return false;
        }
    }
    for (size_t c = 0; c < n; ++c) {
        d->clusters[c].init(int(d->scenario.topology.clusters[c].devices.size()) + 1, d->embedding,
            d->blocks, d->head, shards[c], samplingSeeds[c]);
        d->shardSizes[c] = int(shards[c].size());
    }
    return true;
}

int FederatedTrainer::roundsDone() const
{
    return d->rounds;
}

bool FederatedTrainer::init(const Scenario &s, QString *error)
{
    // The scenario's rules and their wording live once, in core/scenario: validateTrainedModel()
    // is the part of validateScenario() (file loader, `collapipe validate`, editor, Session) that
    // the trainer relies on. Here only what needs the dataset on disk is checked, naming the keys
    // as the file spells them.
    const std::vector<ScenarioProblem> problems = validateTrainedModel(s);
    if (!problems.empty()) {
        *error = QStringLiteral("invalid scenario: %1").arg(problems.front().toString());
        return false;
    }
    const TransformerDims &t = s.model.trainer;
    TextDataset ds;
    if (!loadTextDataset(s.training.dataset, &ds, error)) {
        return false;
    }
    const bool bert = s.model.family == ModelFamily::Bert;
    if (bert == ds.seq2seq) {
        *error = QStringLiteral("training.dataset '%1' is a %2 set but model.family is %3")
                     .arg(s.training.dataset,
                         ds.seq2seq ? QStringLiteral("seq2seq") : QStringLiteral("classification"),
                         bert ? QStringLiteral("bert") : QStringLiteral("transformer"));
        return false;
    }
    if (bert && s.model.numClasses != ds.numClasses()) {
        *error = QStringLiteral("model.num_classes = %1: dataset '%2' has %3 classes")
                     .arg(s.model.numClasses)
                     .arg(s.training.dataset)
                     .arg(ds.numClasses());
        return false;
    }
    // Classification sets with a merges.txt use vocabSize − 73 of its subword merges
    // (subword_tokenizer.h); with vocabSize 73, or a set without merges, plain characters.
    if (applySubwords(&ds, t.vocabSize, error) < 0) {
        return false;
    }
    d->scenario = s;
    d->srcLen = t.seqLen;
    d->tgtLen = ds.seq2seq ? ds.maxTargetChars + 1 : 0;
    std::mt19937_64 rng(s.training.seed);
    const BlockDims bd{t.dModel, t.heads, t.dFf};
    d->embedding.init(t.vocabSize, t.seqLen, t.dModel, rng);
    d->blocks.assign(size_t(s.model.encoderBlocks), EncoderBlock<float>());
    for (auto &b : d->blocks) {
        b.init(bd, s.model.encoderBlocks, rng);
    }
    applyTrainingMode(s.training, d->embedding, d->blocks);
    HeadDims hd{
        s.model.family, bd, s.model.decoderBlocks, s.model.numClasses, t.vocabSize, d->tgtLen};
    d->head = Head<float>();
    d->head.init(hd, rng);
    const int n = int(s.topology.clusters.size());
    const auto shards = makeShards(ds, n, s.training.split == DataSplit::Dirichlet,
        s.training.dirichletAlpha, s.training.seed);
    d->clusters.clear();
    d->clusters.resize(size_t(n));
    d->shardSizes.clear();
    for (int c = 0; c < n; ++c) {
        // K devices + one segment slot for the edge server (EdgeTail's server-side blocks).
        d->clusters[size_t(c)].init(int(s.topology.clusters[size_t(c)].devices.size()) + 1,
            d->embedding, d->blocks, d->head, shards[size_t(c)],
            s.training.seed * 1000003ULL + std::uint64_t(c));
        d->shardSizes.push_back(int(shards[size_t(c)].size()));
    }
    d->adamw = {s.training.learningRate, s.training.weightDecay, s.training.gradClip};
    d->threads = resolveThreadCount(s.training.threads);
    d->rounds = 0;
    d->data = std::move(ds);
    return true;
}

bool FederatedTrainer::trainRound(const Decision &dec,
    const std::vector<std::vector<StageOp>> &opsPerCluster, TrainRoundResult *out, QString *error,
    const std::vector<char> &participants)
{
    const kernels::ModeScope kernelMode(d->kernelMode());
    const int n = int(d->clusters.size());
    if (n == 0) {
        *error = QStringLiteral("trainer not initialised");
        return false;
    }
    if (int(dec.clusters.size()) != n || (!d->reference && int(opsPerCluster.size()) != n)) {
        *error = QStringLiteral("decision has %1 clusters and %2 op lists, the scenario %3")
                     .arg(dec.clusters.size())
                     .arg(opsPerCluster.size())
                     .arg(n);
        return false;
    }
    auto takesPart = [&](int c) {
        return participants.empty()
            || (size_t(c) < participants.size() && participants[size_t(c)] != 0);
    };
    int taking = 0;
    for (int c = 0; c < n; ++c) {
        taking += takesPart(c) ? 1 : 0;
    }
    if (taking == 0) {
        *error = QStringLiteral("no cluster takes part in the round's aggregation");
        return false;
    }
    std::vector<ClusterPlan> plans(static_cast<size_t>(n));
    for (int c = 0; c < n; ++c) {
        if (!takesPart(c)) {
            continue;
        }
        QString why;
        const std::vector<StageOp> *given = d->reference ? nullptr : &opsPerCluster[size_t(c)];
        if (!planCluster(d->scenario, c, dec.clusters[size_t(c)], given, &plans[size_t(c)], &why)
            || !d->clusters[size_t(c)].assignSegments(plans[size_t(c)].decision, &why)) {
            *error = QStringLiteral("cluster %1: %2").arg(c).arg(why);
            return false;
        }
    }
    d->lastGradients.resize(size_t(n));
    TrainRoundResult result;
    result.clusters.resize(size_t(n));
    std::vector<double> iterLoss(static_cast<size_t>(n));
    std::vector<QString> errors(static_cast<size_t>(n));
    std::vector<int> samples(static_cast<size_t>(n));
    const int iterations = d->scenario.training.localIterations;
    const kernels::Mode mode = kernels::currentMode();
    for (int it = 0; it < iterations; ++it) {
        parallelFor(n, d->threads, [&](int c) {
            if (!takesPart(c)) {
                samples[size_t(c)] = 0;
                iterLoss[size_t(c)] = 0.0;
                return; // left out of this round: nothing of it moves
            }
            // The workers compute with the caller's kernel mode (kernel_path.h is per thread).
            const kernels::ModeScope modeScope(mode);
            ClusterRuntime &cl = d->clusters[size_t(c)];
            int total = 0;
            for (int v : plans[size_t(c)].sizes) {
                total += v;
            }
            samples[size_t(c)] = total;
            const TokenBatch batch
                = makeBatch(d->data, d->data.train, cl.nextSamples(total), d->srcLen, d->tgtLen);
            const ClusterPlan &plan = plans[size_t(c)];
            // Masks keyed by (seed, global step, cluster): see dropout.h.
            Dropout drop;
            drop.rate = float(d->scenario.training.dropout);
            drop.key = Dropout::keyFor(std::uint64_t(d->scenario.training.seed),
                std::uint64_t(d->rounds) * std::uint64_t(iterations) + std::uint64_t(it),
                std::uint64_t(c));
            cl.setDropout(drop);
            if (!cl.runIteration(plan.decision, plan.ops, batch, plan.sizes, d->reference,
                    d->cancel, &iterLoss[size_t(c)], &errors[size_t(c)])) {
                return;
            }
            if (d->recordGradients) {
                std::vector<float> &g = d->lastGradients[size_t(c)];
                g.clear();
                std::vector<Param<float> *> params = cl.encoderParams();
                for (Param<float> *p : cl.head().params()) {
                    params.push_back(p);
                }
                for (const Param<float> *p : params) {
                    g.insert(g.end(), p->g.data(), p->g.data() + p->g.size());
                }
            }
            cl.step(d->adamw); // spec §1.3 step 7, each cluster on its own
        });
        for (int c = 0; c < n; ++c) {
            if (!takesPart(c)) {
                continue;
            }
            if (!errors[size_t(c)].isEmpty()) {
                *error = QStringLiteral("cluster %1: %2").arg(c).arg(errors[size_t(c)]);
                return false;
            }
            if (!std::isfinite(iterLoss[size_t(c)])) {
                // Worded like the Session's divergence rule and naming the --set keys, so every
                // build (whichever check fires first) says the same thing.
                *error = QStringLiteral("diverged: the loss became %1 in cluster %2 "
                                        "(training.learning_rate = %3, training.grad_clip = %4)")
                             .arg(iterLoss[size_t(c)])
                             .arg(d->scenario.topology.clusters[size_t(c)].id)
                             .arg(d->adamw.learningRate)
                             .arg(d->adamw.gradClip);
                return false;
            }
            result.clusters[size_t(c)].loss += iterLoss[size_t(c)] / iterations;
            result.clusters[size_t(c)].samples += samples[size_t(c)];
        }
        // The single edge head (spec §10-I) steps once on all clusters' gradients, each
        // cluster's mean-loss gradient weighted by its share of this iteration's samples.
        double all = 0;
        for (int v : samples) {
            all += v;
        }
        const auto master = d->head.params();
        for (int c = 0; c < n; ++c) {
            const auto replica = d->clusters[size_t(c)].head().params();
            const float w = float(samples[size_t(c)] / all);
            for (size_t k = 0; k < master.size(); ++k) {
                master[k]->g += w * replica[k]->g;
                replica[k]->g.setZero();
            }
        }
        adamwStep(master, d->adamw);
        for (int c = 0; c < n; ++c) {
            const auto replica = d->clusters[size_t(c)].head().params();
            for (size_t k = 0; k < master.size(); ++k) {
                replica[k]->w = master[k]->w;
            }
        }
    }
    // FedAvg of embedding + encoder weighted by shard size D_n (spec §1.3 step 9, §10-M), then
    // broadcast. AdamW moments stay local to each cluster's devices. Only trainable tensors are
    // averaged and uploaded (training.mode): frozen ones are the same everywhere.
    ModelView<float> global = d->globalView();
    const auto g = global.params();
    const size_t encoderTensors = g.size() - d->head.params().size();
    // Renormalised over the clusters that take part (core/MODEL.md "Deadline"); a cluster left
    // out holds last round's global model, so its weight 0 neither loses nor counts an update.
    const std::vector<double> weights = fedAvgWeights(d->shardSizes, participants);
    std::vector<std::vector<Param<float> *>> local(static_cast<size_t>(n));
    for (int c = 0; c < n; ++c) {
        local[size_t(c)] = d->clusters[size_t(c)].encoderParams();
    }
    double checksum = 0;
    for (size_t k = 0; k < encoderTensors; ++k) {
        if (!g[k]->trainable) {
            checksum += double(g[k]->w.sum());
            continue;
        }
        g[k]->w.setZero();
        for (int c = 0; c < n; ++c) {
            if (weights[size_t(c)] > 0.0) {
                g[k]->w += float(weights[size_t(c)]) * local[size_t(c)][k]->w;
            }
        }
        for (int c = 0; c < n; ++c) {
            local[size_t(c)][k]->w = g[k]->w;
        }
        checksum += double(g[k]->w.sum());
    }
    for (size_t k = encoderTensors; k < g.size(); ++k) {
        checksum += double(g[k]->w.sum());
    }
    if (!std::isfinite(checksum)) {
        *error = QStringLiteral("diverged: the model parameters became NaN/inf "
                                "(training.learning_rate = %1, training.grad_clip = %2)")
                     .arg(d->adamw.learningRate)
                     .arg(d->adamw.gradClip);
        return false;
    }
    double lossWeighted = 0, sampleSum = 0;
    for (int c = 0; c < n; ++c) {
        ClusterTrainStats &cs = result.clusters[size_t(c)];
        if (!takesPart(c)) {
            cs.loss = std::nan("");
            continue;
        }
        lossWeighted += cs.loss * cs.samples;
        sampleSum += cs.samples;
        const auto &devs = d->clusters[size_t(c)].devices();
        // The last segment is the edge server's (EdgeTail): not a device, not reported.
        for (size_t k = 0; k + 1 < devs.size(); ++k) {
            if (devs[k].blocks.empty()) {
                continue;
            }
            const double peak = devs[k].staticBytes() + devs[k].peakDynamicBytes;
            cs.devices.push_back({int(k), peak, devs[k].bytesMovedIn});
            result.bytesMoved += devs[k].bytesMovedIn;
            for (int mirror : plans[size_t(c)].mirrors) {
                cs.devices.push_back({mirror, peak, 0.0}); // FederatedFull: same full copy
            }
        }
    }
    result.loss = lossWeighted / sampleSum;
    ++d->rounds;
    *out = std::move(result);
    return true;
}

std::vector<float> FederatedTrainer::globalParameters() const
{
    std::vector<float> flat;
    for (const Param<float> *p : d->globalView().params()) {
        flat.insert(flat.end(), p->w.data(), p->w.data() + p->w.size());
    }
    return flat;
}

std::size_t FederatedTrainer::averagedParameterCount() const
{
    const auto all = d->globalView().params();
    const std::size_t averaged = all.size() - d->head.params().size();
    std::size_t count = 0;
    for (std::size_t k = 0; k < averaged; ++k) {
        count += std::size_t(all[k]->w.size());
    }
    return count;
}

void FederatedTrainer::setRecordGradients(bool on)
{
    d->recordGradients = on;
}

std::vector<float> FederatedTrainer::lastGradients(int cluster) const
{
    if (cluster < 0 || cluster >= int(d->lastGradients.size())) {
        return {};
    }
    return d->lastGradients[size_t(cluster)];
}

} // namespace collapipe
