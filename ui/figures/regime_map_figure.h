// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"

class QCustomPlot;

namespace collapipe::figures {

/// The regime map of `metric` over axes x and y (experiment_analysis.h regimeMap) at one setting
/// of the other axes (`otherAxes`, as settingLabel writes it; "" when there are only two axes):
/// each cell filled with its best policy's colour, paler the smaller its margin over the
/// runner-up, and labelled with the policy and the margin; a legend names the policies' colours.
/// Values sit as categories in file order. False when the cells have no value.
bool drawRegimeMap(QCustomPlot *plot, const std::vector<StoredPoint> &points, const QStringList &x,
    const QStringList &y, const QString &metric, const QString &otherAxes = {});

/// The settings of the axes other than x and y that the points have, in file order ("" when
/// x and y are the only axes): one regime map each.
QStringList regimeMapSettings(
    const std::vector<StoredPoint> &points, const QStringList &x, const QStringList &y);

} // namespace collapipe::figures
