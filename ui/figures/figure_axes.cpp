// SPDX-License-Identifier: MIT
#include "ui/figures/figure_axes.h"

#include "ui/figures/figure_style.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace collapipe::figures {
namespace {

/// More values than this get round ticks instead of one per value (labels would collide).
constexpr qsizetype kMaxValueTicks = 8;

} // namespace

AxisPlacement placeValues(const QStringList &values)
{
    AxisPlacement p;
    p.values = values;
    if (allNumeric(values)) {
        double lo = HUGE_VAL;
        double hi = -HUGE_VAL;
        for (const QString &v : values) {
            p.position.push_back(v.toDouble());
            lo = std::min(lo, p.position.back());
            hi = std::max(hi, p.position.back());
        }
        p.logScale = lo > 0.0 && hi / lo >= 50.0;
        return p;
    }
    for (qsizetype i = 0; i < values.size(); ++i) {
        p.position.push_back(double(i));
    }
    return p;
}

void applyPlacement(QCPAxis *axis, const AxisPlacement &placement)
{
    const bool numeric = allNumeric(placement.values);
    if (numeric && placement.values.size() > kMaxValueTicks) {
        // Many numbers: a tick at each would collide; let the ticker pick round values.
        if (placement.logScale) {
            axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        } else {
            axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        }
    } else {
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        for (qsizetype i = 0; i < placement.values.size(); ++i) {
            ticker->addTick(placement.position[std::size_t(i)], placement.values[i]);
        }
        axis->setTicker(ticker);
    }
    axis->setScaleType(placement.logScale ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (!numeric) {
        axis->grid()->setZeroLinePen(Qt::NoPen); // 0 is the first category, not a zero
    }
    if (placement.position.empty()) {
        return;
    }
    const auto [lo, hi] = std::minmax_element(placement.position.begin(), placement.position.end());
    if (placement.logScale) {
        const double factor = std::pow(*hi / *lo, 0.12);
        axis->setRange(*lo / factor, *hi * factor);
    } else {
        // Room for the outer tick labels (a zipped value such as "5e+06/1e+07" is wide).
        const double pad = *hi > *lo ? 0.12 * (*hi - *lo) : 0.5;
        axis->setRange(*lo - pad, *hi + pad);
    }
}

} // namespace collapipe::figures
