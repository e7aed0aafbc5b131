// SPDX-License-Identifier: MIT
#include "ui/commands/set_waypoints_command.h"

#include "ui/model/topology_document.h"

namespace collapipe {

SetWaypointsCommand::SetWaypointsCommand(TopologyDocument *document, const ItemRef &ref,
    std::vector<Position> before, std::vector<Position> after, const QString &text,
    QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_document(document)
    , m_ref(ref)
    , m_before(std::move(before))
    , m_after(std::move(after))
{ }

void SetWaypointsCommand::redo()
{
    m_document->applyWaypoints(m_ref, m_after);
}

void SetWaypointsCommand::undo()
{
    m_document->applyWaypoints(m_ref, m_before);
}

} // namespace collapipe
