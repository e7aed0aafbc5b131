// SPDX-License-Identifier: MIT
#include "core/store/run_reader.h"

#include "core/store/event_names.h"
#include "core/store/run_store.h"
#include "core/store/writer_identity.h"

#include <map>
#include <sqlite3.h>

namespace collapipe {

namespace {

constexpr const char *kRunColumns
    = "SELECT id, name, created, finished, scenario_name, policy, seed, train, status, message, "
      "version, rounds_planned, rounds_done, sim_time_s, writer_pid, writer_host, writer_start "
      "FROM runs ";

RunInfo runFromRow(const SqliteStatement &q)
{
    RunInfo info;
    info.id = q.columnInt64(0);
    info.name = q.columnText(1);
    info.created = q.columnText(2);
    info.finished = q.columnText(3);
    info.scenarioName = q.columnText(4);
    info.policy = q.columnText(5);
    info.seed = std::uint64_t(q.columnInt64(6));
    info.train = q.columnInt(7) != 0;
    parseRunStatus(q.columnText(8), &info.status);
    info.message = q.columnText(9);
    info.version = q.columnText(10);
    info.roundsPlanned = q.columnInt(11);
    info.roundsDone = q.columnInt(12);
    info.simTimeS = q.columnDouble(13);
    info.writerPid = q.columnInt64(14);
    info.writerHost = q.columnText(15);
    if (info.status == RunStatus::Running) {
        // A reader never writes (the file may be read-only): it only reports what the next
        // writer will store, using the same rule as RunStore::recoverInterruptedRuns.
        WriterIdentity writer;
        writer.pid = info.writerPid;
        writer.host = info.writerHost;
        writer.startTicks = q.columnInt64(16);
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
    const QByteArray sql = QByteArray(kRunColumns) + "ORDER BY id DESC";
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
    const QByteArray sql = QByteArray(kRunColumns) + "WHERE id = ?1";
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
    if (!q.prepare(db, "SELECT * FROM rounds WHERE run_id = ?1 ORDER BY round", error)) {
        return false;
    }
    q.bind(1, id);
    out->clear();
    std::map<int, std::size_t> index; // round -> position in *out
    int rc = SQLITE_ROW;
    while ((rc = q.step()) == SQLITE_ROW) {
        RoundRecord r;
        r.round = q.columnInt(1);
        r.simTimeS = q.columnDouble(2);
        r.latencyS = q.columnDouble(3);
        r.split.computeS = q.columnDouble(4);
        r.split.d2dS = q.columnDouble(5);
        r.split.d2eS = q.columnDouble(6);
        r.split.decoderS = q.columnDouble(7);
        r.split.uploadS = q.columnDouble(8);
        r.split.aggregationS = q.columnDouble(9);
        r.split.bubbleS = q.columnDouble(10);
        r.bubbleFraction = q.columnDouble(11);
        r.computationEfficiency = q.columnDouble(12);
        r.energyJ = q.columnDouble(13);
        r.loss = q.columnDouble(14);
        r.accuracy = q.columnDouble(15);
        r.drift = q.columnDouble(16);
        r.penalty = q.columnDouble(17);
        r.objective = q.columnDouble(18);
        r.decisionTimeS = q.columnDouble(19);
        r.bytesMoved = q.columnDouble(20);
        index[r.round] = out->size();
        out->push_back(std::move(r));
    }
    if (!finished(db, rc, QStringLiteral("reading rounds of run %1").arg(id), error)) {
        return false;
    }
    if (parts & RoundClusters) {
        SqliteStatement c;
        if (!c.prepare(db, "SELECT * FROM cluster_rounds WHERE run_id = ?1 ORDER BY round, cluster",
                error)) {
            return false;
        }
        c.bind(1, id);
        while ((rc = c.step()) == SQLITE_ROW) {
            const auto it = index.find(c.columnInt(1));
            if (it == index.end()) {
                continue;
            }
            ClusterRound cr;
            cr.cluster = c.columnInt(2);
            cr.microbatches = c.columnInt(3);
            cr.microbatchSize = c.columnInt(4);
            cr.makespanS = c.columnDouble(5);
            cr.bubbleFraction = c.columnDouble(6);
            cr.computationEfficiency = c.columnDouble(7);
            cr.uploadS = c.columnDouble(8);
            cr.latencyS = c.columnDouble(9);
            cr.convergenceQueue = c.columnDouble(10);
            cr.loss = c.columnDouble(11);
            cr.edgeFirstBlock = c.columnInt(12);
            cr.edgeLastBlock = c.columnInt(13);
            cr.edgeMemoryBytes = c.columnDouble(14);
            cr.controlUnitEnergyJ = c.columnDouble(15);
            (*out)[it->second].clusters.push_back(cr);
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
        for (RoundRecord &r : *out) {
            if (!events(id, r.round, &r.events, error)) {
                return false;
            }
        }
    }
    return true;
}

bool RunReader::deviceRounds(std::int64_t id, std::vector<DeviceRoundRow> *rows, QString *error)
{
    SqliteStatement d;
    if (!d.prepare(m_store->db(),
            "SELECT * FROM device_rounds WHERE run_id = ?1 ORDER BY round, cluster, device",
            error)) {
        return false;
    }
    d.bind(1, id);
    rows->clear();
    int rc = SQLITE_ROW;
    while ((rc = d.step()) == SQLITE_ROW) {
        DeviceRoundRow row;
        row.round = d.columnInt(1);
        DeviceRound &dr = row.device;
        dr.cluster = d.columnInt(2);
        dr.device = d.columnInt(3);
        dr.deviceId = d.columnText(4);
        dr.stage = d.columnInt(5);
        dr.firstBlock = d.columnInt(6);
        dr.lastBlock = d.columnInt(7);
        dr.microbatches = d.columnInt(8);
        dr.bandwidthShare = d.columnDouble(9);
        dr.powerW = d.columnDouble(10);
        dr.memoryPredictedBytes = d.columnDouble(11);
        dr.memoryMeasuredBytes = d.columnDouble(12);
        dr.memoryCapacityBytes = d.columnDouble(13);
        dr.energyJ = d.columnDouble(14);
        dr.energyQueueJ = d.columnDouble(15);
        dr.busyS = d.columnDouble(16);
        dr.linkDistanceM = d.columnDouble(17);
        dr.linkSnrDb = d.columnDouble(18);
        dr.linkRateBps = d.columnDouble(19);
        dr.memoryPredictedTrainerBytes = d.columnDouble(20);
        rows->push_back(std::move(row));
    }
    return finished(m_store->db(), rc, QStringLiteral("reading devices of run %1").arg(id), error);
}

bool RunReader::events(
    std::int64_t id, int round, std::vector<TimelineEvent> *events, QString *error)
{
    SqliteStatement e;
    if (!e.prepare(m_store->db(),
            "SELECT cluster, resource_kind, res_from, res_to, kind, microbatch, stage, "
            "start_s, end_s FROM events WHERE run_id = ?1 AND round = ?2 ORDER BY seq",
            error)) {
        return false;
    }
    e.bind(1, id);
    e.bind(2, round);
    events->clear();
    int rc = SQLITE_ROW;
    while ((rc = e.step()) == SQLITE_ROW) {
        TimelineEvent ev;
        ev.cluster = e.columnInt(0);
        parseResourceKind(e.columnText(1), &ev.resource.kind);
        ev.resource.from = e.columnInt(2);
        ev.resource.to = e.columnInt(3);
        parseEventKind(e.columnText(4), &ev.kind);
        ev.microbatch = e.columnInt(5);
        ev.stage = e.columnInt(6);
        ev.startS = e.columnDouble(7);
        ev.endS = e.columnDouble(8);
        events->push_back(ev);
    }
    return finished(m_store->db(), rc,
        QStringLiteral("reading events of run %1 round %2").arg(id).arg(round), error);
}

bool RunReader::summary(std::int64_t id, RunSummary *s, QString *error)
{
    if (!requireRun(id, error)) {
        return false;
    }
    SqliteDb &db = m_store->db();
    SqliteStatement q;
    // Aggregates ignore NULLs, so "not measured" rounds do not drag the means.
    if (!q.prepare(db,
            "SELECT COUNT(*), MAX(sim_time_s), AVG(latency_s), AVG(energy_j), "
            "TOTAL(energy_j), AVG(bubble_fraction), AVG(computation_efficiency), "
            "AVG(objective), AVG(decision_time_s), "
            "(SELECT loss FROM rounds WHERE run_id = ?1 AND loss IS NOT NULL "
            " ORDER BY round DESC LIMIT 1), "
            "(SELECT accuracy FROM rounds WHERE run_id = ?1 AND accuracy IS NOT NULL "
            " ORDER BY round DESC LIMIT 1), "
            "(SELECT AVG(energy_queue_j) FROM device_rounds WHERE run_id = ?1), "
            "(SELECT MAX(memory_predicted_bytes / memory_capacity_bytes) FROM device_rounds "
            " WHERE run_id = ?1 AND memory_capacity_bytes > 0) "
            "FROM rounds WHERE run_id = ?1",
            error)) {
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
    return true;
}

} // namespace collapipe
