// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QUndoCommand>

namespace collapipe {

class TopologyDocument;

/// Inserts an edge server at a given index; undo takes it out again.
class AddEdgeServerCommand : public QUndoCommand
{
public:
    AddEdgeServerCommand(TopologyDocument *document, int index, const EdgeServer &server,
        QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    TopologyDocument *m_document;
    int m_index;
    EdgeServer m_server;
};

} // namespace collapipe
