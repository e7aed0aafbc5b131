// SPDX-License-Identifier: MIT
#include "core/store/sqlite_db.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <sqlite3.h>

namespace collapipe {

SqliteDb::~SqliteDb()
{
    close();
}

bool SqliteDb::open(const QString &path, bool create, int busyTimeoutMs, QString *error)
{
    close();
    m_path = path;
    m_busyTimeoutMs = busyTimeoutMs;
    const QFileInfo info(path);
    const bool existed = info.exists();
    if (!existed && !create) {
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
    const int flags
        = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString reason = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db))
                                    : QString::fromUtf8(sqlite3_errstr(rc));
        if (!existed) {
            *error = QStringLiteral("%1: cannot create the run database (%2); is folder %3 "
                                    "writable?")
                         .arg(path, reason, info.absolutePath());
        } else if (!QFileInfo(path).isWritable()) {
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
    *error = describe(QString::fromUtf8(sql).simplified().left(60), rc);
    return false;
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
    const QString detail
        = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(code));
    QString hint;
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        hint = QStringLiteral("the database is locked by another writer (waited %1 ms)")
                   .arg(m_busyTimeoutMs);
        break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        hint = QStringLiteral("the file is corrupt or not a SQLite database");
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
