// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QUndoCommand>

namespace collapipe {

class TopologyDocument;

/// Changes which edge server serves a cluster (the D2E link).
class ConnectClusterCommand : public QUndoCommand
{
public:
    ConnectClusterCommand(TopologyDocument *document, int clusterIndex, const QString &oldServerId,
        const QString &newServerId, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    TopologyDocument *m_document;
    int m_clusterIndex;
    QString m_oldServerId;
    QString m_newServerId;
};

} // namespace collapipe
