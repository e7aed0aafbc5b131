// SPDX-License-Identifier: MIT
#pragma once

#include <QUndoCommand>

namespace collapipe {

class TopologyDocument;

/// Several commands that make one undo step and one document change (issue [7/7] "Scale"): its
/// redo and undo run the children inside TopologyDocument::beginChangeBatch/endChangeBatch, so
/// deleting N items emits N typed signals (views update per item) but validates once.
///
/// Built in place: each child is created with this command as parent and run at once with
/// runChild(), because a later child's indices depend on the earlier children's effect. The
/// first redo() (from QUndoStack::push) then has nothing left to do.
class DocumentMacroCommand : public QUndoCommand
{
public:
    DocumentMacroCommand(TopologyDocument *document, const QString &text);
    /// Opens the document's change batch while the children are built and run.
    void beginBuild();
    /// Runs a child (whose parent is this command) now.
    void runChild(QUndoCommand *child);
    /// Closes the batch; push the command next.
    void endBuild();

    void redo() override;
    void undo() override;

private:
    TopologyDocument *m_document;
    bool m_builtAndDone = false;
};

} // namespace collapipe
