// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

#include <vector>

class QCPAxis;

/// Places the values of an experiment axis along a plot axis (shared by the curve and time
/// figures): to scale when they are numbers, else as evenly spaced categories.
namespace collapipe::figures {

struct AxisPlacement
{
    QStringList values;           ///< in the order given
    std::vector<double> position; ///< where each value sits on the plot axis
    bool logScale = false;
};

/// Numbers sit at their value (log scale when all are positive and span 50× or more), anything
/// else at 0, 1, 2, ... Ticks are put at the values, labelled as given.
AxisPlacement placeValues(const QStringList &values);

/// Applies the placement to `axis`: scale, a tick at each value, and a range with a margin so
/// the outer markers are not cut.
void applyPlacement(QCPAxis *axis, const AxisPlacement &placement);

} // namespace collapipe::figures
