// SPDX-License-Identifier: MIT
#include "ui/commands/set_waypoints_command.h"

#include "ui/commands/command_ids.h"
#include "ui/model/topology_document.h"

namespace collapipe {

SetWaypointsCommand::SetWaypointsCommand(TopologyDocument *document, const ItemRef &ref,
    std::vector<Position> before, std::vector<Position> after, const QString &text, int dragId,
    QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_document(document)
    , m_ref(ref)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_dragId(dragId)
{ }

void SetWaypointsCommand::redo()
{
    m_document->applyWaypoints(m_ref, m_after);
}

void SetWaypointsCommand::undo()
{
    m_document->applyWaypoints(m_ref, m_before);
}

int SetWaypointsCommand::id() const
{
    return m_dragId != 0 ? SetWaypointsCommandId : -1;
}

bool SetWaypointsCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = static_cast<const SetWaypointsCommand *>(other);
    if (m_dragId == 0 || next->m_dragId != m_dragId || next->m_ref != m_ref) {
        return false;
    }
    m_after = next->m_after; // keep the drag's start, take its latest step
    setObsolete(m_after == m_before);
    return true;
}

} // namespace collapipe
