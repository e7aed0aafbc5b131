// SPDX-License-Identifier: MIT
#include "ui/commands/remove_cluster_command.h"

#include "ui/model/topology_document.h"

#include <QCoreApplication>

namespace collapipe {

RemoveClusterCommand::RemoveClusterCommand(
    TopologyDocument *document, int index, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_index(index)
{
    setText(QCoreApplication::translate("collapipe", "Remove cluster %1")
                .arg(document->scenario().topology.clusters[static_cast<size_t>(index)].id));
}

void RemoveClusterCommand::redo()
{
    m_cluster = m_document->applyTakeCluster(m_index);
}

void RemoveClusterCommand::undo()
{
    m_document->applyInsertCluster(m_index, m_cluster);
}

} // namespace collapipe
