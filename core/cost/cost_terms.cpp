// SPDX-License-Identifier: MIT
#include "core/cost/cost_terms.h"

#include <algorithm>
#include <limits>

namespace collapipe {

double blockForwardFlops(const TransformerDims &dims)
{
    // Spec §2.1: QKV + output projections 8·s·h², scores and weighted sum 4·s²·h, FFN 4·s·h·d_ff
    // (two GEMMs of 2·s·h·d_ff each; a multiply-add counts as 2 FLOPs).
    const double s = dims.seqLen;
    const double h = dims.dModel;
    return 8.0 * s * h * h + 4.0 * s * s * h + 4.0 * s * h * dims.dFf;
}

double blockBackwardFlops(const TransformerDims &dims)
{
    return 2.0 * blockForwardFlops(dims); // spec §2.1: gradients w.r.t. inputs and weights
}

double blockParameters(const TransformerDims &dims)
{
    const double h = dims.dModel;
    const double f = dims.dFf;
    return 4.0 * h * h + 4.0 * h + 2.0 * h * f + f + h + 4.0 * h;
}

TrainedParts trainedParts(const TransformerDims &dims, const TrainingSettings &training)
{
    TrainedParts p;
    const double s = dims.seqLen;
    const double h = dims.dModel;
    const double f = dims.dFf;
    const double forward = blockForwardFlops(dims);
    p.blockHeldParams = p.blockTrainableParams = blockParameters(dims);
    p.embeddingParams = p.embeddingTrainableParams = embeddingParameters(dims);
    p.forwardFlops = forward;
    p.backwardFlops = blockBackwardFlops(dims);
    if (training.mode == TrainingMode::Full) {
        return p;
    }
    p.embeddingTrainableParams = 0.0;
    if (training.mode != TrainingMode::Lora) {
        return p; // frozen_embedding: the blocks train as in full fine-tuning
    }
    // Σ(in + out) over the adapted projections: Wqkv (h, 3h) + Wo (h, h) = 6h; W1 (h, d_ff) +
    // W2 (d_ff, h) = 2(h + d_ff).
    const LoraTargets t = training.lora.targets;
    const double sides = (t != LoraTargets::Ffn ? 6.0 * h : 0.0)
        + (t != LoraTargets::Attention ? 2.0 * (h + f) : 0.0);
    const double r = training.lora.rank;
    const double adapters = r * sides;
    p.blockHeldParams += adapters;
    p.blockTrainableParams = adapters;
    // Forward: U = X·Aᵀ and U·Bᵀ, 2·s·r·(in + out) per projection. Backward: the input
    // gradients of the frozen block (its projections' dX = φ_F − 4·s²·h's matmuls once, the
    // attention's 8·s²·h: φ_B − the weight gradients 8·s·h² + 4·s·h·d_ff) plus the adapters' B
    // pass (dU = s·dY·B, dX += dU·A: 2·s·r·Σ) and W pass (U and dU recomputed, dA, dB: 4·s·r·Σ)
    // — what core/trainer/lora.h runs.
    const double weightGrads = 8.0 * s * h * h + 4.0 * s * h * f;
    p.forwardFlops = forward + 2.0 * s * adapters;
    p.backwardFlops = blockBackwardFlops(dims) - weightGrads + 6.0 * s * adapters;
    p.weightGradFraction = 4.0 * s * adapters / p.backwardFlops;
    return p;
}

double blockActivationBytes(const TransformerDims &dims, int bytesPerElement)
{
    // Spec §2.4 a_TEB as our block stashes it (core/trainer/encoder_block.h EncoderCache), per
    // sample: x̂1, LN1 out, Q, K, V, context, x̂2, LN2 out (8·s·h); FFN pre- and post-GELU
    // (2·s·d_ff); softmax probabilities (a·s²); two LN 1/σ vectors (2·s). No dropout masks and
    // no dropped-out probability copy, unlike the fp16 s·h·(34 + 5·a·s/h) of Korthikanti et al.
    const double s = dims.seqLen;
    const double h = dims.dModel;
    const double elements = 8.0 * s * h + 2.0 * s * dims.dFf + dims.heads * s * s + 2.0 * s;
    return elements * bytesPerElement;
}

double boundaryPayloadBytes(const TransformerDims &dims, int microbatchSize, int bytesPerElement)
{
    const double b = microbatchSize;
    return b * dims.seqLen * dims.dModel * bytesPerElement + b * dims.seqLen * 4.0;
}

double embeddingFlops(const TransformerDims &dims)
{
    return 2.0 * dims.seqLen * dims.dModel;
}

double decoderForwardFlops(const ModelSettings &model)
{
    const TransformerDims &d = model.profiled;
    const double s = d.seqLen;
    const double h = d.dModel;
    if (model.family == ModelFamily::Bert) {
        return 2.0 * h * h + 2.0 * h * model.numClasses;
    }
    const double block = 16.0 * s * h * h + 8.0 * s * s * h + 4.0 * s * h * d.dFf;
    return model.decoderBlocks * block + 2.0 * s * h * d.vocabSize;
}

double computeTimeS(double flops, double flopsPerS)
{
    if (flops <= 0.0) {
        return 0.0;
    }
    return flopsPerS > 0.0 ? flops / flopsPerS : std::numeric_limits<double>::infinity();
}

double transferTimeS(double bytes, double rateBps)
{
    if (bytes <= 0.0) {
        return 0.0;
    }
    return rateBps > 0.0 ? 8.0 * bytes / rateBps : std::numeric_limits<double>::infinity();
}

double uploadBytes(const TransformerDims &dims, int blocks, int bytesPerElement)
{
    return blocks * blockParameters(dims) * bytesPerElement;
}

double embeddingParameters(const TransformerDims &dims)
{
    return (double(dims.vocabSize) + dims.seqLen) * dims.dModel;
}

double modelUploadBytes(const TransformerDims &dims, int blocks, int bytesPerElement)
{
    return (embeddingParameters(dims) + blocks * blockParameters(dims)) * bytesPerElement;
}

double modelUploadBytes(const TrainedParts &parts, int blocks, int bytesPerElement)
{
    return (parts.embeddingTrainableParams + blocks * parts.blockTrainableParams) * bytesPerElement;
}

double segmentMemoryBytes(const TransformerDims &dims, int blocks, int microbatchSize,
    double inflight, int bytesPerElement)
{
    return segmentMemoryBytes(dims, trainedParts(dims, TrainingSettings()), blocks, microbatchSize,
        inflight, bytesPerElement);
}

double segmentMemoryBytes(const TransformerDims &dims, const TrainedParts &parts, int blocks,
    int microbatchSize, double inflight, int bytesPerElement)
{
    const double q = bytesPerElement;
    // Values of every held tensor; gradient + AdamW moments (1 + o) of the trainable ones only
    // (full fine-tuning: P_TEB·q·(2 + o) as before).
    const double state = blocks * q
        * (parts.blockHeldParams + parts.blockTrainableParams * (1.0 + kAdamStateFactor));
    const double stash
        = inflight * microbatchSize * blocks * blockActivationBytes(dims, bytesPerElement);
    // Spec §2.4 "2·A·buf": one receive and one send buffer. A stage holds the incoming activation
    // and its output at the end of a forward (or the incoming and outgoing gradient in a
    // backward), never all four at once: the gradient buffers are used after the forward's are
    // released (core/MODEL.md "Memory per device").
    const double buffers = 2.0 * boundaryPayloadBytes(dims, microbatchSize, bytesPerElement);
    return state + stash + buffers;
}

double embeddingStateBytes(const TransformerDims &dims, int bytesPerElement)
{
    return embeddingParameters(dims) * bytesPerElement * (2.0 + kAdamStateFactor);
}

double embeddingStateBytes(const TrainedParts &parts, int bytesPerElement)
{
    return (parts.embeddingParams + parts.embeddingTrainableParams * (1.0 + kAdamStateFactor))
        * bytesPerElement;
}

double federatedDeviceMemoryBytes(
    const TransformerDims &dims, int blocks, int samples, int bytesPerElement)
{
    return federatedDeviceMemoryBytes(
        dims, trainedParts(dims, TrainingSettings()), blocks, samples, bytesPerElement);
}

double federatedDeviceMemoryBytes(const TransformerDims &dims, const TrainedParts &parts,
    int blocks, int samples, int bytesPerElement)
{
    return embeddingStateBytes(parts, bytesPerElement)
        + segmentMemoryBytes(dims, parts, blocks, samples, 1, bytesPerElement);
}

double edgeTailMemoryBytes(
    const TransformerDims &dims, int blocks, int microbatchSize, int bytesPerElement)
{
    return segmentMemoryBytes(dims, blocks, microbatchSize, 1, bytesPerElement);
}

double edgeTailMemoryBytes(const TransformerDims &dims, const TrainedParts &parts, int blocks,
    int microbatchSize, int bytesPerElement)
{
    return segmentMemoryBytes(dims, parts, blocks, microbatchSize, 1, bytesPerElement);
}

double deviceEnergyJ(double computePowerW, double busyS, double txPowerW, double txS)
{
    return computePowerW * busyS + txPowerW * txS;
}

int microbatchSizeFor(const TrainingSettings &training, MicrobatchMode mode, int microbatches)
{
    const int m = std::max(1, microbatches);
    if (mode == MicrobatchMode::Count) {
        return std::max(1, training.microbatchSize);
    }
    return std::max(1, (training.batchSize + m - 1) / m);
}

} // namespace collapipe
