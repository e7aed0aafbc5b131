// SPDX-License-Identifier: MIT
// RoundPlot's series legend: inside the axis rect, beside it, or below it when beside it would
// leave the plot too narrow.
#include "ui/plots/round_plot.h"

#include <algorithm>

namespace collapipe {

namespace round_plot_legend {

/// A legend beside the plot that leaves the axis rect less than this share of the panel's width
/// goes below it (issue [7/7] polish: at 1280 × 800 the device legend left the energy panels
/// ~70 px of plot).
constexpr double kMinPlotShare = 0.45;

} // namespace round_plot_legend

void RoundPlot::placeLegendOutside()
{
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(1, 1, legend);
    plotLayout()->setColumnStretchFactor(1, 0.001);
    legend->setMargins(QMargins(4, 4, 4, 4));
    m_legendPlace = LegendPlace::Beside;
    m_besideColumns = 0;
}

void RoundPlot::setLegendForm(LegendPlace place)
{
    if (place == LegendPlace::Beside) {
        legend->setWrap(m_besideColumns);
        legend->setFillOrder(
            m_besideColumns > 0 ? QCPLayoutGrid::foColumnsFirst : QCPLayoutGrid::foRowsFirst, true);
        return;
    }
    // Below: as many columns as the panel's width holds.
    const int available = width() - 8;
    const int entries = std::max(legendEntries(), 1);
    for (int columns = std::min(entries, 8); columns >= 1; --columns) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
        if (legend->minimumOuterSizeHint().width() <= available) {
            return;
        }
    }
}

int RoundPlot::legendEntries() const
{
    // Not itemCount(): a wrapped legend counts its grid's cells, empty ones too (7 causes in 3
    // columns made 9 "items", over the limit of 8: the legend below the latency plot vanished).
    int entries = 0;
    for (int i = 0; i < legend->elementCount(); ++i) {
        entries += legend->elementAt(i) ? 1 : 0;
    }
    return entries;
}

void RoundPlot::syncLegendSlot()
{
    if (m_legendPlace == LegendPlace::Inside) {
        return;
    }
    QCPLayoutGrid *layout = plotLayout();
    const bool inLayout = legend->layout() == layout;
    if (!legend->visible() && inLayout) {
        for (int i = 0; i < layout->elementCount(); ++i) {
            if (layout->elementAt(i) == legend) {
                int column = 0;
                layout->indexToRowCol(i, m_legendRow, column);
                break;
            }
        }
        layout->take(legend);
    } else if (legend->visible() && !inLayout) {
        // Beside: its cell right of the axis rect; below: the row it left, unless the churn
        // markers' row took it meanwhile.
        const bool beside = m_legendPlace == LegendPlace::Beside;
        const int row = beside ? 1 : m_legendRow;
        const int column = beside ? 1 : 0;
        // elementAt(): element() complains on stderr about the empty cell it was asked for.
        const bool free = row >= 0 && row < layout->rowCount() && column < layout->columnCount()
            && !layout->elementAt(layout->rowColToIndex(row, column));
        const int at = free || beside ? row : layout->rowCount();
        layout->addElement(at, column, legend); // grows the grid if a simplify() shrank it
        if (beside) {
            layout->setColumnStretchFactor(1, 0.001);
        } else {
            layout->setRowStretchFactor(at, 0.001);
        }
    }
}

bool RoundPlot::placeLegend()
{
    syncLegendSlot();
    if (m_legendPlace == LegendPlace::Inside || !legend->visible()) {
        return false; // hidden (empty or crowded: 1,000 devices): out of the layout, no cost
    }
    // Beside the plot only when the axis rect keeps its share of the width next to it.
    setLegendForm(LegendPlace::Beside);
    const QMargins margins = axisRect()->margins();
    const int plotWidth = width() - legend->minimumOuterSizeHint().width() - margins.left()
        - margins.right() - plotLayout()->columnSpacing();
    const LegendPlace place
        = legendEntries() > 0 && plotWidth < round_plot_legend::kMinPlotShare * width()
        ? LegendPlace::Below
        : LegendPlace::Beside;
    setLegendForm(place);
    if (place == m_legendPlace) {
        return false;
    }
    QCPLayoutGrid *layout = plotLayout();
    layout->take(legend);
    if (place == LegendPlace::Below) {
        // Its own row under the axis rect and the churn markers' row.
        const int row = layout->rowCount();
        layout->addElement(row, 0, legend);
        layout->setRowStretchFactor(row, 0.001);
    } else {
        layout->addElement(1, 1, legend);
        layout->simplify(); // the row it left
        layout->setColumnStretchFactor(1, 0.001);
    }
    m_legendPlace = place;
    return true;
}

void RoundPlot::placeLegendBeside(int columns)
{
    placeLegendOutside();
    legend->setFont(QFont(font().family(), 7));
    legend->setIconSize(14, 8);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(columns);
    legend->setMargins(QMargins(2, 2, 2, 2));
    legend->setRowSpacing(0);
    legend->setColumnSpacing(4);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    m_maxLegendEntries = 48;
    m_besideColumns = columns;
}

} // namespace collapipe
