// SPDX-License-Identifier: MIT
// RoundPlot's left value axis, linear or logarithmic: a skewed energy band (a few devices spend
// a hundred times more than the rest) reads only on a log axis.
#include "ui/plots/axis_ticks.h"
#include "ui/plots/round_plot.h"

#include <cmath>

namespace collapipe {

namespace round_plot_value_scale {

/// A log axis' margin above the largest and below the smallest value: a factor, the log
/// counterpart of axis_range's 6 % of the span.
constexpr double kLogPadFactor = 1.3;

} // namespace round_plot_value_scale

void RoundPlot::setValueScale(ValueScale scale)
{
    if (scale == m_valueScale) {
        return;
    }
    m_valueScale = scale;
    m_followData = true;
    rescale();
    replot(QCustomPlot::rpQueuedReplot);
}

bool RoundPlot::valueAxisIsLog() const
{
    return yAxis->scaleType() == QCPAxis::stLogarithmic;
}

bool RoundPlot::fitValueScale(const ValueRange &range)
{
    bool log = false;
    double lowest = 0.0;
    if (m_offersLog && range.valid && range.upper > 0.0 && std::isfinite(m_minPositive)) {
        // Zeros (a device that sat a round out) have no place on a log axis: the smallest
        // positive value is its lower end.
        lowest = range.lower > 0.0 ? range.lower : m_minPositive;
        log = m_valueScale == ValueScale::Log
            || (m_valueScale == ValueScale::Auto && range.upper > kLogSpanRatio * lowest);
    }
    if (log != valueAxisIsLog()) {
        if (log) {
            m_linearLabel = yAxis->label();
            yAxis->setScaleType(QCPAxis::stLogarithmic);
            yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
            yAxis->setLabel(tr("%1, log scale").arg(m_linearLabel));
        } else {
            yAxis->setScaleType(QCPAxis::stLinear);
            yAxis->setTicker(QSharedPointer<FittedTicker>::create(false));
            yAxis->setLabel(m_linearLabel);
        }
    }
    if (log) {
        yAxis->setRange(lowest / round_plot_value_scale::kLogPadFactor,
            range.upper * round_plot_value_scale::kLogPadFactor);
    }
    return log;
}

} // namespace collapipe
