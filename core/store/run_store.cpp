// SPDX-License-Identifier: MIT
#include "core/store/run_store.h"

#include "core/store/schema.h"
#include "core/store/writer_identity.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <sqlite3.h>
#include <sys/stat.h>
#include <vector>

namespace collapipe {

QString interruptedMessage()
{
    return QStringLiteral("writer process ended without finishing the run; committed rounds are "
                          "kept");
}

namespace {

// The files SQLite may create next to a database.
const char *const kCompanions[] = {"", "-wal", "-shm", "-journal"};

bool isWriteFailure(int code)
{
    return (code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR;
}

void removeWithCompanions(SqliteDb &db, const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    db.close();
    for (const char *suffix : kCompanions) {
        QFile::remove(absolute + QLatin1String(suffix));
    }
}

bool fileIdentity(const QString &path, std::uint64_t *device, std::uint64_t *inode)
{
    struct stat st
    { };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        return false;
    }
    *device = std::uint64_t(st.st_dev);
    *inode = std::uint64_t(st.st_ino);
    return true;
}

} // namespace

bool RunStore::quickCheck(QString *error)
{
    SqliteStatement check;
    if (!check.prepare(m_db, "PRAGMA quick_check(10)", error)) {
        return false;
    }
    QStringList problems;
    int rc = SQLITE_ROW;
    while ((rc = check.step()) == SQLITE_ROW) {
        problems << check.columnText(0);
    }
    if (rc != SQLITE_DONE) {
        *error = m_db.describe(QStringLiteral("checking the file (quick_check)"), rc);
        return false;
    }
    if (problems == QStringList{QStringLiteral("ok")}) {
        return true;
    }
    *error = QStringLiteral("%1: the file is damaged (corrupt): %2; nothing was written to it. "
                            "collapipe check --db FILE lists every problem; %3")
                 .arg(path(), problems.join(QStringLiteral("; ")), salvageHint(path()));
    return false;
}

std::unique_ptr<RunStore> RunStore::open(
    const QString &path, QString *error, const StoreOptions &options)
{
    std::unique_ptr<RunStore> store(new RunStore);
    if (!store->openFile(path, options, error)) {
        return nullptr;
    }
    return store;
}

bool RunStore::reopen(QString *error)
{
    const QString path = m_db.path();
    m_db.close();
    m_recovered = 0;
    m_createdByOpen = false;
    return openFile(path, m_options, error);
}

bool RunStore::checkpoint(QString *error)
{
    return m_db.exec("PRAGMA wal_checkpoint(PASSIVE)", error);
}

bool RunStore::isStillAtPath() const
{
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    return fileIdentity(m_db.path(), &device, &inode) && device == m_device && inode == m_inode;
}

bool RunStore::openFile(const QString &path, const StoreOptions &options, QString *error)
{
    SqliteDb &db = m_db;
    m_options = options;
    if (path.isEmpty()) {
        *error = QStringLiteral("run database: empty file name");
        return false;
    }
    const SqliteDb::Mode mode = options.readOnly ? SqliteDb::Mode::ReadOnly
        : options.create                         ? SqliteDb::Mode::Create
                                                 : SqliteDb::Mode::ReadWrite;
    const bool existed = QFileInfo(path).exists();
    if (!db.open(path, mode, options.busyTimeoutMs, error)) {
        return false;
    }
    // SQLite has the file open now: remember which file, to notice a removal by another writer.
    fileIdentity(path, &m_device, &m_inode);
    // Refuse a foreign, damaged or newer file before anything could write to it (switching to
    // WAL rewrites the header): these reads change nothing.
    int version = 0;
    bool ok = inspectStore(db, &version, error)
        && (!options.checkOnOpen || version == 0 || quickCheck(error));
    if (ok && options.readOnly) {
        if (version < storeSchemaVersion()) {
            // Reading needs the current columns; upgrading is a write, done by a writer.
            *error = version == 0
                ? QStringLiteral("%1: an empty file, not a run database yet").arg(path)
                : QStringLiteral("%1: schema version %2 is older than this build's %3; any "
                                 "writing command (e.g. collapipe run) upgrades it")
                      .arg(path)
                      .arg(version)
                      .arg(storeSchemaVersion());
            return false;
        }
        return true; // readers never recover: only a writer marks runs interrupted
    }
    // WAL: readers and the one writer do not block each other; NORMAL sync is durable across a
    // process kill (the case we test) and only risks the last commits on power loss.
    ok = ok && db.exec("PRAGMA journal_mode = WAL", error)
        && db.exec("PRAGMA synchronous = NORMAL", error)
        && db.exec("PRAGMA foreign_keys = ON", error) && migrateStore(db, error)
        && (options.autoCheckpoint || db.exec("PRAGMA wal_autocheckpoint = 0", error));
    if (ok && options.recoverInterrupted) {
        const int recovered = recoverInterruptedRuns(error);
        ok = recovered >= 0;
        m_recovered = std::max(recovered, 0);
    }
    if (ok) {
        m_createdByOpen = !existed;
        return true;
    }
    if (!existed && (isWriteFailure(db.lastCode()) || isWriteFailure(db.lastExecFailure()))) {
        // Creating failed on a full disk: remove the stub we made. Only for write failures, so
        // a file another process is creating at the same time (we would be waiting on its
        // lock) is never removed.
        removeWithCompanions(db, path);
    }
    return false;
}

bool RunStore::discardIfCreatedEmpty()
{
    if (!m_createdByOpen || m_db.handle() == nullptr) {
        return false;
    }
    // Under the write lock: a second writer that opened this new file meanwhile cannot add a run
    // between the check and the removal, and when it gets the lock it finds the file gone.
    QString error;
    if (!m_db.exec("BEGIN IMMEDIATE", &error)) {
        return false;
    }
    bool empty = isStillAtPath();
    if (empty) {
        // Only a file with no run row at all: once a run was begun, its rows are the user's.
        SqliteStatement count;
        empty = count.prepare(m_db, "SELECT COUNT(*) FROM runs", &error)
            && count.step() == SQLITE_ROW && count.columnInt(0) == 0;
    }
    if (!empty) {
        m_db.exec("ROLLBACK", &error);
        return false;
    }
    // Closing must not delete "<path>-wal" by name afterwards: by then it may be another
    // writer's new file.
    int persist = 1;
    sqlite3_file_control(m_db.handle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    const QString absolute = QFileInfo(m_db.path()).absoluteFilePath();
    for (const char *suffix : kCompanions) {
        QFile::remove(absolute + QLatin1String(suffix));
    }
    m_db.exec("ROLLBACK", &error);
    m_db.close();
    m_createdByOpen = false;
    return true;
}

QString RunStore::defaultPath(QString *error)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty()) {
        *error = QStringLiteral("no application data folder on this system; pass --db FILE");
        return {};
    }
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("%1: cannot create the application data folder").arg(dir);
        return {};
    }
    return QDir(dir).filePath(QStringLiteral("runs.sqlite"));
}

