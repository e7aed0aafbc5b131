// SPDX-License-Identifier: MIT
#include "core/experiment/experiment_analysis.h"

#include "core/experiment/experiment.h"
#include "core/experiment/experiment_metrics.h"
#include "core/types/special_values.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

namespace collapipe {
namespace {

/// Groups in first-seen order: the points arrive in index order, so groups follow the
/// experiment's expansion order (axes, then policies in file order).
template <typename Value> class OrderedGroups
{
public:
    Value &at(const QString &key)
    {
        const auto it = m_index.constFind(key);
        if (it != m_index.constEnd()) {
            return m_values[std::size_t(*it)].second;
        }
        m_index.insert(key, int(m_values.size()));
        m_values.emplace_back(key, Value{});
        return m_values.back().second;
    }
    const std::vector<std::pair<QString, Value>> &items() const { return m_values; }

private:
    QHash<QString, int> m_index;
    std::vector<std::pair<QString, Value>> m_values;
};

std::vector<const StoredPoint *> byIndex(const std::vector<StoredPoint> &points)
{
    std::vector<const StoredPoint *> sorted;
    sorted.reserve(points.size());
    for (const StoredPoint &p : points) {
        sorted.push_back(&p);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
        [](const StoredPoint *a, const StoredPoint *b) { return a->index < b->index; });
    return sorted;
}

QString valueText(const QJsonObject &coordinates, const QString &path)
{
    return coordinates.contains(path) ? axisValueText(coordinates.value(path)) : QString();
}

/// True when the values of paths a and b pair up one to one over the points.
bool oneToOne(const std::vector<StoredPoint> &points, const QString &a, const QString &b)
{
    QSet<QString> as;
    QSet<QString> bs;
    QSet<QString> pairs;
    for (const StoredPoint &p : points) {
        const QString va = valueText(p.coordinates, a);
        const QString vb = valueText(p.coordinates, b);
        as.insert(va);
        bs.insert(vb);
        pairs.insert(va + QChar(0x1f) + vb);
    }
    return as.size() == pairs.size() && bs.size() == pairs.size();
}

QString key(std::initializer_list<QString> parts)
{
    QString joined;
    for (const QString &part : parts) {
        joined += part;
        joined += QChar(0x1f); // unit separator: cannot appear in a value's text
    }
    return joined;
}

/// Groups the points (in index order) by what `describe` returns for each (a key and the
/// group's head: an AxisSummary, a PolicySummary) and gives each group with a finite value of
/// `metric` its mean and t interval over seeds, in first-seen order.
template <typename Head, typename Describe>
std::vector<Head> summariseOverSeeds(
    const std::vector<StoredPoint> &points, const QString &metric, Describe describe)
{
    struct Group
    {
        Head head;
        std::vector<double> values;
    };
    OrderedGroups<Group> groups;
    for (const StoredPoint *p : byIndex(points)) {
        auto [groupKey, head] = describe(*p);
        Group &g = groups.at(groupKey);
        g.head = std::move(head);
        const double v = pointMetric(*p, metric);
        if (std::isfinite(v)) {
            g.values.push_back(v);
        }
    }
    std::vector<Head> out;
    for (const auto &[k, g] : groups.items()) {
        if (!g.values.empty()) {
            Head s = g.head;
            s.stat = meanInterval(g.values);
            out.push_back(s);
        }
    }
    return out;
}

} // namespace

double studentT975(int degreesOfFreedom)
{
    // t(0.975, df) for df = 1..29, four decimals (standard tables).
    static constexpr std::array<double, 29> kTable{12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469,
        2.3646, 2.3060, 2.2622, 2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098,
        2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484,
        2.0452};
    if (degreesOfFreedom < 1) {
        return kNaN;
    }
    if (degreesOfFreedom <= int(kTable.size())) {
        return kTable[std::size_t(degreesOfFreedom - 1)];
    }
    return 1.959964; // normal quantile: beyond 30 seeds t and z differ by < 0.05
}

MeanInterval meanInterval(const std::vector<double> &values)
{
    MeanInterval stat;
    stat.n = int(values.size());
    if (values.empty()) {
        stat.mean = kNaN;
        stat.halfWidth = kNaN;
        return stat;
    }
    double sum = 0.0;
    for (double v : values) {
        sum += v;
    }
    stat.mean = sum / double(stat.n);
    if (stat.n == 1) {
        stat.halfWidth = kNaN;
        return stat;
    }
    double squares = 0.0;
    for (double v : values) {
        squares += (v - stat.mean) * (v - stat.mean);
    }
    stat.sd = std::sqrt(squares / double(stat.n - 1));
    stat.halfWidth = studentT975(stat.n - 1) * stat.sd / std::sqrt(double(stat.n));
    stat.hasInterval = true;
    return stat;
}

bool metricLowerIsBetter(const QString &key)
{
    return key != QLatin1String("mean_computation_efficiency")
        && key != QLatin1String("final_accuracy");
}

double pointMetric(const StoredPoint &point, const QString &key)
{
    const ExperimentMetric *metric = findExperimentMetric(key);
    return metric ? metric->value(point.summary) : kNaN;
}

QStringList axisPaths(const std::vector<StoredPoint> &points)
{
    QStringList paths;
    for (const StoredPoint &p : points) {
        for (auto it = p.coordinates.begin(); it != p.coordinates.end(); ++it) {
            if (!paths.contains(it.key())) {
                paths << it.key();
            }
        }
    }
    paths.sort();
    return paths;
}

std::vector<QStringList> analysisAxes(const std::vector<StoredPoint> &points)
{
    std::vector<QStringList> axes;
    for (const QString &path : axisPaths(points)) {
        const auto zippedWith = std::find_if(axes.begin(), axes.end(),
            [&](const QStringList &axis) { return oneToOne(points, axis.front(), path); });
        if (zippedWith != axes.end()) {
            zippedWith->append(path);
        } else {
            axes.push_back({path});
        }
    }
    return axes;
}

QString axisName(const QStringList &axis)
{
    return axis.join(QLatin1Char('+'));
}

QString axisValue(const QJsonObject &coordinates, const QStringList &axis)
{
    QStringList values;
    for (const QString &path : axis) {
        values << valueText(coordinates, path);
    }
    return values.join(QLatin1Char('/'));
}

QString settingLabel(const QJsonObject &coordinates, const QStringList &exclude)
{
    QStringList keys = coordinates.keys();
    keys.sort();
    QStringList parts;
    for (const QString &path : keys) {
        if (!exclude.contains(path)) {
            parts << path + QLatin1Char('=') + axisValueText(coordinates.value(path));
        }
    }
    return parts.join(QLatin1Char(' '));
}

std::vector<AxisSummary> metricAlongAxis(
    const std::vector<StoredPoint> &points, const QStringList &axis, const QString &metric)
{
    return summariseOverSeeds<AxisSummary>(points, metric, [&](const StoredPoint &p) {
        AxisSummary head;
        head.axisValue = axisValue(p.coordinates, axis);
        head.otherAxes = settingLabel(p.coordinates, axis);
        head.policy = p.policy;
        return std::pair{key({head.otherAxes, head.axisValue, head.policy}), head};
    });
}

std::vector<PolicySummary> metricPerPolicy(
    const std::vector<StoredPoint> &points, const QString &metric)
{
    return summariseOverSeeds<PolicySummary>(points, metric, [](const StoredPoint &p) {
        PolicySummary head;
        head.setting = settingLabel(p.coordinates);
        head.policy = p.policy;
        return std::pair{key({head.setting, head.policy}), head};
    });
}

std::vector<RegimeCell> regimeMap(const std::vector<StoredPoint> &points, const QStringList &x,
    const QStringList &y, const QString &metric)
{
    struct Cell
    {
        RegimeCell head;
        OrderedGroups<std::vector<double>> perPolicy;
    };
    OrderedGroups<Cell> cells;
    for (const StoredPoint *p : byIndex(points)) {
        const QString xv = axisValue(p->coordinates, x);
        const QString yv = axisValue(p->coordinates, y);
        const QString other = settingLabel(p->coordinates, x + y);
        Cell &c = cells.at(key({other, xv, yv}));
        c.head.xValue = xv;
        c.head.yValue = yv;
        c.head.otherAxes = other;
        std::vector<double> &values = c.perPolicy.at(p->policy);
        const double v = pointMetric(*p, metric);
        if (std::isfinite(v)) {
            values.push_back(v);
        }
    }
    const bool lower = metricLowerIsBetter(metric);
    const auto better = [lower](double a, double b) { return lower ? a < b : a > b; };
    std::vector<RegimeCell> out;
    for (const auto &[k, c] : cells.items()) {
        std::vector<std::pair<QString, double>> means; // policy order as met
        for (const auto &[policy, values] : c.perPolicy.items()) {
            if (!values.empty()) {
                means.emplace_back(policy, meanInterval(values).mean);
            }
        }
        if (means.empty()) {
            continue;
        }
        // Stable: on a tie the earlier policy stays ahead.
        std::stable_sort(means.begin(), means.end(),
            [&better](const auto &a, const auto &b) { return better(a.second, b.second); });
        RegimeCell cell = c.head;
        cell.policies = int(means.size());
        cell.best = means[0].first;
        cell.bestMean = means[0].second;
        cell.runnerUpMean = kNaN;
        cell.relativeMargin = kNaN;
        if (means.size() > 1) {
            cell.runnerUp = means[1].first;
            cell.runnerUpMean = means[1].second;
            cell.relativeMargin = cell.bestMean != 0.0
                ? std::abs(cell.runnerUpMean - cell.bestMean) / std::abs(cell.bestMean)
                : kNaN;
        }
        out.push_back(cell);
    }
    return out;
}

bool dominates(double aLatency, double aEnergy, double bLatency, double bEnergy)
{
    return aLatency <= bLatency && aEnergy <= bEnergy && (aLatency < bLatency || aEnergy < bEnergy);
}

std::vector<ParetoPoint> paretoFronts(const std::vector<StoredPoint> &points)
{
    struct Group
    {
        ParetoPoint head;
        std::vector<double> latency;
        std::vector<double> energy;
    };
    OrderedGroups<Group> groups;
    for (const StoredPoint *p : byIndex(points)) {
        const QString setting = settingLabel(p->coordinates);
        Group &g = groups.at(key({p->policy, setting}));
        g.head.policy = p->policy;
        g.head.setting = setting;
        g.latency.push_back(p->summary.meanLatencyS);
        g.energy.push_back(p->summary.meanEnergyJ);
    }
    std::vector<ParetoPoint> out;
    for (const auto &[k, g] : groups.items()) {
        ParetoPoint pt = g.head;
        pt.n = int(g.latency.size());
        pt.meanLatencyS = meanInterval(g.latency).mean;
        pt.meanEnergyJ = meanInterval(g.energy).mean;
        if (std::isfinite(pt.meanLatencyS) && std::isfinite(pt.meanEnergyJ)) {
            out.push_back(pt);
        }
    }
    for (ParetoPoint &candidate : out) {
        candidate.onFront
            = std::none_of(out.begin(), out.end(), [&candidate](const ParetoPoint &o) {
                  return o.policy == candidate.policy
                      && dominates(o.meanLatencyS, o.meanEnergyJ, candidate.meanLatencyS,
                          candidate.meanEnergyJ);
              });
    }
    return out;
}

} // namespace collapipe
