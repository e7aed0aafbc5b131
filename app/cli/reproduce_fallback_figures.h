// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"

#include <QString>

#include <vector>

/// FALLBACK figures for `collapipe reproduce`, used only until the shared figure renderer
/// (QCustomPlot → PNG/SVG/PDF, being written for `collapipe report` and the Studio) lands:
/// one plain SVG line chart per axis, a metric's mean over seeds per policy with its 95 %
/// interval as a bar. Deliberately minimal (no ticks beyond the axis values, no log scales
/// but one): replace its call in cmd_reproduce.cpp by the shared renderer, then delete it.
namespace collapipe::cli {

/// An SVG drawing (width × height px) of `curve` (one axis, one metric, every policy; as
/// metricAlongAxis() gives it). `logY`: a log10 y axis (latencies span decades).
QString fallbackAxisFigureSvg(const std::vector<AxisSummary> &curve, const QString &xLabel,
    const QString &yLabel, bool logY, int width = 640, int height = 360);

} // namespace collapipe::cli
