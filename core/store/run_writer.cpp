// SPDX-License-Identifier: MIT
#include "core/store/run_writer.h"

#include "core/store/run_store.h"
#include "core/store/store_tables.h"
#include "core/store/writer_identity.h"

#include <QDateTime>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <sqlite3.h>
#include <utility>

namespace collapipe {

namespace {

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

} // namespace

namespace run_writer_detail {

/// Rows per multi-row INSERT (bench_store --store-share, CPU µs per default.json round written:
/// 1 row 52–55, 8 rows 39–43, 16 and 32 rows 34–36, 64 rows the same with a dearer prepare).
constexpr int kRowsPerChunk = 32;

template <typename Row>
bool prepareInsert(
    SqliteDb &db, const StoreTable<Row> &table, ChunkedInsert *insert, QString *error)
{
    insert->columns = table.insertedColumnCount();
    const int limit = sqlite3_limit(db.handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    insert->rowsPerChunk = std::max(1, std::min(kRowsPerChunk, limit / insert->columns));
    return insert->single.prepare(db, table.insertSql(1).constData(), error)
        && (insert->rowsPerChunk == 1
            || insert->chunk.prepare(db, table.insertSql(insert->rowsPerChunk).constData(), error));
}

void startRows(ChunkedInsert *insert, std::size_t rows)
{
    insert->total = rows;
    insert->next = 0;
}

/// Binds the next of the batch's rows and runs the statement it completes (a full chunk, or the
/// single-row statement for the rows after the last full chunk): SQLITE_OK or the error code.
template <typename Row>
int addRow(ChunkedInsert *insert, const StoreTable<Row> &table, std::int64_t runId, const Row &row,
    int round)
{
    const std::size_t perChunk = std::size_t(insert->rowsPerChunk);
    const std::size_t i = insert->next++;
    if (perChunk > 1 && i < insert->total - insert->total % perChunk) {
        const int slot = int(i % perChunk);
        if (slot == 0) {
            insert->chunkFirstRound = round;
        }
        table.bindRow(insert->chunk, runId, row, 1 + slot * insert->columns);
        return std::size_t(slot) + 1 == perChunk ? insert->chunk.execute() : SQLITE_OK;
    }
    insert->chunkFirstRound = round;
    table.bindRow(insert->single, runId, row);
    return insert->single.execute();
}

} // namespace run_writer_detail

RunWriter::RunWriter(RunStore *store, const CommitPolicy &policy)
    : m_store(store)
    , m_policy(policy)
{ }

RunWriter::~RunWriter()
{
    if (isOpen()) {
        QString ignored;
        finish(RunStatus::Interrupted, QStringLiteral("writer closed without finishing the run"),
            &ignored);
    }
}

bool RunWriter::prepare(QString *error)
{
    SqliteDb &db = m_store->db();
    if (m_insertRound.single.isPrepared()) {
        return true;
    }
    using run_writer_detail::prepareInsert;
    return prepareInsert(db, roundsTable(), &m_insertRound, error)
        && prepareInsert(db, clusterRoundsTable(), &m_insertCluster, error)
        && prepareInsert(db, deviceRoundsTable(), &m_insertDevice, error)
        && prepareInsert(db, eventsTable(), &m_insertEvent, error)
        && m_progress.prepare(
            db, "UPDATE runs SET rounds_done = ?2, sim_time_s = ?3 WHERE id = ?1", error);
}

bool RunWriter::lockCurrentFile(QString *error)
{
    // A writer that created this file may discard it again when its own run failed (empty,
    // RunStore::discardIfCreatedEmpty) after this store opened it. It removes the file under the
    // write lock, so once this writer holds the lock the path tells: still ours, or reopen it
    // (a new file) and store the run there rather than in a removed one.
    for (int attempt = 0;; ++attempt) {
        if (!prepare(error) || !m_store->db().exec("BEGIN IMMEDIATE", error)) {
            return false;
        }
        if (m_store->isStillAtPath()) {
            return true;
        }
        QString ignored;
        m_store->db().exec("ROLLBACK", &ignored);
        for (run_writer_detail::ChunkedInsert *s :
            {&m_insertRound, &m_insertCluster, &m_insertDevice, &m_insertEvent}) {
            s->finalize();
        }
        m_progress.finalize();
        if (attempt == 3) {
            *error = QStringLiteral("%1: removed or replaced by another process while this one "
                                    "opened it; run the command again")
                         .arg(m_store->path());
            return false;
        }
        if (!m_store->reopen(error)) {
            return false;
        }
    }
}

bool RunWriter::beginRun(const RunMeta &meta, std::int64_t *id, QString *error)
{
    if (isOpen()) {
        *error = QStringLiteral("%1: run %2 is still open in this writer")
                     .arg(m_store->path())
                     .arg(m_runId);
        return false;
    }
    m_committer.wait(); // a previous run's committer is idle after finish(); be sure
    if (!lockCurrentFile(error)) {
        return false;
    }
    const StoreTable<RunRow> &runs = runsTable();
    SqliteStatement insert;
    const WriterIdentity writer = currentWriter();
    RunRow row;
    row.info.name = meta.name;
    row.info.created = nowUtc();
    row.info.scenarioName = meta.scenarioName;
    row.scenarioJson = meta.scenarioJson;
    row.info.policy = meta.policy;
    row.info.seed = meta.seed;
    row.info.train = meta.train;
    row.info.status = RunStatus::Running;
    row.info.version = meta.version;
    row.info.roundsPlanned = meta.roundsPlanned;
    row.info.point = meta.point;
    row.info.writerPid = writer.pid;
    row.info.writerHost = writer.host;
    row.writerStart = writer.startTicks;
    bool ok = insert.prepare(m_store->db(), runs.insertSql().constData(), error);
    if (ok) {
        runs.bindRow(insert, 0, row);
        ok = insert.run(QStringLiteral("creating the run row"), error);
    }
    if (ok && !m_store->db().exec("COMMIT", error)) {
        // Name what failed (a full disk shows here): the row, not the transaction.
        *error = m_store->db().describe(
            QStringLiteral("creating the run row"), m_store->db().lastCode());
        ok = false;
    }
    if (!ok) {
        QString ignored;
        m_store->db().exec("ROLLBACK", &ignored);
        return false;
    }
    m_runId = m_store->db().lastInsertId();
    *id = m_runId;
    m_rows = 0;
    m_roundsCommitted = 0;
    m_pending.clear();
    m_batch.clear();
    m_batchRounds = 0;
    m_resultPending = false;
    m_lockWasBusy = false;
    m_sinceCommit.start();
    return true;
}

bool RunWriter::appendRound(const RoundRecord &record, QString *error)
{
    if (!isOpen()) {
        *error = QStringLiteral("%1: appendRound without beginRun").arg(m_store->path());
        return false;
    }
    m_pending.push_back(record);
    return commitIfDue(error);
}

bool RunWriter::appendRound(RoundRecord &&record, QString *error)
{
    if (!isOpen()) {
        *error = QStringLiteral("%1: appendRound without beginRun").arg(m_store->path());
        return false;
    }
    m_pending.push_back(std::move(record));
    return commitIfDue(error);
}

bool RunWriter::commitIfDue(QString *error)
{
    // The run's first batch is committed here even with `background`: a database that takes no
    // rounds at all (full disk, read-only, damaged) stops the run at that batch's round, as
    // before; the later batches go to the committer.
    const bool background = m_policy.background && m_roundsCommitted.load() > 0;
    if (!collect(error)) {
        return false; // the batch the committer wrote meanwhile could not be stored
    }
    constexpr int kOverdue = 8;
    const auto state = [&](bool *due, bool *overdue) {
        // Not yet committed: the batch (in flight, or back from a locked database) and the rest.
        const std::size_t waiting = m_pending.size() + m_batchRounds;
        const qint64 age = m_sinceCommit.elapsed();
        *due = waiting >= std::size_t(m_policy.maxRounds) || age >= m_policy.maxDelayMs;
        *overdue = waiting >= std::size_t(kOverdue) * std::size_t(m_policy.maxRounds)
            || age >= kOverdue * qint64(m_policy.maxDelayMs);
    };
    bool due = false;
    bool overdue = false;
    state(&due, &overdue);
    if (!due) {
        return true;
    }
    if (m_committer.busy()) {
        // The committer writes the last batch: go on buffering, unless the buffer is overdue,
        // then wait for it (memory stays bounded: one batch in flight, one buffered).
        if (!overdue) {
            return true;
        }
        if (!waitAndCollect(error)) {
            return false;
        }
        if (m_result == BatchResult::Committed) {
            // The committer was only slower than the rounds: hand it the next batch.
            return dispatch(false, background, error);
        }
        state(&due, &overdue);
    }
    // Due. When another connection holds the write lock (the experiment runner's workers share
    // one file), waiting means SQLite's busy handler naps of 1-100 ms with this core idle:
    // rather keep computing and try again after the next round. Wait only once the batch is
    // kOverdue times past the policy, so what a kill can lose stays bounded. In the background
    // only once the lock was met: a batch overdue because the rounds are slow (seconds each)
    // goes to the committer like any other.
    if (overdue && (!background || m_lockWasBusy)) {
        return flush(error);
    }
    return dispatch(false, background, error);
}

bool RunWriter::dispatch(bool waitForLock, bool background, QString *error)
{
    if (!collect(error)) {
        return false; // a batch the committer finished since the caller last looked
    }
    m_batch.insert(m_batch.end(), std::make_move_iterator(m_pending.begin()),
        std::make_move_iterator(m_pending.end()));
    m_pending.clear();
    if (m_batch.empty()) {
        m_sinceCommit.restart();
        return true;
    }
    m_beforeDispatch = m_sinceCommit;
    m_sinceCommit.restart();
    m_batchRounds = m_batch.size();
    m_resultPending = true;
    // Without a thread (none could be created) the batch is committed here, as without
    // `background`.
    if (background && m_committer.start([this, waitForLock] {
            m_result = commitBatch(waitForLock, &m_resultError);
        })) {
        return true;
    }
    m_result = commitBatch(waitForLock, &m_resultError);
    return collect(error);
}

bool RunWriter::collect(QString *error)
{
    if (!m_resultPending || m_committer.busy()) {
        return true;
    }
    m_resultPending = false;
    m_lockWasBusy = m_result == BatchResult::LockBusy;
    switch (m_result) {
    case BatchResult::Committed:
        m_batchRounds = 0;
        return true;
    case BatchResult::LockBusy:
        // Not tried: the batch stays, and its age runs on from before (the overdue rule).
        m_sinceCommit = m_beforeDispatch;
        return true;
    case BatchResult::Failed:
        break;
    }
    *error = m_resultError;
    return false;
}

bool RunWriter::waitAndCollect(QString *error)
{
    m_committer.wait();
    return collect(error);
}

bool RunWriter::writeBatch(std::int64_t *rows, QString *error)
{
    const std::int64_t run = m_runId;
    std::size_t clusters = 0;
    std::size_t devices = 0;
    std::size_t events = 0;
    for (const RoundRecord &r : m_batch) {
        clusters += r.clusters.size();
        devices += r.devices.size();
        events += m_policy.storeEvents ? r.events.size() : 0;
    }
    // Names the rounds of the statement that failed (a chunk spans several).
    const auto failed
        = [&](const run_writer_detail::ChunkedInsert &insert, int round, const char *what, int rc) {
              const QString rounds = insert.chunkFirstRound == round
                  ? QStringLiteral("round %1").arg(round)
                  : QStringLiteral("rounds %1-%2").arg(insert.chunkFirstRound).arg(round);
              *error = m_store->db().describe(
                  QStringLiteral("storing %1%2").arg(rounds, QLatin1String(what)), rc);
              return false;
          };
    run_writer_detail::startRows(&m_insertRound, m_batch.size());
    for (const RoundRecord &r : m_batch) {
        if (const int rc
            = run_writer_detail::addRow(&m_insertRound, roundsTable(), run, r, r.round);
            rc != 0) {
            return failed(m_insertRound, r.round, "", rc);
        }
    }
    run_writer_detail::startRows(&m_insertCluster, clusters);
    ClusterRoundRow clusterRow;
    for (const RoundRecord &r : m_batch) {
        clusterRow.round = r.round;
        for (const ClusterRound &c : r.clusters) {
            clusterRow.cluster = c;
            if (const int rc = run_writer_detail::addRow(
                    &m_insertCluster, clusterRoundsTable(), run, clusterRow, r.round);
                rc != 0) {
                return failed(m_insertCluster, r.round, " (clusters)", rc);
            }
        }
    }
    run_writer_detail::startRows(&m_insertDevice, devices);
    DeviceRoundRow deviceRow;
    for (const RoundRecord &r : m_batch) {
        deviceRow.round = r.round;
        for (const DeviceRound &d : r.devices) {
            deviceRow.device = d;
            if (const int rc = run_writer_detail::addRow(
                    &m_insertDevice, deviceRoundsTable(), run, deviceRow, r.round);
                rc != 0) {
                return failed(m_insertDevice, r.round, " (devices)", rc);
            }
        }
    }
    if (m_policy.storeEvents) {
        run_writer_detail::startRows(&m_insertEvent, events);
        EventRow eventRow;
        for (const RoundRecord &r : m_batch) {
            eventRow.round = r.round;
            eventRow.seq = 0;
            for (const TimelineEvent &e : r.events) {
                eventRow.event = e;
                if (const int rc = run_writer_detail::addRow(
                        &m_insertEvent, eventsTable(), run, eventRow, r.round);
                    rc != 0) {
                    return failed(m_insertEvent, r.round, " (events)", rc);
                }
                ++eventRow.seq;
            }
        }
    }
    *rows = std::int64_t(m_batch.size() + clusters + devices + events);
    return true;
}

bool RunWriter::flush(QString *error)
{
    // The batch in flight first: its failure is superseded by this attempt at it (as before,
    // a failed batch stays and a later flush may store it).
    QString earlier;
    waitAndCollect(&earlier);
    return dispatch(true, false, error);
}

RunWriter::BatchResult RunWriter::commitBatch(
    bool waitForLock, QString *error, const Salvage *salvage)
{
    SqliteDb &db = m_store->db();
    // IMMEDIATE: take the write lock up front instead of failing mid-batch, waiting up to the
    // busy timeout, or not at all: then SQLITE_BUSY keeps the batch pending and the commit timer
    // running, and the next round tries again (appendRound).
    QString attempt;
    if (!waitForLock) {
        sqlite3_busy_timeout(db.handle(), 0);
    }
    const bool locked = db.exec("BEGIN IMMEDIATE", &attempt);
    if (!waitForLock) {
        sqlite3_busy_timeout(db.handle(), db.busyTimeoutMs());
        if (!locked && (db.lastCode() & 0xff) == SQLITE_BUSY) {
            return BatchResult::LockBusy;
        }
    }
    if (!locked) {
        m_lastFailure = db.lastCode() & 0xff;
        *error = attempt;
        return BatchResult::Failed;
    }
    std::int64_t rows = 0;
    const int committed = m_roundsCommitted.load();
    bool ok = writeBatch(&rows, error);
    if (ok) {
        m_progress.bind(1, m_runId);
        m_progress.bind(2, committed + int(m_batch.size()));
        m_progress.bind(3, m_batch.back().simTimeS);
        ok = m_progress.run(QStringLiteral("updating run %1 progress").arg(m_runId), error);
    }
    if (ok && salvage) {
        // The run row's status and message in the same transaction as the rounds they count.
        const int stored = committed + int(m_batch.size());
        const int lost = salvage->lostAtStart - (stored - salvage->committedAtStart);
        QString statusError;
        ok = storeStatus(lost == 0 ? salvage->status : salvage->failedStatus,
                 lost == 0 ? salvage->message : salvage->text(lost, stored), &statusError)
            == SQLITE_OK;
        if (!ok) {
            *error = statusError;
        }
    }
    if (!ok || !db.exec("COMMIT", error)) {
        m_lastFailure = db.lastCode() & 0xff;
        QString ignored;
        db.exec("ROLLBACK", &ignored);
        return BatchResult::Failed; // the batch stays: a later flush may succeed
    }
    m_rows += rows;
    m_roundsCommitted += int(m_batch.size());
    m_batch.clear();
    return BatchResult::Committed;
}

bool RunWriter::storeWhatFits(const Salvage &salvage)
{
    if (m_batch.empty()) {
        return true;
    }
    QString ignored;
    if (commitBatch(true, &ignored, &salvage) == BatchResult::Committed) {
        return true;
    }
    if ((m_lastFailure != SQLITE_FULL && m_lastFailure != SQLITE_IOERR) || m_batch.size() < 2) {
        return false;
    }
    // Split off the second half, store what fits of the first, then put the second half back
    // behind whatever of the first stayed pending; only when the first fit whole can the second.
    const auto half = m_batch.begin() + std::ptrdiff_t(m_batch.size() / 2);
    std::vector<RoundRecord> rest(
        std::make_move_iterator(half), std::make_move_iterator(m_batch.end()));
    m_batch.erase(half, m_batch.end());
    const bool firstStored = storeWhatFits(salvage);
    m_batch.insert(
        m_batch.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
    return firstStored && storeWhatFits(salvage);
}

int RunWriter::storeStatus(RunStatus status, const QString &message, QString *error)
{
    SqliteStatement update;
    if (!update.prepare(m_store->db(),
            "UPDATE runs SET status = ?2, message = ?3, finished = ?4, "
            "writer_pid = NULL, writer_host = NULL, writer_start = NULL WHERE id = ?1",
            error)) {
        return SQLITE_ERROR;
    }
    update.bind(1, m_runId);
    update.bind(2, runStatusName(status));
    update.bind(3, message);
    if (status == RunStatus::Interrupted) {
        update.bindNull(4);
    } else {
        update.bind(4, nowUtc());
    }
    const int rc = update.execute();
    if (rc != SQLITE_OK) {
        *error = m_store->db().describe(QStringLiteral("finishing run %1").arg(m_runId), rc);
    }
    return rc;
}

QString RunWriter::Salvage::text(int lost, int stored) const
{
    QString reason = QStringLiteral("%1 round(s) after the %2 stored could not be stored")
                         .arg(lost)
                         .arg(stored);
    if (!message.contains(flushError)) { // the caller's message may already be this error
        reason += QStringLiteral(": ") + flushError;
    }
    return message.isEmpty() ? reason : message + QStringLiteral("; ") + reason;
}

bool RunWriter::finish(RunStatus status, const QString &message, QString *error)
{
    if (!isOpen()) {
        *error = QStringLiteral("%1: finish without beginRun").arg(m_store->path());
        return false;
    }
    QString flushError;
    bool flushed = flush(&flushError); // waits for the committer; every round is in m_batch now
    const bool diskFull
        = !flushed && (m_lastFailure == SQLITE_FULL || m_lastFailure == SQLITE_IOERR);
    // A run is `completed` only when every round it produced is on disk; rounds that could not be
    // stored make any run `failed`, with the reason (an interrupted one stays interrupted).
    Salvage salvage;
    salvage.status = status;
    salvage.failedStatus = status == RunStatus::Interrupted ? status : RunStatus::Failed;
    salvage.message = message;
    salvage.flushError = flushError;
    salvage.committedAtStart = m_roundsCommitted;
    salvage.lostAtStart = int(m_batch.size());
    const RunStatus storedStatus = flushed ? status : salvage.failedStatus;
    QString text = flushed ? message : salvage.text(int(m_batch.size()), m_roundsCommitted);
    QString updateError;
    int rc = storeStatus(storedStatus, text, &updateError);
    if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR) {
        // Full disk: the failed batch's frames fill the WAL up to the limit. A TRUNCATE
        // checkpoint moves the committed frames into the database file and empties the WAL,
        // so the small status update has room again.
        QString ignored;
        m_store->db().exec("PRAGMA wal_checkpoint(TRUNCATE)", &ignored);
        rc = storeStatus(storedStatus, text, &updateError);
    }
    if (rc != SQLITE_OK) {
        // The row stays `running` with this process as writer; once it exits, the next writer
        // stores it as interrupted (never as completed).
        text += QStringLiteral("; the final status could not be stored: %1").arg(updateError);
        *error = text;
        return false;
    }
    if (diskFull) {
        // The status is stored first, so it is never what the rounds' room costs. Then the rounds
        // that still fit (smaller transactions need fewer pages) are kept, each part with the run
        // row's count and message brought up to date in the same transaction.
        flushed = storeWhatFits(salvage);
        const int stored = m_roundsCommitted;
        text = flushed ? message : salvage.text(int(m_batch.size()), stored);
    }
    m_runId = 0;
    m_pending.clear();
    m_batch.clear();
    m_batchRounds = 0;
    if (!flushed) {
        *error = text;
        return false;
    }
    return true;
}

} // namespace collapipe
