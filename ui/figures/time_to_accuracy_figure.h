// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"
#include "ui/figures/figure_runs.h"

class QCustomPlot;

namespace collapipe::figures {

/// Accuracy against simulated time (experiment_time_to_accuracy.h): one line per policy (colour)
/// and setting (line style), the mean over seeds; the target as a dashed line; each legend entry
/// says the mean time to the target and how many seeds reached it. False when no point has an
/// accuracy (training off). `runs` (optional) gets each data point's runs (all seeds of the line).
bool drawTimeToAccuracy(QCustomPlot *plot, const std::vector<StoredPoint> &points, double target,
    FigureRuns *runs = nullptr);

} // namespace collapipe::figures
