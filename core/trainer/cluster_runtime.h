// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/adamw.h"
#include "core/trainer/device_segment.h"
#include "core/trainer/federated_trainer.h"
#include "core/trainer/model.h"
#include "core/types/decision.h"

#include <functional>
#include <random>

/// One cluster during training (spec §1.3 steps 2–7): the control unit's embedding and data
/// shard, the devices' segments, and a replica of the edge head that collects this cluster's
/// head gradients. Single-threaded; different clusters may run on different threads.
namespace collapipe {

class ClusterRuntime
{
public:
    /// Copies the global model in; every block starts at the control unit (not on a device).
    void init(int devices, const Embedding<float> &emb,
        const std::vector<EncoderBlock<float>> &blocks, const Head<float> &head,
        std::vector<int> shard, std::uint64_t seed);

    /// Spec §1.3 step 2: gives every stage's device its blocks [first, last], moving blocks
    /// (params + AdamW moments) from wherever they are and counting the bytes received. The
    /// stages are the chain's (ClusterPlan::decision): with chunks one per virtual stage, a
    /// device named by several of them (chunk_layout.h).
    bool assignSegments(const ClusterDecision &cd, QString *error);

    /// The next `n` samples of the shard (reshuffled every pass, seeded).
    std::vector<int> nextSamples(int n);

    /// One local iteration over `batch` split into micro-batches `sizes` (spec §1.3 steps 3–6):
    /// the ops in the given order (or, in reference mode, one unpipelined pass). Gradients of
    /// the batch-mean loss are accumulated into the segments, the embedding and the head
    /// replica. `cancel` is checked before every op. Mean loss in *loss.
    bool runIteration(const ClusterDecision &cd, const std::vector<StageOp> &ops,
        const TokenBatch &batch, const std::vector<int> &sizes, bool reference,
        const std::function<bool()> &cancel, double *loss, QString *error);

    /// Dropout of the next runIteration calls (rate 0 = off); its key names the step.
    void setDropout(const Dropout &d) { m_dropout = d; }

    /// AdamW step of the embedding + encoder blocks, clipped by their global norm (the CU
    /// gathers the segments' squared norms — spec §1.3 step 7).
    void step(const AdamWSettings &s);

    /// Embedding then blocks 0..L−1 (fixed order: FedAvg, clipping, checksums).
    std::vector<Param<float> *> encoderParams();
    Head<float> &head() { return m_head; }
    const std::vector<DeviceSegment> &devices() const { return m_devices; }
    int shardSize() const { return int(m_shard.size()); }

private:
    EncoderBlock<float> *block(int index);
    void forwardOp(int stage, int mb);
    void backwardOp(int stage, int mb);
    void backwardInputOp(int stage, int mb);
    void backwardWeightOp(int stage, int mb);
    /// Stage j's input gradient of micro-batch m: to stage j − 1, or into the embedding.
    void sendGradient(int stage, int mb, Mat<float> &dx, const Dropout &drop);

    Embedding<float> m_embedding;
    std::vector<DeviceSegment> m_devices;
    DeviceSegment m_controlUnit; ///< blocks not (yet) on any device
    Head<float> m_head;
    int m_blockCount = 0;
    std::vector<int> m_shard;
    size_t m_cursor = 0;
    std::mt19937_64 m_rng;

    // Per-iteration pipeline state, indexed [chain stage][micro-batch] (StageOp::chainStage()).
    // m_stageDevice/First/Last below are per chain stage too: one segment per virtual stage.
    struct Slot
    {
        Mat<float> act;  ///< received activation waiting for forward
        Mat<float> grad; ///< received gradient waiting for backward
        std::vector<EncoderCache<float>> caches;
        SegmentWeightStash stash; ///< zero-bubble: what W needs, from B until W runs
    };
    std::vector<std::vector<Slot>> m_slots;
    /// Freed stashes keep their allocations for the next micro-batch: re-allocating ~2 MB per
    /// block and micro-batch made kernel page faults ~12 % of the samples (perf, default
    /// preset). The measured memory counts stash bytes while they are live, not the pool.
    std::vector<EncoderCache<float>> m_cachePool;
    /// Same for the B → W stashes of split schedules (each as large as 80 % of a cache).
    std::vector<EncoderWeightStash<float>> m_stashPool;
    std::vector<TokenBatch> m_micro;
    std::vector<int> m_microOffset; ///< mini-batch index of each micro-batch's first sample
    Dropout m_dropout;
    std::vector<int> m_stageDevice, m_stageFirst, m_stageLast;
    float m_gradScale = 1.0f;
    double m_lossSum = 0.0;
};

} // namespace collapipe
