// SPDX-License-Identifier: MIT
#include "core/store/run_writer.h"

#include "core/store/event_names.h"
#include "core/store/run_store.h"
#include "core/store/writer_identity.h"

#include <QDateTime>

#include <sqlite3.h>

namespace collapipe {

namespace {

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

} // namespace

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
    if (m_insertRound.isPrepared()) {
        return true;
    }
    return m_insertRound.prepare(db,
               "INSERT INTO rounds VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
               "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
               error)
        && m_insertCluster.prepare(db,
            "INSERT INTO cluster_rounds VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
            "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            error)
        && m_insertDevice.prepare(db,
            "INSERT INTO device_rounds VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
            "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
            "?19, ?20, ?21)",
            error)
        && m_insertEvent.prepare(db,
            "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
            "?9, ?10, ?11, ?12)",
            error)
        && m_progress.prepare(
            db, "UPDATE runs SET rounds_done = ?2, sim_time_s = ?3 WHERE id = ?1", error);
}

bool RunWriter::beginRun(const RunMeta &meta, std::int64_t *id, QString *error)
{
    if (isOpen()) {
        *error = QStringLiteral("%1: run %2 is still open in this writer")
                     .arg(m_store->path())
                     .arg(m_runId);
        return false;
    }
    if (!prepare(error)) {
        return false;
    }
    SqliteStatement insert;
    if (!insert.prepare(m_store->db(),
            "INSERT INTO runs (name, created, scenario_name, scenario_json, policy, "
            "seed, train, status, version, rounds_planned, writer_pid, writer_host, "
            "writer_start) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'running', ?8, ?9, "
            "?10, ?11, ?12)",
            error)) {
        return false;
    }
    const WriterIdentity writer = currentWriter();
    insert.bind(1, meta.name);
    insert.bind(2, nowUtc());
    insert.bind(3, meta.scenarioName);
    insert.bind(4, meta.scenarioJson);
    insert.bind(5, meta.policy);
    insert.bind(6, std::int64_t(meta.seed)); // bit pattern; RunReader casts back
    insert.bind(7, meta.train ? 1 : 0);
    insert.bind(8, meta.version);
    insert.bind(9, meta.roundsPlanned);
    insert.bind(10, writer.pid);
    insert.bind(11, writer.host);
    insert.bind(12, writer.startTicks);
    if (!insert.run(QStringLiteral("creating the run row"), error)) {
        return false;
    }
    m_runId = m_store->db().lastInsertId();
    *id = m_runId;
    m_rows = 0;
    m_roundsCommitted = 0;
    m_simTimeS = 0.0;
    m_pending.clear();
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
    if (int(m_pending.size()) >= m_policy.maxRounds
        || m_sinceCommit.elapsed() >= m_policy.maxDelayMs) {
        return flush(error);
    }
    return true;
}

bool RunWriter::writeRound(const RoundRecord &r, QString *error)
{
    const std::int64_t run = m_runId;
    SqliteStatement &q = m_insertRound;
    q.bind(1, run);
    q.bind(2, r.round);
    q.bind(3, r.simTimeS);
    q.bind(4, r.latencyS);
    q.bind(5, r.split.computeS);
    q.bind(6, r.split.d2dS);
    q.bind(7, r.split.d2eS);
    q.bind(8, r.split.decoderS);
    q.bind(9, r.split.uploadS);
    q.bind(10, r.split.aggregationS);
    q.bind(11, r.split.bubbleS);
    q.bind(12, r.bubbleFraction);
    q.bind(13, r.computationEfficiency);
    q.bind(14, r.energyJ);
    q.bind(15, r.loss);
    q.bind(16, r.accuracy);
    q.bind(17, r.drift);
    q.bind(18, r.penalty);
    q.bind(19, r.objective);
    q.bind(20, r.decisionTimeS);
    q.bind(21, r.bytesMoved);
    if (const int rc = q.execute(); rc != 0) {
        *error = m_store->db().describe(QStringLiteral("storing round %1").arg(r.round), rc);
        return false;
    }
    std::int64_t rows = 1;
    for (const ClusterRound &c : r.clusters) {
        SqliteStatement &s = m_insertCluster;
        s.bind(1, run);
        s.bind(2, r.round);
        s.bind(3, c.cluster);
        s.bind(4, c.microbatches);
        s.bind(5, c.microbatchSize);
        s.bind(6, c.makespanS);
        s.bind(7, c.bubbleFraction);
        s.bind(8, c.computationEfficiency);
        s.bind(9, c.uploadS);
        s.bind(10, c.latencyS);
        s.bind(11, c.convergenceQueue);
        s.bind(12, c.loss);
        s.bind(13, c.edgeFirstBlock);
        s.bind(14, c.edgeLastBlock);
        s.bind(15, c.edgeMemoryBytes);
        s.bind(16, c.controlUnitEnergyJ);
        if (const int rc = s.execute(); rc != 0) {
            *error = m_store->db().describe(
                QStringLiteral("storing round %1 cluster %2").arg(r.round).arg(c.cluster), rc);
            return false;
        }
        ++rows;
    }
    for (const DeviceRound &d : r.devices) {
        SqliteStatement &s = m_insertDevice;
        s.bind(1, run);
        s.bind(2, r.round);
        s.bind(3, d.cluster);
        s.bind(4, d.device);
        s.bind(5, d.deviceId);
        s.bind(6, d.stage);
        s.bind(7, d.firstBlock);
        s.bind(8, d.lastBlock);
        s.bind(9, d.microbatches);
        s.bind(10, d.bandwidthShare);
        s.bind(11, d.powerW);
        s.bind(12, d.memoryPredictedBytes);
        s.bind(13, d.memoryMeasuredBytes);
        s.bind(14, d.memoryCapacityBytes);
        s.bind(15, d.energyJ);
        s.bind(16, d.energyQueueJ);
        s.bind(17, d.busyS);
        s.bind(18, d.linkDistanceM);
        s.bind(19, d.linkSnrDb);
        s.bind(20, d.linkRateBps);
        s.bind(21, d.memoryPredictedTrainerBytes);
        if (const int rc = s.execute(); rc != 0) {
            *error = m_store->db().describe(
                QStringLiteral("storing round %1 device %2").arg(r.round).arg(d.deviceId), rc);
            return false;
        }
        ++rows;
    }
    if (m_policy.storeEvents) {
        int seq = 0;
        for (const TimelineEvent &e : r.events) {
            SqliteStatement &s = m_insertEvent;
            s.bind(1, run);
            s.bind(2, r.round);
            s.bind(3, seq++);
            s.bind(4, e.cluster);
            s.bindStatic(5, resourceKindKey(e.resource.kind));
            s.bind(6, e.resource.from);
            s.bind(7, e.resource.to);
            s.bindStatic(8, eventKindKey(e.kind));
            s.bind(9, e.microbatch);
            s.bind(10, e.stage);
            s.bind(11, e.startS);
            s.bind(12, e.endS);
            if (const int rc = s.execute(); rc != 0) {
                *error = m_store->db().describe(
                    QStringLiteral("storing round %1 event %2").arg(r.round).arg(seq - 1), rc);
                return false;
            }
            ++rows;
        }
    }
    m_rows += rows;
    return true;
}

bool RunWriter::flush(QString *error)
{
    m_sinceCommit.restart();
    if (m_pending.empty()) {
        return true;
    }
    SqliteDb &db = m_store->db();
    // IMMEDIATE: wait (busy timeout) for the write lock up front instead of failing mid-batch.
    if (!db.exec("BEGIN IMMEDIATE", error)) {
        return false;
    }
    const std::int64_t rowsBefore = m_rows;
    bool ok = true;
    for (const RoundRecord &record : m_pending) {
        if (!writeRound(record, error)) {
            ok = false;
            break;
        }
    }
    if (ok) {
        m_progress.bind(1, m_runId);
        m_progress.bind(2, m_roundsCommitted + int(m_pending.size()));
        m_progress.bind(3, m_pending.back().simTimeS);
        ok = m_progress.run(QStringLiteral("updating run %1 progress").arg(m_runId), error);
    }
    if (!ok || !db.exec("COMMIT", error)) {
        QString ignored;
        db.exec("ROLLBACK", &ignored);
        m_rows = rowsBefore;
        return false; // the batch stays pending: a later flush may succeed once the lock is free
    }
    m_roundsCommitted += int(m_pending.size());
    m_simTimeS = m_pending.back().simTimeS;
    m_pending.clear();
    return true;
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

bool RunWriter::finish(RunStatus status, const QString &message, QString *error)
{
    if (!isOpen()) {
        *error = QStringLiteral("%1: finish without beginRun").arg(m_store->path());
        return false;
    }
    QString flushError;
    const bool flushed = flush(&flushError);
    const int lost = int(m_pending.size());
    // A run is `completed` only when every round it produced is on disk; rounds that could not be
    // stored make any run `failed`, with the reason (an interrupted one stays interrupted).
    RunStatus storedStatus = status;
    QString text = message;
    auto addReason = [&text](const QString &reason) {
        text += (text.isEmpty() ? QString() : QStringLiteral("; ")) + reason;
    };
    if (!flushed) {
        if (status != RunStatus::Interrupted) {
            storedStatus = RunStatus::Failed;
        }
        QString reason = QStringLiteral("%1 round(s) after the %2 stored could not be stored")
                             .arg(lost)
                             .arg(m_roundsCommitted);
        if (!text.contains(flushError)) { // the caller's message may already be this error
            reason += QStringLiteral(": ") + flushError;
        }
        addReason(reason);
    }
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
        addReason(QStringLiteral("the final status could not be stored: %1").arg(updateError));
        *error = text;
        return false;
    }
    m_runId = 0;
    m_pending.clear();
    if (!flushed) {
        *error = text;
        return false;
    }
    return true;
}

} // namespace collapipe
