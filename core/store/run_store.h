// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"
#include "core/store/sqlite_db.h"

#include <QString>

#include <cstdint>
#include <memory>

/// The SQLite run database (issue [5/6], architecture.md "Storage"). Built on the sqlite3 C API
/// rather than QtSql: typed binds without QVariant boxing (the row-rate goal), exact error codes
/// for busy / corrupt / read-only, and no process-wide named-connection registry.
namespace collapipe {

struct StoreOptions
{
    /// How long a write waits for another writer's transaction before failing (SQLITE_BUSY).
    int busyTimeoutMs = 5000;
    /// Create the file (and its schema) when missing.
    bool create = true;
    /// Mark runs left `running` by a dead writer process as `interrupted` on open (writers only).
    bool recoverInterrupted = true;
    /// Open with SQLITE_OPEN_READONLY: never creates, migrates, recovers or writes anything, so
    /// reading works on a read-only file or folder. RunReader derives `interrupted` for runs
    /// whose writer is gone without storing it.
    bool readOnly = false;
    /// PRAGMA quick_check before using an existing file: a damaged file is refused (with how to
    /// salvage it) instead of being read or appended to.
    bool checkOnOpen = true;
    /// Off: commits on this connection never checkpoint the WAL (no fsync in the writing thread);
    /// another connection must call checkpoint() now and then, or the WAL grows without bound.
    /// The experiment runner does this so its workers never block on the disk.
    bool autoCheckpoint = true;
};

/// One connection to a run database. Open one per thread (a connection is used by one thread at
/// a time); several processes may open the same file (WAL: readers never block the writer).
/// RunWriter and RunReader borrow a store and must not outlive it.
class RunStore
{
public:
    /// Opens or creates `path`: checks it is an undamaged run database (before writing anything,
    /// so a refused file is left byte-for-byte as it was), migrates its schema, turns on WAL and
    /// foreign keys, and marks dead writers' runs interrupted. nullptr + `error` (naming the file)
    /// on failure: missing folder, read-only location, damaged file, other SQLite file, newer
    /// schema, a URI instead of a path, or locked longer than the busy timeout while creating the
    /// schema. A file this call created is removed again when creating it failed on a full disk.
    static std::unique_ptr<RunStore> open(
        const QString &path, QString *error, const StoreOptions &options = {});

    /// `QStandardPaths::AppDataLocation`/runs.sqlite; creates the folder. Empty + error on failure.
    static QString defaultPath(QString *error);

    const QString &path() const { return m_db.path(); }
    /// Runs that recovery marked `interrupted` while opening.
    int recoveredRuns() const { return m_recovered; }

    /// Marks `running` runs whose writer process is gone as `interrupted`. Returns how many.
    int recoverInterruptedRuns(QString *error);
    bool renameRun(std::int64_t id, const QString &name, QString *error);
    /// Deletes the run and (cascade) all its rounds, devices and events.
    bool deleteRun(std::int64_t id, QString *error);
    /// PRAGMA integrity_check; true and "ok" when the file is sound, else the first problems.
    bool integrityCheck(QString *report, QString *error);

    /// PRAGMA quick_check(10): true when sound, else false + error (damaged, how to salvage).
    bool quickCheck(QString *error);

    /// A passive WAL checkpoint: copies committed pages into the database file (fsync) without
    /// waiting for or blocking writers. For a connection that checkpoints for others
    /// (StoreOptions::autoCheckpoint).
    bool checkpoint(QString *error);

    /// For RunWriter / RunReader / tests in core/store.
    SqliteDb &db() { return m_db; }

    /// True when open() made the file (it did not exist before).
    bool createdByOpen() const { return m_createdByOpen; }
    /// After a failed write (e.g. a full disk at the first run row): when this store created the
    /// file and it holds no run, closes it and removes it with its companions, so a command that
    /// stored nothing leaves nothing behind. Returns true when it removed the file. Safe against
    /// a second writer that opened the same new file meanwhile: the check and the removal happen
    /// under the write lock, and a writer that gets the lock after it finds the file gone and
    /// reopens the path (isStillAtPath(), reopen(); RunWriter::beginRun does this).
    bool discardIfCreatedEmpty();

    /// True while the path still names the file this store opened (not removed or replaced by
    /// another process since).
    bool isStillAtPath() const;
    /// Closes the connection and opens the path again with the same options (after another
    /// writer discarded the file this one had opened). Statements prepared on the old connection
    /// must be finalized first.
    bool reopen(QString *error);

private:
    RunStore() = default;
    bool openFile(const QString &path, const StoreOptions &options, QString *error);

    SqliteDb m_db;
    StoreOptions m_options;
    int m_recovered = 0;
    bool m_createdByOpen = false;
    /// The opened file's identity (st_dev, st_ino), to notice when the path names another file.
    std::uint64_t m_device = 0;
    std::uint64_t m_inode = 0;
};

} // namespace collapipe
