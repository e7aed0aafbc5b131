// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>

class QCustomPlot;
class QCPTextElement;

/// The look every experiment figure shares (report files and the Studio's Experiments view):
/// fonts sized for a one-column paper figure, a title row, the legend in a row of its own under
/// the axes so it never covers data, one colour per policy.
namespace collapipe::figures {

/// Clears `plot` (graphs, items, extra layout rows) and gives it the figure layout: a title row,
/// the axis rect, a legend row under it. Returns the title element.
QCPTextElement *resetFigure(QCustomPlot *plot, const QString &title);

/// Lays the legend out in up to `columns` columns (fewer when there are fewer entries) and hides
/// it when it is empty. Call after the plottables are added.
void finishLegend(QCustomPlot *plot, int columns = 3);

/// A figure with nothing to draw yet (after resetFigure()): the legend row goes (an empty one
/// squeezed the axes to the title's width), the axes keep their labels but no made-up tick
/// values, and `note` says what is missing, centred in the axis rect. Returns false, for the
/// draw functions to return.
bool showEmptyFigure(QCustomPlot *plot, const QString &note);

/// The colour of the policy at `index` in the experiment's policy order (colour-blind safe
/// palette, repeats after eight).
QColor policyColor(int index);

/// "mean round latency (s)": the metric's key with its unit from the metric table.
QString metricLabel(const QString &metric);

/// "d2d.bandwidth_hz (Hz)" for an axis; zipped paths joined by " / ", each with its unit.
QString axisLabel(const QStringList &axis);

/// Whether every value is a number, so the axis can be drawn to scale (else categories).
bool allNumeric(const QStringList &values);

} // namespace collapipe::figures
