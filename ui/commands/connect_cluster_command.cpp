// SPDX-License-Identifier: MIT
#include "ui/commands/connect_cluster_command.h"

#include "ui/model/topology_document.h"

#include <QCoreApplication>

namespace collapipe {

ConnectClusterCommand::ConnectClusterCommand(TopologyDocument *document, int clusterIndex,
    const QString &oldServerId, const QString &newServerId, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_clusterIndex(clusterIndex)
    , m_oldServerId(oldServerId)
    , m_newServerId(newServerId)
{
    setText(QCoreApplication::translate("collapipe", "Connect cluster %1 to %2")
                .arg(document->scenario().topology.clusters[static_cast<size_t>(clusterIndex)].id,
                    newServerId));
}

void ConnectClusterCommand::redo()
{
    m_document->applyClusterEdgeServer(m_clusterIndex, m_newServerId);
}

void ConnectClusterCommand::undo()
{
    m_document->applyClusterEdgeServer(m_clusterIndex, m_oldServerId);
}

} // namespace collapipe
