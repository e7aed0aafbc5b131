// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QUndoCommand>

namespace collapipe {

class TopologyDocument;

/// Takes an edge server out; clusters it served keep its id (validation then names them) so undo
/// needs to restore only the server itself.
class RemoveEdgeServerCommand : public QUndoCommand
{
public:
    RemoveEdgeServerCommand(TopologyDocument *document, int index, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    TopologyDocument *m_document;
    int m_index;
    EdgeServer m_server;
};

} // namespace collapipe
