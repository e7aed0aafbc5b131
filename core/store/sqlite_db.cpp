// SPDX-License-Identifier: MIT
#include "core/store/sqlite_db.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace collapipe {

SqliteDb::~SqliteDb()
{
    close();
}

namespace {

QString osReason(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

// The smallest SQLite page size: a non-empty database file is at least one page long.
constexpr int kMinSqliteFileBytes = 512;

// No write permission bit at all (chmod a-w): the owner marked it read-only. Root's writes
// ignore permission bits, so access(W_OK) alone would let root change such a file.
bool writeProtected(mode_t mode)
{
    return (mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0;
}

QString modeText(mode_t mode)
{
    return QString::number(mode & 07777, 8).rightJustified(4, QLatin1Char('0'));
}

// A percent-encoded `file:` URI of an absolute path, for the immutable fallback only.
QByteArray fileUri(const QString &absolutePath, const char *query)
{
    return QByteArray("file:") + QUrl::toPercentEncoding(absolutePath, "/") + query;
}

} // namespace

bool isSqliteSpecialName(const QString &path)
{
    return path.isEmpty() || path.startsWith(QLatin1String("file:"), Qt::CaseInsensitive)
        || path == QLatin1String(":memory:");
}

QString salvageHint(const QString &path)
{
    return QStringLiteral("salvage what is readable with: sqlite3 '%1' .recover > salvage.sql")
        .arg(path);
}

bool SqliteDb::open(const QString &path, Mode mode, int busyTimeoutMs, QString *error)
{
    close();
    m_path = path;
    m_busyTimeoutMs = busyTimeoutMs;
    m_readOnly = mode == Mode::ReadOnly;
    if (isSqliteSpecialName(path)) {
        // SQLite would read "file:x?mode=memory" as a URI (a database written nowhere) and
        // ":memory:" as RAM; the reading verbs would then find nothing.
        *error = QStringLiteral("%1: a run database is a file path, not a SQLite URI or special "
                                "name (for a file of that name write ./%1)")
                     .arg(path);
        return false;
    }
    const QFileInfo info(path);
    const QString absolute = info.absoluteFilePath();
    const QByteArray native = QFile::encodeName(absolute);
    // stat() tells "missing" from "not allowed" (QFileInfo::exists() says false for both).
    struct stat st = {};
    bool existed = ::stat(native.constData(), &st) == 0;
    if (!existed && errno != ENOENT) {
        const int err = errno;
        *error
            = QStringLiteral("%1: cannot open the run database (%2)")
                  .arg(path, err == EACCES ? QStringLiteral("permission denied") : osReason(err));
        return false;
    }
    if (existed) {
        if (S_ISDIR(st.st_mode)) {
            *error = QStringLiteral("%1: is a folder, not a run database").arg(path);
            return false;
        }
        if (!S_ISREG(st.st_mode)) {
            *error = QStringLiteral("%1: not a regular file (a device, FIFO or socket), not a run "
                                    "database")
                         .arg(path);
            return false;
        }
        if (st.st_size > 0 && st.st_size < kMinSqliteFileBytes) {
            // Every SQLite file holds at least one page of 512 bytes or more. SQLite itself takes
            // a 1-byte file for an empty database, and a writer would overwrite it.
            *error = QStringLiteral("%1: the file is corrupt or not a SQLite database (%2 bytes; a "
                                    "database has at least "
                                    "%3); it is left unchanged")
                         .arg(path)
                         .arg(qint64(st.st_size))
                         .arg(kMinSqliteFileBytes);
            return false;
        }
        if (::access(native.constData(), R_OK) != 0) {
            const int err = errno;
            *error = QStringLiteral("%1: cannot open the run database (%2)")
                         .arg(path,
                             err == EACCES ? QStringLiteral("permission denied") : osReason(err));
            return false;
        }
    }
    if (!existed && mode != Mode::Create) {
        *error = QStringLiteral("%1: no such run database").arg(path);
        return false;
    }
    if (!existed) {
        // SQLite would say only "unable to open database file"; name the actual reason.
        const QFileInfo dir(info.absolutePath());
        if (!dir.exists() || !dir.isDir()) {
            *error = QStringLiteral("%1: cannot create the run database: folder %2 does not exist")
                         .arg(path, dir.filePath());
            return false;
        }
    }
    if (mode != Mode::ReadOnly) {
        // A writer needs the file and its folder (SQLite creates the -wal and -shm files there).
        // Refused before SQLite opens anything, so a read-only file or folder stays unchanged.
        struct stat folder = {};
        const QByteArray folderName = QFile::encodeName(info.absolutePath());
        if (existed && (writeProtected(st.st_mode) || ::access(native.constData(), W_OK) != 0)) {
            *error
                = QStringLiteral("%1: the run database is read-only (%2, mode %3); it is left "
                                 "unchanged (make it writable, e.g. chmod u+w, or pass another "
                                 "--db)")
                      .arg(path,
                          writeProtected(st.st_mode) ? QStringLiteral("no write permission")
                                                     : QStringLiteral("this user may not write it"),
                          modeText(st.st_mode));
            return false;
        }
        if (::stat(folderName.constData(), &folder) == 0
            && (writeProtected(folder.st_mode) || ::access(folderName.constData(), W_OK) != 0)) {
            *error = existed
                ? QStringLiteral("%1: cannot write the run database: its folder %2 is read-only "
                                 "(mode %3; SQLite keeps its -wal and -shm files next to the "
                                 "database); the file is left unchanged")
                      .arg(path, info.absolutePath(), modeText(folder.st_mode))
                : QStringLiteral("%1: cannot create the run database: folder %2 is read-only "
                                 "(mode %3)")
                      .arg(path, info.absolutePath(), modeText(folder.st_mode));
            return false;
        }
    }
    int flags = SQLITE_OPEN_NOMUTEX;
    if (mode == Mode::ReadOnly) {
        flags |= SQLITE_OPEN_READONLY;
    } else {
        flags |= SQLITE_OPEN_READWRITE | (mode == Mode::Create ? SQLITE_OPEN_CREATE : 0);
    }
    // The absolute path never starts with "file:", so SQLite never reads it as a URI.
    int rc = sqlite3_open_v2(native.constData(), &m_db, flags, nullptr);
    if (rc == SQLITE_OK && mode == Mode::ReadOnly) {
        rc = openImmutableIfNeeded(absolute);
    }
    if (rc != SQLITE_OK) {
        const QString reason = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db))
                                    : QString::fromUtf8(sqlite3_errstr(rc));
        if (!existed) {
            *error = QStringLiteral("%1: cannot create the run database (%2); is folder %3 "
                                    "writable?")
                         .arg(path, reason, info.absolutePath());
        } else if (mode != Mode::ReadOnly && ::access(native.constData(), W_OK) != 0) {
            *error = QStringLiteral("%1: the run database is read-only (%2)").arg(path, reason);
        } else {
            *error = QStringLiteral("%1: cannot open the run database (%2)").arg(path, reason);
        }
        close();
        return false;
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    return true;
}

int SqliteDb::openImmutableIfNeeded(const QString &absolute)
{
    // A read-only connection to a WAL database still needs the -shm file (shared memory). In a
    // folder the user cannot write, with no -shm, the first read fails (SQLITE_CANTOPEN or
    // SQLITE_READONLY "attempt to write a readonly database").
    // Then, and only when no -wal file exists (every commit is in the main file, and no writer
    // can be active: it would need to create the -wal in this folder), the file cannot change
    // while we read it, which is exactly what `immutable=1` promises SQLite.
    // A folder without any write permission bit counts as read-only for root too: reading
    // must not create -wal and -shm files in it.
    sqlite3_extended_result_codes(m_db, 1);
    const QByteArray folder = QFile::encodeName(QFileInfo(absolute).absolutePath());
    const QByteArray wal = QFile::encodeName(absolute + QStringLiteral("-wal"));
    struct stat st = {};
    const bool walExists = ::stat(wal.constData(), &st) == 0 && st.st_size > 0;
    struct stat folderStat = {};
    const bool folderProtected
        = ::stat(folder.constData(), &folderStat) == 0 && writeProtected(folderStat.st_mode);
    if (!folderProtected || walExists) {
        const int probe
            = sqlite3_exec(m_db, "SELECT 1 FROM sqlite_master LIMIT 1", nullptr, nullptr, nullptr);
        if ((probe & 0xff) != SQLITE_CANTOPEN && (probe & 0xff) != SQLITE_READONLY) {
            return SQLITE_OK; // open worked (or failed for a reason the caller reports on use)
        }
        if (::access(folder.constData(), W_OK) == 0 || walExists) {
            return probe;
        }
    }
    close();
    const QByteArray uri = fileUri(absolute, "?immutable=1");
    return sqlite3_open_v2(uri.constData(), &m_db,
        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
}

void SqliteDb::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

bool SqliteDb::exec(const char *sql, QString *error)
{
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    if (rc == SQLITE_OK) {
        return true;
    }
    sqlite3_free(message);
    m_lastExecFailure = sqlite3_extended_errcode(m_db);
    *error = describe(QString::fromUtf8(sql).simplified().left(60), rc);
    return false;
}

bool SqliteDb::inTransaction() const
{
    return m_db != nullptr && sqlite3_get_autocommit(m_db) == 0;
}

int SqliteDb::lastCode() const
{
    return m_db ? sqlite3_extended_errcode(m_db) : SQLITE_MISUSE;
}

std::int64_t SqliteDb::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteDb::changes() const
{
    return sqlite3_changes(m_db);
}

QString SqliteDb::describe(const QString &what, int code) const
{
    QString detail
        = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(code));
    // SQLite reports most write failures as "disk I/O error"; the OS error says which.
    const int osError = m_db ? sqlite3_system_errno(m_db) : 0;
    const int primary = code & 0xff;
    if (osError != 0
        && (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN)) {
        detail += QStringLiteral(": ") + osReason(osError);
    }
    QString hint;
    switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        hint = QStringLiteral("the database is locked by another writer (waited %1 ms)")
                   .arg(m_busyTimeoutMs);
        break;
    case SQLITE_NOTADB:
        hint = QStringLiteral("the file is corrupt or not a SQLite database");
        break;
    case SQLITE_CORRUPT:
        hint = QStringLiteral("the file is damaged (corrupt); %1").arg(salvageHint(m_path));
        break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        hint = QStringLiteral("the database or its folder is read-only");
        break;
    case SQLITE_CANTOPEN:
        hint = QStringLiteral("cannot open the file or its journal (is the folder writable?)");
        break;
    case SQLITE_FULL:
        hint = QStringLiteral("the disk is full");
        break;
    case SQLITE_IOERR:
        if (osError == ENOSPC || osError == EDQUOT) {
            hint = QStringLiteral("the disk is full");
        } else if (osError == EFBIG) {
            hint = QStringLiteral("the file size limit is reached");
        } else if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC) {
            hint = QStringLiteral("writing failed: is the disk full?");
        }
        break;
    default:
        break;
    }
    if (hint.isEmpty()) {
        return QStringLiteral("%1: %2: %3").arg(m_path, what, detail);
    }
    return QStringLiteral("%1: %2 (%3: %4)").arg(m_path, hint, what, detail);
}

