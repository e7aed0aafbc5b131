// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"

#include <QString>
#include <QStringList>

#include <vector>

/// The metrics an experiment file may name in "metrics", declared once: key, unit, help and how
/// each is read from a stored run's summary (core/store RunSummary). The file reader, the CLI's
/// result table and (later) the analysis all read this table.
namespace collapipe {

struct ExperimentMetric
{
    const char *key;  ///< as written in the file and shown as a column title
    const char *unit; ///< SI unit, "" for a ratio
    const char *help;
    double (*value)(const RunSummary &summary);
};

const std::vector<ExperimentMetric> &experimentMetrics();
/// Null when `key` is not a metric.
const ExperimentMetric *findExperimentMetric(const QString &key);
QStringList experimentMetricKeys();
/// What a file without "metrics" reports: mean latency and mean energy per round.
QStringList defaultExperimentMetrics();

} // namespace collapipe
