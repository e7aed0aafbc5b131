// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <cstdint>

struct sqlite3;
struct sqlite3_stmt;

/// Thin RAII wrappers over the sqlite3 C API, private to core/store. Every error text they build
/// starts with the database file, so callers can pass it on unchanged (style.md rule 9).
namespace collapipe {

/// One open connection. Use it from one thread at a time (the store opens one per thread).
class SqliteDb
{
public:
    SqliteDb() = default;
    ~SqliteDb();
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;

    enum class Mode {
        ReadWrite, ///< an existing file, read and written
        Create,    ///< read and written, created when missing
        ReadOnly   ///< never written (SQLITE_OPEN_READONLY), never created
    };

    /// Opens `path`, a file path (never a SQLite URI or ":memory:": those are refused, so a
    /// run is never stored somewhere the reading verbs cannot find). Checks the file before
    /// SQLite touches it: missing, a folder, not a regular file, or not accessible each give
    /// their own message naming the file. ReadOnly in a folder the user cannot write opens a
    /// WAL database `immutable` when that is safe (see sqlite_db.cpp). `error` names the file.
    bool open(const QString &path, Mode mode, int busyTimeoutMs, QString *error);
    /// Opens (creating if `create`) the file for reading and writing.
    bool open(const QString &path, bool create, int busyTimeoutMs, QString *error)
    {
        return open(path, create ? Mode::Create : Mode::ReadWrite, busyTimeoutMs, error);
    }
    void close();

    sqlite3 *handle() const { return m_db; }
    const QString &path() const { return m_path; }
    int busyTimeoutMs() const { return m_busyTimeoutMs; }

    /// Runs SQL text without results (several statements allowed).
    bool exec(const char *sql, QString *error);
    /// "<file>: <what>: <sqlite message>", with a plain-words hint for busy/corrupt/read-only/
    /// disk full, the operating system's reason for I/O errors, and for a damaged file how to
    /// salvage it.
    QString describe(const QString &what, int code) const;
    /// True when the file was opened read-only.
    bool isReadOnly() const { return m_readOnly; }
    /// The last error code of the connection (extended).
    int lastCode() const;
    /// The extended code of the last exec() that failed: unlike lastCode(), a later success (the
    /// ROLLBACK after a failed COMMIT) does not clear it.
    int lastExecFailure() const { return m_lastExecFailure; }
    /// True inside an open transaction (a failed COMMIT may already have rolled back).
    bool inTransaction() const;
    /// Row id of the last INSERT on this connection.
    std::int64_t lastInsertId() const;
    /// Rows changed by the last INSERT/UPDATE/DELETE.
    int changes() const;

private:
    int openImmutableIfNeeded(const QString &absolutePath);

    sqlite3 *m_db = nullptr;
    QString m_path;
    int m_lastExecFailure = 0; // SQLITE_OK
    int m_busyTimeoutMs = 0;
    bool m_readOnly = false;
};

/// True when `path` names a SQLite URI ("file:...") or special name (":memory:", empty) rather
/// than a file path.
bool isSqliteSpecialName(const QString &path);

/// The shell command that salvages what is readable from a damaged database file.
QString salvageHint(const QString &path);

/// A prepared statement: prepare once, then bind / step / reset per row.
class SqliteStatement
{
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool prepare(SqliteDb &db, const char *sql, QString *error);
    void finalize();
    bool isPrepared() const { return m_stmt != nullptr; }

    /// Parameter indices are 1-based as in SQLite. NaN binds as NULL ("not measured").
    void bind(int index, double value);
    void bind(int index, int value);
    void bind(int index, std::int64_t value);
    void bind(int index, const QString &value);
    /// A static C string (enum names): bound without a copy.
    void bindStatic(int index, const char *value);
    void bindNull(int index);

    /// sqlite3_step result (SQLITE_ROW, SQLITE_DONE or an error code).
    int step();
    /// Steps once and resets: 0 (SQLITE_OK) when the statement finished, else the error code.
    /// The hot path of the writer: no message is built unless it fails.
    int execute();
    /// Steps to SQLITE_DONE and resets; on failure fills `error` naming the file and `what`.
    bool run(const QString &what, QString *error);
    void reset();

    int columnCount() const;
    QString columnName(int column) const;
    bool isNull(int column) const;
    /// Column 0-based; NULL reads as NaN.
    double columnDouble(int column) const;
    int columnInt(int column) const;
    std::int64_t columnInt64(int column) const;
    QString columnText(int column) const;
    /// SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
    int columnType(int column) const;

    SqliteDb *db() const { return m_db; }

private:
    SqliteDb *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace collapipe
