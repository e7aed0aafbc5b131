// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/schedule.h"
#include "core/trainer/tensor.h"

#include <QString>

#include <functional>

/// A look inside one local iteration, op by op (issue [4/7] "The Lab": the Pipeline Lab shows
/// the tensor the stepped op produced). Only read: an observer never changes what the trainer
/// computes, and with none set the executor does no extra work.
namespace collapipe {

/// What one executed op produced, valid only during the observer call.
struct OpOutput
{
    int stage = 0; ///< the device stage (not the chain position, with chunks)
    int microbatch = 0;
    OpKind kind = OpKind::Forward;
    int chunk = 0; ///< chunked schedules (interleaved, ZB-V): which of the device's chunks
    /// F: the activations leaving the stage's blocks (to the next stage or the edge head);
    /// fused backward and B: the gradient w.r.t. the stage's input (to the previous stage or
    /// the embedding); W: this micro-batch's gradient of the stage's last block's FFN W2 (with
    /// W2 frozen by training.mode: of the block's last LoRA B).
    const Mat<float> *tensor = nullptr;
    QString what;       ///< one line naming the tensor ("activations out of blocks 2–3")
    QString rowAxis;    ///< "token" (micro-batch samples × positions) or "FFN unit"
    QString columnAxis; ///< "feature"
};

/// Called once per executed op, right after it, on the thread that runs the cluster (for
/// FederatedTrainer::runObservedIteration: the caller's).
using OpObserver = std::function<void(const OpOutput &)>;

} // namespace collapipe
