// SPDX-License-Identifier: MIT
#pragma once

#include <qcustomplot.h>

namespace collapipe {

/// A tick step that follows the axis' pixel length: the smallest "nice" step (1, 2, 2.5 or 5 ×
/// 10ⁿ; 1, 2 or 5 × 10ⁿ and at least 1 for integer keys such as rounds) whose ticks lie at least
/// one label (plus a gap) apart on screen. QCustomPlot's tick count is a wish that ignores the
/// axis' size: at 1280 × 800 a 70 px round axis got seven labels ("0102030405060").
/// fitAxisTicks() feeds it the axis' current length and label size after each layout.
class FittedTicker : public QCPAxisTicker
{
public:
    explicit FittedTicker(bool integerSteps = false)
        : m_integer(integerSteps)
    { }

    /// The axis is `axisPx` long and a tick needs `spacingPx` of it; true when that changed.
    bool setPixels(double axisPx, double spacingPx);
    double axisPixels() const { return m_axisPx; }
    double spacingPixels() const { return m_spacingPx; }

protected:
    double getTickStep(const QCPRange &range) override;

private:
    double m_axisPx = 0.0;
    double m_spacingPx = 0.0;
    bool m_integer = false;
};

/// After a layout: gives `axis`'s FittedTicker (if it has one) its length and the room its
/// labels need (the widest label plus a gap along a horizontal axis, the label's line height
/// plus a gap along a vertical one). True when the ticks must be generated again (another
/// layout pass).
bool fitAxisTicks(QCPAxis *axis);

/// The tick labels' rectangles as QCustomPlot draws them (widget pixels, unrotated labels): for
/// tests and for callers that check that labels do not run into each other.
QList<QRect> tickLabelRects(const QCPAxis *axis);

/// True when `plot`'s legend sits in a column of the plot layout right of the axis rect (not
/// inside it, not in a row below it).
bool legendBesideAxisRect(const QCustomPlot *plot);

} // namespace collapipe
