// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QUndoCommand>

namespace collapipe {

class TopologyDocument;

/// Inserts a cluster (with its control unit and devices) at a given index.
class AddClusterCommand : public QUndoCommand
{
public:
    AddClusterCommand(TopologyDocument *document, int index, const Cluster &cluster,
        QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    TopologyDocument *m_document;
    int m_index;
    Cluster m_cluster;
};

} // namespace collapipe
