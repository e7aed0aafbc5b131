// SPDX-License-Identifier: MIT
// The schema of the run database. Units are SI and in the column names; NULL in a metric column
// means "not measured this round" (RoundRecord's NaN). Child tables reference runs(id) with
// ON DELETE CASCADE so deleting a run removes everything it wrote.
#include "core/store/schema.h"

#include "core/store/sqlite_db.h"

#include <QStringList>

#include <algorithm>
#include <sqlite3.h>

namespace collapipe {

namespace {

// migrations[i] takes a database from user_version i to i + 1. Never edit a shipped entry:
// append a new one (ALTER TABLE ... ADD COLUMN, new tables) and the old files follow.
const char *const kMigrations[] = {
    // v0 -> v1: the initial schema.
    R"sql(
CREATE TABLE runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    created         TEXT    NOT NULL,            -- ISO 8601, UTC
    finished        TEXT,                        -- NULL while running or when interrupted
    scenario_name   TEXT    NOT NULL DEFAULT '',
    scenario_json   TEXT    NOT NULL,            -- the exact scenario the run used
    policy          TEXT    NOT NULL,
    seed            INTEGER NOT NULL,            -- the uint64 seed's bits
    train           INTEGER NOT NULL,            -- 1 = trainer on, 0 = cost model only
    status          TEXT    NOT NULL CHECK (status IN
                        ('running', 'completed', 'stopped', 'failed', 'interrupted')),
    message         TEXT    NOT NULL DEFAULT '', -- why it stopped/failed/was interrupted
    version         TEXT    NOT NULL,            -- program version that wrote it
    rounds_planned  INTEGER NOT NULL,
    rounds_done     INTEGER NOT NULL DEFAULT 0,  -- committed rounds, updated with each batch
    sim_time_s      REAL    NOT NULL DEFAULT 0,  -- simulated clock after the last committed round
    writer_pid      INTEGER,                     -- NULL once finished
    writer_host     TEXT,                        -- NULL once finished
    writer_start    INTEGER                      -- writer's process start (clock ticks), NULL if unknown
);

CREATE TABLE rounds (
    run_id                 INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    round                  INTEGER NOT NULL,
    sim_time_s             REAL NOT NULL,
    latency_s              REAL NOT NULL,
    compute_s              REAL NOT NULL,
    d2d_s                  REAL NOT NULL,
    d2e_s                  REAL NOT NULL,
    decoder_s              REAL NOT NULL,
    upload_s               REAL NOT NULL,
    aggregation_s          REAL NOT NULL,
    bubble_s               REAL NOT NULL,
    bubble_fraction        REAL NOT NULL,
    computation_efficiency REAL NOT NULL,
    energy_j               REAL NOT NULL,
    loss                   REAL,                 -- NULL: training off
    accuracy               REAL,                 -- NULL: not evaluated this round
    drift                  REAL NOT NULL,
    penalty                REAL NOT NULL,
    objective              REAL NOT NULL,
    decision_time_s        REAL NOT NULL,
    PRIMARY KEY (run_id, round)
) WITHOUT ROWID;

CREATE TABLE cluster_rounds (
    run_id                 INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    round                  INTEGER NOT NULL,
    cluster                INTEGER NOT NULL,
    microbatches           INTEGER NOT NULL,
    microbatch_size        INTEGER NOT NULL,
    makespan_s             REAL NOT NULL,
    bubble_fraction        REAL NOT NULL,
    computation_efficiency REAL NOT NULL,
    upload_s               REAL NOT NULL,
    latency_s              REAL NOT NULL,
    convergence_queue      REAL NOT NULL,
    loss                   REAL,                 -- NULL: training off
    PRIMARY KEY (run_id, round, cluster)
) WITHOUT ROWID;

CREATE TABLE device_rounds (
    run_id                 INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    round                  INTEGER NOT NULL,
    cluster                INTEGER NOT NULL,
    device                 INTEGER NOT NULL,     -- index into the cluster's devices
    device_id              TEXT NOT NULL,
    stage                  INTEGER NOT NULL,     -- -1: given no blocks
    first_block            INTEGER NOT NULL,     -- -1: given no blocks
    last_block             INTEGER NOT NULL,
    microbatches           INTEGER NOT NULL,
    bandwidth_share        REAL NOT NULL,
    power_w                REAL NOT NULL,
    memory_predicted_bytes REAL NOT NULL,
    memory_measured_bytes  REAL,                 -- NULL: training off
    memory_capacity_bytes  REAL NOT NULL,
    energy_j               REAL NOT NULL,
    energy_queue_j         REAL NOT NULL,        -- Q(t+1) after this round's update
    busy_s                 REAL NOT NULL,
    link_distance_m        REAL NOT NULL,        -- the device's outgoing link this round
    link_snr_db            REAL NOT NULL,
    link_rate_bps          REAL NOT NULL,
    PRIMARY KEY (run_id, round, cluster, device)
) WITHOUT ROWID;

CREATE TABLE events (
    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    round         INTEGER NOT NULL,
    seq           INTEGER NOT NULL,              -- order within the round's timeline
    cluster       INTEGER NOT NULL,
    resource_kind TEXT NOT NULL,                 -- control_unit | device | link | edge_server
    res_from      INTEGER NOT NULL,              -- device index, or -1 CU / -2 edge server
    res_to        INTEGER NOT NULL,              -- links only
    kind          TEXT NOT NULL,                 -- forward, backward, send_activation, ...
    microbatch    INTEGER NOT NULL,              -- -1: per-round event
    stage         INTEGER NOT NULL,
    start_s       REAL NOT NULL,                 -- from the start of the round
    end_s         REAL NOT NULL,
    PRIMARY KEY (run_id, round, seq)
) WITHOUT ROWID;

CREATE INDEX runs_by_status ON runs(status);
)sql",
    // v1 -> v2: re-segmentation traffic measured by the trainer (RoundRecord::bytesMoved).
    R"sql(
ALTER TABLE rounds ADD COLUMN bytes_moved REAL;  -- NULL: training off, or stored before v2
)sql",
    // v2 -> v3: the encoder tail an EdgeTail cluster's edge server ran, and the memory predicted
    // at the trainer's width (comparable with memory_measured_bytes).
    R"sql(
