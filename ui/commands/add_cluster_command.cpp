// SPDX-License-Identifier: MIT
#include "ui/commands/add_cluster_command.h"

#include "ui/model/topology_document.h"

#include <QCoreApplication>

namespace collapipe {

AddClusterCommand::AddClusterCommand(
    TopologyDocument *document, int index, const Cluster &cluster, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_index(index)
    , m_cluster(cluster)
{
    setText(QCoreApplication::translate("collapipe", "Add cluster %1").arg(cluster.id));
}

void AddClusterCommand::redo()
{
    m_document->applyInsertCluster(m_index, m_cluster);
}

void AddClusterCommand::undo()
{
    m_cluster = m_document->applyTakeCluster(m_index);
}

} // namespace collapipe
