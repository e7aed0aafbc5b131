// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/batch_committer.h"
#include "core/store/run_info.h"
#include "core/store/sqlite_db.h"
#include "core/types/round_record.h"

#include <QElapsedTimer>
#include <QString>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

/// Writes one run into a RunStore (issue [5/6]): the run row first as `running`, then rounds in
/// batched transactions, then the final status. A process killed at any point leaves every
/// committed round readable; the next RunStore::open marks the run `interrupted`.
namespace collapipe {

class RunStore;

namespace run_writer_detail {
/// One table's INSERTs of a batch (run_writer.cpp): full chunks of `rowsPerChunk` rows through
/// one multi-row statement (one statement start, cursor set-up and end per chunk instead of per
/// row), the rest one row at a time; the rows go in the same order either way.
struct ChunkedInsert
{
    SqliteStatement chunk;
    SqliteStatement single;
    int columns = 0;
    int rowsPerChunk = 1;
    std::size_t total = 0; ///< rows of this table in the batch being written
    std::size_t next = 0;  ///< rows of it bound so far
    int chunkFirstRound = 0;
    void finalize()
    {
        chunk.finalize();
        single.finalize();
    }
};
} // namespace run_writer_detail

/// When buffered rounds are committed: after `maxRounds` rounds or `maxDelayMs` since the last
/// commit, whichever comes first (rounds are buffered in memory, so the write lock is held only
/// while a batch is written, never across a round's computation).
struct CommitPolicy
{
    int maxRounds = 64;
    int maxDelayMs = 250;
    bool storeEvents = true; ///< off: skip the timeline (sweeps with many rounds)
    /// On: a due batch is committed on the writer's own background thread (one per writer,
    /// started at the first batch) while appendRound() returns at once and the rounds go on
    /// being buffered (issue 17 "Speed"; StoredRun turns it on). Off: on the caller's thread.
    /// The run's first batch is committed on the caller's thread either way, so a database that
    /// takes no rounds (full disk, read-only) stops the run at that batch's round.
    bool background = false;
};

/// Threads: the writer is used from one thread. With CommitPolicy::background, a due batch is
/// written by the writer's committer thread through the store's connection; from beginRun() to
/// finish() nobody else may use that connection (StoredRun, the CLI, the Studio's RunWorker and
/// the experiment runner do not), except right after flush() returned, until the next
/// appendRound(). Memory stays bounded: at most one batch is being written and one buffered;
/// a buffer 8 times past the policy (rounds or delay) waits for the batch being written.
class RunWriter
{
public:
    /// Borrows `store` (same thread, must outlive the writer).
    explicit RunWriter(RunStore *store, const CommitPolicy &policy = {});
    /// A run still open is flushed and marked `interrupted` ("writer closed without finishing").
    ~RunWriter();
    RunWriter(const RunWriter &) = delete;
    RunWriter &operator=(const RunWriter &) = delete;

    /// Inserts the run row (status running, this process as writer). False + error naming the
    /// database when it is locked past the busy timeout, read-only, etc.
    bool beginRun(const RunMeta &meta, std::int64_t *id, QString *error);
    /// Buffers the round; commits the batch when the policy says so. Rounds must arrive in order.
    /// While another connection holds the write lock, a due batch stays buffered (no wait) and
    /// is tried again after the next round, until it is 8 times past the policy: then this
    /// waits up to the busy timeout, and false means the lock never came free.
    /// With CommitPolicy::background the due batch is handed to the committer thread and this
    /// returns at once; a batch the committer could not store is reported (false, the same
    /// message naming the database) by the next appendRound(), flush() or finish().
    bool appendRound(const RoundRecord &record, QString *error);
    /// The same, taking the record over instead of copying it (a caller done with it).
    bool appendRound(RoundRecord &&record, QString *error);
    /// Commits buffered rounds now (after waiting for the batch the committer is writing).
    bool flush(QString *error);
    /// Flushes, then stores the final status (completed, stopped, failed) and its message. A run
    /// is stored `completed` only when every appended round is committed: when the flush fails
    /// (disk full, locked) it is stored `failed` (an interrupted one stays interrupted) with
    /// the reason and how many rounds were lost. On false, `error` is the whole message to show:
    /// `message` followed by each reason once (never "X; X" when `message` already is the store
    /// error), also when the final status itself could not be stored. The run is then failed.
    bool finish(RunStatus status, const QString &message, QString *error);

