// SPDX-License-Identifier: MIT
#pragma once

// Internal: FederatedTrainer's state, shared by federated_trainer.cpp (training) and
// federated_eval.cpp (evaluation). Not part of the public API.
#include "core/trainer/cluster_runtime.h"
#include "core/trainer/kernel_path.h"
#include "core/trainer/text_dataset.h"

namespace collapipe {

class FederatedTrainerPrivate
{
public:
    Scenario scenario;
    TextDataset data;
    int srcLen = 0, tgtLen = 0;
    // The global model: embedding + encoder as last aggregated, the edge server's head.
    mutable Embedding<float> embedding;
    mutable std::vector<EncoderBlock<float>> blocks;
    mutable Head<float> head;
    std::vector<ClusterRuntime> clusters;
    std::vector<int> shardSizes;
    AdamWSettings adamw;
    int threads = 1;
    int rounds = 0;
    bool reference = false;
    bool recordGradients = false;
    std::vector<std::vector<float>> lastGradients; ///< [cluster], see lastGradients()
    std::function<bool()> cancel;

    /// The scenario's training.kernels as the mode every compute entry point sets.
    kernels::Mode kernelMode() const
    {
        return scenario.training.kernels == TrainerKernels::Fastest ? kernels::Mode::Fastest
                                                                    : kernels::Mode::Reproducible;
    }

    ModelView<float> globalView() const
    {
        ModelView<float> v{&embedding, {}, &head};
        for (auto &b : blocks) {
            v.blocks.push_back(&b);
        }
        return v;
    }
};

} // namespace collapipe
