// SPDX-License-Identifier: MIT
#include "core/store/run_reader.h"

#include "core/store/run_store.h"
#include "core/store/store_tables.h"
#include "core/store/writer_identity.h"

#include <map>
#include <sqlite3.h>

namespace collapipe {

namespace {

RunInfo runFromRow(const SqliteStatement &q)
{
    RunRow row;
    runsTable().readRow(q, &row);
    RunInfo info = std::move(row.info);
    if (info.status == RunStatus::Running) {
        // A reader never writes (the file may be read-only): it only reports what the next
        // writer will store, using the same rule as RunStore::recoverInterruptedRuns.
        WriterIdentity writer;
        writer.pid = info.writerPid;
        writer.host = info.writerHost;
        writer.startTicks = row.writerStart;
        if (!writerAlive(writer)) {
            info.status = RunStatus::Interrupted;
            info.message = interruptedMessage();
        }
    }
    return info;
}

bool finished(SqliteDb &db, int rc, const QString &what, QString *error)
{
    if (rc == SQLITE_DONE) {
        return true;
    }
    *error = db.describe(what, rc);
    return false;
}

} // namespace

RunReader::RunReader(RunStore *store)
    : m_store(store)
{ }

bool RunReader::listRuns(std::vector<RunInfo> *runs, QString *error)
{
    SqliteStatement q;
    const QByteArray sql = runsTable().selectSql("ORDER BY id DESC");
    if (!q.prepare(m_store->db(), sql.constData(), error)) {
        return false;
    }
    runs->clear();
    int rc = SQLITE_ROW;
    while ((rc = q.step()) == SQLITE_ROW) {
        runs->push_back(runFromRow(q));
    }
    return finished(m_store->db(), rc, QStringLiteral("listing runs"), error);
}

bool RunReader::run(std::int64_t id, RunInfo *info, QString *error)
{
    SqliteStatement q;
    const QByteArray sql = runsTable().selectSql("WHERE id = ?1");
    if (!q.prepare(m_store->db(), sql.constData(), error)) {
        return false;
    }
    q.bind(1, id);
    const int rc = q.step();
    if (rc == SQLITE_ROW) {
        *info = runFromRow(q);
        return true;
    }
    if (rc == SQLITE_DONE) {
        *error = QStringLiteral("%1: no run with id %2").arg(m_store->path()).arg(id);
        return false;
    }
    *error = m_store->db().describe(QStringLiteral("reading run %1").arg(id), rc);
    return false;
}

bool RunReader::requireRun(std::int64_t id, QString *error)
{
    RunInfo info;
    return run(id, &info, error);
}

bool RunReader::scenarioJson(std::int64_t id, QString *json, QString *error)
{
    SqliteStatement q;
    if (!q.prepare(m_store->db(), "SELECT scenario_json FROM runs WHERE id = ?1", error)) {
        return false;
    }
    q.bind(1, id);
    const int rc = q.step();
    if (rc == SQLITE_ROW) {
        *json = q.columnText(0);
        return true;
    }
    *error = rc == SQLITE_DONE
        ? QStringLiteral("%1: no run with id %2").arg(m_store->path()).arg(id)
        : m_store->db().describe(QStringLiteral("reading run %1").arg(id), rc);
    return false;
}

bool RunReader::rounds(
    std::int64_t id, std::vector<RoundRecord> *out, QString *error, unsigned parts)
{
    if (!requireRun(id, error)) {
        return false;
    }
    SqliteDb &db = m_store->db();
    SqliteStatement q;
    const StoreTable<RoundRecord> &roundsSql = roundsTable();
    if (!q.prepare(
            db, roundsSql.selectSql("WHERE run_id = ?1 ORDER BY round").constData(), error)) {
        return false;
    }
    q.bind(1, id);
    out->clear();
    std::map<int, std::size_t> index; // round -> position in *out
    int rc = SQLITE_ROW;
    while ((rc = q.step()) == SQLITE_ROW) {
        RoundRecord r;
        roundsSql.readRow(q, &r);
        index[r.round] = out->size();
        out->push_back(std::move(r));
    }
    if (!finished(db, rc, QStringLiteral("reading rounds of run %1").arg(id), error)) {
        return false;
    }
    if (parts & RoundClusters) {
        SqliteStatement c;
        const StoreTable<ClusterRoundRow> &clusters = clusterRoundsTable();
        if (!c.prepare(db,
                clusters.selectSql("WHERE run_id = ?1 ORDER BY round, cluster").constData(),
                error)) {
            return false;
        }
        c.bind(1, id);
        while ((rc = c.step()) == SQLITE_ROW) {
            ClusterRoundRow row;
            clusters.readRow(c, &row);
            const auto it = index.find(row.round);
            if (it != index.end()) {
                (*out)[it->second].clusters.push_back(row.cluster);
            }
        }
        if (!finished(db, rc, QStringLiteral("reading clusters of run %1").arg(id), error)) {
            return false;
        }
    }
    if (parts & RoundDevices) {
        std::vector<DeviceRoundRow> rows;
        if (!deviceRounds(id, &rows, error)) {
            return false;
        }
        for (DeviceRoundRow &row : rows) {
            const auto it = index.find(row.round);
            if (it != index.end()) {
                (*out)[it->second].devices.push_back(std::move(row.device));
            }
        }
    }
    if (parts & RoundEvents) {
        // One statement for the whole run, its rows in primary-key order (round, seq), instead
        // of one built and prepared per round: with the column tables' longer SELECT that per-
        // round cost made reading 2,000 rounds 8-26 % slower (bench_store "store read", CPU
        // time); one scan reads them as fast as before the tables.
        SqliteStatement e;
        const StoreTable<EventRow> &eventRows = eventsTable();
        if (!e.prepare(db, eventRows.selectSql("WHERE run_id = ?1 ORDER BY round, seq").constData(),
                error)) {
            return false;
        }
        e.bind(1, id);
        EventRow row;
        RoundRecord *current = nullptr;
        while ((rc = e.step()) == SQLITE_ROW) {
            eventRows.readRow(e, &row);
            if (!current || current->round != row.round) {
                const auto it = index.find(row.round);
                current = it != index.end() ? &(*out)[it->second] : nullptr;
            }
            if (current) {
                current->events.push_back(row.event);
            }
        }
        if (!finished(db, rc, QStringLiteral("reading events of run %1").arg(id), error)) {
            return false;
        }
    }
    return true;
}

bool RunReader::deviceRounds(std::int64_t id, std::vector<DeviceRoundRow> *rows, QString *error)
{
    SqliteStatement d;
    const StoreTable<DeviceRoundRow> &devices = deviceRoundsTable();
    if (!d.prepare(m_store->db(),
            devices.selectSql("WHERE run_id = ?1 ORDER BY round, cluster, device").constData(),
            error)) {
        return false;
    }
    d.bind(1, id);
    rows->clear();
    int rc = SQLITE_ROW;
    while ((rc = d.step()) == SQLITE_ROW) {
        DeviceRoundRow row;
        devices.readRow(d, &row);
        rows->push_back(std::move(row));
    }
    return finished(m_store->db(), rc, QStringLiteral("reading devices of run %1").arg(id), error);
}

bool RunReader::events(
    std::int64_t id, int round, std::vector<TimelineEvent> *events, QString *error)
{
    SqliteStatement e;
    const StoreTable<EventRow> &eventRows = eventsTable();
    if (!e.prepare(m_store->db(),
            eventRows.selectSql("WHERE run_id = ?1 AND round = ?2 ORDER BY seq").constData(),
            error)) {
        return false;
    }
    e.bind(1, id);
    e.bind(2, round);
    events->clear();
    int rc = SQLITE_ROW;
    while ((rc = e.step()) == SQLITE_ROW) {
        EventRow row;
        eventRows.readRow(e, &row);
        events->push_back(row.event);
    }
    return finished(m_store->db(), rc,
        QStringLiteral("reading events of run %1 round %2").arg(id).arg(round), error);
}

bool RunReader::summary(std::int64_t id, RunSummary *s, QString *error, bool deviceAggregates)
{
    if (!requireRun(id, error)) {
        return false;
    }
    SqliteDb &db = m_store->db();
    SqliteStatement q;
    // Aggregates ignore NULLs, so "not measured" rounds do not drag the means. Each child table
    // is read once (one aggregate subquery per table in FROM, each one row); three scans each of
    // device_rounds and cluster_rounds made `collapipe run`'s closing summary cost 8.5 instead of
    // 5.4 µs CPU per default.json round (bench_store --store-share); without the device rows
    // (`collapipe run` prints none of their aggregates) it is 2 µs.
    const char *const kHead
        = "SELECT n, sim, lat, en, en_total, bub, eff, obj, dec, loss, acc, queue, mem_frac, "
          "mem, comp, d2d, d2e, decoder, upload, agg, bubble_s, sat, late, no_agg FROM "
          "(SELECT COUNT(*) AS n, MAX(sim_time_s) AS sim, AVG(latency_s) AS lat, "
          " AVG(energy_j) AS en, TOTAL(energy_j) AS en_total, AVG(bubble_fraction) AS bub, "
          " AVG(computation_efficiency) AS eff, AVG(objective) AS obj, "
          " AVG(decision_time_s) AS dec, "
          " (SELECT loss FROM rounds WHERE run_id = ?1 AND loss IS NOT NULL "
          "  ORDER BY round DESC LIMIT 1) AS loss, "
          " (SELECT accuracy FROM rounds WHERE run_id = ?1 AND accuracy IS NOT NULL "
          "  ORDER BY round DESC LIMIT 1) AS acc, "
          " AVG(compute_s) AS comp, AVG(d2d_s) AS d2d, AVG(d2e_s) AS d2e, "
          " AVG(decoder_s) AS decoder, AVG(upload_s) AS upload, AVG(aggregation_s) AS agg, "
          " AVG(bubble_s) AS bubble_s FROM rounds WHERE run_id = ?1), ";
    const char *const kDevices
        = "(SELECT AVG(energy_queue_j) AS queue, "
          " MAX(CASE WHEN memory_capacity_bytes > 0 "
          "     THEN memory_predicted_bytes / memory_capacity_bytes END) AS mem_frac, "
          " MAX(memory_predicted_bytes) AS mem FROM device_rounds WHERE run_id = ?1), ";
    const char *const kNoDevices = "(SELECT NULL AS queue, NULL AS mem_frac, NULL AS mem), ";
    const char *const kTail
        = "(SELECT COALESCE(SUM(round_sat), 0) AS sat, COALESCE(SUM(round_late), 0) AS late, "
          " COUNT(CASE WHEN round_agg = 0 THEN 1 END) AS no_agg FROM "
          " (SELECT COUNT(CASE WHEN sat_out = 1 THEN 1 END) AS round_sat, "
          "  COUNT(CASE WHEN sat_out = 0 AND aggregated = 0 THEN 1 END) AS round_late, "
          "  MAX(aggregated) AS round_agg FROM cluster_rounds WHERE run_id = ?1 "
          "  GROUP BY round))";
    const QByteArray sql = QByteArray(kHead) + (deviceAggregates ? kDevices : kNoDevices) + kTail;
    if (!q.prepare(db, sql.constData(), error)) {
        return false;
    }
    q.bind(1, id);
    const int rc = q.step();
    if (rc != SQLITE_ROW) {
        *error = db.describe(QStringLiteral("summarising run %1").arg(id), rc);
        return false;
    }
    s->rounds = q.columnInt(0);
    s->simTimeS = q.columnDouble(1);
    s->meanLatencyS = q.columnDouble(2);
    s->meanEnergyJ = q.columnDouble(3);
    s->totalEnergyJ = q.columnDouble(4);
    s->meanBubbleFraction = q.columnDouble(5);
    s->meanComputationEfficiency = q.columnDouble(6);
    s->meanObjective = q.columnDouble(7);
    s->meanDecisionTimeS = q.columnDouble(8);
    s->finalLoss = q.columnDouble(9);
    s->finalAccuracy = q.columnDouble(10);
    s->meanEnergyQueueJ = q.columnDouble(11);
    s->maxMemoryFraction = q.columnDouble(12);
    s->maxDeviceMemoryBytes = q.columnDouble(13);
    LatencySplit &split = s->meanSplit;
    double *parts[] = {&split.computeS, &split.d2dS, &split.d2eS, &split.decoderS, &split.uploadS,
        &split.aggregationS, &split.bubbleS};
    for (int i = 0; i < 7; ++i) {
        *parts[i] = q.columnDouble(14 + i);
    }
    s->satOutClusterRounds = q.columnInt(21);
    s->lateClusterRounds = q.columnInt(22);
    s->roundsWithoutAggregation = q.columnInt(23);
    return true;
}

bool RunReader::satOuts(std::int64_t id, std::vector<SatOutSpan> *spans, QString *error)
{
    spans->clear();
    if (!requireRun(id, error)) {
        return false;
    }
    SqliteDb &db = m_store->db();
    SqliteStatement q;
    if (!q.prepare(db,
            "SELECT cluster, sat_out_reason, COUNT(*), MIN(round), MAX(round) FROM cluster_rounds "
            "WHERE run_id = ?1 AND sat_out = 1 GROUP BY cluster, sat_out_reason "
            "ORDER BY MIN(round), cluster",
            error)) {
        return false;
    }
    q.bind(1, id);
    int rc = SQLITE_ROW;
    while ((rc = q.step()) == SQLITE_ROW) {
        SatOutSpan span;
        span.cluster = q.columnInt(0);
        span.reason = q.columnText(1);
        span.rounds = q.columnInt(2);
        span.firstRound = q.columnInt(3);
        span.lastRound = q.columnInt(4);
        spans->push_back(std::move(span));
    }
    if (rc != SQLITE_DONE) {
        *error = db.describe(QStringLiteral("reading the sat-out rounds of run %1").arg(id), rc);
        return false;
    }
    return true;
}

} // namespace collapipe
