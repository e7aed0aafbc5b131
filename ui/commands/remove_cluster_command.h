// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QUndoCommand>

namespace collapipe {

class TopologyDocument;

/// Takes a whole cluster out (control unit and devices); undo re-inserts it at the same index.
class RemoveClusterCommand : public QUndoCommand
{
public:
    RemoveClusterCommand(TopologyDocument *document, int index, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    TopologyDocument *m_document;
    int m_index;
    Cluster m_cluster;
};

} // namespace collapipe
