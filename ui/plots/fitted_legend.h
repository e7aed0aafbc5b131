// SPDX-License-Identifier: MIT
#pragma once

class QCPLegend;
class QCustomPlot;

namespace collapipe {

/// A legend laid out in a cell of the plot's grid (beside the axis rect, or in a row under it)
/// is given the whole cell by QCustomPlot: beside a plot its box ran the full height of the axis
/// rect's row with its two entries spread from top to bottom (the loss panel). This shrinks the
/// legend's box to what its entries need, at the cell's top left, and lays the entries out in it
/// again. A legend inside the axis rect is already that size (the inset layout uses the legend's
/// minimum); it is left as it is.
void fitLegendToEntries(QCPLegend *legend);

/// Pixels `plot`'s layout keeps from each edge once keepLegendFitted() ran: a boxed legend beside
/// or below the plot had its border on the panel's edge, cut off on screen and in exports.
constexpr int kLegendEdgeMargin = 3;

/// fitLegendToEntries() on `plot`'s legend after every layout (QCustomPlot::afterLayout), so every
/// replot, resize and export draws the fitted box; the layout keeps kLegendEdgeMargin free.
void keepLegendFitted(QCustomPlot *plot);

} // namespace collapipe
