// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/pipeline_schedule.h"

#include <QString>

#include <cstdint>
#include <vector>

/// Everything one run needs (issue [1/6]; spec §1, §2, §7). Plain value types, SI units inside:
/// metres, seconds, FLOP/s, bytes, watts, joules, hertz. The field table in scenario_fields.h
/// declares each field's JSON key, unit, default and valid range once; validation, JSON and the UI
/// all read it.
namespace collapipe {

struct Position
{
    double xM = 0.0; ///< metres
    double yM = 0.0; ///< metres

    /// Field-wise equality on every type below too (round-trip tests, undo, change detection).
    bool operator==(const Position &) const = default;
};

/// Large-scale path loss (spec §2.2, §7).
enum class PathLossModel {
    LogDistance, ///< PL(d) = referenceLossDb + 10·exponent·log10(d / 1 m)
    ThreeGpp     ///< PL(d) = 128.1 + 37.6·log10(d / 1 km) dB (3GPP UMa-style, spec §7)
};

/// Small-scale block fading, drawn once per round per link (spec §2.2, §10-N).
enum class FadingModel {
    None,     ///< gain = path loss only
    Rayleigh, ///< |h|² ~ Exp(1), i.i.d. per round
    GaussMarkov ///< h(t) = ρ·h(t−1) + √(1−ρ²)·w(t), complex Gaussian w; ρ = fadingCorrelation
};

/// Radio settings shared by one kind of link (all D2D links, or all D2E links).
struct ChannelSettings
{
    double bandwidthHz = 10e6;        ///< band per cluster (D2D) or per edge server (D2E)
    double noisePsdDbmPerHz = -174.0; ///< thermal noise N0
    PathLossModel pathLoss = PathLossModel::ThreeGpp;
    double pathLossExponent = 3.76; ///< LogDistance only
    double referenceLossDb = 38.5;  ///< LogDistance only: loss at 1 m
    FadingModel fading = FadingModel::Rayleigh;
    double fadingCorrelation = 0.9; ///< GaussMarkov only, in [0, 1)

    bool operator==(const ChannelSettings &) const = default;
};

/// How a device's presence over simulated time is modelled (issue [6/7] "A living edge";
/// core/availability/availability_model.h evaluates it, core/MODEL.md "Churn").
enum class AvailabilityKind {
    Always, ///< present for the whole run
    Markov, ///< two-state Markov chain: exponential up and down times with the given means
    Trace   ///< on/off rows of a CSV file (time_s,device_id,up)
};

/// One row of an availability trace: from `timeS` on the device is up (or down).
struct AvailabilityEvent
{
    double timeS = 0.0; ///< seconds of simulated time (the run's clock, RoundRecord::simTimeS)
    bool up = true;

    bool operator==(const AvailabilityEvent &) const = default;
};

/// A device's availability settings ("availability" object of a device in the file).
struct DeviceAvailability
{
    AvailabilityKind kind = AvailabilityKind::Always;
    double meanUpS = 600.0;  ///< Markov: mean time up before leaving
    double meanDownS = 60.0; ///< Markov: mean time away before coming back
    /// Markov: seed of the up/down draws; 0 = derived from training.seed and the device's place.
    std::uint64_t seed = 0;
    /// Trace: CSV path, relative to the scenario file's folder (or absolute).
    QString file;
    /// Trace: this device's rows of `file` in time order, filled by loadScenarioFile(); before the
    /// first row the device is up. Not written to JSON (the file is the source).
    std::vector<AvailabilityEvent> trace;

    bool operator==(const DeviceAvailability &) const = default;
};

/// How a device or control unit moves during a run (issue [6/7]; core/MODEL.md "Mobility").
enum class MobilityModel {
    None,      ///< stays at its position
    Waypoints, ///< position → waypoints[0] → … at speedMps (loop: back to the start, again)
    RandomWaypoint, ///< random destinations in the area, speed in [min, max], pause at each
    GaussMarkov     ///< velocity with memory α around a mean velocity, reflected at the area
};

/// A node's mobility block. Which fields a model reads: mobilityFieldUsed() (scenario_fields.h).
/// The area of the random models is the rectangle areaWidthM × areaHeightM centred on the node's
/// scenario position; random draws are keyed by (seed, node id), so two nodes with one seed
/// still move differently.
struct Mobility
{
    MobilityModel model = MobilityModel::None;
    std::vector<Position> waypoints; ///< Waypoints: visited in order after the node's position
    double speedMps = 1.0;           ///< Waypoints: constant speed
    bool loop = false;               ///< Waypoints: return to the position and start again
    double minSpeedMps = 0.5;        ///< RandomWaypoint: speed drawn in [min, max] per leg
    double maxSpeedMps = 1.5;
    double pauseS = 0.0;        ///< RandomWaypoint: wait at each destination
    double areaWidthM = 100.0;  ///< RandomWaypoint, GaussMarkov
    double areaHeightM = 100.0; ///< RandomWaypoint, GaussMarkov
    double meanSpeedMps = 1.0;  ///< GaussMarkov: |mean velocity|, direction drawn from the seed
    double speedStdMps = 0.3;   ///< GaussMarkov: σ of each velocity component
    double alpha = 0.75;        ///< GaussMarkov: memory in [0, 1] (1: constant velocity)
    double stepS = 1.0;         ///< GaussMarkov: update interval
    std::uint64_t seed = 1;     ///< RandomWaypoint, GaussMarkov

