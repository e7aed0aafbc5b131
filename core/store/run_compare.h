// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <limits>
#include <vector>

/// Side-by-side comparison of stored runs (issue [5/6] `collapipe compare`, the Studio's compare
/// view): which settings differ, the key metrics with deltas against the first run, and the
/// simulated time each run needs to reach an accuracy (issue [1/7] #9). Runs with the same seed
/// have the same loss per round; what a policy or schedule changes is how long a round takes, so
/// time to accuracy is the number that answers "which run is better". One computation here serves
/// the CLI and the Studio.
namespace collapipe {

class RunStore;

/// One setting that is not the same in every run. `path` is a dotted scenario path as in the
/// scenario JSON (e.g. "optimizer.v", "topology.clusters[0].devices[1].memory_bytes") or
/// "run.policy" / "run.seed" / "run.train" / "run.rounds" for how the run was started.
struct ConfigDifference
{
    QString path;
    QStringList values; ///< one per run, "(absent)" when the run has no such field
};

/// One metric across the runs; deltas are against values[0].
struct MetricComparison
{
    QString key;   ///< stable machine name, e.g. "mean_latency_s"
    QString unit;  ///< "s", "J", "%" (values stored as fractions 0–1, shown ×100), "" (count)
    QString label; ///< for people, e.g. "Mean latency per round"
    std::vector<double> values;
    bool higherIsBetter = false; ///< accuracy, efficiency: a rise is good news

    double delta(std::size_t run) const { return values[run] - values[0]; }
    /// Relative change in percent; NaN when the reference is 0 or not measured.
    double deltaPercent(std::size_t run) const;
};

/// One validation accuracy measurement of a run: at simulated time `simTimeS` (the clock after
/// the round that was evaluated).
struct AccuracyPoint
{
    double simTimeS = 0.0;
    double accuracy = 0.0;
};

/// Simulated seconds until `points` (in round order; NaN accuracies are ignored) first reach
/// `target`. Rule: let k be the first evaluation with accuracy >= target. If an earlier
/// evaluation k−1 exists, the time is interpolated linearly between the two evaluations,
///   t = t[k−1] + (target − a[k−1]) / (a[k] − a[k−1]) · (t[k] − t[k−1]),
/// otherwise (k is the first evaluation) it is t[k]. NaN when never reached or no target.
double timeToAccuracy(const std::vector<AccuracyPoint> &points, double target);

struct CompareOptions
{
    /// Accuracy for the "time to target" row; NaN picks the default: the lowest final accuracy
    /// among the runs (the level every run reached, so every run gets a time).
    double targetAccuracy = std::numeric_limits<double>::quiet_NaN();
};

struct RunComparison
{
    std::vector<RunInfo> runs;
    std::vector<ConfigDifference> config;
    std::vector<MetricComparison> metrics;
    /// Per run, its accuracy evaluations on the simulated clock (the compare plots' x axis).
    std::vector<std::vector<AccuracyPoint>> accuracy;
    double targetAccuracy = std::numeric_limits<double>::quiet_NaN();    ///< the target used
    double bestFinalAccuracy = std::numeric_limits<double>::quiet_NaN(); ///< max over runs
};

/// Reads the runs, diffs their stored scenario JSON and start settings, aggregates their key
/// metrics and adds "time_to_target_s" (to options.targetAccuracy) and "time_to_90pct_best_s"
/// (to 90 % of the best final accuracy of the runs). False + error naming the database and the
/// run when one is missing.
bool compareRuns(RunStore *store, const std::vector<std::int64_t> &ids, RunComparison *out,
    QString *error, const CompareOptions &options = {});

/// A short name per run that tells the compared runs apart: "#id" plus the values of up to
/// three settings that differ (schedule, policy, seed, V first), e.g. "#4 1F1B".
QStringList runLabels(const RunComparison &comparison);

/// A metric value for people: SI prefixes for s and J ("21.5 µs", "3.20 kJ"), fractions as
/// percent ("25.0 %"), counts as integers, "-" when not measured.
QString formatMetricValue(double value, const QString &unit);
/// The change against the reference, in the same style, signed, with the percent when defined:
/// "+1.20 ms (+3.4 %)"; "0" when equal; "-" when either is not measured.
QString formatMetricDelta(const MetricComparison &metric, std::size_t run);

} // namespace collapipe
