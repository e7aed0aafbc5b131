// SPDX-License-Identifier: MIT
#pragma once

#include <QPointF>
#include <QSizeF>

class QPainter;

namespace collapipe {

/// Paints the key of the run overlay (RunOverlay) at topLeft, in device pixels: what the chip,
/// the two gauges, the dimming and the two arrow colours mean. Used by TopologyView while a round
/// is shown; round is printed in the title. Compact: the title row alone with a "key" hint, for
/// canvases too small to hold the whole key clear of the topology (hovering it shows the key).
void paintRunLegend(QPainter *painter, const QPointF &topLeft, int round, bool compact = false);

/// The legend's size in device pixels (whole or compact).
QSizeF runLegendSize(bool compact = false);

} // namespace collapipe
