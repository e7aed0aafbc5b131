// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/topology_document.h"

#include <QUndoCommand>

namespace collapipe {

/// Moves one or more items. All mouse-move steps of one drag carry the same dragId and merge into
/// a single undo step (style.md rule 7); dragId 0 never merges.
class MoveItemsCommand : public QUndoCommand
{
public:
    MoveItemsCommand(TopologyDocument *document, const QList<ItemPosition> &moves, int dragId,
        QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    struct Move
    {
        ItemRef ref;
        Position from;
        Position to;
    };
    TopologyDocument *m_document;
    QList<Move> m_moves;
    int m_dragId;
};

} // namespace collapipe
