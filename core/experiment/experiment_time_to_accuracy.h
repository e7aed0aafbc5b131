// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"

#include <QString>

#include <vector>

/// Time to accuracy (issue [5/7] "Analysis"): how a policy's validation accuracy grows with the
/// simulated clock, and how long it takes to reach a target. The clock is the one the model
/// simulates (sum of round latencies, spec §2.3/§5 T(t)), not wall time, so a policy that
/// shortens rounds reaches the target sooner even at the same accuracy per round. Pure functions
/// over StoredPoint::accuracyTrace; groups are (setting, policy), seeds averaged.
namespace collapipe {

/// The mean accuracy over seeds of one policy at one setting against simulated time.
struct AccuracyCurve
{
    QString setting; ///< settingLabel of all coordinates ("" without axes)
    QString policy;
    int seeds = 0;             ///< seeds with at least one evaluated round
    std::vector<double> timeS; ///< ascending
    std::vector<double> meanAccuracy;
};

/// One curve per (setting, policy) with accuracy, in the points' order. Each seed's accuracy is
/// a step function (the last evaluation at or before t holds until the next); the mean is taken
/// at every evaluation time of any seed in the window where all seeds have one, from the latest
/// first evaluation to the earliest last one, so every mean is over the same seeds.
std::vector<AccuracyCurve> accuracyOverTime(const std::vector<StoredPoint> &points);

/// How long one policy at one setting takes to reach `target`.
struct TimeToAccuracy
{
    QString setting;
    QString policy;
    double target = 0.0;
    int seeds = 0;   ///< seeds with at least one evaluated round
    int reached = 0; ///< of those, how many reached the target
    /// Simulated time of the first evaluation at or above the target, over the seeds that reached
    /// it (n = reached; no interval below two).
    MeanInterval timeS;
    double finalAccuracy = 0.0; ///< mean over seeds of the last evaluation
};

/// Time to `target` per (setting, policy) with accuracy, in the points' order.
std::vector<TimeToAccuracy> timeToAccuracy(const std::vector<StoredPoint> &points, double target);

/// The target `collapipe report` uses when none is given: 90 % of the highest mean final accuracy
/// of any (setting, policy), so the best policy reaches it and slower ones show how far behind
/// they are. NaN when no point has an accuracy (training off) or the best is 0.
double defaultTargetAccuracy(const std::vector<StoredPoint> &points);

} // namespace collapipe
