// SPDX-License-Identifier: MIT
// The store's column tables (issue [3/7]): the schema, INSERTs and SELECTs generated from them
// keep the shipped schema, name every column, round-trip every record field, and a column added
// to a table in one line is created, written and read.
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"
#include "core/store/schema.h"
#include "core/store/store_tables.h"
#include "record_equal.h"
#include "synthetic_round.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace collapipe;

namespace {

// The schema as shipped, written by hand (migrations v0 -> v9): the golden the generated schema
// must equal column for column. A new schema version adds its statement here.
const char *const kShippedMigrations[] = {
    R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created TEXT NOT NULL,
    finished TEXT, scenario_name TEXT NOT NULL DEFAULT '', scenario_json TEXT NOT NULL,
    policy TEXT NOT NULL, seed INTEGER NOT NULL, train INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN
        ('running', 'completed', 'stopped', 'failed', 'interrupted')),
    message TEXT NOT NULL DEFAULT '', version TEXT NOT NULL, rounds_planned INTEGER NOT NULL,
    rounds_done INTEGER NOT NULL DEFAULT 0, sim_time_s REAL NOT NULL DEFAULT 0,
    writer_pid INTEGER, writer_host TEXT, writer_start INTEGER);
CREATE TABLE rounds (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, round INTEGER NOT NULL,
    sim_time_s REAL NOT NULL, latency_s REAL NOT NULL, compute_s REAL NOT NULL,
    d2d_s REAL NOT NULL, d2e_s REAL NOT NULL, decoder_s REAL NOT NULL, upload_s REAL NOT NULL,
    aggregation_s REAL NOT NULL, bubble_s REAL NOT NULL, bubble_fraction REAL NOT NULL,
    computation_efficiency REAL NOT NULL, energy_j REAL NOT NULL, loss REAL, accuracy REAL,
    drift REAL NOT NULL, penalty REAL NOT NULL, objective REAL NOT NULL,
    decision_time_s REAL NOT NULL, PRIMARY KEY (run_id, round)) WITHOUT ROWID;
CREATE TABLE cluster_rounds (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, round INTEGER NOT NULL,
    cluster INTEGER NOT NULL, microbatches INTEGER NOT NULL, microbatch_size INTEGER NOT NULL,
    makespan_s REAL NOT NULL, bubble_fraction REAL NOT NULL,
    computation_efficiency REAL NOT NULL, upload_s REAL NOT NULL, latency_s REAL NOT NULL,
    convergence_queue REAL NOT NULL, loss REAL,
    PRIMARY KEY (run_id, round, cluster)) WITHOUT ROWID;
CREATE TABLE device_rounds (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, round INTEGER NOT NULL,
    cluster INTEGER NOT NULL, device INTEGER NOT NULL, device_id TEXT NOT NULL,
    stage INTEGER NOT NULL, first_block INTEGER NOT NULL, last_block INTEGER NOT NULL,
    microbatches INTEGER NOT NULL, bandwidth_share REAL NOT NULL, power_w REAL NOT NULL,
    memory_predicted_bytes REAL NOT NULL, memory_measured_bytes REAL,
    memory_capacity_bytes REAL NOT NULL, energy_j REAL NOT NULL, energy_queue_j REAL NOT NULL,
    busy_s REAL NOT NULL, link_distance_m REAL NOT NULL, link_snr_db REAL NOT NULL,
    link_rate_bps REAL NOT NULL,
    PRIMARY KEY (run_id, round, cluster, device)) WITHOUT ROWID;
CREATE TABLE events (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, round INTEGER NOT NULL,
    seq INTEGER NOT NULL, cluster INTEGER NOT NULL, resource_kind TEXT NOT NULL,
    res_from INTEGER NOT NULL, res_to INTEGER NOT NULL, kind TEXT NOT NULL,
    microbatch INTEGER NOT NULL, stage INTEGER NOT NULL, start_s REAL NOT NULL,
    end_s REAL NOT NULL, PRIMARY KEY (run_id, round, seq)) WITHOUT ROWID;
