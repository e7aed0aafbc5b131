// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace collapipe::cli {

/// Whether a verb may write `path` by replacing it (QSaveFile: temporary file + rename): a
/// missing file, or an existing regular file that is not write-protected, in a folder that is
/// not write-protected. Refused, with a message
/// naming the path and why: a folder; a device, FIFO or socket (renaming over /dev/null would
/// replace the device node with a plain file, even for root); a file without any write permission
/// bit (chmod a-w: read-only also for root, who could otherwise replace it).
bool checkReplaceableFile(const QString &path, QString *error);

/// Writes `text` (UTF-8) to `path` through QSaveFile: the file is replaced only once every byte
/// is on disk, so a full disk leaves the old file, never a truncated one. A target that
/// checkReplaceableFile() refuses is left alone. On failure *error says "cannot write <path>:
/// <reason>".
bool writeTextFile(const QString &path, const QString &text, QString *error);

} // namespace collapipe::cli
