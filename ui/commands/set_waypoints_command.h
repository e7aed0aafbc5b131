// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/model/item_ref.h"

#include <QUndoCommand>

#include <vector>

namespace collapipe {

class TopologyDocument;

/// Replaces a node's waypoint path (mobility.waypoints, issue [6/7]) with another: an edited,
/// added or removed row in Properties, or a path clicked on the canvas, is one undo step.
class SetWaypointsCommand : public QUndoCommand
{
public:
    SetWaypointsCommand(TopologyDocument *document, const ItemRef &ref,
        std::vector<Position> before, std::vector<Position> after, const QString &text,
        QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    TopologyDocument *m_document;
    ItemRef m_ref;
    std::vector<Position> m_before;
    std::vector<Position> m_after;
};

} // namespace collapipe
