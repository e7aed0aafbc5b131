// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"
#include "ui/export/plot_export.h"

#include <QString>
#include <QStringList>

#include <limits>
#include <vector>

/// The experiment report's figures as files: the one entry point `collapipe report` (and any
/// other report, e.g. a reproduction's HTML page) calls to draw what the Studio's Experiments
/// view shows. Needs a QApplication (the CLI makes one on the offscreen platform: no display).
namespace collapipe {

struct ReportFigureOptions
{
    /// Suffixes to write each figure in (plotExportFormats(): png, svg, pdf).
    QStringList formats{QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")};
    /// Metrics drawn along each axis and as regime maps (experiment_metrics.h keys).
    QStringList metrics{QStringLiteral("mean_latency_s"), QStringLiteral("mean_energy_j")};
    /// Target of the time-to-accuracy figure; NaN: defaultTargetAccuracy(points).
    double targetAccuracy = std::numeric_limits<double>::quiet_NaN();
    /// Printed size; the default is a one-column paper figure, 7 × 4.5 in at 300 dpi.
    PlotExportSize size = {};
};

/// One figure of the report: its file stem and what it shows.
struct ReportFigure
{
    QString stem;    ///< "curve-mean_latency_s-vs-training.local_iterations" (file name w/o suffix)
    QString caption; ///< the figure's title, one line
};

/// Draws every figure of the experiment `points` into `dir` (which must exist), each in every
/// format of `options`, as STEM.SUFFIX:
///   curve-METRIC-vs-AXIS        metric along each axis per policy, mean over seeds, 95 % CI band
///   policies-METRIC             without axes: metric per policy, mean over seeds, 95 % CI bars
///   regime-METRIC-X-Y[-k]       best policy per cell of each axis pair (k: setting of the others)
///   pareto                      latency–energy points and fronts per policy
///   time-to-accuracy            accuracy vs simulated time (only when the points trained)
/// Figures with no data (a metric with no value, no accuracy with training off) are not drawn.
/// `figures` (optional) gets the figures drawn, in order; `written` the files. False with a
/// message naming the file on the first failure (files written before it stay).
bool renderReportFigures(const std::vector<StoredPoint> &points, const QString &dir,
    const ReportFigureOptions &options, QStringList *written, QString *error,
    std::vector<ReportFigure> *figures = nullptr);

} // namespace collapipe
