// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/schedule.h"
#include "core/scenario/scenario.h"
#include "core/trainer/op_observer.h"
#include "core/types/decision.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

/// The embedded trainer (issue [4/6]; spec §1.3): a real fp32 Transformer in Eigen whose encoder
/// blocks live on the devices of each cluster, trained micro-batch by micro-batch in the order of
/// the round's pipeline timeline, merged across clusters by FedAvg (spec §1.3 step 9, §10-M).
namespace collapipe {

/// One compute operation of the pipeline: stage j's forward, fused backward, or — for a
/// zero-bubble schedule — backward split into B (input gradient) and W (weight gradient), of
/// micro-batch m (OpKind: core/pipeline/schedule.h). With a chunked schedule (interleaved, ZB-V)
/// the op runs one chunk of the stage's blocks: `chunk` and its position in the micro-batch's
/// chain, `virtualStage` (core/pipeline's virtualStage()); the ops' (stage, chunk, virtual stage)
/// triples are the layout the trainer cuts the blocks by (chunk_layout.h).
/// A round's list per cluster must contain every (chain stage, microbatch) forward once and either
/// its fused Backward or its BackwardInput and BackwardWeight once each, in an order that respects
/// dependencies (forward k after forward k−1; backward or B of k after forward k and the input
/// gradient of k+1; W after its B; k = chainStage()).
/// Build it from the timeline with `stageOpsFromTimeline()` (core/trainer/stage_ops.h), or from
/// core/pipeline's schedule with `scheduleStageOps()` / `stageOpsFromSchedule()`.
struct StageOp
{
    int stage = 0; ///< device stage j (0-based, chain order of the devices)
    int microbatch = 0;
    OpKind kind = OpKind::Forward;
    int chunk = 0;         ///< chunked schedules: which of the device's v chunks (0 … v − 1)
    int virtualStage = -1; ///< chunked schedules: position k in the chain; −1: the stage itself

    /// Position in the micro-batch's chain: the virtual stage, or the stage without chunks.
    int chainStage() const { return virtualStage < 0 ? stage : virtualStage; }
};

/// Measured per device of one cluster, for one round.
struct DeviceTrainStats
{
    int device = 0;               ///< index into Cluster::devices
    double measuredPeakBytes = 0; ///< params + grads + AdamW state + peak stashed activations
                                  ///< and in/out buffers, bytes actually allocated (fp32)
    double bytesMovedIn = 0;      ///< block params + AdamW state received by re-segmentation
};

struct ClusterTrainStats
{
    double loss = 0;                       ///< mean training loss of the cluster over I iterations
    std::vector<DeviceTrainStats> devices; ///< only devices that held ≥ 1 block this round
    int samples = 0;                       ///< samples processed this round (I · samples per iter)
};

struct TrainRoundResult
{
    double loss = 0;                         ///< sample-weighted mean of the clusters' losses
    std::vector<ClusterTrainStats> clusters; ///< same order as Topology::clusters
    double bytesMoved = 0;                   ///< Σ bytesMovedIn over all devices
};

/// Held-out metrics of the global (aggregated) model.
struct EvalResult
{
    double accuracy = 0;      ///< classification accuracy; seq2seq: = exactMatch
    double loss = 0;          ///< mean cross-entropy (per sample / per target token)
    double exactMatch = 0;    ///< seq2seq only: greedy output == target string
    double tokenAccuracy = 0; ///< seq2seq only: greedy token == target token, per position
    int samples = 0;
};

class FederatedTrainerPrivate;

/// Owns the datasets, the shards, the global model and every cluster's local copy.
/// Not thread-safe: call from one thread (it runs its own bounded worker threads inside).
class FederatedTrainer
{
public:
    FederatedTrainer();
    ~FederatedTrainer();
    FederatedTrainer(const FederatedTrainer &) = delete;
    FederatedTrainer &operator=(const FederatedTrainer &) = delete;

    /// Loads the dataset named by s.training.dataset (see text_dataset.h for the lookup order),
    /// splits the training set into one shard per cluster (IID or Dirichlet(α) by label), builds
    /// the model of s.model (trainer dims) from s.training.seed. False + message on any problem.
    bool init(const Scenario &s, QString *error);

