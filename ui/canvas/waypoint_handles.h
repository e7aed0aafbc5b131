// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/model/item_ref.h"

#include <QObject>
#include <QPointF>

#include <vector>

namespace collapipe {

class TopologyDocument;
class TopologyScene;
class WaypointPathOverlay;

/// Editing a waypoint path on the canvas (issue [6/7]): with the Select tool, the selected
/// node's waypoints (WaypointPathOverlay's handles) are dragged, inserted and removed there.
/// - drag a handle: that waypoint follows the mouse (snapped when Snap is on) and the document
///   changes live (Properties' table follows); the whole drag is ONE undo step; Esc during the
///   drag puts the waypoint back and leaves no step;
/// - double-click on a segment: a waypoint is inserted there (one undo step);
/// - right-click on a handle, or Delete while the mouse is over one: that waypoint is removed
///   (one undo step).
/// Every edit goes through TopologyDocument::setWaypoints, so a refused value (outside the
/// valid area, a read-only document) is refused as in Properties, and the status bar names the
/// waypoint and coordinate. Works as an event filter on the scene: the handles take the events
/// they are hit by before the Select tool and the rubber band see them; all other events pass.
class WaypointHandles : public QObject
{
    Q_OBJECT
public:
    /// A child of `overlay`; filters `scene`'s events.
    WaypointHandles(TopologyScene *scene, TopologyDocument *document, WaypointPathOverlay *overlay);

    /// Whether the handles take events now: the stored path of a node is shown, the Select tool
    /// is active.
    bool isActive() const;
    /// The waypoint whose handle is under a scene point (within a few pixels), −1 if none.
    int handleAt(const QPointF &scenePos) const;
    /// Where a waypoint inserted at a scene point on the path goes (the index it gets), −1 when
    /// the point is on no segment.
    int segmentAt(const QPointF &scenePos) const;

    // The edits the mouse and keys make, also called by tests (scene coordinates, metres).
    /// Starts dragging waypoint `index`, grabbed at `scenePos`.
    bool beginDrag(int index, const QPointF &scenePos);
    /// Moves the dragged waypoint so that the grabbed point is at `scenePos`; false if refused
    /// (the waypoint stays at its last accepted place, the status bar says why).
    bool dragTo(const QPointF &scenePos);
    /// Ends the drag where it is (the undo step is the whole drag).
    void endDrag();
    /// Puts the dragged waypoint back where the drag started; no undo step remains.
    void cancelDrag();
    bool isDragging() const { return m_dragIndex >= 0; }
    /// Inserts a waypoint at `scenePos` on segment `index` (as segmentAt() gives it).
    bool insertAt(int index, const QPointF &scenePos);
    bool remove(int index);
    /// The last refusal (empty after an accepted edit).
    QString errorText() const { return m_error; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool apply(const std::vector<Position> &points, const QString &text, int dragId = 0);
    void setHot(int index);
    /// The grab-cursor over a handle, the tool's cursor elsewhere.
    void updateCursor(bool overHandle);
    /// A few pixels, in metres at the current zoom.
    double pickRadius() const;

    TopologyScene *m_scene;
    TopologyDocument *m_document;
    WaypointPathOverlay *m_overlay;
    ItemRef m_dragRef;
    int m_dragIndex = -1;
    int m_dragId = 0;
    QPointF m_grabOffset; ///< the waypoint minus the point it was grabbed at
    std::vector<Position> m_dragStart;
    bool m_cursorSet = false;
    QString m_error;
};

} // namespace collapipe
