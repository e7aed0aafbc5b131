// SPDX-License-Identifier: MIT
// Keeps a Studio test's settings and files away from the user's: what every widget test's
// initTestCase wrote out by hand (QSettings in a temporary folder, QStandardPaths' test mode, the
// organisation and application names), in one place.
#pragma once

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QString>

namespace collapipe::test {

/// QSettings of the user scope (native and INI: the same files on Linux) under `dir`,
/// QStandardPaths in test mode (the runs database's default folder is never the user's),
/// organisation `organisation` and the executable's name as the application name. False when
/// `dir` is empty, e.g. the path of a QTemporaryDir that could not be made:
/// `QVERIFY(useTestSettings(m_settingsDir.path()));`.
[[nodiscard]] inline bool useTestSettings(
    const QString &dir, const QString &organisation = QStringLiteral("CollaPipeTest"))
{
    if (dir.isEmpty()) {
        return false;
    }
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
    QCoreApplication::setOrganizationName(organisation);
    QCoreApplication::setApplicationName(
        QFileInfo(QCoreApplication::applicationFilePath()).completeBaseName());
    return true;
}

} // namespace collapipe::test