ALTER TABLE cluster_rounds ADD COLUMN edge_first_block INTEGER NOT NULL DEFAULT -1; -- -1: no tail
ALTER TABLE cluster_rounds ADD COLUMN edge_last_block INTEGER NOT NULL DEFAULT -1;
ALTER TABLE cluster_rounds ADD COLUMN edge_memory_bytes REAL;  -- NULL: no tail, or before v3
ALTER TABLE device_rounds ADD COLUMN memory_predicted_trainer_bytes REAL; -- NULL: training off
)sql",
    // v3 -> v4: the control unit's radio energy per cluster (its sends to stage 0 and its upload,
    // spec §2.5), part of rounds.energy_j from v4 on.
    R"sql(
ALTER TABLE cluster_rounds ADD COLUMN control_unit_energy_j REAL; -- NULL: stored before v4
)sql",
};

constexpr int kVersion = int(sizeof(kMigrations) / sizeof(kMigrations[0]));

bool readUserVersion(SqliteDb &db, int *version, QString *error)
{
    SqliteStatement query;
    if (!query.prepare(db, "PRAGMA user_version", error)) {
        return false;
    }
    const int rc = query.step();
    if (rc != SQLITE_ROW) {
        *error = db.describe(QStringLiteral("reading the schema version"), rc);
        return false;
    }
    *version = query.columnInt(0);
    return true;
}

// A SQLite file with tables but no version is someone else's database: never write into it.
bool checkForeignTables(SqliteDb &db, QString *error)
{
    SqliteStatement query;
    if (!query.prepare(db,
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name",
            error)) {
        return false;
    }
    QStringList tables;
    int rc = SQLITE_ROW;
    while ((rc = query.step()) == SQLITE_ROW) {
        tables << query.columnText(0);
    }
    if (rc != SQLITE_DONE) {
        *error = db.describe(QStringLiteral("listing tables"), rc);
        return false;
    }
    if (!tables.isEmpty()) {
        *error = QStringLiteral("%1: a SQLite database but not a CollaPipe run store "
                                "(user_version 0, tables: %2)")
                     .arg(db.path(), tables.join(QStringLiteral(", ")));
        return false;
    }
    return true;
}

} // namespace

int storeSchemaVersion()
{
    return kVersion;
}

bool inspectStore(SqliteDb &db, int *version, QString *error)
{
    if (!readUserVersion(db, version, error)) {
        return false;
    }
    if (*version > kVersion) {
        *error = QStringLiteral("%1: written by a newer CollaPipe (schema version %2, this build "
                                "reads up to %3)")
                     .arg(db.path())
                     .arg(*version)
                     .arg(kVersion);
        return false;
    }
    return *version > 0 || checkForeignTables(db, error);
}

bool migrateStore(SqliteDb &db, QString *error, int targetVersion)
{
    const int target = targetVersion < 0 ? kVersion : std::min(targetVersion, kVersion);
    int version = 0;
    if (!inspectStore(db, &version, error)) {
        return false;
    }
    while (version < target) {
        // IMMEDIATE takes the write lock first, so two processes creating the same file at once
        // serialise here, and the second sees the first one's version.
        if (!db.exec("BEGIN IMMEDIATE", error)) {
            return false;
        }
        int current = 0;
        bool ok = readUserVersion(db, &current, error);
        if (ok && current == 0) {
            ok = checkForeignTables(db, error);
        }
        if (ok && current == version) {
            const QByteArray bump
                = QByteArray("PRAGMA user_version = ") + QByteArray::number(version + 1);
            ok = db.exec(kMigrations[version], error) && db.exec(bump.constData(), error);
        }
        if (!ok || !db.exec("COMMIT", error)) {
            QString ignored;
            db.exec("ROLLBACK", &ignored);
            return false;
        }
        if (!readUserVersion(db, &version, error)) {
            return false;
        }
    }
    return true;
}

} // namespace collapipe
