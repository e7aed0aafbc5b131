// SPDX-License-Identifier: MIT
#include "ui/figures/policy_figure.h"

#include "ui/figures/figure_style.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace collapipe::figures {

bool drawPolicySummary(QCustomPlot *plot, const std::vector<StoredPoint> &points,
    const QString &metric, FigureRuns *runs)
{
    std::vector<PolicySummary> rows = metricPerPolicy(points, metric);
    const bool hasAxes = !axisPaths(points).isEmpty();
    if (hasAxes) {
        rows.clear(); // with axes the curves show the policies along each axis
    }
    int seeds = 0;
    for (const PolicySummary &r : rows) {
        seeds = std::max(seeds, r.stat.n);
    }
    resetFigure(plot,
        rows.empty() ? QStringLiteral("%1 per policy").arg(metric)
                     : QStringLiteral("%1 per policy (mean over %2 seed%3%4)")
                           .arg(metric)
                           .arg(seeds)
                           .arg(seeds == 1 ? QString() : QStringLiteral("s"))
                           .arg(seeds > 1 ? QStringLiteral(", 95 % CI") : QString()));
    if (runs) {
        runs->clear();
    }
    plot->xAxis->setLabel(QStringLiteral("policy"));
    plot->yAxis->setLabel(metricLabel(metric));
    if (rows.empty()) {
        return showEmptyFigure(plot,
            hasAxes ? QStringLiteral("The experiment has axes: its curves show each policy "
                                     "along them.")
                    : QStringLiteral("No finished point yet."));
    }
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    double lo = HUGE_VAL;
    double hi = -HUGE_VAL;
    bool anyInterval = false;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const PolicySummary &r = rows[i];
        const QColor color = policyColor(int(i));
        const double x = double(i);
        ticker->addTick(x, r.policy);
        QCPGraph *dot = plot->addGraph();
        dot->setLineStyle(QCPGraph::lsNone);
        dot->setPen(QPen(color, 1.6));
        dot->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 8));
        dot->setName(QStringLiteral("%1: mean of %2 seed%3")
                         .arg(r.policy)
                         .arg(r.stat.n)
                         .arg(r.stat.n == 1 ? QString() : QStringLiteral("s")));
        dot->addData(x, r.stat.mean);
        const double h = r.stat.hasInterval ? r.stat.halfWidth : 0.0;
        if (r.stat.hasInterval) {
            anyInterval = true;
            auto *bars = new QCPErrorBars(plot->xAxis, plot->yAxis);
            bars->setDataPlottable(dot);
            bars->setPen(QPen(color, 1.4));
            bars->setWhiskerWidth(10);
            bars->addData(h);
            bars->removeFromLegend();
            bars->setSelectable(QCP::stNone);
        }
        lo = std::min(lo, r.stat.mean - h);
        hi = std::max(hi, r.stat.mean + h);
        if (runs) {
            runs->add(dot, runIdsBySeed(points, [&](const StoredPoint &p) {
                return p.policy == r.policy && settingLabel(p.coordinates) == r.setting;
            }));
        }
    }
    if (anyInterval) {
        // One legend entry says what the bars are, in a neutral colour.
        auto *key = new QCPErrorBars(plot->xAxis, plot->yAxis);
        key->setPen(QPen(QColor(60, 60, 60), 1.4));
        key->setName(QStringLiteral("error bar: 95 % CI over seeds (Student t)"));
        key->setSelectable(QCP::stNone);
    }
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setSubTicks(false);
    plot->xAxis->grid()->setVisible(false);
    plot->xAxis->setRange(-0.6, double(rows.size()) - 0.4);
    const double pad = hi > lo ? 0.12 * (hi - lo) : std::max(std::abs(hi) * 0.1, 1e-9);
    plot->yAxis->setRange(lo - pad, hi + pad);
    finishLegend(plot, 2);
    return true;
}

} // namespace collapipe::figures
