// SPDX-License-Identifier: MIT
#include "ui/figures/axis_curve_figure.h"

#include "ui/figures/figure_axes.h"
#include "ui/figures/figure_style.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace collapipe::figures {
namespace {

/// First-seen order of a list of names.
void addOnce(QStringList *list, const QString &name)
{
    if (!list->contains(name)) {
        list->append(name);
    }
}

/// The runs of one (policy, axis value, other axes) group, lowest seed first.
std::vector<std::int64_t> groupRuns(
    const std::vector<StoredPoint> &points, const QStringList &axis, const AxisSummary &s)
{
    return runIdsBySeed(points, [&](const StoredPoint &p) {
        return p.policy == s.policy && axisValue(p.coordinates, axis) == s.axisValue
            && settingLabel(p.coordinates, axis) == s.otherAxes;
    });
}

Qt::PenStyle settingStyle(int index)
{
    static const Qt::PenStyle styles[]
        = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine};
    return styles[index % 5];
}

} // namespace

bool drawAxisCurves(QCustomPlot *plot, const std::vector<StoredPoint> &points,
    const QStringList &axis, const QString &metric, FigureRuns *runs)
{
    const std::vector<AxisSummary> rows = metricAlongAxis(points, axis, metric);
    int seeds = 0;
    for (const AxisSummary &r : rows) {
        seeds = std::max(seeds, r.stat.n);
    }
    // No axis or no finished point yet: no "mean_latency_s vs  (mean over 0 seeds)".
    resetFigure(plot,
        axis.isEmpty()     ? QStringLiteral("%1 along an axis").arg(metric)
            : rows.empty() ? QStringLiteral("%1 vs %2").arg(metric, axisName(axis))
                           : QStringLiteral("%1 vs %2 (mean over %3 seed%4%5)")
                                 .arg(metric, axisName(axis))
                                 .arg(seeds)
                                 .arg(seeds == 1 ? QString() : QStringLiteral("s"))
                                 .arg(seeds > 1 ? QStringLiteral(", 95 % CI band") : QString()));
    if (runs) {
        runs->clear();
    }
    plot->xAxis->setLabel(axisLabel(axis));
    plot->yAxis->setLabel(metricLabel(metric));
    if (rows.empty()) {
        return showEmptyFigure(plot,
            axis.isEmpty() ? QStringLiteral("No axis yet: add a field and its values, then Run.")
                           : QStringLiteral("No finished point yet."));
    }
    QStringList policies;
    QStringList others;
    QStringList values;
    for (const StoredPoint &p : points) { // points in index order: the file's order
        addOnce(&policies, p.policy);
        addOnce(&values, axisValue(p.coordinates, axis));
        addOnce(&others, settingLabel(p.coordinates, axis));
    }
    const AxisPlacement placement = placeValues(values);
    double lo = HUGE_VAL;
    double hi = -HUGE_VAL;
    for (qsizetype pi = 0; pi < policies.size(); ++pi) {
        for (qsizetype oi = 0; oi < others.size(); ++oi) {
            std::vector<const AxisSummary *> line;
            for (const AxisSummary &r : rows) {
                if (r.policy == policies[pi] && r.otherAxes == others[oi]) {
                    line.push_back(&r);
                }
            }
            if (line.empty()) {
                continue;
            }
            const auto x = [&](const AxisSummary *r) {
                return placement.position[std::size_t(values.indexOf(r->axisValue))];
            };
            std::stable_sort(line.begin(), line.end(),
                [&](const AxisSummary *a, const AxisSummary *b) { return x(a) < x(b); });
            const QColor color = policyColor(int(pi));
            QCPGraph *low = nullptr;
            QCPGraph *high = nullptr;
            if (seeds > 1) {
                low = plot->addGraph();
                high = plot->addGraph();
                for (QCPGraph *edge : {low, high}) {
                    edge->setPen(Qt::NoPen);
                    edge->removeFromLegend();
                    edge->setSelectable(QCP::stNone);
                }
                QColor band = color;
                band.setAlpha(45);
                high->setBrush(band);
                high->setChannelFillGraph(low);
            }
            // Added after its band, so the line is on top and a click on a point finds it.
            QCPGraph *mean = plot->addGraph();
            mean->setPen(QPen(color, 1.6, settingStyle(int(oi))));
            mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 5));
            // The legend names colours (policies) and line styles (settings) once each, below.
            mean->setName(QStringLiteral("%1, %2").arg(policies[pi], others[oi]));
            mean->removeFromLegend();
            for (const AxisSummary *r : line) {
                const double m = r->stat.mean;
                const double h = r->stat.hasInterval ? r->stat.halfWidth : 0.0;
                mean->addData(x(r), m);
                if (low) {
                    low->addData(x(r), m - h);
                    high->addData(x(r), m + h);
                }
                lo = std::min(lo, m - h);
                hi = std::max(hi, m + h);
                if (runs) {
                    runs->add(mean, groupRuns(points, axis, *r));
                }
            }
        }
    }
    for (qsizetype pi = 0; pi < policies.size(); ++pi) {
        QCPGraph *key = plot->addGraph();
        key->setPen(QPen(policyColor(int(pi)), 1.6));
        key->setScatterStyle(QCPScatterStyle(
            QCPScatterStyle::ssCircle, policyColor(int(pi)), policyColor(int(pi)), 5));
        key->setName(policies[pi]);
        key->setSelectable(QCP::stNone);
    }
    if (others.size() > 1) {
        for (qsizetype oi = 0; oi < others.size(); ++oi) {
            QCPGraph *key = plot->addGraph();
            key->setPen(QPen(QColor(60, 60, 60), 1.6, settingStyle(int(oi))));
            key->setName(others[oi]);
            key->setSelectable(QCP::stNone);
        }
    }
    applyPlacement(plot->xAxis, placement);
    const double pad = hi > lo ? 0.08 * (hi - lo) : std::max(std::abs(hi) * 0.1, 1e-9);
    plot->yAxis->setRange(lo - pad, hi + pad);
    finishLegend(plot, int(std::max(policies.size(), others.size())));
    return true;
}

} // namespace collapipe::figures
