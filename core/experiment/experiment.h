// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/scenario/scenario_json.h"
#include "core/scenario/scenario_patch.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

/// Experiment files (issue [5/7] "Experiment files and the runner"): versioned JSON that names a
/// base scenario, axes over scenario field paths, policies, seeds, rounds, train on/off and the
/// metrics to report. Layout (every key but "experiment_version" and "scenario" is optional):
///
///     { "experiment_version": 1, "name": "...", "description": "...",
///       "scenario": "../scenarios/default.json"   (relative to the file)  or  { inline scenario },
///       "set": { "training.local_iterations": 2 },          (fixed changes, every point)
///       "axes": [ { "path": "optimizer.v", "values": [1, 10, 100] },          (a grid axis)
///                 { "zip": [ { "path": "d2d.bandwidth_hz", "values": [5e6, 2e7] },
///                            { "path": "d2e.bandwidth_hz", "values": [1e7, 4e7] } ] } ],
///       "policies": ["dssda", "uniform"], "seeds": [1, 2, 3], "rounds": 50, "train": false,
///       "events": false, "metrics": ["mean_latency_s", "mean_energy_j"] }
///
/// Paths are those `collapipe run --set` accepts (core/scenario/scenario_patch.h). Axes form a
/// grid (every combination); the entries of one "zip" advance together (equal lengths).
namespace collapipe {

/// The problem type of scenarios: a field path ("axes[1].values[0]") and a message; toString()
/// gives one line with control characters escaped.
using ExperimentProblem = ScenarioProblem;

/// The value this version writes and accepts in "experiment_version".
inline constexpr int kExperimentVersion = 1;

/// One field path and the values it takes.
struct AxisColumn
{
    QString path;
    std::vector<QJsonValue> values; ///< numbers, strings or booleans
};

/// The text an axis value is applied with, as `--set` would get it ("1e+07", "true", "dssda").
QString axisValueText(const QJsonValue &value);

/// A grid axis (one column) or a zipped group (columns of equal length advancing together).
struct ExperimentAxis
{
    std::vector<AxisColumn> columns;
    bool zipped = false;
    std::size_t size() const { return columns.empty() ? 0 : columns.front().values.size(); }
};

/// A validated experiment file.
struct ExperimentSpec
{
    QString name;
    QString description;
    QString scenarioSource; ///< the base scenario's file (resolved), or "inline"
    Scenario base;
    std::vector<SetAssignment> fixed; ///< "set": applied to every point before the axes
    std::vector<ExperimentAxis> axes;
    QStringList policies;             ///< empty: the base scenario's policy
    std::vector<std::uint64_t> seeds; ///< empty: the base scenario's seed
    std::optional<int> rounds;        ///< unset: the base scenario's training.rounds
    std::optional<bool> train;        ///< unset: the base scenario's training.train
    bool events = false;              ///< store each round's timeline (off: faster, smaller)
    QStringList metrics;              ///< keys of experimentMetrics(); never empty after reading
};

/// Parses and validates experiment JSON. `baseDir` resolves a relative "scenario" path. False +
/// every problem found (unknown keys, wrong types, duplicate keys, empty axes, bad field paths
/// or values, unknown policies or metrics, problems of the base scenario). `out` may be null.
bool experimentFromJson(const QByteArray &json, const QString &baseDir, ExperimentSpec *out,
    std::vector<ExperimentProblem> *problems);

/// Reads and parses a file (relative scenario paths resolve against its folder). A missing or
/// unreadable file gives one problem naming it.
bool loadExperimentFile(
    const QString &path, ExperimentSpec *out, std::vector<ExperimentProblem> *problems);

/// One run of the experiment: the scenario with every change applied (policy, seed, rounds,
/// train included) and where it sits in the experiment.
struct ExperimentPoint
{
    int index = 0;           ///< place in the expansion order (0-based)
    Scenario scenario;       ///< validated
    QJsonObject coordinates; ///< axis path -> value (JSON types as in the file)
    QString fingerprint;     ///< pointFingerprint(scenario)

    QString policy() const { return scenario.optimizer.policy; }
    std::uint64_t seed() const { return scenario.training.seed; }
    /// "optimizer.v=10 d2d.bandwidth_hz=5e+06" (empty without axes).
    QString label() const;
};

/// Every point, in a fixed order: axes in file order (the first varies slowest, a zipped group
/// counts as one axis), then policies in file order, then seeds (fastest). Each point's scenario
/// is validated; false + one problem per invalid point (its path is "points[i]" and its message
/// names the coordinates and the field), per point whose scenario equals an earlier point's (it
/// would run twice under one fingerprint), or when there are more than kMaxExperimentPoints.
bool expandExperiment(const ExperimentSpec &spec, std::vector<ExperimentPoint> *points,
    std::vector<ExperimentProblem> *problems);

/// The one entry point that checks an experiment (the `experiment`, `report` and `validate` verbs
/// and the Studio's Experiments view): experimentFromJson() and expandExperiment() in one pass.
/// The points are checked even when the file has problems (with its valid parts: a dropped axis,
/// the scenario's rounds for a bad "rounds"), so every problem of the file and of its points is
/// reported at once: the file's first, then up to 20 invalid points (coordinates, field, value)
/// and a count of the rest. Not checked when the base scenario cannot be read or the grid is too
/// large. `points` gets every point only on success (empty otherwise); `spec` and `points` may
/// be null.
bool readExperiment(const QByteArray &json, const QString &baseDir, ExperimentSpec *spec,
    std::vector<ExperimentPoint> *points, std::vector<ExperimentProblem> *problems);

/// readExperiment() of a file (relative scenario paths resolve against its folder); a missing,
/// unreadable or empty file gives one problem naming it.
bool loadExperiment(const QString &path, ExperimentSpec *spec, std::vector<ExperimentPoint> *points,
    std::vector<ExperimentProblem> *problems);

/// The most points one experiment may have. Expanding builds and validates every point's
/// scenario up front (about 1 ms each on 2 cores), so a grid past this is refused by the reader,
/// naming its size, instead of filling memory for minutes: split it into several files.
inline constexpr std::size_t kMaxExperimentPoints = 100000;

/// "N points (a x b x P policies x S seeds) is more than ...": the problem a grid larger than
/// kMaxExperimentPoints gets (path "axes").
QString experimentTooLargeMessage(const ExperimentSpec &spec, std::size_t count);

/// The number of points expandExperiment() gives, without building them (saturates at
/// SIZE_MAX instead of wrapping, so a huge grid is never mistaken for a small one).
std::size_t experimentPointCount(const ExperimentSpec &spec);

/// A point's identity: a hash of its whole scenario as saved (scenarioToJson, stable key order),
/// so the same settings give the same fingerprint in any file, shard or process.
QString pointFingerprint(const Scenario &scenario);

/// The experiment's identity: a hash of its points' fingerprints in order. Two shards of one
/// file share it; a changed file (another value, seed or round count) gets another.
QString experimentId(const std::vector<ExperimentPoint> &points);

/// The points of shard `shard` of `count` (0 <= shard < count): every count-th point from
/// `shard` on, so shards are disjoint, together complete, and balanced over the axes.
std::vector<ExperimentPoint> shardPoints(
    const std::vector<ExperimentPoint> &points, int shard, int count);

} // namespace collapipe
