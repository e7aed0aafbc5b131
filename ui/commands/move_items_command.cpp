// SPDX-License-Identifier: MIT
#include "ui/commands/move_items_command.h"

#include "ui/commands/command_ids.h"

#include <QCoreApplication>

namespace collapipe {

MoveItemsCommand::MoveItemsCommand(
    TopologyDocument *document, const QList<ItemPosition> &moves, int dragId, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_dragId(dragId)
{
    for (const ItemPosition &move : moves) {
        m_moves.append({move.first, document->position(move.first), move.second});
    }
    setText(m_moves.size() == 1
            ? QCoreApplication::translate("collapipe", "Move %1").arg(moves.first().first.id)
            : QCoreApplication::translate("collapipe", "Move %1 items").arg(m_moves.size()));
}

void MoveItemsCommand::redo()
{
    m_document->beginChangeBatch(); // one change per drag step, not one per moved item
    for (const Move &move : std::as_const(m_moves)) {
        m_document->applyPosition(move.ref, move.to);
    }
    m_document->endChangeBatch();
}

void MoveItemsCommand::undo()
{
    m_document->beginChangeBatch(); // one change per drag step, not one per moved item
    for (const Move &move : std::as_const(m_moves)) {
        m_document->applyPosition(move.ref, move.from);
    }
    m_document->endChangeBatch();
}

int MoveItemsCommand::id() const
{
    return MoveItemsCommandId;
}

bool MoveItemsCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = static_cast<const MoveItemsCommand *>(other);
    if (m_dragId == 0 || next->m_dragId != m_dragId || next->m_moves.size() != m_moves.size()) {
        return false;
    }
    for (qsizetype i = 0; i < m_moves.size(); ++i) {
        if (m_moves[i].ref != next->m_moves[i].ref) {
            return false;
        }
    }
    // Keep our start positions, take the latest end positions.
    for (qsizetype i = 0; i < m_moves.size(); ++i) {
        m_moves[i].to = next->m_moves[i].to;
    }
    return true;
}

} // namespace collapipe