    std::int64_t runId() const { return m_runId; }
    bool isOpen() const { return m_runId != 0; }
    /// Rows (rounds + clusters + devices + events) committed so far (also while the committer
    /// writes a batch: the rows of the batches whose COMMIT returned).
    std::int64_t rowsWritten() const { return m_rows.load(); }
    int roundsCommitted() const { return m_roundsCommitted.load(); }
    /// True when a background committer thread was started (tests).
    bool hasCommitterThread() const { return m_committer.started(); }
    /// True while the committer writes a batch (tests; the result is taken in by the next call).
    bool isCommitting() const { return m_committer.busy(); }

private:
    bool prepare(QString *error);
    /// appendRound() after the record joined m_pending: commits when due.
    bool commitIfDue(QString *error);
    /// How the last attempt at the batch ended.
    enum class BatchResult {
        Committed,
        LockBusy,
        Failed
    };
    /// Moves the buffered rounds behind the batch and commits it: on the committer thread when
    /// `background` (returns at once; collect() tells the result), else here.
    bool dispatch(bool waitForLock, bool background, QString *error);
    /// Takes in the result of the last dispatch() once the committer finished it (no wait): false
    /// + its error when the batch could not be stored.
    bool collect(QString *error);
    /// Waits for the committer, then collect().
    bool waitAndCollect(QString *error);
    /// BEGIN IMMEDIATE on the file the store's path names now (reopening it when another
    /// writer removed the file this store had opened).
    bool lockCurrentFile(QString *error);
    /// How finish() keeps the rounds that still fit after the final flush met a full disk: the
    /// run row's status and message as each stored part leaves them.
    struct Salvage
    {
        RunStatus status = RunStatus::Completed; ///< stored when every round fits after all
        RunStatus failedStatus = RunStatus::Failed;
        QString message;    ///< the caller's message
        QString flushError; ///< why the batch could not be stored
        int committedAtStart = 0;
        int lostAtStart = 0;
        /// The message when `lost` rounds after the `stored` ones could not be stored.
        QString text(int lost, int stored) const;
    };
    /// Commits the longest prefix of the batch's rounds that fits (halving on a full disk), each
    /// part with the run row updated from `salvage`; true when every pending round got stored.
    bool storeWhatFits(const Salvage &salvage);
    /// Commits the batch's rounds (m_batch) in one transaction; `waitForLock` false: LockBusy
    /// without committing when another connection holds the write lock. Runs on the committer
    /// thread or on the caller's (never both: the caller waits for the committer first).
    BatchResult commitBatch(bool waitForLock, QString *error, const Salvage *salvage = nullptr);
    /// The final UPDATE of the run row; SQLITE_OK or the error code (+ `error`).
    int storeStatus(RunStatus status, const QString &message, QString *error);

    /// Writes every round's rows of the batch (rounds, clusters, devices, events), in order;
    /// `rows` gets how many.
    bool writeBatch(std::int64_t *rows, QString *error);

    RunStore *m_store;
    CommitPolicy m_policy;
    std::int64_t m_runId = 0;
    std::atomic<std::int64_t> m_rows{0};
    std::atomic<int> m_roundsCommitted{0};
    int m_lastFailure = 0; ///< primary SQLite code of the last failed commit
    /// The rounds handed to a commit and not yet stored (owned by the committer while it runs),
    /// then those buffered since (owned by the caller's thread).
    std::vector<RoundRecord> m_batch;
    std::vector<RoundRecord> m_pending;
    /// The last dispatch(): its result is not yet taken in by collect().
    bool m_resultPending = false;
    bool m_lockWasBusy = false; ///< the last collected attempt met another writer's lock
    BatchResult m_result = BatchResult::Committed; ///< written by the commit, read by collect()
    QString m_resultError;
    std::size_t m_batchRounds = 0; ///< m_batch's size when dispatched (caller's thread)
    QElapsedTimer m_sinceCommit;
    QElapsedTimer m_beforeDispatch; ///< m_sinceCommit before the dispatch (back on LockBusy)
    run_writer_detail::ChunkedInsert m_insertRound;
    run_writer_detail::ChunkedInsert m_insertCluster;
    run_writer_detail::ChunkedInsert m_insertDevice;
    run_writer_detail::ChunkedInsert m_insertEvent;
    SqliteStatement m_progress;
    BatchCommitter m_committer; // last: joined first, before the members its jobs use go
};

} // namespace collapipe
