// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"
#include "core/experiment/experiment_time_to_accuracy.h"

#include <QString>
#include <QStringList>

#include <vector>

/// The analyses of experiment_analysis.h as CSV text (quoted by core/store/csv_field.h, "\n" line ends, numbers
/// with 17 significant digits, NaN written as an empty field). One function per file that
/// `collapipe report` writes; the columns are documented in core/experiment/README.md.
namespace collapipe {

/// axis_curves.csv: every metric of `metrics` along every axis, per policy, over seeds.
/// Header: metric,axis,axis_value,other_axes,policy,n,mean,sd,ci95_low,ci95_high,
/// ci95_half_width,note  (note "n=1: no interval" where one seed only). A zipped axis is named
/// "path+path" and its value "v/v" (analysisAxes, axisValue).
QString axisCurvesCsv(const std::vector<StoredPoint> &points, const QStringList &metrics);

/// policy_summary.csv: every metric of `metrics` per policy and setting of the axes (empty
/// without axes), over seeds (metricPerPolicy). Header: metric,setting,policy,n,mean,sd,ci95_low,
/// ci95_high,ci95_half_width,note  (note "n=1: no interval" where one seed only). The one table
/// of an experiment of policies and seeds without axes.
QString policySummaryCsv(const std::vector<StoredPoint> &points, const QStringList &metrics);

/// regime_map.csv: every metric over every pair of axes (analysisAxes order, x before y).
/// Header: metric,better,x_axis,x_value,y_axis,y_value,other_axes,best_policy,best_mean,
/// runner_up,runner_up_mean,relative_margin,policies  (better: "lower" or "higher").
QString regimeMapCsv(const std::vector<StoredPoint> &points, const QStringList &metrics);

/// pareto.csv: every (policy, setting) on the latency–energy plane.
/// Header: policy,setting,n,mean_latency_s,mean_energy_j,on_front  (on_front: 1 or 0).
QString paretoCsv(const std::vector<StoredPoint> &points);

/// accuracy_over_time.csv: the mean validation accuracy over seeds against simulated time per
/// (setting, policy) (accuracyOverTime). Header: setting,policy,seeds,sim_time_s,mean_accuracy.
/// Only the header with training off.
QString accuracyOverTimeCsv(const std::vector<StoredPoint> &points);

/// time_to_accuracy.csv: per (setting, policy) the simulated time to `target` accuracy over the
/// seeds that reached it (timeToAccuracy). Header: setting,policy,target_accuracy,seeds,reached,
/// mean_time_s,sd,ci95_low,ci95_high,ci95_half_width,final_accuracy,note  (note "none reached",
/// "n=1: no interval"). Only the header with training off.
QString timeToAccuracyCsv(const std::vector<StoredPoint> &points, double target);

} // namespace collapipe