SqliteStatement::~SqliteStatement()
{
    finalize();
}

bool SqliteStatement::prepare(SqliteDb &db, const char *sql, QString *error)
{
    finalize();
    m_db = &db;
    const int rc
        = sqlite3_prepare_v3(db.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        *error = db.describe(
            QStringLiteral("preparing \"%1\"").arg(QString::fromUtf8(sql).simplified().left(60)),
            rc);
        finalize();
        return false;
    }
    return true;
}

void SqliteStatement::finalize()
{
    if (m_stmt) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

void SqliteStatement::bind(int index, double value)
{
    if (std::isnan(value)) {
        sqlite3_bind_null(m_stmt, index);
    } else {
        sqlite3_bind_double(m_stmt, index, value);
    }
}

void SqliteStatement::bind(int index, int value)
{
    sqlite3_bind_int(m_stmt, index, value);
}

void SqliteStatement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bind(int index, const QString &value)
{
    // Short ASCII text (device ids, schedule names: a dozen a stored round) goes through a stack
    // buffer; SQLite copies it either way, so the QByteArray was an allocation for nothing.
    constexpr qsizetype kShort = 64;
    if (const qsizetype n = value.size(); n <= kShort) {
        char ascii[kShort];
        const QChar *text = value.constData();
        qsizetype i = 0;
        while (i < n && text[i].unicode() < 0x80) {
            ascii[i] = char(text[i].unicode());
            ++i;
        }
        if (i == n) {
            sqlite3_bind_text(m_stmt, index, ascii, int(n), SQLITE_TRANSIENT);
            return;
        }
    }
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::bindStatic(int index, const char *value)
{
    sqlite3_bind_text(m_stmt, index, value, -1, SQLITE_STATIC);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

int SqliteStatement::step()
{
    return sqlite3_step(m_stmt);
}

int SqliteStatement::execute()
{
    const int rc = sqlite3_step(m_stmt);
    sqlite3_reset(m_stmt);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

bool SqliteStatement::run(const QString &what, QString *error)
{
    const int rc = sqlite3_step(m_stmt);
    sqlite3_reset(m_stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        return true;
    }
    *error = m_db->describe(what, rc);
    return false;
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int SqliteStatement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

QString SqliteStatement::columnName(int column) const
{
    return QString::fromUtf8(sqlite3_column_name(m_stmt, column));
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

double SqliteStatement::columnDouble(int column) const
{
    if (isNull(column)) {
        return std::nan("");
    }
    return sqlite3_column_double(m_stmt, column);
}

int SqliteStatement::columnInt(int column) const
{
    return sqlite3_column_int(m_stmt, column);
}

std::int64_t SqliteStatement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QString SqliteStatement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return text ? QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column)) : QString();
}

int SqliteStatement::columnType(int column) const
{
    return sqlite3_column_type(m_stmt, column);
}

} // namespace collapipe
