// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/schedule_memory.h" // stashedMicrobatches(): the stash count lives with the schedules
#include "core/scenario/scenario.h"

/// Pure cost formulas of spec §2.1–2.5 with SI units (FLOP, s, bytes, W, J). Every function is
/// documented with its equation in core/MODEL.md; evaluateCluster() (cluster_cost.h) composes them.
namespace collapipe {

/// AdamW keeps two moment tensors per parameter (spec §2.4, o = 2).
inline constexpr double kAdamStateFactor = 2.0;

/// Forward FLOPs of one encoder block for one sample (spec §2.1):
/// φ_F = 8·s·h² + 4·s²·h + 4·s·h·d_ff  (= 24·s·h² + 4·s²·h when d_ff = 4h).
double blockForwardFlops(const TransformerDims &dims);

/// Backward FLOPs of one encoder block for one sample: φ_B = 2·φ_F (spec §2.1, no recomputation).
double blockBackwardFlops(const TransformerDims &dims);

/// Parameters of one encoder block: 4h² + 4h (Q, K, V, O) + 2·h·d_ff + d_ff + h (FFN)
/// + 4h (two layer norms) = 12h² + 13h when d_ff = 4h (spec §2.2 P_TEB).
double blockParameters(const TransformerDims &dims);

/// What training.mode trains of one encoder block and of the embedding, at one width (issue
/// [6/7]; core/MODEL.md "Parameter-efficient fine-tuning"). Full fine-tuning: every tensor.
/// LoRA: rank-r adapters A [r × in], B [out × r] on the target projections (Wqkv d→3d, Wo d→d,
/// W1 d→d_ff, W2 d_ff→d), everything else frozen, the embedding too. frozen_embedding: all but
/// the embedding. The edge head always trains (not uploaded, not counted here).
struct TrainedParts
{
    double blockHeldParams = 0;      ///< parameters a block holds: P_TEB + its adapters
    double blockTrainableParams = 0; ///< of which trained (and uploaded): P_TEB, or r·Σ(in+out)
    double embeddingParams = 0;      ///< P_emb (held by whoever runs the embedding)
    double embeddingTrainableParams = 0; ///< P_emb, or 0 when frozen
    double forwardFlops = 0;  ///< per sample and block: φ_F + adapters' 2·s·r·Σ(in+out)
    double backwardFlops = 0; ///< per sample and block: 2·φ_F, or input gradients + adapters
    double weightGradFraction = 0.5; ///< the W pass's share of backwardFlops (zero-bubble)
};

/// The parts of `training.mode` at width `dims` (formulas in core/MODEL.md).
TrainedParts trainedParts(const TransformerDims &dims, const TrainingSettings &training);

/// Activation bytes one block stashes per sample for its backward (spec §2.4 a_TEB), counted as
/// core/trainer's pre-LN block keeps them (EncoderCache; no dropout, no recomputation):
/// q·(8·s·h + 2·s·d_ff + a·s² + 2·s) — LN1/LN2 normalised inputs and outputs (4·s·h), Q, K, V
/// (3·s·h), the attention context (s·h), the softmax probabilities (a·s²), the FFN pre- and
/// post-GELU (2·s·d_ff) and the two LN reciprocal deviations (2·s). Why not the Korthikanti
/// figure s·h·(34 + 5·a·s/h) of spec §2.4: it counts dropout masks and the dropped-out copy of
/// the attention probabilities; this trainer has no dropout (core/MODEL.md "Memory per device").
double blockActivationBytes(const TransformerDims &dims, int bytesPerElement);

/// Bytes crossing a segment boundary per micro-batch of b samples, one direction (spec §2.2):
/// activations b·s·h·q plus labels/attention mask b·s·4. Gradients have the same size.
double boundaryPayloadBytes(const TransformerDims &dims, int microbatchSize, int bytesPerElement);

/// Embedding FLOPs per sample at the CU: token lookup + position add ≈ 2·s·h (spec §2.1 φ_emb).
double embeddingFlops(const TransformerDims &dims);

/// Decoder / head forward FLOPs per sample at the edge (spec §2.1 t^dec):
/// Bert: pooler 2h² + classifier 2·h·C; Transformer: decoderBlocks·(16·s·h² + 8·s²·h + 4·s·h·d_ff)
/// (self- and cross-attention + FFN) + LM head 2·s·h·V. Backward = 2× forward.
double decoderForwardFlops(const ModelSettings &model);

/// Compute time in seconds of `flops` on a processor sustaining `flopsPerS` (> 0; else +inf).
double computeTimeS(double flops, double flopsPerS);

/// Transfer time in seconds of `bytes` at `rateBps`: 8·bytes / rate (+inf if rate ≤ 0, 0 if no
/// bytes).
double transferTimeS(double bytes, double rateBps);

/// Parameter bytes of `blocks` encoder blocks: blocks·P_TEB·q (spec §2.2 U).
double uploadBytes(const TransformerDims &dims, int blocks, int bytesPerElement);

/// Parameters of the embedding the CU trains (spec §1.2, §10-H): token table V·h + position
/// table s·h, as core/trainer's Embedding (FedAvg-ed with the encoder every round).
double embeddingParameters(const TransformerDims &dims);

/// Bytes a holder of the embedding and `blocks` encoder blocks uploads (or receives) per round:
/// (V·h + s·h + blocks·P_TEB)·q (spec §2.2 U plus the embedding, §10-H).
double modelUploadBytes(const TransformerDims &dims, int blocks, int bytesPerElement);
/// The same for what training.mode trains: (P_emb,trained + blocks·P_TEB,trained)·q — with LoRA
/// the adapters only (FedAvg averages, and so the CU uploads, trainable tensors only).
double modelUploadBytes(const TrainedParts &parts, int blocks, int bytesPerElement);

/// Memory of a segment on a device in bytes (spec §2.4), full fine-tuning:
/// blocks·P_TEB·q·(2 + o)               weights + gradients + AdamW state (o = 2)
/// + inflight·b·blocks·a_TEB            activations stashed for the in-flight micro-batches
/// + 2·A                                 receive + send buffer (A = boundaryPayloadBytes)
/// `inflight` is the peak stash in whole micro-batches of the segment: M for GPipe, min(M, S − j
/// + 1) for 1F1B (0-based device stage j of S); with v chunks, stashedChunks() / v (a chunk
/// activation is 1/v of the segment's), see core/pipeline/schedule_memory.h.
double segmentMemoryBytes(const TransformerDims &dims, int blocks, int microbatchSize,
    double inflight, int bytesPerElement);
/// The same for what training.mode trains: the first term becomes
/// blocks·q·(P_held + P_trainable·(1 + o)): every value once, gradient and AdamW state only for
/// the trainable tensors. The stash is unchanged (core/MODEL.md "Parameter-efficient
/// fine-tuning": the block keeps the same activations; the adapters recompute theirs).
double segmentMemoryBytes(const TransformerDims &dims, const TrainedParts &parts, int blocks,
    int microbatchSize, double inflight, int bytesPerElement);

/// Weights + gradients + AdamW state of the embedding (token + position tables):
/// P_emb·q·(2 + o). Whoever trains the embedding holds it: the CU in the pipeline modes, every
/// device in `fl` (spec §10-H, core/MODEL.md "Baselines").
double embeddingStateBytes(const TransformerDims &dims, int bytesPerElement);
/// The same for training.mode: P_emb·q, plus P_emb·q·(1 + o) when the embedding trains.
double embeddingStateBytes(const TrainedParts &parts, int bytesPerElement);

/// Memory of an `fl` device (spec §8 item 1, §2.4): the embedding's state plus the whole encoder
/// of `blocks` blocks with one micro-batch of `samples` stashed:
/// embeddingStateBytes() + segmentMemoryBytes(blocks, samples, inflight 1).
double federatedDeviceMemoryBytes(
    const TransformerDims &dims, int blocks, int samples, int bytesPerElement);
double federatedDeviceMemoryBytes(const TransformerDims &dims, const TrainedParts &parts,
    int blocks, int samples, int bytesPerElement);

/// The edge's memory for an edge tail of `blocks` blocks (spec §2.4 applied to blocks c..L−1):
/// the edge runs each micro-batch's forward and backward back to back (core/MODEL.md "Pipeline
/// recursion": one Decoder op per micro-batch), so one micro-batch of activations is stashed
/// whatever M and the schedule: segmentMemoryBytes(blocks, b, inflight 1).
double edgeTailMemoryBytes(
    const TransformerDims &dims, int blocks, int microbatchSize, int bytesPerElement);
double edgeTailMemoryBytes(const TransformerDims &dims, const TrainedParts &parts, int blocks,
    int microbatchSize, int bytesPerElement);

/// Energy in joules of a device that computes for `busyS` at `computePowerW` and transmits for
/// `txS` at `txPowerW` (spec §2.5, the P^cmp·time form): P^cmp·busy + p·tx.
double deviceEnergyJ(double computePowerW, double busyS, double txPowerW, double txS);

/// Micro-batch size b a policy should decide for M micro-batches (spec §10-A):
/// Count: b = training.microbatchSize (samples per iteration = M·b);
/// Split: b = ceil(B / M) (samples = B; the cost model charges M full micro-batches of b, an upper
/// bound when M does not divide B). The cost model itself uses the decision's M and b as given.
int microbatchSizeFor(const TrainingSettings &training, MicrobatchMode mode, int microbatches);

} // namespace collapipe
