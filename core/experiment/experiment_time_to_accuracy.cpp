// SPDX-License-Identifier: MIT
#include "core/experiment/experiment_time_to_accuracy.h"

#include "core/types/special_values.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace collapipe {
namespace {

/// The seeds of one (setting, policy), each seed's trace, in the points' order.
struct Group
{
    QString setting;
    QString policy;
    std::vector<const std::vector<AccuracySample> *> traces;
};

std::vector<Group> groupsWithAccuracy(const std::vector<StoredPoint> &points)
{
    std::vector<const StoredPoint *> sorted;
    for (const StoredPoint &p : points) {
        if (!p.accuracyTrace.empty()) {
            sorted.push_back(&p);
        }
    }
    std::stable_sort(sorted.begin(), sorted.end(),
        [](const StoredPoint *a, const StoredPoint *b) { return a->index < b->index; });
    std::vector<Group> groups;
    for (const StoredPoint *p : sorted) {
        const QString setting = settingLabel(p->coordinates);
        auto it = std::find_if(groups.begin(), groups.end(),
            [&](const Group &g) { return g.setting == setting && g.policy == p->policy; });
        if (it == groups.end()) {
            groups.push_back({setting, p->policy, {}});
            it = groups.end() - 1;
        }
        it->traces.push_back(&p->accuracyTrace);
    }
    return groups;
}

/// The accuracy a seed shows at time t: its last evaluation at or before t (NaN before the first).
double accuracyAt(const std::vector<AccuracySample> &trace, double t)
{
    const auto after = std::upper_bound(trace.begin(), trace.end(), t,
        [](double time, const AccuracySample &s) { return time < s.simTimeS; });
    return after == trace.begin() ? kNaN : std::prev(after)->accuracy;
}

} // namespace

std::vector<AccuracyCurve> accuracyOverTime(const std::vector<StoredPoint> &points)
{
    std::vector<AccuracyCurve> curves;
    for (const Group &g : groupsWithAccuracy(points)) {
        double from = -std::numeric_limits<double>::infinity();
        double to = std::numeric_limits<double>::infinity();
        std::vector<double> times;
        for (const auto *trace : g.traces) {
            from = std::max(from, trace->front().simTimeS);
            to = std::min(to, trace->back().simTimeS);
            for (const AccuracySample &s : *trace) {
                times.push_back(s.simTimeS);
            }
        }
        std::sort(times.begin(), times.end());
        times.erase(std::unique(times.begin(), times.end()), times.end());
        AccuracyCurve curve{g.setting, g.policy, int(g.traces.size()), {}, {}};
        for (double t : times) {
            if (t < from || t > to) {
                continue;
            }
            double sum = 0.0;
            for (const auto *trace : g.traces) {
                sum += accuracyAt(*trace, t);
            }
            curve.timeS.push_back(t);
            curve.meanAccuracy.push_back(sum / double(g.traces.size()));
        }
        curves.push_back(std::move(curve));
    }
    return curves;
}

std::vector<TimeToAccuracy> timeToAccuracy(const std::vector<StoredPoint> &points, double target)
{
    std::vector<TimeToAccuracy> out;
    for (const Group &g : groupsWithAccuracy(points)) {
        TimeToAccuracy row;
        row.setting = g.setting;
        row.policy = g.policy;
        row.target = target;
        row.seeds = int(g.traces.size());
        std::vector<double> times;
        double finalSum = 0.0;
        for (const auto *trace : g.traces) {
            finalSum += trace->back().accuracy;
            const auto hit = std::find_if(trace->begin(), trace->end(),
                [target](const AccuracySample &s) { return s.accuracy >= target; });
            if (hit != trace->end()) {
                times.push_back(hit->simTimeS);
            }
        }
        row.reached = int(times.size());
        row.timeS = meanInterval(times);
        row.finalAccuracy = finalSum / double(row.seeds);
        out.push_back(row);
    }
    return out;
}

double defaultTargetAccuracy(const std::vector<StoredPoint> &points)
{
    double best = kNaN;
    for (const TimeToAccuracy &row : timeToAccuracy(points, 1.0)) {
        if (!(row.finalAccuracy <= best)) { // also replaces the initial NaN
            best = row.finalAccuracy;
        }
    }
    return best > 0.0 ? 0.9 * best : kNaN; // nothing learned: no target worth timing
}

} // namespace collapipe
