// SPDX-License-Identifier: MIT
#include "ui/figures/time_to_accuracy_figure.h"

#include "core/experiment/experiment_time_to_accuracy.h"
#include "ui/figures/figure_style.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace collapipe::figures {
namespace {

std::vector<std::int64_t> lineRuns(
    const std::vector<StoredPoint> &points, const QString &policy, const QString &setting)
{
    return runIdsBySeed(points, [&](const StoredPoint &p) {
        return p.policy == policy && settingLabel(p.coordinates) == setting
            && !p.accuracyTrace.empty();
    });
}

QString reachText(const TimeToAccuracy &t)
{
    if (t.reached == 0) {
        return QStringLiteral("not reached (0/%1 seeds)").arg(t.seeds);
    }
    return QStringLiteral("%1 s (%2/%3 seeds)")
        .arg(t.timeS.mean, 0, 'g', 3)
        .arg(t.reached)
        .arg(t.seeds);
}

} // namespace

bool drawTimeToAccuracy(
    QCustomPlot *plot, const std::vector<StoredPoint> &points, double target, FigureRuns *runs)
{
    const std::vector<AccuracyCurve> curves = accuracyOverTime(points);
    const std::vector<TimeToAccuracy> times = timeToAccuracy(points, target);
    resetFigure(plot,
        QStringLiteral("validation accuracy vs simulated time (mean over seeds)\ndashed: target "
                       "%1; legend: mean time to reach it, seeds that did")
            .arg(target, 0, 'g', 3));
    if (runs) {
        runs->clear();
    }
    plot->xAxis->setLabel(QStringLiteral("simulated time (s)"));
    plot->yAxis->setLabel(QStringLiteral("validation accuracy (fraction)"));
    if (curves.empty()) {
        return showEmptyFigure(
            plot, QStringLiteral("No trained point yet: accuracy needs Train on."));
    }
    QStringList policies;
    QStringList settings;
    for (const StoredPoint &p : points) {
        if (!policies.contains(p.policy)) {
            policies << p.policy;
        }
        const QString s = settingLabel(p.coordinates);
        if (!settings.contains(s)) {
            settings << s;
        }
    }
    static const Qt::PenStyle styles[]
        = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine};
    double tmax = 0.0;
    double ylo = target;
    double yhi = target;
    for (std::size_t i = 0; i < curves.size(); ++i) {
        const AccuracyCurve &c = curves[i];
        const QColor color = policyColor(int(policies.indexOf(c.policy)));
        QCPGraph *g = plot->addGraph();
        g->setPen(QPen(color, 1.6, styles[settings.indexOf(c.setting) % 5]));
        g->setLineStyle(QCPGraph::lsStepLeft); // an evaluation holds until the next one
        const QString who = settings.size() > 1 && !c.setting.isEmpty()
            ? QStringLiteral("%1, %2").arg(c.policy, c.setting)
            : c.policy;
        g->setName(QStringLiteral("%1: %2").arg(who, reachText(times[i])));
        const std::vector<std::int64_t> ids = lineRuns(points, c.policy, c.setting);
        for (std::size_t k = 0; k < c.timeS.size(); ++k) {
            g->addData(c.timeS[k], c.meanAccuracy[k]);
            tmax = std::max(tmax, c.timeS[k]);
            ylo = std::min(ylo, c.meanAccuracy[k]);
            yhi = std::max(yhi, c.meanAccuracy[k]);
            if (runs) {
                runs->add(g, ids);
            }
        }
    }
    auto *line = new QCPItemStraightLine(plot);
    line->point1->setCoords(0.0, target);
    line->point2->setCoords(1.0, target);
    line->setPen(QPen(QColor(90, 90, 90), 1.2, Qt::DashLine));
    line->setSelectable(false);
    plot->xAxis->setRange(0.0, tmax > 0.0 ? tmax * 1.04 : 1.0);
    const double pad = yhi > ylo ? 0.06 * (yhi - ylo) : 0.05;
    plot->yAxis->setRange(std::max(0.0, ylo - pad), std::min(1.0, yhi + pad));
    finishLegend(plot, 2);
    return true;
}

} // namespace collapipe::figures
