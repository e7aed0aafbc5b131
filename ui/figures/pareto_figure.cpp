// SPDX-License-Identifier: MIT
#include "ui/figures/pareto_figure.h"

#include "ui/figures/figure_style.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace collapipe::figures {
namespace {

std::vector<std::int64_t> settingRuns(
    const std::vector<StoredPoint> &points, const ParetoPoint &pareto)
{
    return runIdsBySeed(points, [&](const StoredPoint &p) {
        return p.policy == pareto.policy && settingLabel(p.coordinates) == pareto.setting;
    });
}

} // namespace

bool drawParetoFronts(QCustomPlot *plot, const std::vector<StoredPoint> &points, FigureRuns *runs)
{
    const std::vector<ParetoPoint> all = paretoFronts(points);
    resetFigure(
        plot, QStringLiteral("latency–energy trade-off per policy (mean over seeds per setting)"));
    if (runs) {
        runs->clear();
    }
    plot->xAxis->setLabel(metricLabel(QStringLiteral("mean_latency_s")));
    plot->yAxis->setLabel(metricLabel(QStringLiteral("mean_energy_j")));
    if (all.empty()) {
        return showEmptyFigure(plot, QStringLiteral("No finished point yet."));
    }
    QStringList policies;
    for (const StoredPoint &p : points) {
        if (!policies.contains(p.policy)) {
            policies << p.policy;
        }
    }
    double xlo = HUGE_VAL;
    double xhi = -HUGE_VAL;
    double ylo = HUGE_VAL;
    double yhi = -HUGE_VAL;
    for (qsizetype pi = 0; pi < policies.size(); ++pi) {
        std::vector<const ParetoPoint *> front;
        std::vector<const ParetoPoint *> dominated;
        for (const ParetoPoint &p : all) {
            if (p.policy == policies[pi]) {
                (p.onFront ? front : dominated).push_back(&p);
                xlo = std::min(xlo, p.meanLatencyS);
                xhi = std::max(xhi, p.meanLatencyS);
                ylo = std::min(ylo, p.meanEnergyJ);
                yhi = std::max(yhi, p.meanEnergyJ);
            }
        }
        const auto byLatency = [](const ParetoPoint *a, const ParetoPoint *b) {
            return a->meanLatencyS < b->meanLatencyS;
        };
        std::sort(front.begin(), front.end(), byLatency);
        std::sort(dominated.begin(), dominated.end(), byLatency);
        const QColor color = policyColor(int(pi));
        const auto addGraph = [&](const std::vector<const ParetoPoint *> &members, bool onFront) {
            if (members.empty()) {
                return;
            }
            QCPGraph *g = plot->addGraph();
            g->setPen(QPen(color, 1.6));
            g->setLineStyle(onFront ? QCPGraph::lsLine : QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color, 1.4),
                onFront ? QBrush(color) : QBrush(Qt::white), 7));
            g->setName(QStringLiteral("%1 %2").arg(
                policies[pi], onFront ? QStringLiteral("front") : QStringLiteral("dominated")));
            for (const ParetoPoint *p : members) {
                g->addData(p->meanLatencyS, p->meanEnergyJ);
                if (runs) {
                    runs->add(g, settingRuns(points, *p));
                }
            }
        };
        addGraph(front, true);
        addGraph(dominated, false);
    }
    const double xpad = xhi > xlo ? 0.08 * (xhi - xlo) : std::max(0.1 * std::abs(xhi), 1e-9);
    const double ypad = yhi > ylo ? 0.08 * (yhi - ylo) : std::max(0.1 * std::abs(yhi), 1e-9);
    plot->xAxis->setRange(xlo - xpad, xhi + xpad);
    plot->yAxis->setRange(ylo - ypad, yhi + ypad);
    finishLegend(plot, 2);
    return true;
}

} // namespace collapipe::figures