    bool isMobile() const { return model != MobilityModel::None; }
    bool operator==(const Mobility &) const = default;
};

/// A mobile device that can hold an encoder segment.
struct Device
{
    QString id;     ///< unique across the scenario
    QString name;   ///< optional display name
    QString preset; ///< optional preset it was made from (e.g. "phone-mid")
    Position position;
    double computeFlops = 1e12; ///< sustained FLOP/s f_k
    double memoryBytes = 4e9;   ///< memory available for training Mem_k
    double maxPowerW = 0.2;     ///< max transmit power p_max (23 dBm)
    double computePowerW = 4.0; ///< power drawn while computing (spec §2.5, alternative form)
    double energyBudgetJ = 1.0; ///< long-term average energy budget per round Ē_k
    /// Battery capacity; the device leaves for good once its spent energy reaches it. 0 = none.
    double batteryJ = 0.0;
    DeviceAvailability availability;
    Mobility mobility; ///< JSON "mobility", written only when it moves

    bool operator==(const Device &) const = default;
};

/// The cluster's control unit: holds the data, runs the embedding, uploads the encoder (spec §1.1).
struct ControlUnit
{
    QString id;
    Position position;
    double computeFlops = 1e12;
    double maxPowerW = 0.2; ///< transmit power for D2D to the first stage and the D2E upload
    Mobility mobility;      ///< JSON "mobility", written only when it moves

    bool operator==(const ControlUnit &) const = default;
};

struct Cluster
{
    QString id;
    QString name;
    QString edgeServerId; ///< the edge server that serves this cluster
    ControlUnit controlUnit;
    std::vector<Device> devices; ///< in a fixed index order; the pipeline order is a decision

    bool operator==(const Cluster &) const = default;
};

struct EdgeServer
{
    QString id;
    QString name;
    Position position;
    double computeFlops = 50e12;
    double memoryBytes = 32e9;
    double txPowerW = 20.0; ///< downlink power (43 dBm)

    bool operator==(const EdgeServer &) const = default;
};

struct Topology
{
    std::vector<EdgeServer> edgeServers;
    std::vector<Cluster> clusters;
    ChannelSettings d2d;
    ChannelSettings d2e{20e6};

    bool operator==(const Topology &) const = default;
};

enum class ModelFamily {
    Transformer, ///< encoder–decoder, LM head at the edge (generative seq2seq)
    Bert         ///< encoder only, pooled classifier head at the edge
};

/// Token ids the trainer's character tokenizer uses (PAD, BOS, EOS, UNK and 69 printable
/// characters, core/trainer/text_dataset.h): a trained model.trainer.vocab_size must hold them.
/// Here, below the trainer, so that validateScenario() can refuse a smaller vocabulary before a
/// run starts instead of the trainer refusing it at run time.
inline constexpr int kCharacterVocabSize = 73;

/// Sizes of one Transformer scale (architecture.md "Two scales").
struct TransformerDims
{
    int dModel = 64;
    int heads = 4;
    int dFf = 256;
    int seqLen = 32;
    int vocabSize = 96;

    bool operator==(const TransformerDims &) const = default;
};

struct ModelSettings
{
    ModelFamily family = ModelFamily::Bert;
    int encoderBlocks = 12;  ///< L: shared by the trainer and the cost model
    int decoderBlocks = 2;   ///< Transformer family only
    int numClasses = 4;      ///< Bert family only
    TransformerDims trainer; ///< the width actually trained on this machine
    TransformerDims profiled{768, 12, 3072, 128, 30522}; ///< the width the cost model charges for
    int bytesPerElement = 4; ///< q in spec §2.2/§2.4 for the profiled model

    bool operator==(const ModelSettings &) const = default;
};

enum class DataSplit {
    Iid,
    Dirichlet
};

/// How the trainer computes its fp32 math (core/trainer/kernel_path.h): the same bits on every
/// CPU (default), or BLIS's per-CPU kernels.
enum class TrainerKernels {
    Reproducible,
    Fastest
};

/// What the trainer updates (issue [6/7] "A living edge"; core/MODEL.md "Parameter-efficient
/// fine-tuning"): every tensor, low-rank adapters on frozen projections, or all but the
/// embedding. The cost model charges the FLOPs, memory and upload bytes of what is trained.
enum class TrainingMode {
    Full,           ///< embedding + encoder + head trained, embedding + encoder aggregated
    Lora,           ///< rank-r adapters on the chosen projections; base weights frozen
    FrozenEmbedding ///< the embedding frozen (not trained, not uploaded); the rest as full
};

/// Which projections of each encoder block carry LoRA adapters.
enum class LoraTargets {
    Attention, ///< Wqkv and Wo
    Ffn,       ///< W1 and W2
    Both       ///< all four
};

/// LoRA (Hu et al. 2021): W·x + (alpha / r)·B·A·x with A [r × in], B [out × r], B zero-init.
struct LoraSettings
{
    int rank = 8;
    LoraTargets targets = LoraTargets::Both;
    double alpha = 16.0;

