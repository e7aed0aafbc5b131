// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/model/item_ref.h"

#include <QObject>
#include <QPointer>
#include <QPolygonF>

#include <optional>
#include <vector>

class QGraphicsObject;

namespace collapipe {

struct RoundRecord;
class TopologyDocument;
class TopologyScene;
class WaypointHandles;

/// The waypoint path of the selected device or control unit (issue [6/7]) drawn on the canvas:
/// a polyline from the node's position through its waypoints (back to the position when the
/// path loops), a square handle on each waypoint. Only for a node whose mobility model is
/// "waypoints"; follows selection, edits and undo. Also shows a path being clicked
/// (WaypointTool's preview). The handles are dragged, inserted and removed by WaypointHandles.
///
/// While a run streams or a replay steps (TopologyScene::showRound), the path shows where the
/// node is in the shown round: the travelled part solid, the rest dashed, and a marker at its
/// stored position; without a shown round (clearRound, a new run or scenario) the whole path is
/// dashed. A view, not truth: the points come from the document, the position from the round.
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
    bool isPreviewing() const { return m_previewing; }
    /// Whether the stored path of node() is shown (handles can be dragged).
    bool isEditable() const { return isShown() && !m_previewing; }

    /// The handle drawn highlighted (under the mouse or being dragged), −1 for none.
    int hotHandle() const { return m_hot; }
    void setHotHandle(int index);
    WaypointHandles *handles() const { return m_handles; }

    /// The shown round's position of node() when a round is shown and the path is drawn.
    std::optional<QPointF> marker() const { return m_marker; }
    /// The path up to the marker (solid) and from it on (dashed); both empty without a marker.
    QPolygonF travelledPath() const { return m_travelled; }
    QPolygonF remainingPath() const { return m_remaining; }

private:
    void follow(const ItemRefList &refs);
    void update();
    void showRound(const RoundRecord &record);
    void clearRound();
    /// Splits the drawn path (closed when it loops) at the shown position.
    void splitAtMarker(const QPolygonF &path, bool loop, double speedMps);

    TopologyScene *m_scene;
    TopologyDocument *m_document;
    WaypointHandles *m_handles; ///< a child of this
    /// Made on demand: the scene's rebuild (clear()) deletes every item, this one included.
    QPointer<QGraphicsObject> m_item;
    ItemRef m_ref;
    ItemRef m_previewRef;
    std::vector<Position> m_preview;
    bool m_previewing = false;
    QPolygonF m_drawn;
    int m_hot = -1;
    bool m_roundShown = false;
    double m_roundStartS = 0.0; ///< the shown round's start (its positions are taken then)
    std::optional<QPointF> m_marker;
    QPolygonF m_travelled;
    QPolygonF m_remaining;
};

} // namespace collapipe
