// SPDX-License-Identifier: MIT
#include "ui/commands/remove_edge_server_command.h"

#include "ui/model/topology_document.h"

#include <QCoreApplication>

namespace collapipe {

RemoveEdgeServerCommand::RemoveEdgeServerCommand(
    TopologyDocument *document, int index, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_index(index)
{
    setText(QCoreApplication::translate("collapipe", "Remove edge server %1")
                .arg(document->scenario().topology.edgeServers[static_cast<size_t>(index)].id));
}

void RemoveEdgeServerCommand::redo()
{
    m_server = m_document->applyTakeEdgeServer(m_index);
}

void RemoveEdgeServerCommand::undo()
{
    m_document->applyInsertEdgeServer(m_index, m_server);
}

} // namespace collapipe
