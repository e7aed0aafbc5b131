// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace collapipe::cli {

/// Writes `text` (UTF-8) to `path` through QSaveFile: the file is replaced only once every byte
/// is on disk, so a full disk leaves the old file, never a truncated one. On failure *error says
/// "cannot write <path>: <reason>".
bool writeTextFile(const QString &path, const QString &text, QString *error);

} // namespace collapipe::cli
