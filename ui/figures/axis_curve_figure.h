// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"
#include "ui/figures/figure_runs.h"

class QCustomPlot;

namespace collapipe::figures {

/// "metric vs axis" (experiment_analysis.h metricAlongAxis): one line per policy (colour) and
/// setting of the other axes (line style), the mean over seeds with its 95 % interval as a band.
/// A numeric axis is drawn to scale (log when it spans 50× or more) with ticks at its values;
/// other axes (zipped pairs) as categories in file order. False, with the plot left empty, when
/// no point has a value of the metric. `runs` (optional) gets each data point's runs.
bool drawAxisCurves(QCustomPlot *plot, const std::vector<StoredPoint> &points,
    const QStringList &axis, const QString &metric, FigureRuns *runs = nullptr);

} // namespace collapipe::figures
