// SPDX-License-Identifier: MIT
#include "ui/figures/regime_map_figure.h"

#include "ui/figures/figure_style.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace collapipe::figures {
namespace {

/// A margin at or above this gets the policy's full colour; smaller margins are paler, so a
/// near tie reads as "either policy" at a glance.
constexpr double kFullShadeMargin = 0.25;

double shareOfColor(double margin)
{
    const double m = std::isfinite(margin) ? std::clamp(margin / kFullShadeMargin, 0.0, 1.0) : 1.0;
    return 0.3 + 0.7 * m; // the rest is white
}

QColor shade(const QColor &color, double margin)
{
    const double keep = shareOfColor(margin);
    return QColor::fromRgbF(float(1.0 - keep + keep * color.redF()),
        float(1.0 - keep + keep * color.greenF()), float(1.0 - keep + keep * color.blueF()));
}

QString marginText(const RegimeCell &cell)
{
    if (cell.runnerUp.isEmpty() || !std::isfinite(cell.relativeMargin)) {
        return QStringLiteral("(one policy)");
    }
    if (cell.relativeMargin < 0.0005) {
        return QStringLiteral("tie with %1").arg(cell.runnerUp);
    }
    const int decimals = cell.relativeMargin < 0.1 ? 1 : 0;
    return QStringLiteral("%1 % over %2")
        .arg(cell.relativeMargin * 100.0, 0, 'f', decimals)
        .arg(cell.runnerUp);
}

QSharedPointer<QCPAxisTickerText> categoryTicker(const QStringList &values)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (qsizetype i = 0; i < values.size(); ++i) {
        ticker->addTick(double(i), values[i]);
    }
    return ticker;
}

} // namespace

QStringList regimeMapSettings(
    const std::vector<StoredPoint> &points, const QStringList &x, const QStringList &y)
{
    QStringList settings;
    for (const StoredPoint &p : points) {
        const QString s = settingLabel(p.coordinates, x + y);
        if (!settings.contains(s)) {
            settings << s;
        }
    }
    return settings;
}

bool drawRegimeMap(QCustomPlot *plot, const std::vector<StoredPoint> &points, const QStringList &x,
    const QStringList &y, const QString &metric, const QString &otherAxes)
{
    const bool lower = metricLowerIsBetter(metric);
    QString title = QStringLiteral("best policy by %1 (%2 is better)")
                        .arg(metric, lower ? QStringLiteral("lower") : QStringLiteral("higher"));
    if (!otherAxes.isEmpty()) {
        title += QStringLiteral(" at ") + otherAxes;
    }
    title += QStringLiteral("\ncell: best policy and its margin over the runner-up; paler: "
                            "margin under %1 %")
                 .arg(kFullShadeMargin * 100.0, 0, 'f', 0);
    resetFigure(plot, title);
    plot->xAxis->setLabel(axisLabel(x));
    plot->yAxis->setLabel(axisLabel(y));
    std::vector<RegimeCell> cells;
    for (const RegimeCell &c : regimeMap(points, x, y, metric)) {
        if (c.otherAxes == otherAxes) {
            cells.push_back(c);
        }
    }
    if (cells.empty()) {
        return showEmptyFigure(plot,
            x.isEmpty() || y.isEmpty()
                ? QStringLiteral("A regime map needs two axes: add a second field, then Run.")
                : QStringLiteral("No finished point yet."));
    }
    QStringList policies;
    QStringList xs;
    QStringList ys;
    for (const StoredPoint &p : points) {
        if (!policies.contains(p.policy)) {
            policies << p.policy;
        }
        if (settingLabel(p.coordinates, x + y) != otherAxes) {
            continue;
        }
        const QString xv = axisValue(p.coordinates, x);
        const QString yv = axisValue(p.coordinates, y);
        if (!xs.contains(xv)) {
            xs << xv;
        }
        if (!ys.contains(yv)) {
            ys << yv;
        }
    }
    // Cells are wide enough for two lines of text up to about six columns; beyond, the margin only.
    const bool roomy = xs.size() <= 6 && ys.size() <= 8;
    const QFont cellFont(plot->font().family(), roomy ? 8 : 7);
    QStringList winners;
    for (const RegimeCell &c : cells) {
        const double cx = double(xs.indexOf(c.xValue));
        const double cy = double(ys.indexOf(c.yValue));
        const QColor base = policyColor(int(policies.indexOf(c.best)));
        auto *rect = new QCPItemRect(plot);
        rect->topLeft->setCoords(cx - 0.5, cy + 0.5);
        rect->bottomRight->setCoords(cx + 0.5, cy - 0.5);
        rect->setPen(QPen(Qt::white, 2));
        rect->setBrush(shade(base, c.relativeMargin));
        rect->setSelectable(false);
        auto *text = new QCPItemText(plot);
        text->position->setCoords(cx, cy);
        text->setFont(cellFont);
        text->setTextAlignment(Qt::AlignCenter);
        text->setText(roomy ? c.best + QLatin1Char('\n') + marginText(c) : c.best);
        // Dark text on pale cells, white on saturated ones.
        const QColor fill = rect->brush().color();
        text->setColor(fill.lightnessF() > 0.55 ? Qt::black : Qt::white);
        text->setSelectable(false);
        if (!winners.contains(c.best)) {
            winners << c.best;
        }
    }
    // The legend names each policy's colour (every policy of the file, so absent winners show).
    for (qsizetype i = 0; i < policies.size(); ++i) {
        auto *swatch = new QCPBars(plot->xAxis, plot->yAxis);
        swatch->setBrush(policyColor(int(i)));
        swatch->setPen(Qt::NoPen);
        swatch->setName(winners.contains(policies[i])
                ? policies[i]
                : policies[i] + QStringLiteral(" (never best)"));
        swatch->setSelectable(QCP::stNone);
    }
    plot->xAxis->setTicker(categoryTicker(xs));
    plot->yAxis->setTicker(categoryTicker(ys));
    plot->xAxis->setRange(-0.5, double(xs.size()) - 0.5);
    plot->yAxis->setRange(-0.5, double(ys.size()) - 0.5);
    plot->xAxis->grid()->setVisible(false);
    plot->yAxis->grid()->setVisible(false);
    finishLegend(plot, 4);
    return true;
}

} // namespace collapipe::figures
