// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"
#include "ui/figures/figure_runs.h"

class QCustomPlot;

namespace collapipe::figures {

/// The latency–energy plane (experiment_analysis.h paretoFronts): every setting of every policy
/// at its mean latency and energy over seeds; each policy's front as filled markers joined by a
/// line, its dominated settings as hollow markers. False when there is no point. `runs`
/// (optional) gets each marker's runs.
bool drawParetoFronts(
    QCustomPlot *plot, const std::vector<StoredPoint> &points, FigureRuns *runs = nullptr);

} // namespace collapipe::figures
