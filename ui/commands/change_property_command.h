// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QUndoCommand>
#include <QVariant>

namespace collapipe {

class TopologyDocument;

/// Sets one field of one item (or of a settings section). Consecutive edits of the same field
/// merge, so the steps of a spin box become one undo step; an edit that returns to the original
/// value makes the command obsolete.
class ChangePropertyCommand : public QUndoCommand
{
public:
    ChangePropertyCommand(TopologyDocument *document, const ItemRef &ref, const QString &key,
        const QVariant &oldValue, const QVariant &newValue, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    TopologyDocument *m_document;
    ItemRef m_ref;
    QString m_key;
    QVariant m_oldValue;
    QVariant m_newValue;
};

} // namespace collapipe
