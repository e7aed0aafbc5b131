// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/canvas/abstract_tool.h"
#include "ui/model/item_ref.h"

#include <vector>

namespace collapipe {

class WaypointPathOverlay;

/// Click a path for a device or control unit (issue [6/7]): the node selected when the tool is
/// chosen (or the first node clicked) gets the points clicked next, previewed as a polyline;
/// a right click finishes, and the whole path (with the node's mobility model set to
/// "waypoints") is ONE undo step. Switching tools discards an unfinished path.
class WaypointTool : public AbstractTool
{
public:
    WaypointTool(TopologyScene *scene, WaypointPathOverlay *overlay);

    QString statusHint() const override;
    void mousePressed(QGraphicsSceneMouseEvent *event) override;
    void deactivate() override;

    /// As the clicks do (scene coordinates in metres); used by them and by tests.
    bool addPoint(const QPointF &scenePos);
    /// Stores the clicked path (one undo step); false when there is nothing to store.
    bool finish();
    ItemRef node() const { return m_ref; }
    const std::vector<Position> &pending() const { return m_points; }

private:
    WaypointPathOverlay *m_overlay;
    ItemRef m_ref;
    std::vector<Position> m_points;
};

} // namespace collapipe
