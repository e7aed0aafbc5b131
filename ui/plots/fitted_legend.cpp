// SPDX-License-Identifier: MIT
#include "ui/plots/fitted_legend.h"

#include <qcustomplot.h>

namespace collapipe {

void fitLegendToEntries(QCPLegend *legend)
{
    if (!legend || !legend->visible() || !qobject_cast<QCPLayoutGrid *>(legend->layout())) {
        return; // hidden, or inside the axis rect (QCPLayoutInset sizes it to its entries)
    }
    const QRect cell = legend->outerRect();
    const QSize needed = legend->minimumOuterSizeHint();
    if (cell.width() <= needed.width() && cell.height() <= needed.height()) {
        return; // already no larger than its entries (a cell smaller than them is not grown)
    }
    legend->setOuterRect(QRect(cell.topLeft(), cell.size().boundedTo(needed)));
    legend->update(QCPLayoutElement::upLayout); // the entries, in the smaller box
}

void keepLegendFitted(QCustomPlot *plot)
{
    plot->plotLayout()->setMinimumMargins(QMargins(1, 1, 1, 1) * kLegendEdgeMargin);
    QObject::connect(
        plot, &QCustomPlot::afterLayout, plot, [plot] { fitLegendToEntries(plot->legend); });
}

} // namespace collapipe
