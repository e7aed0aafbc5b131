// SPDX-License-Identifier: MIT
// The field tables. Every numeric range is PHYSICAL: it spans what real edge hardware, radios and
// Transformers have (with a margin), so a typo or a unit slip (GB written as bytes/1e9, 1e-300 Hz)
// is refused with the field's name instead of turning into infinite rates or a zero-second round
// (issue [2/7] item 8). Lower bounds are strictly positive where a zero or a near-zero would divide:
// bandwidth, compute, memory, power. Defaults are the struct initialisers; the ranges are shown by
// the UI's tooltips and `collapipe validate --fields`.
#include "core/scenario/scenario_fields.h"

#include <type_traits>

namespace collapipe {
namespace {

struct Range
{
    double min = 0.0;
    Bound minBound = Bound::None;
    double max = 0.0;
    Bound maxBound = Bound::None;
};

Range positiveUpTo(double max)
{
    return {0.0, Bound::Exclusive, max, Bound::Inclusive};
}
Range closed(double min, double max)
{
    return {min, Bound::Inclusive, max, Bound::Inclusive};
}

template <typename T>
FieldSpec<T> makeField(const char *key, const char *label, const char *unit, FieldKind kind,
    Range range, const char *help)
{
    FieldSpec<T> f;
    // The table's literals are UTF-8 source text ("§", "ρ", "×"): decode them as UTF-8, never as
    // Latin-1 (which shows "Â§" in every tooltip).
    f.key = QString::fromUtf8(key);
    f.label = QString::fromUtf8(label);
    f.unit = QString::fromUtf8(unit);
    f.help = QString::fromUtf8(help);
    f.kind = kind;
    f.minValue = range.min;
    f.minBound = range.minBound;
    f.maxValue = range.max;
    f.maxBound = range.maxBound;
    return f;
}

/// A double or int member, read and written as a double.
template <typename T, typename M>
FieldSpec<T> number(const char *key, const char *label, const char *unit, M T::*member, Range range,
    const char *help)
{
    auto f = makeField<T>(key, label, unit,
        std::is_integral_v<M> ? FieldKind::Integer : FieldKind::Real, range, help);
    f.get = [member](const T &t) { return static_cast<double>(t.*member); };
    f.set = [member](T &t, double v) { t.*member = static_cast<M>(v); };
    return f;
}

template <typename T>
FieldSpec<T> text(
    const char *key, const char *label, QString T::*member, bool required, const char *help)
{
    auto f = makeField<T>(key, label, "", FieldKind::String, Range{}, help);
    f.required = required;
    f.getString = [member](const T &t) { return t.*member; };
    f.setString = [member](T &t, const QString &v) { t.*member = v; };
    return f;
}

template <typename T>
FieldSpec<T> flag(const char *key, const char *label, bool T::*member, const char *help)
{
    auto f = makeField<T>(key, label, "", FieldKind::Bool, Range{}, help);
    f.get = [member](const T &t) { return t.*member ? 1.0 : 0.0; };
    f.set = [member](T &t, double v) { t.*member = v != 0.0; };
    return f;
}

template <typename T, typename E>
FieldSpec<T> choice(const char *key, const char *label, E T::*member,
    std::initializer_list<const char *> values, const char *help)
{
    auto f = makeField<T>(key, label, "", FieldKind::Enum, Range{}, help);
    for (const char *v : values) {
        f.enumValues << QString::fromUtf8(v);
    }
    f.get = [member](const T &t) { return static_cast<double>(static_cast<int>(t.*member)); };
    f.set = [member](T &t, double v) { t.*member = static_cast<E>(static_cast<int>(v)); };
    return f;
}

/// The schedule: ScheduleKind's values in its order, then "auto" (the optimizer chooses), which
/// sets OptimizerSettings::autoSchedule instead of a kind.
FieldSpec<OptimizerSettings> scheduleField()
{
    using O = OptimizerSettings;
    auto f = makeField<O>("schedule", "Schedule", "", FieldKind::Enum, Range{},
        "Pipeline schedule (spec §2.3, §10-D; core/MODEL.md \"Schedules\"): gpipe, 1f1b, "
        "interleaved (v = interleave chunks per device), zb-h1, zb-v (2 chunks per device), or "
        "auto (DSSDA and the oracle choose per round and cluster).");
    const ScheduleKind kinds[] = {ScheduleKind::GPipe, ScheduleKind::OneFOneB,
        ScheduleKind::Interleaved, ScheduleKind::ZeroBubbleH1, ScheduleKind::ZeroBubbleV};
    for (ScheduleKind k : kinds) {
        f.enumValues << QString::fromUtf8(scheduleName(k));
    }
    f.enumValues << QStringLiteral("auto");
    const int autoIndex = int(f.enumValues.size()) - 1;
    f.get = [autoIndex](const O &o) {
        return o.autoSchedule ? double(autoIndex) : double(static_cast<int>(o.schedule));
    };
    f.set = [autoIndex](O &o, double v) {
        o.autoSchedule = static_cast<int>(v) == autoIndex;
        if (!o.autoSchedule) {
            o.schedule = static_cast<ScheduleKind>(static_cast<int>(v));
        }
    };
    return f;
}

/// Position is nested in the struct but flattened in JSON as x_m / y_m.
template <typename T> void addPosition(std::vector<FieldSpec<T>> &fields)
{
    // ±100 km: an edge network is a cell or a campus, not a continent.
    const Range r = closed(-1e5, 1e5);
    auto x = makeField<T>("x_m", "X", "m", FieldKind::Real, r, "Horizontal position.");
    x.get = [](const T &t) { return t.position.xM; };
    x.set = [](T &t, double v) { t.position.xM = v; };
    auto y = makeField<T>("y_m", "Y", "m", FieldKind::Real, r, "Vertical position.");
    y.get = [](const T &t) { return t.position.yM; };
    y.set = [](T &t, double v) { t.position.yM = v; };
    fields.push_back(x);
    fields.push_back(y);
}

} // namespace

const std::vector<FieldSpec<Scenario>> &scenarioFields()
{
    static const std::vector<FieldSpec<Scenario>> fields{
        text("name", "Name", &Scenario::name, false, "Scenario name shown in the UI and runs."),
        text("description", "Description", &Scenario::description, false, "Free text."),
    };
    return fields;
}

const std::vector<FieldSpec<EdgeServer>> &edgeServerFields()
{
    static const std::vector<FieldSpec<EdgeServer>> fields = [] {
        std::vector<FieldSpec<EdgeServer>> f{
            text("id", "Id", &EdgeServer::id, true, "Unique id across the scenario."),
            text("name", "Name", &EdgeServer::name, false, "Display name."),
        };
        addPosition(f);
        f.push_back(number("compute_flops", "Compute", "FLOP/s", &EdgeServer::computeFlops,
            closed(1e9, 1e18), "Sustained compute speed f_ES running the decoder (spec §2.1)."));
        f.push_back(number("memory_bytes", "Memory", "B", &EdgeServer::memoryBytes,
            closed(1e6, 1e15), "Memory available for the decoder and aggregation."));
        f.push_back(number("tx_power_w", "Tx power", "W", &EdgeServer::txPowerW,
            closed(1e-3, 1000.0), "Downlink transmit power (43 dBm = 20 W, spec §7)."));
        return f;
    }();
    return fields;
}

const std::vector<FieldSpec<Cluster>> &clusterFields()
{
    static const std::vector<FieldSpec<Cluster>> fields{
        text("id", "Id", &Cluster::id, true, "Unique id across the scenario."),
        text("name", "Name", &Cluster::name, false, "Display name."),
        text("edge_server_id", "Edge server", &Cluster::edgeServerId, true,
            "Id of the edge server (base station) that serves this cluster."),
    };
    return fields;
}

const std::vector<FieldSpec<ControlUnit>> &controlUnitFields()
{
    static const std::vector<FieldSpec<ControlUnit>> fields = [] {
        std::vector<FieldSpec<ControlUnit>> f{
            text("id", "Id", &ControlUnit::id, true, "Unique id across the scenario."),
        };
        addPosition(f);
        f.push_back(number("compute_flops", "Compute", "FLOP/s", &ControlUnit::computeFlops,
            closed(1e6, 1e18), "Sustained compute speed running the embedding (spec §1.1)."));
        f.push_back(number("max_power_w", "Max tx power", "W", &ControlUnit::maxPowerW,
            closed(1e-6, 10.0), "Transmit power for D2D to stage 1 and the D2E upload."));
        return f;
    }();
    return fields;
}

const std::vector<FieldSpec<Device>> &deviceFields()
{
    static const std::vector<FieldSpec<Device>> fields = [] {
        std::vector<FieldSpec<Device>> f{
            text("id", "Id", &Device::id, true, "Unique id across the scenario."),
            text("name", "Name", &Device::name, false, "Display name."),
            text("preset", "Preset", &Device::preset, false,
                "Preset the device was made from (e.g. phone-mid); informative only."),
        };
        addPosition(f);
        f.push_back(number("compute_flops", "Compute", "FLOP/s", &Device::computeFlops,
            closed(1e6, 1e18), "Sustained training compute speed f_k (spec §2.1)."));
        f.push_back(number("memory_bytes", "Memory", "B", &Device::memoryBytes, closed(1e6, 1e13),
            "Memory usable for training Mem_k (spec §2.4)."));
        f.push_back(number("max_power_w", "Max tx power", "W", &Device::maxPowerW,
            closed(1e-6, 10.0), "Maximum transmit power p_max (23 dBm = 0.2 W, spec §7)."));
        f.push_back(number("compute_power_w", "Compute power", "W", &Device::computePowerW,
            closed(1e-3, 1000.0), "Power drawn while computing, P^cmp_k (spec §2.5)."));
        f.push_back(number("energy_budget_j", "Energy budget", "J", &Device::energyBudgetJ,
            closed(1e-6, 1e9), "Long-term average energy budget per round Ē_k (spec §2.5)."));
        f.push_back(number("battery_j", "Battery", "J", &Device::batteryJ, closed(0.0, 1e12),
            "Battery capacity: the device leaves for good once the energy it spent reaches it "
            "(core/MODEL.md \"Churn\"); 0 = no battery limit."));
        return f;
    }();
    return fields;
}

const std::vector<FieldSpec<DeviceAvailability>> &availabilityFields()
{
    using A = DeviceAvailability;
    static const std::vector<FieldSpec<A>> fields = [] {
        std::vector<FieldSpec<A>> f{
            choice("model", "Availability", &A::kind, {"always", "markov", "trace"},
                "always: present all run; markov: exponential up/down times with the means below; "
                "trace: on/off rows of a CSV file (core/MODEL.md \"Churn\")."),
            number("mean_up_s", "Mean up time", "s", &A::meanUpS, closed(1e-3, 1e12),
                "Markov: mean time a device stays before leaving."),
            number("mean_down_s", "Mean down time", "s", &A::meanDownS, closed(1e-3, 1e12),
                "Markov: mean time a device stays away before coming back."),
        };
        auto seed = makeField<A>("seed", "Availability seed", "", FieldKind::Integer,
            closed(0.0, kMaxExactJsonInteger),
            "Markov: seed of the up/down draws; 0 = derived from training.seed and the device.");
        seed.get = [](const A &a) { return static_cast<double>(a.seed); };
        seed.set = [](A &a, double v) { a.seed = static_cast<std::uint64_t>(v); };
        f.push_back(seed);
        f.push_back(text("file", "Trace file", &A::file, false,
            "Trace: CSV with rows time_s,device_id,up (0/1), relative to the scenario file."));
        return f;
    }();
    return fields;
}

const std::vector<FieldSpec<ChannelSettings>> &channelFields()
{
    using C = ChannelSettings;
    static const std::vector<FieldSpec<C>> fields{
        number("bandwidth_hz", "Bandwidth", "Hz", &C::bandwidthHz, closed(1e3, 1e11),
            "Band per cluster (D2D, W) or per edge server (D2E, W^E) (spec §2.2)."),
        number("noise_psd_dbm_per_hz", "Noise PSD", "dBm/Hz", &C::noisePsdDbmPerHz,
            closed(-210.0, -100.0),
            "Noise power spectral density N0 (thermal at 290 K: -174 dBm/Hz; add the noise "
            "figure)."),
        choice("path_loss", "Path loss", &C::pathLoss, {"log_distance", "3gpp"},
            "log_distance: reference loss + 10·n·log10(d); 3gpp: 128.1 + 37.6·log10(d/km)."),
        number("path_loss_exponent", "Path-loss exponent", "", &C::pathLossExponent,
            closed(1.5, 6.0), "Exponent n of the log-distance model."),
        number("reference_loss_db", "Reference loss", "dB", &C::referenceLossDb, closed(0.0, 120.0),
            "Log-distance loss at 1 m."),
        choice("fading", "Fading", &C::fading, {"none", "rayleigh", "gauss_markov"},
            "Small-scale block fading drawn once per round per link (spec §2.2, §10-N)."),
        number("fading_correlation", "Fading correlation", "", &C::fadingCorrelation,
            Range{0.0, Bound::Inclusive, 1.0, Bound::Exclusive},
            "Gauss–Markov ρ between consecutive rounds, in [0, 1)."),
    };
    return fields;
}

const std::vector<FieldSpec<ModelSettings>> &modelFields()
{
    using M = ModelSettings;
    static const std::vector<FieldSpec<M>> fields{
        choice("family", "Family", &M::family, {"transformer", "bert"},
            "transformer: encoder–decoder with LM head; bert: encoder + classifier head."),
        number("encoder_blocks", "Encoder blocks", "", &M::encoderBlocks, closed(1, 256),
            "L: Transformer encoder blocks (TEBs) split across the devices."),
        number("decoder_blocks", "Decoder blocks", "", &M::decoderBlocks, closed(0, 64),
            "Decoder blocks at the edge server (transformer family)."),
        number("num_classes", "Classes", "", &M::numClasses, closed(2, 100000),
            "Classifier outputs (bert family)."),
        number("bytes_per_element", "Bytes per element", "B", &M::bytesPerElement, closed(1, 8),
            "q: bytes per activation/parameter element of the profiled model (spec §2.2)."),
    };
    return fields;
}

const std::vector<FieldSpec<TransformerDims>> &transformerDimsFields()
{
    using D = TransformerDims;
    static const std::vector<FieldSpec<D>> fields{
        // The largest published Transformers stay below these (width ~25k, FFN ~100k, context
        // ~1M tokens, vocabulary ~260k); they hold the profiled model, and the trainer's width
        // is further limited by the machine (SessionTrainer::init checks its memory).
        number("d_model", "Width", "", &D::dModel, closed(1, 32768), "Hidden size h."),
        number("heads", "Heads", "", &D::heads, closed(1, 256),
            "Attention heads a; must divide d_model."),
        number("d_ff", "FFN width", "", &D::dFf, closed(1, 262144), "Feed-forward width."),
        number("seq_len", "Sequence length", "tokens", &D::seqLen, closed(1, 1048576),
            "Sequence length s."),
        number("vocab_size", "Vocabulary", "tokens", &D::vocabSize, closed(2, 1048576),
            "Vocabulary size of the embedding; model.trainer's must be >= 73 (the character "
            "tokenizer's ids) when training.train is on."),
    };
    return fields;
}

const std::vector<FieldSpec<TrainingSettings>> &trainingFields()
{
    using T = TrainingSettings;
    static const std::vector<FieldSpec<T>> fields = [] {
        std::vector<FieldSpec<T>> f{
            text("dataset", "Dataset", &T::dataset, false, "Dataset name (datasets/<name>)."),
            number("batch_size", "Batch size", "samples", &T::batchSize, closed(1, 1000000),
                "B: samples per cluster per local iteration."),
            number("microbatch_size", "Micro-batch size", "samples", &T::microbatchSize,
                closed(1, 1000000), "b in count mode; must not exceed batch_size."),
            number("learning_rate", "Learning rate", "", &T::learningRate, positiveUpTo(10.0),
                "AdamW learning rate."),
            number("weight_decay", "Weight decay", "", &T::weightDecay, closed(0.0, 10.0),
                "AdamW decoupled weight decay."),
            number("grad_clip", "Gradient clip", "", &T::gradClip, closed(0.0, 1e6),
                "Global gradient-norm clip; 0 disables it."),
            number("dropout", "Dropout", "", &T::dropout, closed(0.0, 0.9),
                "Inverted-dropout rate of the trainer's encoder and embedding; 0 = off."),
            number("local_iterations", "Local iterations", "", &T::localIterations,
                closed(1, 100000), "I: local iterations per round before aggregation."),
            number(
                "rounds", "Rounds", "", &T::rounds, closed(1, 100000000), "Rounds (slots) to run."),
            choice("split", "Data split", &T::split, {"iid", "dirichlet"},
                "How samples are split across clusters."),
            number("dirichlet_alpha", "Dirichlet α", "", &T::dirichletAlpha, closed(1e-3, 1e6),
                "Concentration of the non-IID label split (smaller = more skewed)."),
        };
        // The seed is 64-bit in the struct but a JSON number is a double: only seeds up to 2^53
        // survive a save/load exactly, so larger ones are rejected rather than silently rounded.
        auto seed = makeField<T>("seed", "Seed", "", FieldKind::Integer,
            closed(0.0, kMaxExactJsonInteger), "Seed for every random draw of the run (<= 2^53).");
        seed.get = [](const T &t) { return static_cast<double>(t.seed); };
        seed.set = [](T &t, double v) { t.seed = static_cast<std::uint64_t>(v); };
        f.push_back(seed);
        f.push_back(flag("train", "Train", &T::train,
            "Run the real trainer; off runs the cost model alone (fast mode)."));
        f.push_back(number("eval_every", "Evaluate every", "rounds", &T::evalEvery,
            closed(1, 1000000), "Validation accuracy every k rounds."));
        f.push_back(number("threads", "Threads", "", &T::threads, closed(0, 1024),
            "Worker threads of the trainer and the DSSDA solver; 0 = number of physical cores."));
        f.push_back(choice("kernels", "Trainer kernels", &T::kernels, {"reproducible", "fastest"},
            "reproducible: the same curve on every x86-64 CPU; fastest: BLIS, CPU-dependent."));
        f.push_back(choice("mode", "Training mode", &T::mode, {"full", "lora", "frozen_embedding"},
            "What is trained and aggregated: everything; LoRA adapters on frozen projections "
            "(training.lora); or all but the embedding (core/MODEL.md \"Parameter-efficient "
            "fine-tuning\")."));
        f.push_back(number("deadline_s", "Round deadline", "s", &T::deadlineS, closed(0.0, 1e12),
            "A cluster whose round latency exceeds it is left out of that round's FedAvg "
            "(weights renormalised, core/MODEL.md \"Deadline\"); 0 = no deadline."));
        return f;
    }();
    return fields;
}

const std::vector<FieldSpec<LoraSettings>> &loraFields()
{
    using L = LoraSettings;
    static const std::vector<FieldSpec<L>> fields{
        number("rank", "LoRA rank", "", &L::rank, closed(1, 4096),
            "r: adapters A [r × in] and B [out × r] per adapted projection; at most the "
            "d_model of model.trainer and model.profiled when training.mode is lora."),
        choice("targets", "LoRA targets", &L::targets, {"attention", "ffn", "both"},
            "Projections that get adapters: attention (Wqkv, Wo), ffn (W1, W2) or both."),
        number("alpha", "LoRA alpha", "", &L::alpha, positiveUpTo(1e6),
            "Scale numerator: the adapter's output is multiplied by alpha / rank."),
    };
    return fields;
}

const std::vector<FieldSpec<OptimizerSettings>> &optimizerFields()
{
    using O = OptimizerSettings;
    static const std::vector<FieldSpec<O>> fields{
        text("policy", "Policy", &O::policy, false, "Decision policy (dssda or a baseline, §8)."),
        number("v", "V", "", &O::v, closed(0.0, 1e12),
            "Lyapunov trade-off weight V (latency vs queue backlog, spec §5)."),
        scheduleField(),
        number("interleave", "Interleave factor", "chunks", &O::interleave,
            closed(1, kMaxInterleave),
            "v of the interleaved schedule: each device runs its blocks as v chunks (its block "
            "count must be a multiple of v); with schedule auto, the largest v tried."),
        number("max_microbatches", "Max micro-batches", "", &O::maxMicrobatches, closed(1, 4096),
            "M_max: upper limit of the micro-batch decision."),
        choice("microbatch_mode", "Micro-batch mode", &O::microbatchMode, {"count", "split"},
            "count: b fixed, M·b samples per round; split: B fixed, M splits it (spec §10-A)."),
        flag("energy_budgets", "Energy budgets", &O::energyBudgets,
            "Enforce the per-device long-term energy budgets with virtual queues."),
        number("convergence_weight", "Convergence weight", "", &O::convergenceWeight,
            closed(0.0, 1e12), "λ on Φ = 1/(M·b) (spec §3); 0 disables the Z queue."),
        number("sl_cut_blocks", "SL cut", "blocks", &O::slCutBlocks, closed(0, 256),
            "Fixed cut c of the split-learning baseline; at most encoder_blocks."),
        flag("edge_offload", "Edge offload", &O::edgeOffload,
            "Let DSSDA run the last encoder blocks on the edge server (an extension of the "
            "paper, core/optimizer/DSSDA.md); off = encoder on the devices only."),
        number("replan_every", "Re-plan every", "rounds", &O::replanEvery, closed(1, 1000000),
            "DSSDA re-plans device order, segments and M every this many rounds and in between "
            "only re-allocates bandwidth and power to the round's channel and queues; 1 = every "
            "round (the paper's per-slot problem)."),
        choice("warm_start", "Warm start", &O::warmStart, {"off", "track", "keep"},
            "DSSDA between its full solves (replan_every > 1): off re-allocates the kept plan's "
            "bandwidth and power; track then polishes it on the exact evaluator (device, block "
            "and M moves; never worse than off's plan); keep polishes last round's plan with its "
            "own bandwidth and power, without the surrogate (faster); core/optimizer/DSSDA.md "
            "\"Warm start\"."),
        choice("failover", "Fail-over", &O::failover, {"repair", "replan"},
            "After a mid-round dropout: repair keeps the survivors' order and M and re-solves "
            "segments, bandwidth and power for them (DSSDA; the full solve when that has no "
            "plan); replan plans the cluster anew (core/optimizer/DSSDA.md \"Fail-over\")."),
    };
    return fields;
}

const std::vector<FieldSpec<Mobility>> &mobilityFields()
{
    using M = Mobility;
    static const std::vector<FieldSpec<M>> fields = [] {
        // Speeds up to 100 m/s (a car on a motorway is ~40); an area of at most 100 km a side,
        // like a position's range.
        std::vector<FieldSpec<M>> f{
            choice("model", "Mobility", &M::model,
                {"none", "waypoints", "random_waypoint", "gauss_markov"},
                "How the node moves during a run (core/MODEL.md \"Mobility\"); its position is "
                "recomputed at the start of every round from the simulated clock."),
            number("speed_mps", "Speed", "m/s", &M::speedMps, positiveUpTo(100.0),
                "waypoints: constant speed along the path."),
            flag("loop", "Loop", &M::loop,
                "waypoints: after the last waypoint, go back to the position and start again."),
            number("min_speed_mps", "Min speed", "m/s", &M::minSpeedMps, positiveUpTo(100.0),
                "random_waypoint: each leg's speed is drawn in [min_speed_mps, max_speed_mps]."),
            number("max_speed_mps", "Max speed", "m/s", &M::maxSpeedMps, positiveUpTo(100.0),
                "random_waypoint: must not be below min_speed_mps."),
            number("pause_s", "Pause", "s", &M::pauseS, closed(0.0, 1e6),
                "random_waypoint: wait at each destination."),
            number("area_width_m", "Area width", "m", &M::areaWidthM, positiveUpTo(1e5),
                "random_waypoint, gauss_markov: the area is centred on the node's position."),
            number("area_height_m", "Area height", "m", &M::areaHeightM, positiveUpTo(1e5),
                "random_waypoint, gauss_markov: the area is centred on the node's position."),
            number("mean_speed_mps", "Mean speed", "m/s", &M::meanSpeedMps, closed(0.0, 100.0),
                "gauss_markov: length of the mean velocity (its direction is drawn from the "
                "seed)."),
            number("speed_std_mps", "Speed σ", "m/s", &M::speedStdMps, closed(0.0, 100.0),
                "gauss_markov: standard deviation of each velocity component."),
            number("alpha", "Memory α", "", &M::alpha, closed(0.0, 1.0),
                "gauss_markov: 0 = a fresh random velocity every step, 1 = constant velocity."),
            number("step_s", "Step", "s", &M::stepS, positiveUpTo(3600.0),
                "gauss_markov: interval between velocity updates."),
        };
        auto seed = makeField<M>("seed", "Seed", "", FieldKind::Integer,
            closed(0.0, kMaxExactJsonInteger),
            "random_waypoint, gauss_markov: seed of the node's path (<= 2^53), mixed with its id.");
        seed.get = [](const M &m) { return static_cast<double>(m.seed); };
        seed.set = [](M &m, double v) { m.seed = static_cast<std::uint64_t>(v); };
        f.push_back(seed);
        return f;
    }();
    return fields;
}

const std::vector<FieldSpec<Position>> &waypointFields()
{
    static const std::vector<FieldSpec<Position>> fields{
        number("x_m", "X", "m", &Position::xM, closed(-1e5, 1e5), "Waypoint x."),
        number("y_m", "Y", "m", &Position::yM, closed(-1e5, 1e5), "Waypoint y."),
    };
    return fields;
}

bool availabilityFieldUsed(AvailabilityKind kind, const QString &key)
{
    if (key == QLatin1String("model")) {
        return true;
    }
    switch (kind) {
    case AvailabilityKind::Always:
        return false;
    case AvailabilityKind::Markov:
        return key == QLatin1String("mean_up_s") || key == QLatin1String("mean_down_s")
            || key == QLatin1String("seed");
    case AvailabilityKind::Trace:
        return key == QLatin1String("file");
    }
    return false;
}

bool mobilityFieldUsed(MobilityModel model, const QString &key)
{
    if (key == QLatin1String("model")) {
        return true;
    }
    static const QStringList waypoints{
        QStringLiteral("waypoints"), QStringLiteral("speed_mps"), QStringLiteral("loop")};
    static const QStringList randomWaypoint{QStringLiteral("min_speed_mps"),
        QStringLiteral("max_speed_mps"), QStringLiteral("pause_s"), QStringLiteral("area_width_m"),
        QStringLiteral("area_height_m"), QStringLiteral("seed")};
    static const QStringList gaussMarkov{QStringLiteral("mean_speed_mps"),
        QStringLiteral("speed_std_mps"), QStringLiteral("alpha"), QStringLiteral("step_s"),
        QStringLiteral("area_width_m"), QStringLiteral("area_height_m"), QStringLiteral("seed")};
    switch (model) {
    case MobilityModel::None:
        return false;
    case MobilityModel::Waypoints:
        return waypoints.contains(key);
    case MobilityModel::RandomWaypoint:
        return randomWaypoint.contains(key);
    case MobilityModel::GaussMarkov:
        return gaussMarkov.contains(key);
    }
    return false;
}

} // namespace collapipe
