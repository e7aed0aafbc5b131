// SPDX-License-Identifier: MIT
// RoundPlot's value axes: the left one linear or logarithmic (a skewed energy band, a few
// devices spending a hundred times more than the rest, reads only on a log axis), and an axis
// rect tall enough for the vertical axis labels.
#include "ui/plots/axis_ticks.h"
#include "ui/plots/round_plot.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace round_plot_value_scale {

/// A log axis' margin above the largest and below the smallest value: a factor, the log
/// counterpart of axis_range's 6 % of the span.
constexpr double kLogPadFactor = 1.3;
/// The fewest decades a log axis spans (see fitValueScale).
constexpr double kMinDecades = 1.8;

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
            auto ticker = QSharedPointer<QCPAxisTickerLog>::create();
            ticker->setTickCount(3); // small panels: every other decade when many
            yAxis->setTicker(ticker);
            yAxis->setLabel(tr("%1 (log)").arg(m_linearLabel));
        } else {
            yAxis->setScaleType(QCPAxis::stLinear);
            yAxis->setTicker(QSharedPointer<FittedTicker>::create(false));
            yAxis->setLabel(m_linearLabel);
        }
    }
    if (log) {
        // At least kMinDecades: QCPAxisTickerLog falls back to linear steps below 1.6 decades,
        // and those bunch up at the top of a log axis (a forced log scale on a narrow range).
        const double upper = range.upper * round_plot_value_scale::kLogPadFactor;
        yAxis->setRange(std::min(lowest / round_plot_value_scale::kLogPadFactor,
                            upper / std::pow(10.0, round_plot_value_scale::kMinDecades)),
            upper);
    }
    return log;
}

void RoundPlot::fitAxisRectToLabels()
{
    // QCustomPlot centres a vertical axis label on the axis rect and lets it run past both ends:
    // at 1280 × 800 a 46 px tall rect cut "accuracy" and ran "% of device memory" into the
    // title. The rect is at least as tall as its longest vertical label (the panel's minimum
    // height follows, see reserveLegendRoom).
    constexpr int kMinPlotHeight = 50;
    int longest = kMinPlotHeight;
    for (QCPAxis *axis : {yAxis, yAxis2}) {
        if (axis->visible() && !axis->label().isEmpty()) {
            longest = std::max(
                longest, QFontMetrics(axis->labelFont()).horizontalAdvance(axis->label()));
        }
    }
    if (axisRect()->minimumSize().height() != longest) {
        axisRect()->setMinimumSize(axisRect()->minimumSize().width(), longest);
    }
}

} // namespace collapipe
