// SPDX-License-Identifier: MIT
#include "cli_files.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace collapipe::cli {

bool checkReplaceableFile(const QString &path, QString *error)
{
    // The temporary file is made in the target's folder: one without any write permission bit
    // is read-only for root too.
    const QString folder = QFileInfo(QFileInfo(path).absoluteFilePath()).absolutePath();
    struct stat folderStat = {};
    if (::stat(QFile::encodeName(folder).constData(), &folderStat) == 0
        && S_ISDIR(folderStat.st_mode)
        && (folderStat.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0) {
        *error = QStringLiteral("%1: cannot write: folder %2 is read-only (mode %3)")
                     .arg(path, folder,
                         QString::number(folderStat.st_mode & 07777, 8)
                             .rightJustified(4, QLatin1Char('0')));
        return false;
    }
    struct stat st = {};
    // stat(), not lstat(): QSaveFile writes through a symbolic link to its target.
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        if (errno == ENOENT) {
            return true; // a new file (a missing folder is reported when it is written)
        }
        *error = QStringLiteral("%1: cannot write (%2)")
                     .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        *error = QStringLiteral("%1: is a folder; -o takes a file name").arg(path);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        *error = QStringLiteral("%1: not a regular file (a device, FIFO or socket); only regular "
                                "files are written")
                     .arg(path);
        return false;
    }
    if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0) {
        *error
            = QStringLiteral("%1: the file is read-only (mode %2); it is left unchanged "
                             "(chmod u+w it, or choose another file)")
                  .arg(path)
                  .arg(QString::number(st.st_mode & 07777, 8).rightJustified(4, QLatin1Char('0')));
        return false;
    }
    return true;
}

bool writeTextFile(const QString &path, const QString &text, QString *error)
{
    if (!checkReplaceableFile(path, error)) {
        return false;
    }
    QSaveFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace collapipe::cli
