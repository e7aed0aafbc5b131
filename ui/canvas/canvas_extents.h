// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QRectF>
#include <QString>

class QGraphicsScene;
class QTransform;

namespace collapipe {

/// One thing the canvas draws at a constant pixel size (or, for a hull, padded by pixels), in
/// device pixels.
struct CanvasBox
{
    enum class Kind {
        Label, ///< a node's or a cluster's name, a link's distance, a run chip, an edge-tail chip
        Icon,  ///< a node's icon, a cluster's glyph
        Hull   ///< a cluster's hull (its bounding box)
    };
    Kind kind = Kind::Label;
    QString what; ///< "cluster Bus depot", "label c1-d2", ... (for messages)
    QRectF rect;
};

/// Everything of the topology drawn now, through `viewportTransform` (the view's), computed with
/// Qt's own item-to-device transforms (ItemIgnoresTransformations included): every label and run
/// chip shown, every icon drawn at the level of detail that dominates, every cluster hull shown.
/// TopologyView::fitTopology frames their union, so fit zoom shows every label whole.
QList<CanvasBox> drawnCanvasBoxes(const QGraphicsScene *scene, const QTransform &viewportTransform);

/// The union of drawnCanvasBoxes(); null when the scene draws nothing.
QRectF drawnCanvasExtent(const QGraphicsScene *scene, const QTransform &viewportTransform);

} // namespace collapipe
