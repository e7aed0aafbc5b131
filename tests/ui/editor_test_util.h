// SPDX-License-Identifier: MIT
// Helpers shared by the editor's widget tests (tst_editor_trust, tst_editor_polish).
#pragma once

#include "ui/docks/field_form.h"

#include <QComboBox>
#include <QFile>
#include <QString>

namespace collapipe::test {

inline QString defaultScenarioPath()
{
    return QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");
}

inline QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(bytes) == bytes.size();
}

/// The combo box editing `key` in a form, or null.
inline QComboBox *combo(FieldForm *form, const QString &key)
{
    return qobject_cast<QComboBox *>(form->editor(key));
}

} // namespace collapipe::test
