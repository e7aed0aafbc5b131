// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/model/item_ref.h"

#include <QObject>
#include <QPointer>
#include <QPolygonF>

#include <vector>

class QGraphicsObject;

namespace collapipe {

class TopologyDocument;
class TopologyScene;

/// The waypoint path of the selected device or control unit (issue [6/7]) drawn on the canvas:
/// a dashed polyline from the node's position through its waypoints (back to the position when
/// the path loops), a dot at each waypoint. Only for a node whose mobility model is "waypoints";
/// follows selection, edits and undo. Also shows a path being clicked (WaypointTool's preview).
/// A view, not truth: the points come from the document.
class WaypointPathOverlay : public QObject
{
    Q_OBJECT
public:
    /// A child of `scene`, which owns (and deletes) the drawn item.
    WaypointPathOverlay(TopologyScene *scene, TopologyDocument *document);

    /// The node whose path is drawn (null: none, e.g. not a mobile node).
    ItemRef node() const { return m_ref; }
    /// The drawn path in scene coordinates (empty when hidden): the position, then the points.
    QPolygonF drawnPath() const { return m_drawn; }
    bool isShown() const;
    /// A path being clicked for `ref`: drawn instead of the stored one until cleared.
    void setPreview(const ItemRef &ref, const std::vector<Position> &points);
    void clearPreview();

private:
    void follow(const ItemRefList &refs);
    void update();

    TopologyScene *m_scene;
    TopologyDocument *m_document;
    /// Made on demand: the scene's rebuild (clear()) deletes every item, this one included.
    QPointer<QGraphicsObject> m_item;
    ItemRef m_ref;
    ItemRef m_previewRef;
    std::vector<Position> m_preview;
    bool m_previewing = false;
    QPolygonF m_drawn;
};

} // namespace collapipe
