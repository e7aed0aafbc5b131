// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

/// Side-by-side comparison of stored runs (issue [5/6] `collapipe compare`, the Studio's compare
/// view): which settings differ, and the key metrics with deltas against the first run.
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
    QString key;  ///< stable machine name, e.g. "mean_latency_s"
    QString unit; ///< "s", "J", "" ...
    std::vector<double> values;

    double delta(std::size_t run) const { return values[run] - values[0]; }
    /// Relative change in percent; NaN when the reference is 0 or not measured.
    double deltaPercent(std::size_t run) const;
};

struct RunComparison
{
    std::vector<RunInfo> runs;
    std::vector<ConfigDifference> config;
    std::vector<MetricComparison> metrics;
};

/// Reads the runs, diffs their stored scenario JSON and start settings, and aggregates their key
/// metrics. False + error naming the database and the run when one is missing.
bool compareRuns(
    RunStore *store, const std::vector<std::int64_t> &ids, RunComparison *out, QString *error);

} // namespace collapipe
