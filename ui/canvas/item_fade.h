// SPDX-License-Identifier: MIT
#pragma once

class QGraphicsItem;

namespace collapipe {

/// Two independent reasons to fade a canvas item, combined here so neither undoes the other:
/// the run overlay dims idle devices and plain links (run opacity), and the level of detail
/// fades a cluster's members out as the cluster shrinks to a glyph (detail opacity, issue [7/7]).
/// The item's opacity is their product. An item whose detail is 0 takes no mouse button, so a
/// click goes to the glyph drawn in its place.
void setRunOpacity(QGraphicsItem *item, double opacity);
/// As if setRunOpacity() had never been called (an item reused for a new scenario); stores
/// nothing on an item that has no run opacity.
void clearRunOpacity(QGraphicsItem *item);
void setDetailOpacity(QGraphicsItem *item, double opacity);
/// 1 unless the level of detail faded the item.
double detailOpacity(const QGraphicsItem *item);

} // namespace collapipe
