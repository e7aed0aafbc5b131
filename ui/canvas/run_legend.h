// SPDX-License-Identifier: MIT
#pragma once

#include <QPointF>
#include <QSizeF>

class QPainter;

namespace collapipe {

/// Paints the key of the run overlay (RunOverlay) at topLeft, in device pixels: what the chip,
/// the two gauges, the dimming and the two arrow colours mean. Used by TopologyView while a round
/// is shown; round is printed in the title.
void paintRunLegend(QPainter *painter, const QPointF &topLeft, int round);

/// The legend's size in device pixels.
QSizeF runLegendSize();

} // namespace collapipe