CREATE INDEX runs_by_status ON runs(status);
)sql",
    "ALTER TABLE rounds ADD COLUMN bytes_moved REAL;",
    "ALTER TABLE cluster_rounds ADD COLUMN edge_first_block INTEGER NOT NULL DEFAULT -1;"
    "ALTER TABLE cluster_rounds ADD COLUMN edge_last_block INTEGER NOT NULL DEFAULT -1;"
    "ALTER TABLE cluster_rounds ADD COLUMN edge_memory_bytes REAL;"
    "ALTER TABLE device_rounds ADD COLUMN memory_predicted_trainer_bytes REAL;",
    "ALTER TABLE cluster_rounds ADD COLUMN control_unit_energy_j REAL;",
    "ALTER TABLE runs ADD COLUMN experiment_id TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE runs ADD COLUMN point_fingerprint TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE runs ADD COLUMN point_index INTEGER NOT NULL DEFAULT -1;"
    "ALTER TABLE runs ADD COLUMN point_coordinates TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE cluster_rounds ADD COLUMN schedule TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cluster_rounds ADD COLUMN interleave INTEGER NOT NULL DEFAULT 1;",
    "ALTER TABLE cluster_rounds ADD COLUMN control_unit_x_m REAL;"
    "ALTER TABLE cluster_rounds ADD COLUMN control_unit_y_m REAL;"
    "ALTER TABLE device_rounds ADD COLUMN x_m REAL;"
    "ALTER TABLE device_rounds ADD COLUMN y_m REAL;",
    "ALTER TABLE cluster_rounds ADD COLUMN aggregated INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE cluster_rounds ADD COLUMN sat_out INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cluster_rounds ADD COLUMN dropouts INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cluster_rounds ADD COLUMN lost_s REAL NOT NULL DEFAULT 0;"
    "ALTER TABLE cluster_rounds ADD COLUMN recovery_s REAL NOT NULL DEFAULT 0;"
    "ALTER TABLE device_rounds ADD COLUMN present INTEGER NOT NULL DEFAULT 1;",
    "ALTER TABLE cluster_rounds ADD COLUMN sat_out_reason TEXT NOT NULL DEFAULT '';",
};

const char *const kTables[] = {"runs", "rounds", "cluster_rounds", "device_rounds", "events"};

// Every column as SQLite sees it: "name type notnull default pk", in table order, plus the
// table's WITHOUT ROWID flag and its indexes.
QStringList describeSchema(SqliteDb &db)
{
    QStringList lines;
    QString error;
    for (const char *table : kTables) {
        SqliteStatement info;
        const QByteArray sql = QByteArray("PRAGMA table_xinfo(") + table + ')';
        if (!info.prepare(db, sql.constData(), &error)) {
            return {error};
        }
        while (info.step() == SQLITE_ROW) {
            lines << QStringLiteral("%1.%2 %3 notnull=%4 default=%5 pk=%6")
                         .arg(QLatin1String(table), info.columnText(1), info.columnText(2))
                         .arg(info.columnInt(3))
                         .arg(info.isNull(4) ? QStringLiteral("NULL") : info.columnText(4))
                         .arg(info.columnInt(5));
        }
        SqliteStatement list;
        const QByteArray pragma = QByteArray("PRAGMA table_list(") + table + ')';
        if (list.prepare(db, pragma.constData(), &error) && list.step() == SQLITE_ROW) {
            lines << QStringLiteral("%1 without_rowid=%2")
                         .arg(QLatin1String(table))
                         .arg(list.columnInt(4));
        }
        SqliteStatement fk;
        const QByteArray fkSql = QByteArray("PRAGMA foreign_key_list(") + table + ')';
        if (fk.prepare(db, fkSql.constData(), &error)) {
            while (fk.step() == SQLITE_ROW) {
                lines << QStringLiteral("%1 fk %2 -> %3(%4) on delete %5")
                             .arg(QLatin1String(table), fk.columnText(3), fk.columnText(2),
                                 fk.columnText(4), fk.columnText(6));
            }
        }
    }
    SqliteStatement indexes;
    if (indexes.prepare(db,
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "ORDER BY name",
            &error)) {
        while (indexes.step() == SQLITE_ROW) {
            lines << QStringLiteral("index %1 on %2")
                         .arg(indexes.columnText(0), indexes.columnText(1));
        }
    }
    return lines;
}

template <typename Row> QStringList databaseColumns(SqliteDb &db, const StoreTable<Row> &table)
{
    QStringList names;
    SqliteStatement info;
    QString error;
    const QByteArray sql = QByteArray("PRAGMA table_info(") + table.name + ')';
    if (info.prepare(db, sql.constData(), &error)) {
        while (info.step() == SQLITE_ROW) {
            names << info.columnText(1);
        }
    }
    return names;
}

template <typename Row> QStringList tableColumns(const StoreTable<Row> &table)
{
    QStringList names;
    for (const QByteArray &name : table.columnNames()) {
        names << QString::fromLatin1(name);
    }
    return names;
}

