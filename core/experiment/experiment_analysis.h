// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

/// Analysis of an experiment's stored points (issue [5/7] "Analysis"): pure functions over
/// values, no store and no widgets, so `collapipe report` and the Studio compute the same
/// numbers. Points are read from a database by experiment_stored_points.h.
namespace collapipe {

/// The validation accuracy a run measured at one simulated time (an evaluated round).
struct AccuracySample
{
    double simTimeS = 0.0; ///< simulated clock after the round
    double accuracy = 0.0; ///< in [0, 1]
};

/// One completed point as stored: where it sits in the experiment and its run's summary.
struct StoredPoint
{
    int index = 0;
    QString fingerprint;
    QJsonObject coordinates; ///< axis path -> value
    QString policy;
    std::uint64_t seed = 0;
    std::int64_t runId = 0;
    RunSummary summary;
    /// Every evaluated round in order (empty with training off): time-to-accuracy reads it.
    std::vector<AccuracySample> accuracyTrace;
};

/// Mean of n values and its 95 % confidence interval, mean ± halfWidth.
struct MeanInterval
{
    int n = 0;
    double mean = 0.0;
    double sd = 0.0;          ///< sample standard deviation (n − 1); 0 when n = 1
    double halfWidth = 0.0;   ///< t(0.975, n − 1) · sd / √n; NaN when n = 1
    bool hasInterval = false; ///< false when n = 1: one seed gives no spread to estimate
};

/// The two-sided 95 % Student t quantile t(0.975, df) for df >= 1. A table (four decimals) for
/// df <= 29, i.e. up to 30 seeds; above that the normal quantile 1.96, which differs from t by
/// less than 0.05 there. Not a general t distribution: experiments have a handful of seeds.
double studentT975(int degreesOfFreedom);

/// Mean, sample sd and the t interval of `values` (NaN values must be removed by the caller).
/// Empty input gives n = 0 and NaN mean.
MeanInterval meanInterval(const std::vector<double> &values);

/// Whether a smaller value of metric `key` is better: true for latency, energy, time, loss,
/// bubble fraction, objective, queues and memory; false for computation efficiency and
/// accuracy (higher is better). Unknown keys count as lower-is-better.
bool metricLowerIsBetter(const QString &key);

/// The value of metric `key` (experiment_metrics.h) of a point; NaN for an unknown key.
double pointMetric(const StoredPoint &point, const QString &key);

/// Every coordinate path the points use, sorted.
QStringList axisPaths(const std::vector<StoredPoint> &points);

/// The axes as the analysis sees them: each a list of coordinate paths, sorted. Paths whose values
/// are in one-to-one correspondence over the points (a zipped group of the file, which the store
/// does not record as such) form one axis, so a curve along d2d and d2e bandwidth together is one
/// curve and not two of one point each. A grid axis is never one-to-one with another axis of
/// more than one value, so grid axes stay apart.
std::vector<QStringList> analysisAxes(const std::vector<StoredPoint> &points);

/// "d2d.bandwidth_hz+d2e.bandwidth_hz" for a zipped axis; the path for a single one.
QString axisName(const QStringList &axis);

/// The point's value on `axis`: the values of its paths joined by "/" ("5e+06/1e+07").
QString axisValue(const QJsonObject &coordinates, const QStringList &axis);

/// "path=value path=value" over the point's coordinates except `exclude`, paths sorted; values
/// as `--set` takes them. Empty when nothing is left.
QString settingLabel(const QJsonObject &coordinates, const QStringList &exclude = {});

/// One line of "metric vs axis": a policy at one value of the axis, with the other axes fixed
/// at `otherAxes`, its mean and interval over seeds.
struct AxisSummary
{
    QString axisValue;
    QString otherAxes; ///< settingLabel of the other coordinates
    QString policy;
    MeanInterval stat;
};

/// Metric `metric` along axis `axis`, per policy, averaged over seeds: one entry per (other
/// axes, axis value, policy), in the points' index order. Points whose value is NaN (e.g. loss
/// with training off) are left out; a group left with no value is dropped.
std::vector<AxisSummary> metricAlongAxis(
    const std::vector<StoredPoint> &points, const QStringList &axis, const QString &metric);

/// One policy at one setting of all the axes: its mean and interval over seeds.
struct PolicySummary
{
    QString setting; ///< settingLabel of every coordinate; empty without axes (policies only)
    QString policy;
    MeanInterval stat;
};

/// Metric `metric` per (setting, policy) over seeds (meanInterval, the t interval of the curves):
/// for an experiment of policies and seeds alone, one entry per policy. In the points' index
/// order (settings, then policies in file order). NaN values are left out; a group left with no
/// value is dropped.
std::vector<PolicySummary> metricPerPolicy(
    const std::vector<StoredPoint> &points, const QString &metric);

/// One cell of a regime map over axes x and y (other axes fixed at `otherAxes`): the policy
/// with the best mean over seeds and its margin over the runner-up.
struct RegimeCell
{
    QString xValue;
    QString yValue;
    QString otherAxes;
    QString best;
    double bestMean = 0.0;
    QString runnerUp;            ///< empty when one policy only
    double runnerUpMean = 0.0;   ///< NaN without a runner-up
    double relativeMargin = 0.0; ///< |runnerUpMean − bestMean| / |bestMean|; NaN without one
    int policies = 0;            ///< policies with a value in this cell
};

/// The regime map of `metric` over axes `x` and `y`. "Best" is the smallest mean for a
/// lower-is-better metric and the largest otherwise (metricLowerIsBetter); on a tie the policy
/// met first (the experiment file's policy order) wins and the margin is 0.
std::vector<RegimeCell> regimeMap(const std::vector<StoredPoint> &points, const QStringList &x,
    const QStringList &y, const QString &metric);

/// One setting of one policy on the latency–energy plane (means over seeds).
struct ParetoPoint
{
    QString policy;
    QString setting; ///< settingLabel of all coordinates
    int n = 0;
    double meanLatencyS = 0.0;
    double meanEnergyJ = 0.0;
    bool onFront = false; ///< no other setting of this policy is at least as good in both and
                          ///< better in one
};

/// Every (policy, setting) with its mean latency and energy, and whether it is on its policy's
/// latency–energy Pareto front (both lower is better). Settings with a NaN mean are left out.
std::vector<ParetoPoint> paretoFronts(const std::vector<StoredPoint> &points);

/// True when `a` dominates `b`: no worse in both, strictly better in one (both minimised).
bool dominates(double aLatency, double aEnergy, double bLatency, double bEnergy);

} // namespace collapipe
