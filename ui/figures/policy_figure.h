// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"
#include "ui/figures/figure_runs.h"

class QCustomPlot;

namespace collapipe::figures {

/// "metric per policy" (experiment_analysis.h metricPerPolicy) for an experiment without axes:
/// one dot per policy (colour) at its mean over seeds with the 95 % interval as an error bar,
/// policies as categories in file order. False, with the plot left empty, when no point has a
/// value of the metric or the points have axes (their curves show this per axis value). `runs`
/// (optional) gets each dot's runs.
bool drawPolicySummary(QCustomPlot *plot, const std::vector<StoredPoint> &points,
    const QString &metric, FigureRuns *runs = nullptr);

} // namespace collapipe::figures
