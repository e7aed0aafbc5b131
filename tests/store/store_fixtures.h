// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_store.h"
#include "core/store/writer_identity.h"

#include <QFile>
#include <QProcess>
#include <QString>

#include <sqlite3.h>

/// Damaged and stale run databases for the fault tests (issue [2/7]): shared by tests/store and
/// tests/cli_run.
namespace collapipe::testing {

/// The database's size in pages (a full-disk test's limit is set from it); -1 when unreadable.
inline int pageCount(RunStore *store)
{
    SqliteStatement q;
    QString error;
    return q.prepare(store->db(), "PRAGMA page_count", &error) && q.step() == SQLITE_ROW
        ? q.columnInt(0)
        : -1;
}

/// The run row of a store test: `name`, an empty scenario, uniform, `rounds` planned.
inline RunMeta storeTestMeta(const QString &name, int rounds)
{
    RunMeta m;
    m.name = name;
    m.scenarioJson = QStringLiteral("{}");
    m.policy = QStringLiteral("uniform");
    m.roundsPlanned = rounds;
    m.version = QStringLiteral("test");
    return m;
}

inline QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Puts every WAL frame into the main file and removes the -wal/-shm, so later byte comparisons
/// and page edits see the whole database in one file.
inline bool checkpointAndClose(std::unique_ptr<RunStore> store, QString *error)
{
    if (!store->db().exec("PRAGMA wal_checkpoint(TRUNCATE)", error)
        || !store->db().exec("PRAGMA journal_mode = DELETE", error)) {
        return false;
    }
    store.reset();
    return true;
}

/// Overwrites the b-tree header of `table`'s root page with 0xff bytes (an invalid page type):
/// every read of that table and PRAGMA quick_check see the damage, page 1 stays readable.
inline bool damageTable(const QString &path, const char *table, QString *error)
{
    int root = 0;
    int pageSize = 0;
    {
        SqliteDb db;
        if (!db.open(path, false, 1000, error)) {
            return false;
        }
        SqliteStatement q;
        const QByteArray sql
            = QByteArray("SELECT rootpage FROM sqlite_master WHERE name = '") + table + "'";
        if (!q.prepare(db, sql.constData(), error) || q.step() != SQLITE_ROW) {
            *error = QStringLiteral("no table %1").arg(QLatin1String(table));
            return false;
        }
        root = q.columnInt(0);
        SqliteStatement size;
        if (!size.prepare(db, "PRAGMA page_size", error) || size.step() != SQLITE_ROW) {
            return false;
        }
        pageSize = size.columnInt(0);
    }
    QFile file(path);
    if (root < 2 || !file.open(QIODevice::ReadWrite) || !file.seek(qint64(root - 1) * pageSize)
        || file.write(QByteArray(12, char(0xff))) != 12) {
        *error = QStringLiteral("cannot damage page %1 of %2").arg(root).arg(path);
        return false;
    }
    return true;
}

/// Makes run `id` look like one whose writer process died: status running, writer = a pid that
/// has exited (a child `true` we waited for), this host.
inline bool makeStaleRunning(RunStore *store, std::int64_t id, QString *error)
{
    QProcess child;
    child.start(QStringLiteral("true"), {});
    if (!child.waitForFinished()) {
        *error = QStringLiteral("cannot run 'true'");
        return false;
    }
    WriterIdentity who = currentWriter();
    who.pid = child.processId() > 0 ? child.processId() : 2147483646;
    who.startTicks = 0;
    SqliteStatement update;
    if (!update.prepare(store->db(),
            "UPDATE runs SET status = 'running', finished = NULL, writer_pid = ?2, "
            "writer_host = ?3, writer_start = ?4 WHERE id = ?1",
            error)) {
        return false;
    }
    update.bind(1, id);
    update.bind(2, who.pid);
    update.bind(3, who.host);
    update.bind(4, who.startTicks);
    return update.run(QStringLiteral("making run %1 stale").arg(id), error);
}

} // namespace collapipe::testing
