// SPDX-License-Identifier: MIT
#include "ui/commands/document_macro_command.h"

#include "ui/model/topology_document.h"

namespace collapipe {

DocumentMacroCommand::DocumentMacroCommand(TopologyDocument *document, const QString &text)
    : m_document(document)
{
    setText(text);
}

void DocumentMacroCommand::beginBuild()
{
    m_document->beginChangeBatch();
}

void DocumentMacroCommand::runChild(QUndoCommand *child)
{
    Q_ASSERT(childCount() > 0 && QUndoCommand::child(childCount() - 1) == child);
    child->redo();
}

void DocumentMacroCommand::endBuild()
{
    m_builtAndDone = true;
    m_document->endChangeBatch();
}

void DocumentMacroCommand::redo()
{
    if (m_builtAndDone) {
        m_builtAndDone = false; // push() after the build: the children already ran
        return;
    }
    m_document->beginChangeBatch();
    QUndoCommand::redo();
    m_document->endChangeBatch();
}

void DocumentMacroCommand::undo()
{
    m_document->beginChangeBatch();
    QUndoCommand::undo();
    m_document->endChangeBatch();
}

} // namespace collapipe
