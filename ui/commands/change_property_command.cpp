// SPDX-License-Identifier: MIT
#include "ui/commands/change_property_command.h"

#include "ui/commands/command_ids.h"
#include "ui/model/topology_document.h"

#include <QCoreApplication>

namespace collapipe {

ChangePropertyCommand::ChangePropertyCommand(TopologyDocument *document, const ItemRef &ref,
    const QString &key, const QVariant &oldValue, const QVariant &newValue, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_ref(ref)
    , m_key(key)
    , m_oldValue(oldValue)
    , m_newValue(newValue)
{
    setText(QCoreApplication::translate("collapipe", "Change %1 of %2").arg(key, ref.id));
}

void ChangePropertyCommand::redo()
{
    m_document->applyProperty(m_ref, m_key, m_newValue);
}

void ChangePropertyCommand::undo()
{
    m_document->applyProperty(m_ref, m_key, m_oldValue);
}

int ChangePropertyCommand::id() const
{
    return ChangePropertyCommandId;
}

bool ChangePropertyCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = static_cast<const ChangePropertyCommand *>(other);
    if (next->m_ref != m_ref || next->m_key != m_key) {
        return false;
    }
    m_newValue = next->m_newValue;
    setObsolete(m_newValue == m_oldValue);
    return true;
}

} // namespace collapipe
