// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/model/item_ref.h"

#include <QUndoCommand>

#include <vector>

namespace collapipe {

class TopologyDocument;

/// Replaces a node's waypoint path (mobility.waypoints, issue [6/7]) with another: an edited,
/// added or removed row in Properties, a path clicked on the canvas, or a waypoint dragged on
/// the canvas is one undo step. A drag pushes one command per mouse move with one non-zero
/// `dragId`; they merge (first `before`, latest `after`), and a drag that ends where it started
/// (Esc) leaves no step at all (the merged command is obsolete).
class SetWaypointsCommand : public QUndoCommand
{
public:
    SetWaypointsCommand(TopologyDocument *document, const ItemRef &ref,
        std::vector<Position> before, std::vector<Position> after, const QString &text,
        int dragId = 0, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    TopologyDocument *m_document;
    ItemRef m_ref;
    std::vector<Position> m_before;
    std::vector<Position> m_after;
    int m_dragId = 0; ///< 0: never merges
};

} // namespace collapipe