int RunStore::recoverInterruptedRuns(QString *error)
{
    SqliteStatement query;
    if (!query.prepare(m_db,
            "SELECT id, writer_pid, writer_host, writer_start FROM runs "
            "WHERE status = 'running'",
            error)) {
        return -1;
    }
    std::vector<std::int64_t> dead;
    int rc = SQLITE_ROW;
    while ((rc = query.step()) == SQLITE_ROW) {
        WriterIdentity writer;
        writer.pid = query.columnInt64(1);
        writer.host = query.columnText(2);
        writer.startTicks = query.columnInt64(3);
        if (!writerAlive(writer)) {
            dead.push_back(query.columnInt64(0));
        }
    }
    if (rc != SQLITE_DONE) {
        *error = m_db.describe(QStringLiteral("listing running runs"), rc);
        return -1;
    }
    if (dead.empty()) {
        return 0; // the common case writes nothing, so listing runs never waits for a writer
    }
    SqliteStatement mark;
    if (!mark.prepare(m_db,
            "UPDATE runs SET status = 'interrupted', writer_pid = NULL, "
            "writer_host = NULL, message = ?2 WHERE id = ?1 AND status = 'running'",
            error)) {
        return -1;
    }
    for (std::int64_t id : dead) {
        mark.bind(1, id);
        mark.bind(2, interruptedMessage());
        if (!mark.run(QStringLiteral("marking run %1 interrupted").arg(id), error)) {
            return -1;
        }
    }
    return int(dead.size());
}

bool RunStore::renameRun(std::int64_t id, const QString &name, QString *error)
{
    SqliteStatement update;
    if (!update.prepare(m_db, "UPDATE runs SET name = ?2 WHERE id = ?1", error)) {
        return false;
    }
    update.bind(1, id);
    update.bind(2, name);
    if (!update.run(QStringLiteral("renaming run %1").arg(id), error)) {
        return false;
    }
    if (m_db.changes() == 0) {
        *error = QStringLiteral("%1: no run with id %2").arg(path()).arg(id);
        return false;
    }
    return true;
}

bool RunStore::deleteRun(std::int64_t id, QString *error)
{
    SqliteStatement remove;
    if (!remove.prepare(m_db, "DELETE FROM runs WHERE id = ?1", error)) {
        return false;
    }
    remove.bind(1, id);
    if (!remove.run(QStringLiteral("deleting run %1").arg(id), error)) {
        return false;
    }
    if (m_db.changes() == 0) {
        *error = QStringLiteral("%1: no run with id %2").arg(path()).arg(id);
        return false;
    }
    return true;
}

bool RunStore::integrityCheck(QString *report, QString *error)
{
    SqliteStatement check;
    if (!check.prepare(m_db, "PRAGMA integrity_check", error)) {
        return false;
    }
    QStringList lines;
    int rc = SQLITE_ROW;
    while ((rc = check.step()) == SQLITE_ROW) {
        lines << check.columnText(0);
    }
    if (rc != SQLITE_DONE) {
        *error = m_db.describe(QStringLiteral("integrity check"), rc);
        return false;
    }
    *report = lines.join(QLatin1Char('\n'));
    return lines == QStringList{QStringLiteral("ok")};
}

} // namespace collapipe