    /// One round (spec §1.3 steps 2–9): re-segments the encoder per the decision (moving blocks
    /// between devices), runs I local iterations per cluster with the micro-batch ops in the
    /// given order (one list per cluster, applied to every local iteration), steps AdamW, then
    /// FedAvg of embedding + encoder weighted by shard size. False + message if the decision is
    /// inconsistent, the op order is invalid, the loss or the parameters become NaN/inf, or the
    /// cancel check fired. After a failed round the global model is unchanged but clusters may
    /// hold partial gradients: re-init() before training again.
    ///
    /// `participants` (per cluster, empty = all) names the clusters whose update goes into this
    /// round's FedAvg (core/MODEL.md "Deadline"): the others do not train at all this round (their
    /// decision is not read, their data sampler and AdamW state do not move, their loss is NaN),
    /// FedAvg weights are renormalised over the participants (fedAvgWeights()), and every cluster,
    /// participant or not, receives the new global model. At least one must take part.
    bool trainRound(const Decision &d, const std::vector<std::vector<StageOp>> &opsPerCluster,
        TrainRoundResult *out, QString *error, const std::vector<char> &participants = {});

    /// One local iteration of cluster `cluster` alone, with decision `cd` (a pipeline) and the
    /// ops in the given order, every op's output handed to `observer` on the calling thread
    /// (the Pipeline Lab's look inside an op). Segments are assigned and gradients accumulated
    /// as in trainRound, but nothing steps and no round counts: use a trainer of its own and
    /// throw it away. False + message as trainRound (invalid decision or op order, cancel).
    bool runObservedIteration(int cluster, const ClusterDecision &cd,
        const std::vector<StageOp> &ops, const OpObserver &observer, double *loss, QString *error);

    /// Metrics of the global model on the validation set (or the test set).
    EvalResult evaluate(bool test = false) const;

    /// Checked before every micro-batch op; returning true aborts trainRound with an error.
    /// Called from the trainer's worker threads (one per cluster in flight): must be
    /// thread-safe (e.g. read an atomic).
    void setCancelCheck(std::function<bool()> check);

    /// Learning rate of the following AdamW steps (clusters and edge head) — for a schedule
    /// driven from outside, e.g. cosine decay in a test; init() sets s.training.learningRate.
    void setLearningRate(double lr);

    /// Tests/benchmarks: run each cluster's mini-batch as one unpipelined forward/backward
    /// (the reference "ordinary step") instead of the stage ops.
    void setReferenceMode(bool on);

    /// Tests: keep each cluster's gradients of the last local iteration (lastGradients()).
    void setRecordGradients(bool on);
    /// Tests: cluster `cluster`'s gradients of its last local iteration, taken before its AdamW
    /// step — embedding then blocks 0..L−1 (encoderParams order), then its head replica's —
    /// flattened. Empty unless setRecordGradients(true) was called before the round.
    std::vector<float> lastGradients(int cluster) const;

    /// Global model parameters (embedding, encoder blocks, head) flattened in a fixed order.
    std::vector<float> globalParameters() const;
    /// How many of globalParameters()' leading values FedAvg averages (embedding and encoder;
    /// the edge head that follows steps once on all clusters' gradients instead).
    std::size_t averagedParameterCount() const;
    /// Number of encoder tokens processed per training sample (= trainer seqLen).
    int tokensPerSample() const;
    /// Size of each cluster's training shard (FedAvg weights D_n).
    std::vector<int> shardSizes() const;
    /// Number of leading entries of globalParameters() that belong to the embedding + encoder
    /// (the FedAvg'd part); the rest is the edge head.
    int encoderParameterCount() const;
    /// Of those, the ones training.mode trains (the LoRA adapters; all but the embedding when it
    /// is frozen): what FedAvg averages and each control unit uploads per round, 4 bytes each.
    int trainedEncoderParameterCount() const;
    /// Rounds completed since init().
    int roundsDone() const;
    /// Tests: replaces init()'s shards and the clusters' sampling seeds (one each per cluster).
    bool setShards(const std::vector<std::vector<int>> &shards,
        const std::vector<std::uint64_t> &samplingSeeds, QString *error);

private:
    std::unique_ptr<FederatedTrainerPrivate> d;
};

} // namespace collapipe