// The column list and the parameter count of a generated INSERT.
QStringList insertedColumns(const QByteArray &insert, int *parameters)
{
    const QString sql = QString::fromLatin1(insert);
    const QRegularExpression shape(
        QStringLiteral(R"(^INSERT INTO \w+ \(([^)]*)\) VALUES \(([^)]*)\)$)"));
    const QRegularExpressionMatch m = shape.match(sql);
    if (!m.hasMatch()) {
        *parameters = -1;
        return {};
    }
    const QStringList values = m.captured(2).split(QStringLiteral(", "));
    *parameters = 0;
    for (int i = 0; i < values.size(); ++i) {
        *parameters += values[i] == QStringLiteral("?%1").arg(i + 1) ? 1 : 0;
    }
    return m.captured(1).split(QStringLiteral(", "));
}

// A table only this test has: a row type of its own, so the machinery is checked apart from
// the store's record types.
struct ProbeRow
{
    int key = 0;
    double value = 0.0;
    QString label;
    double added = kNotMeasured;
};

StoreTable<ProbeRow> probeTable()
{
    return {"probe", false,
        {
            storeColumn<ProbeRow>("key", "INTEGER NOT NULL", STORE_FIELD(key)),
            storeColumn<ProbeRow>("value", "REAL", STORE_FIELD(value), "NULL: not measured"),
            storeColumn<ProbeRow>("label", "TEXT NOT NULL DEFAULT ''", STORE_FIELD(label)),
        },
        "PRIMARY KEY (key)", "WITHOUT ROWID", ""};
}

} // namespace

class TestStoreTables : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<RunStore> openStore(const QString &name)
    {
        QString error;
        auto store = RunStore::open(m_dir.filePath(name), &error);
        if (!store) {
            qWarning("%s", qPrintable(error));
        }
        return store;
    }

    static RunMeta meta()
    {
        RunMeta m;
        m.name = QStringLiteral("tables \"run\", 1");
        m.scenarioName = QStringLiteral("synthetic");
        m.scenarioJson = QStringLiteral("{\"name\":\"synthetic\",\"x\":[1,2]}");
        m.policy = QStringLiteral("dssda");
        m.seed = 0xfedcba9876543210ull; // all 64 bits
        m.train = true;
        m.roundsPlanned = 4;
        m.version = QStringLiteral("9.8.7-test");
        return m;
    }

