// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/trainer/model.h"

#include <random>

/// training.mode on a freshly initialised model (issue [6/7]; core/MODEL.md "Parameter-efficient
/// fine-tuning"): which tensors are frozen and which adapters exist. The edge head always
/// trains (it is the task's classifier / LM head and is not uploaded).
namespace collapipe {

/// `full`: nothing changes. `frozen_embedding`: the embedding is frozen. `lora`: the embedding
/// and every encoder tensor are frozen and each block gets adapters on t.lora.targets. The
/// adapters draw from their own engine (seeded from t.seed), so the base weights are the same
/// as in a full run of the same seed.
template <typename T>
void applyTrainingMode(
    const TrainingSettings &t, Embedding<T> &embedding, std::vector<EncoderBlock<T>> &blocks)
{
    if (t.mode == TrainingMode::Full) {
        return;
    }
    embedding.tok.freeze();
    embedding.pos.freeze();
    if (t.mode != TrainingMode::Lora) {
        return;
    }
    std::mt19937_64 rng(t.seed ^ 0x4c6f5241daba5eedULL);
    const bool attention = t.lora.targets != LoraTargets::Ffn;
    const bool ffn = t.lora.targets != LoraTargets::Attention;
    for (EncoderBlock<T> &b : blocks) {
        b.adaptLora(t.lora.rank, t.lora.alpha, attention, ffn, rng);
    }
}

} // namespace collapipe