    bool operator==(const LoraSettings &) const = default;
};

struct TrainingSettings
{
    QString dataset = QStringLiteral("fortunes");
    int batchSize = 32;     ///< B: samples per cluster per local iteration
    int microbatchSize = 8; ///< b (count mode) — in split mode b = B / M
    double learningRate = 1e-3;
    double weightDecay = 0.01;
    double gradClip = 1.0;
    double dropout = 0.0;    ///< inverted-dropout rate of the trainer; 0 = off
    int localIterations = 1; ///< I
    int rounds = 100;
    DataSplit split = DataSplit::Iid;
    double dirichletAlpha = 0.5;
    std::uint64_t seed = 1;
    bool train = true; ///< off: the cost model alone (fast mode)
    int evalEvery = 5; ///< validation accuracy every k rounds
    int threads = 0;   ///< 0 = number of physical cores
    TrainerKernels kernels = TrainerKernels::Reproducible;
    TrainingMode mode = TrainingMode::Full;
    LoraSettings lora; ///< used when mode is Lora
    /// Per-round deadline: a cluster whose round latency exceeds it is left out of that round's
    /// FedAvg (weights renormalised, core/MODEL.md "Deadline"). 0 = no deadline.
    double deadlineS = 0.0;

    bool operator==(const TrainingSettings &) const = default;
};

/// Spec §10-A: count = micro-batch size b fixed, M chosen (samples per round = M·b);
/// split = mini-batch B fixed, M only splits it.
enum class MicrobatchMode {
    Count,
    Split
};

/// DSSDA between full solves (optimizer.warm_start, core/optimizer/DSSDA.md "Warm start").
enum class WarmStart {
    Off,   ///< the kept structure's bandwidth and power re-allocated on the surrogate (tracking)
    Track, ///< that tracked plan, then the exact polish's structural and block moves
    Keep   ///< last round's decision with its own bandwidth and power, then the same polish
};

/// What a cluster's plan becomes when a device it holds blocks on drops out mid-round
/// (core/MODEL.md "Churn", core/optimizer/DSSDA.md "Fail-over").
enum class FailoverRule {
    /// DSSDA keeps the survivors' order and the round's M and re-solves segments, bandwidth and
    /// power for that one candidate, solving in full when it has no plan; other policies re-plan.
    Repair,
    Replan ///< every policy plans the cluster anew over the devices left
};

struct OptimizerSettings
{
    QString policy = QStringLiteral("dssda");
    double v = 100.0; ///< Lyapunov V (s⁻¹·J units normalised, spec §5)
    /// The schedule every cluster runs; ignored when autoSchedule is on.
    ScheduleKind schedule = ScheduleKind::OneFOneB;
    /// "auto": the optimizer chooses the schedule (and v) per round and cluster (DSSDA and the
    /// oracle; the static baselines run 1F1B). JSON: schedule = "auto".
    bool autoSchedule = false;
    /// v of the interleaved schedule (chunks per device); with autoSchedule the largest v tried.
    int interleave = 2;
    int maxMicrobatches = 16; ///< M_max
    MicrobatchMode microbatchMode = MicrobatchMode::Split;
    bool energyBudgets = true;    ///< off: no energy queues (budgets ignored)
    double convergenceWeight = 0; ///< λ on Φ = 1/(M·b) (spec §3); 0 disables the Z queue
    int slCutBlocks = 2;          ///< the `sl` baseline's fixed cut c
    /// DSSDA may run a suffix of the encoder on the edge server (our extension, DSSDA.md
    /// "Edge tail"); off = the paper's device-only pipeline.
    bool edgeOffload = true;
    /// DSSDA re-plans order, segments and M every this many rounds and only re-allocates
    /// bandwidth and power in between (core/optimizer/DSSDA.md "Re-planning period"); 1 = every
    /// round, the paper's per-slot problem.
    int replanEvery = 1;
    /// Between those full solves (DSSDA.md "Warm start"): off = only re-allocate the kept plan's
    /// bandwidth and power; track / keep = polish it on the exact evaluator, from that
    /// re-allocation (track) or from last round's own bandwidth and power (keep).
    WarmStart warmStart = WarmStart::Off;
    FailoverRule failover = FailoverRule::Repair; ///< after a mid-round dropout

    bool operator==(const OptimizerSettings &) const = default;
};

struct Scenario
{
    QString name;
    QString description;
    Topology topology;
    ModelSettings model;
    TrainingSettings training;
    OptimizerSettings optimizer;

    bool operator==(const Scenario &) const = default;
};

} // namespace collapipe