private Q_SLOTS:
    void generatedSchemaEqualsShippedSchema()
    {
        // Same columns (name, type, NOT NULL, default, key), same WITHOUT ROWID, foreign keys and
        // index as the hand-written schema shipped before, for a new file and one migrated from
        // every older version.
        QString error;
        SqliteDb shipped;
        QVERIFY2(shipped.open(m_dir.filePath(QStringLiteral("shipped.sqlite")), true, 100, &error),
            qPrintable(error));
        for (const char *step : kShippedMigrations) {
            QVERIFY2(shipped.exec(step, &error), qPrintable(error));
        }
        const QStringList expected = describeSchema(shipped);
        QVERIFY(expected.size() > 80);
        QCOMPARE(storeSchemaVersion(), int(std::size(kShippedMigrations)));
        for (int from = 0; from <= storeSchemaVersion(); ++from) {
            SqliteDb db;
            const QString path = m_dir.filePath(QStringLiteral("generated-%1.sqlite").arg(from));
            QVERIFY2(db.open(path, true, 100, &error), qPrintable(error));
            QVERIFY2(migrateStore(db, &error, from), qPrintable(error));
            QVERIFY2(migrateStore(db, &error), qPrintable(error));
            const QStringList actual = describeSchema(db);
            for (int i = 0; i < std::max(actual.size(), expected.size()); ++i) {
                QVERIFY2(actual.value(i) == expected.value(i),
                    qPrintable(QStringLiteral("from v%1, line %2: generated '%3', shipped '%4'")
                                   .arg(from)
                                   .arg(i)
                                   .arg(actual.value(i), expected.value(i))));
            }
        }
    }

    void tablesListEveryDatabaseColumn()
    {
        // The column tables and the database agree on every column and its order, so a SELECT or
        // INSERT generated from a table addresses every column of the file.
        auto store = openStore(QStringLiteral("columns.sqlite"));
        QVERIFY(store);
        SqliteDb &db = store->db();
        QCOMPARE(tableColumns(runsTable()), databaseColumns(db, runsTable()));
        QCOMPARE(tableColumns(roundsTable()), databaseColumns(db, roundsTable()));
        QCOMPARE(tableColumns(clusterRoundsTable()), databaseColumns(db, clusterRoundsTable()));
        QCOMPARE(tableColumns(deviceRoundsTable()), databaseColumns(db, deviceRoundsTable()));
        QCOMPARE(tableColumns(eventsTable()), databaseColumns(db, eventsTable()));
    }

    void generatedInsertNamesEveryColumn()
    {
        int parameters = 0;
        // Child tables: every column, run_id first, one numbered parameter each.
        const auto check = [&parameters](const QByteArray &insert, const QStringList &columns) {
            const QStringList named = insertedColumns(insert, &parameters);
            return named == columns && parameters == columns.size();
        };
        QVERIFY2(check(roundsTable().insertSql(), tableColumns(roundsTable())),
            roundsTable().insertSql().constData());
        QVERIFY2(check(clusterRoundsTable().insertSql(), tableColumns(clusterRoundsTable())),
            clusterRoundsTable().insertSql().constData());
        QVERIFY2(check(deviceRoundsTable().insertSql(), tableColumns(deviceRoundsTable())),
            deviceRoundsTable().insertSql().constData());
        QVERIFY2(check(eventsTable().insertSql(), tableColumns(eventsTable())),
            eventsTable().insertSql().constData());
        // runs: every column but the AUTOINCREMENT id and `finished` (NULL until the run ends).
        QStringList runColumns = tableColumns(runsTable());
        runColumns.removeAll(QStringLiteral("id"));
        runColumns.removeAll(QStringLiteral("finished"));
        QVERIFY2(check(runsTable().insertSql(), runColumns), runsTable().insertSql().constData());
    }

    void everyRecordFieldRoundTrips()
    {
        auto store = openStore(QStringLiteral("trip.sqlite"));
        QVERIFY(store);
        QString error;
        std::int64_t id = 0;
        std::vector<RoundRecord> written;
        {
            RunWriter writer(store.get());
            QVERIFY2(writer.beginRun(meta(), &id, &error), qPrintable(error));
            for (int r = 0; r < 4; ++r) {
                written.push_back(testing::syntheticRound(r, 2, 3, 4));
                QVERIFY2(writer.appendRound(written.back(), &error), qPrintable(error));
            }
            QVERIFY2(writer.finish(RunStatus::Completed, QStringLiteral("done"), &error),
                qPrintable(error));
        }
        RunReader reader(store.get());
        std::vector<RoundRecord> read;
        QVERIFY2(reader.rounds(id, &read, &error, RoundEverything), qPrintable(error));
        QCOMPARE(read.size(), written.size());
        for (std::size_t i = 0; i < read.size(); ++i) {
            const QString difference = testing::firstDifference(written[i], read[i]);
            QVERIFY2(difference.isEmpty(), qPrintable(difference));
        }
        RunInfo info;
        QVERIFY2(reader.run(id, &info, &error), qPrintable(error));
        const RunMeta m = meta();
        QCOMPARE(info.id, id);
        QCOMPARE(info.name, m.name);
        QCOMPARE(info.scenarioName, m.scenarioName);
        QCOMPARE(info.policy, m.policy);
        QCOMPARE(info.seed, m.seed);
        QCOMPARE(info.train, m.train);
        QCOMPARE(info.version, m.version);
        QCOMPARE(info.roundsPlanned, m.roundsPlanned);
        QCOMPARE(info.roundsDone, 4);
        QCOMPARE(info.status, RunStatus::Completed);
        QCOMPARE(info.message, QStringLiteral("done"));
        QVERIFY(!info.created.isEmpty());
        QVERIFY(!info.finished.isEmpty());
        QCOMPARE(info.simTimeS, written.back().simTimeS);
        QCOMPARE(info.writerPid, std::int64_t(0)); // NULL once finished
        QString json;
        QVERIFY2(reader.scenarioJson(id, &json, &error), qPrintable(error));
        QCOMPARE(json, m.scenarioJson);
    }

    void addedColumnIsCreatedWrittenAndRead()
    {
        // A table of this test's own, extended by one line, migrated in place like a store file.
        QString error;
        SqliteDb db;
        QVERIFY2(db.open(m_dir.filePath(QStringLiteral("probe.sqlite")), true, 100, &error),
            qPrintable(error));
        const StoreTable<ProbeRow> v1 = probeTable();
        QVERIFY2(db.exec(v1.createSql(1).constData(), &error), qPrintable(error));
        {
            SqliteStatement insert;
            QVERIFY2(insert.prepare(db, v1.insertSql().constData(), &error), qPrintable(error));
            ProbeRow old;
            old.key = 1;
            old.value = 0.1;
            old.label = QStringLiteral("before");
            v1.bindRow(insert, 0, old);
            QVERIFY2(insert.run(QStringLiteral("probe v1"), &error), qPrintable(error));
        }

        StoreTable<ProbeRow> v2 = probeTable();
        v2.columns.push_back(storeColumn<ProbeRow>("added_s", "REAL", STORE_FIELD(added), "", 2));
        QCOMPARE(v2.newestVersion(), 2);
        QVERIFY(v2.addColumnsSql(3).isEmpty());
        QCOMPARE(v2.addColumnsSql(2), QByteArray("ALTER TABLE probe ADD COLUMN added_s REAL;\n"));
        QVERIFY2(db.exec(v2.addColumnsSql(2).constData(), &error), qPrintable(error));
        QVERIFY2(v2.insertSql().contains("added_s"), v2.insertSql().constData());
        {
            SqliteStatement insert;
            QVERIFY2(insert.prepare(db, v2.insertSql().constData(), &error), qPrintable(error));
            ProbeRow row;
            row.key = 2;
            row.value = kNotMeasured;
            row.label = QStringLiteral("after, \"quoted\"");
            row.added = 1.0000000000000002;
            v2.bindRow(insert, 0, row);
            QVERIFY2(insert.run(QStringLiteral("probe v2"), &error), qPrintable(error));
        }
        SqliteStatement select;
        QVERIFY2(select.prepare(db, v2.selectSql("ORDER BY key").constData(), &error),
            qPrintable(error));
        std::vector<ProbeRow> rows;
        while (select.step() == SQLITE_ROW) {
            ProbeRow row;
            v2.readRow(select, &row);
            rows.push_back(row);
        }
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0].key, 1);
        QCOMPARE(rows[0].value, 0.1);
        QCOMPARE(rows[0].label, QStringLiteral("before"));
        QVERIFY(std::isnan(rows[0].added)); // written before the column existed: NULL
        QCOMPARE(rows[1].key, 2);
        QVERIFY(std::isnan(rows[1].value));
        QCOMPARE(rows[1].label, QStringLiteral("after, \"quoted\""));
        QCOMPARE(rows[1].added, 1.0000000000000002);
        // A fresh file gets the column in its CREATE TABLE.
        QVERIFY(v2.createSql(2).contains("added_s REAL"));
        QVERIFY(!v2.createSql(1).contains("added_s"));
    }

    void addedRoundsColumnInARealStore()
    {
        // The same one-line extension on the store's own rounds table: the writer's rows and the
        // reader keep working, and the new column holds the field it names.
        auto store = openStore(QStringLiteral("extended.sqlite"));
        QVERIFY(store);
        QString error;
        std::int64_t id = 0;
        RunWriter writer(store.get());
        QVERIFY2(writer.beginRun(meta(), &id, &error), qPrintable(error));
        const int next = storeSchemaVersion() + 1;
        StoreTable<RoundRecord> extended = roundsTable();
        extended.columns.push_back(storeColumn<RoundRecord>(
            "probe_objective", "REAL", STORE_FIELD(objective), "test only", next));
        QVERIFY2(
            store->db().exec(extended.addColumnsSql(next).constData(), &error), qPrintable(error));
        const RoundRecord round = testing::syntheticRound(7);
        {
            SqliteStatement insert;
            QVERIFY2(insert.prepare(store->db(), extended.insertSql().constData(), &error),
                qPrintable(error));
            extended.bindRow(insert, id, round);
            QVERIFY2(insert.run(QStringLiteral("extended round"), &error), qPrintable(error));
        }
        SqliteStatement select;
        QVERIFY2(select.prepare(
                     store->db(), extended.selectSql("WHERE run_id = ?1").constData(), &error),
            qPrintable(error));
        select.bind(1, id);
        QCOMPARE(select.step(), SQLITE_ROW);
        RoundRecord back;
        extended.readRow(select, &back);
        const QString difference = testing::firstDifference(round, back, false);
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        QCOMPARE(select.columnDouble(select.columnCount() - 1), round.objective);
        QCOMPARE(select.columnName(select.columnCount() - 1), QStringLiteral("probe_objective"));
        RunReader reader(store.get());
        std::vector<RoundRecord> read;
        QVERIFY2(reader.rounds(id, &read, &error), qPrintable(error));
        QCOMPARE(read.size(), std::size_t(1));
        QVERIFY(testing::firstDifference(round, read[0], false).isEmpty());
        QVERIFY2(writer.finish(RunStatus::Completed, QString(), &error), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestStoreTables)
#include "tst_store_tables.moc"
