// SPDX-License-Identifier: MIT
#include "ui/commands/add_edge_server_command.h"

#include "ui/model/topology_document.h"

#include <QCoreApplication>

namespace collapipe {

AddEdgeServerCommand::AddEdgeServerCommand(
    TopologyDocument *document, int index, const EdgeServer &server, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_index(index)
    , m_server(server)
{
    setText(QCoreApplication::translate("collapipe", "Add edge server %1").arg(server.id));
}

void AddEdgeServerCommand::redo()
{
    m_document->applyInsertEdgeServer(m_index, m_server);
}

void AddEdgeServerCommand::undo()
{
    m_server = m_document->applyTakeEdgeServer(m_index);
}

} // namespace collapipe
