// SPDX-License-Identifier: MIT
// The run store's file handling (issue [5/6]): schema and version, corrupt / foreign / read-only /
// locked files with messages that name the file, and recovery of runs whose writer died.
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"
#include "core/store/schema.h"
#include "core/store/writer_identity.h"
#include "synthetic_round.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <sqlite3.h>
#include <unistd.h>

using namespace collapipe;

class TestRunStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString dbPath(const QString &name) const { return m_dir.filePath(name); }
    static RunMeta meta(const QString &name) { return testing::syntheticRunMeta(name); }

private Q_SLOTS:
    void createsSchemaWithVersion()
    {
        QString error;
        auto store = RunStore::open(dbPath(QStringLiteral("schema.sqlite")), &error);
        QVERIFY2(store, qPrintable(error));
        SqliteStatement q;
        QVERIFY(q.prepare(store->db(), "PRAGMA user_version", &error));
        QVERIFY(q.step() == 100); // SQLITE_ROW
        QCOMPARE(q.columnInt(0), storeSchemaVersion());
        QVERIFY(storeSchemaVersion() >= 2);
        SqliteStatement mode;
        QVERIFY(mode.prepare(store->db(), "PRAGMA journal_mode", &error));
        QVERIFY(mode.step() == 100);
        QCOMPARE(mode.columnText(0), QStringLiteral("wal"));
        SqliteStatement fk;
        QVERIFY(fk.prepare(store->db(), "PRAGMA foreign_keys", &error));
        QVERIFY(fk.step() == 100);
        QCOMPARE(fk.columnInt(0), 1);
        // Reopening does not migrate twice or fail.
        store.reset();
        store = RunStore::open(dbPath(QStringLiteral("schema.sqlite")), &error);
        QVERIFY2(store, qPrintable(error));
    }

    void migratesVersion1File()
    {
        // A file written by schema v1 (before rounds.bytes_moved) opens, is migrated in place,
        // keeps its rows, and reads the new column as "not measured".
        const QString path = dbPath(QStringLiteral("v1.sqlite"));
        QString error;
        {
            SqliteDb db;
            QVERIFY(db.open(path, true, 100, &error));
            QVERIFY2(migrateStore(db, &error, 1), qPrintable(error));
            QVERIFY2(db.exec("INSERT INTO runs (name, created, scenario_json, policy, seed, train, "
                             "status, version, rounds_planned, rounds_done) VALUES ('old', "
                             "'2026-01-01T00:00:00Z', '{}', 'uniform', 3, 0, 'completed', '0.0.9', "
                             "1, 1); INSERT INTO rounds VALUES (1, 0, 1.5, 1.5, 1, 0, 0, 0, 0.5, "
                             "0, 0, 0.1, 0.9, 2.5, NULL, NULL, 0, 150, 150, 0.001)",
                         &error),
                qPrintable(error));
            SqliteStatement v;
            QVERIFY(v.prepare(db, "PRAGMA user_version", &error));
            QVERIFY(v.step() == 100);
            QCOMPARE(v.columnInt(0), 1);
        }
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        SqliteStatement v;
        QVERIFY(v.prepare(store->db(), "PRAGMA user_version", &error));
        QVERIFY(v.step() == 100);
        QCOMPARE(v.columnInt(0), storeSchemaVersion());
        std::vector<RoundRecord> rounds;
        QVERIFY2(RunReader(store.get()).rounds(1, &rounds, &error), qPrintable(error));
        QCOMPARE(rounds.size(), std::size_t(1));
        QCOMPARE(rounds[0].latencyS, 1.5);
        QCOMPARE(rounds[0].penalty, 150.0);
        QVERIFY(std::isnan(rounds[0].bytesMoved));
        // And new rounds store the new column.
        RunWriter writer(store.get());
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(QStringLiteral("new")), &id, &error), qPrintable(error));
        QVERIFY(writer.appendRound(testing::syntheticRound(1), &error));
        QVERIFY(writer.finish(RunStatus::Completed, {}, &error));
        QVERIFY(RunReader(store.get()).rounds(id, &rounds, &error));
        QCOMPARE(rounds[0].bytesMoved, testing::syntheticRound(1).bytesMoved);
    }

    void migratesVersion2File()
    {
        // A v2 file (before the edge tail and the trainer-width memory columns) opens, is
        // migrated in place, and reads its cluster and device rows with "no tail" and "not
        // predicted"; new rounds then store and read back both.
        const QString path = dbPath(QStringLiteral("v2.sqlite"));
        QString error;
        {
            SqliteDb db;
            QVERIFY(db.open(path, true, 100, &error));
            QVERIFY2(migrateStore(db, &error, 2), qPrintable(error));
            QVERIFY2(db.exec("INSERT INTO runs (name, created, scenario_json, policy, seed, train, "
                             "status, version, rounds_planned, rounds_done) VALUES ('old', "
                             "'2026-01-01T00:00:00Z', '{}', 'sl', 3, 1, 'completed', '0.0.9', "
                             "1, 1); INSERT INTO rounds VALUES (1, 0, 1.5, 1.5, 1, 0, 0, 0, 0.5, "
                             "0, 0, 0.1, 0.9, 2.5, 0.7, NULL, 0, 150, 150, 0.001, NULL); "
                             "INSERT INTO cluster_rounds VALUES (1, 0, 0, 1, 8, 1.2, 0.1, 0.5, "
                             "0.3, 1.5, 0, 0.7); INSERT INTO device_rounds VALUES (1, 0, 0, 0, "
                             "'d0', 0, 0, 2, 1, 1, 0.5, 3e9, 2e6, 4e9, 5, 0, 1, 40, 20, 1e7)",
                         &error),
                qPrintable(error));
        }
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        std::vector<RoundRecord> rounds;
        QVERIFY2(
            RunReader(store.get()).rounds(1, &rounds, &error, RoundEverything), qPrintable(error));
        QCOMPARE(rounds.size(), std::size_t(1));
        QCOMPARE(rounds[0].clusters.size(), std::size_t(1));
        QCOMPARE(rounds[0].clusters[0].makespanS, 1.2);
        QCOMPARE(rounds[0].clusters[0].edgeFirstBlock, -1);
        QCOMPARE(rounds[0].clusters[0].edgeLastBlock, -1);
        QVERIFY(std::isnan(rounds[0].clusters[0].edgeMemoryBytes));
        QVERIFY(std::isnan(rounds[0].clusters[0].controlUnitEnergyJ)); // v4: not recorded then
        QCOMPARE(rounds[0].devices.size(), std::size_t(1));
        QCOMPARE(rounds[0].devices[0].memoryMeasuredBytes, 2e6);
        QVERIFY(std::isnan(rounds[0].devices[0].memoryPredictedTrainerBytes));

        RunWriter writer(store.get());
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(QStringLiteral("new")), &id, &error), qPrintable(error));
        const RoundRecord written = testing::syntheticRound(1);
        QVERIFY(writer.appendRound(written, &error));
        QVERIFY(writer.finish(RunStatus::Completed, {}, &error));
        QVERIFY(RunReader(store.get()).rounds(id, &rounds, &error, RoundEverything));
        QCOMPARE(rounds.size(), std::size_t(1));
        QCOMPARE(rounds[0].clusters.size(), written.clusters.size());
        QCOMPARE(rounds[0].clusters[1].edgeFirstBlock, written.clusters[1].edgeFirstBlock);
        QVERIFY(written.clusters[1].edgeFirstBlock >= 0);
        QCOMPARE(rounds[0].clusters[1].edgeLastBlock, written.clusters[1].edgeLastBlock);
        QCOMPARE(rounds[0].clusters[1].edgeMemoryBytes, written.clusters[1].edgeMemoryBytes);
        QCOMPARE(rounds[0].clusters[1].controlUnitEnergyJ, written.clusters[1].controlUnitEnergyJ);
        QCOMPARE(rounds[0].devices[1].memoryPredictedTrainerBytes,
            written.devices[1].memoryPredictedTrainerBytes);
        QVERIFY(std::isfinite(written.devices[1].memoryPredictedTrainerBytes));
    }

    void migratesVersion5File()
    {
        // A v5 file (before cluster_rounds.schedule/interleave) opens, is migrated in place, and
        // each cluster row reads the schedule its run's scenario named (the only one a decision
        // could carry then), with v = 1; new rounds store and read back a chunked schedule.
        const QString path = dbPath(QStringLiteral("v5.sqlite"));
        QString error;
        {
            SqliteDb db;
            QVERIFY(db.open(path, true, 100, &error));
            QVERIFY2(migrateStore(db, &error, 5), qPrintable(error));
            QVERIFY2(db.exec("INSERT INTO runs (name, created, scenario_json, policy, seed, train, "
                             "status, version, rounds_planned, rounds_done) VALUES ('g', "
                             "'2026-01-01T00:00:00Z', '{\"optimizer\": {\"schedule\": "
                             "\"gpipe\"}}', 'dssda', 3, 0, 'completed', '0.0.9', 1, 1), ('n', "
                             "'2026-01-01T00:00:00Z', '{}', 'dssda', 3, 0, 'completed', '0.0.9', "
                             "1, 1); INSERT INTO rounds VALUES (1, 0, 1.5, 1.5, 1, 0, 0, 0, 0.5, "
                             "0, 0, 0.1, 0.9, 2.5, NULL, NULL, 0, 150, 150, 0.001, NULL), (2, 0, "
                             "1.5, 1.5, 1, 0, 0, 0, 0.5, 0, 0, 0.1, 0.9, 2.5, NULL, NULL, 0, 150, "
                             "150, 0.001, NULL); INSERT INTO cluster_rounds VALUES (1, 0, 0, 4, 8, "
                             "1.2, 0.1, 0.5, 0.3, 1.5, 0, NULL, -1, -1, NULL, 0.25), (2, 0, 0, 4, "
                             "8, 1.2, 0.1, 0.5, 0.3, 1.5, 0, NULL, -1, -1, NULL, 0.25)",
                         &error),
                qPrintable(error));
        }
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        std::vector<RoundRecord> rounds;
        QVERIFY2(
            RunReader(store.get()).rounds(1, &rounds, &error, RoundEverything), qPrintable(error));
        QCOMPARE(rounds.size(), std::size_t(1));
        QCOMPARE(rounds[0].clusters.size(), std::size_t(1));
        QCOMPARE(rounds[0].clusters[0].makespanS, 1.2);
        QCOMPARE(rounds[0].clusters[0].controlUnitEnergyJ, 0.25);
        QCOMPARE(rounds[0].clusters[0].schedule, ScheduleKind::GPipe);
        QCOMPARE(rounds[0].clusters[0].interleave, 1);
        QVERIFY2(
            RunReader(store.get()).rounds(2, &rounds, &error, RoundEverything), qPrintable(error));
        QCOMPARE(rounds[0].clusters[0].schedule, ScheduleKind::OneFOneB); // no key: the default

        RunWriter writer(store.get());
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(QStringLiteral("new")), &id, &error), qPrintable(error));
        const RoundRecord written = testing::syntheticRound(1);
        QVERIFY(writer.appendRound(written, &error));
        QVERIFY(writer.finish(RunStatus::Completed, {}, &error));
        QVERIFY(RunReader(store.get()).rounds(id, &rounds, &error, RoundEverything));
        QCOMPARE(rounds[0].clusters[1].schedule, ScheduleKind::Interleaved);
        QCOMPARE(rounds[0].clusters[1].interleave, 3);
        QCOMPARE(rounds[0].clusters[0].schedule, ScheduleKind::ZeroBubbleH1);
    }

    void refusesBadFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QByteArray garbage(8192, '\0');
        for (int i = 0; i < garbage.size(); ++i) {
            garbage[i] = char((i * 7919) % 251);
        }
        QTest::newRow("garbage") << garbage << QStringLiteral("corrupt or not a SQLite database");
        QTest::newRow("text") << QByteArray("run,latency\n1,2\n")
                              << QStringLiteral("corrupt or not a SQLite database");
    }

    void refusesBadFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString path
            = dbPath(QStringLiteral("bad-%1.sqlite").arg(QLatin1String(QTest::currentDataTag())));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY(!store);
        QVERIFY2(error.startsWith(path), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        // Nothing was written into the user's file.
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), content);
    }

    void refusesForeignDatabase()
    {
        const QString path = dbPath(QStringLiteral("foreign.sqlite"));
        {
            SqliteDb db;
            QString error;
            QVERIFY(db.open(path, true, 100, &error));
            QVERIFY(db.exec("CREATE TABLE photos(id INTEGER)", &error));
        }
        QString error;
        QVERIFY(!RunStore::open(path, &error));
        QVERIFY2(error.startsWith(path)
                && error.contains(QStringLiteral("not a CollaPipe run store"))
                && error.contains(QStringLiteral("photos")),
            qPrintable(error));
    }

    void refusesNewerSchema()
    {
        const QString path = dbPath(QStringLiteral("newer.sqlite"));
        QString error;
        QVERIFY(RunStore::open(path, &error));
        {
            SqliteDb db;
            QVERIFY(db.open(path, false, 100, &error));
            QVERIFY(db.exec("PRAGMA user_version = 99", &error));
        }
        QVERIFY(!RunStore::open(path, &error));
        QVERIFY2(
            error.startsWith(path) && error.contains(QStringLiteral("newer")), qPrintable(error));
    }

    void readOnlyLocation()
    {
        // As root, permission bits do not stop writes; /proc refuses file creation for everyone.
        QString dir;
        QTemporaryDir roDir;
        if (::geteuid() == 0) {
            dir = QStringLiteral("/proc");
        } else {
            dir = roDir.path();
            QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
        }
        const QString path = dir + QStringLiteral("/runs.sqlite");
        QString error;
        QVERIFY(!RunStore::open(path, &error));
        QVERIFY2(error.startsWith(path), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("cannot create")), qPrintable(error));
        const QString missing = m_dir.filePath(QStringLiteral("no/such/folder/runs.sqlite"));
        QVERIFY(!RunStore::open(missing, &error));
        QVERIFY2(error.startsWith(missing) && error.contains(QStringLiteral("does not exist")),
            qPrintable(error));
    }

    void lockedByAnotherWriter()
    {
        const QString path = dbPath(QStringLiteral("locked.sqlite"));
        QString error;
        StoreOptions options;
        options.busyTimeoutMs = 300;
        auto store = RunStore::open(path, &error, options);
        QVERIFY2(store, qPrintable(error));
        auto other = RunStore::open(path, &error);
        QVERIFY2(other, qPrintable(error));
        QVERIFY(other->db().exec("BEGIN IMMEDIATE", &error)); // holds the write lock

        RunWriter writer(store.get());
        std::int64_t id = 0;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!writer.beginRun(meta(QStringLiteral("blocked")), &id, &error));
        QVERIFY2(timer.elapsed() >= 250, "the busy timeout was not honoured");
        QVERIFY2(error.startsWith(path)
                && error.contains(QStringLiteral("locked by another writer"))
                && error.contains(QStringLiteral("300 ms")),
            qPrintable(error));

        // Readers are not blocked by the writer (WAL).
        std::vector<RunInfo> runs;
        QVERIFY2(RunReader(store.get()).listRuns(&runs, &error), qPrintable(error));

        QVERIFY(other->db().exec("ROLLBACK", &error));
        QVERIFY2(writer.beginRun(meta(QStringLiteral("free")), &id, &error), qPrintable(error));
        QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
    }

    void lockedBatchIsKeptAndRetried()
    {
        const QString path = dbPath(QStringLiteral("retry.sqlite"));
        QString error;
        StoreOptions options;
        options.busyTimeoutMs = 100;
        auto store = RunStore::open(path, &error, options);
        auto other = RunStore::open(path, &error);
        QVERIFY(store && other);
        RunWriter writer(store.get(), CommitPolicy{1, 0, true});
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(QStringLiteral("retry")), &id, &error), qPrintable(error));
        QVERIFY(writer.appendRound(testing::syntheticRound(0), &error));
        QVERIFY(other->db().exec("BEGIN IMMEDIATE", &error));
        QVERIFY(!writer.appendRound(testing::syntheticRound(1), &error));
        QVERIFY2(error.contains(QStringLiteral("locked")), qPrintable(error));
        QVERIFY(other->db().exec("COMMIT", &error));
        QVERIFY2(writer.appendRound(testing::syntheticRound(2), &error), qPrintable(error));
        QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
        std::vector<RoundRecord> rounds;
        QVERIFY(RunReader(store.get()).rounds(id, &rounds, &error));
        QCOMPARE(rounds.size(), std::size_t(3)); // nothing lost while locked
    }

    /// Experiment workers share one file: a due batch must not wait for another writer's lock
    /// (the core would idle in SQLite's busy naps); it is committed once the lock is free, and
    /// the wait comes back only when the batch is 8 times past the policy.
    void dueBatchDoesNotWaitForAnotherWriter()
    {
        const QString path = dbPath(QStringLiteral("shared.sqlite"));
        QString error;
        StoreOptions options;
        options.busyTimeoutMs = 1000;
        auto store = RunStore::open(path, &error, options);
        auto other = RunStore::open(path, &error);
        QVERIFY(store && other);
        RunWriter writer(store.get(), CommitPolicy{4, 60000, true});
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(QStringLiteral("shared")), &id, &error), qPrintable(error));
        QVERIFY(other->db().exec("BEGIN IMMEDIATE", &error)); // another writer's batch
        QElapsedTimer timer;
        timer.start();
        int round = 0;
        for (; round < 31; ++round) { // due from round 4 on, overdue (8 x 4) at round 32
            QVERIFY2(writer.appendRound(testing::syntheticRound(round), &error), qPrintable(error));
        }
        QVERIFY2(timer.elapsed() < 500,
            qPrintable(QStringLiteral("appending 31 rounds took %1 ms: it waited for the lock")
                           .arg(timer.elapsed())));
        QCOMPARE(writer.roundsCommitted(), 0);

        QVERIFY(other->db().exec("COMMIT", &error));
        QVERIFY2(writer.appendRound(testing::syntheticRound(round++), &error), qPrintable(error));
        QCOMPARE(writer.roundsCommitted(), 32);

        // Overdue: the writer waits for the lock (the busy timeout) and reports it.
        QVERIFY(other->db().exec("BEGIN IMMEDIATE", &error));
        for (int i = 0; i < 31; ++i) {
            QVERIFY2(
                writer.appendRound(testing::syntheticRound(round++), &error), qPrintable(error));
        }
        timer.restart();
        QVERIFY(!writer.appendRound(testing::syntheticRound(round++), &error));
        QVERIFY2(
            timer.elapsed() >= 900 && error.contains(QStringLiteral("locked")), qPrintable(error));
        QVERIFY(other->db().exec("ROLLBACK", &error));
        QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
        std::vector<RoundRecord> rounds;
        QVERIFY(RunReader(store.get()).rounds(id, &rounds, &error));
        QCOMPARE(rounds.size(), std::size_t(round)); // nothing lost
    }

    /// The experiment runner's workers leave WAL checkpoints (and their fsyncs) to another
    /// connection: theirs never checkpoint, that one does on request.
    void checkpointLeftToAnotherConnection()
    {
        const QString path = dbPath(QStringLiteral("checkpoint.sqlite"));
        QString error;
        auto autoStore = RunStore::open(path, &error);
        QVERIFY2(autoStore, qPrintable(error));
        StoreOptions options;
        options.autoCheckpoint = false;
        auto worker = RunStore::open(path, &error, options);
        QVERIFY2(worker, qPrintable(error));
        auto pagesBeforeCheckpoint = [&](RunStore *store) {
            SqliteStatement q;
            return q.prepare(store->db(), "PRAGMA wal_autocheckpoint", &error)
                    && q.step() == SQLITE_ROW
                ? q.columnInt(0)
                : -1;
        };
        QCOMPARE(pagesBeforeCheckpoint(autoStore.get()), 1000); // SQLite's default
        QCOMPARE(pagesBeforeCheckpoint(worker.get()), 0);       // never
        RunWriter writer(worker.get(), CommitPolicy{1, 0, true});
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(QStringLiteral("w")), &id, &error), qPrintable(error));
        QVERIFY2(writer.appendRound(testing::syntheticRound(0), &error), qPrintable(error));
        QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
        QVERIFY2(autoStore->checkpoint(&error), qPrintable(error));
    }

    void interruptedWhenWriterIsGone_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<bool>("alive");
        QTest::newRow("exited process") << QStringLiteral("exited") << false;
        QTest::newRow("pid reused") << QStringLiteral("reused") << false;
        QTest::newRow("live writer") << QStringLiteral("self") << true;
        QTest::newRow("other host") << QStringLiteral("host") << true;
    }

    void interruptedWhenWriterIsGone()
    {
        QFETCH(QString, how);
        QFETCH(bool, alive);
        const QString path = dbPath(QStringLiteral("recover-%1.sqlite").arg(how));
        QString error;
        std::int64_t id = 0;
        {
            auto store = RunStore::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            RunWriter writer(store.get(), CommitPolicy{1, 0, true});
            QVERIFY2(writer.beginRun(meta(how), &id, &error), qPrintable(error));
            QVERIFY(writer.appendRound(testing::syntheticRound(0), &error));
            QVERIFY(writer.appendRound(testing::syntheticRound(1), &error));
            QVERIFY(writer.finish(RunStatus::Completed, {}, &error));
            // Put the row back to what a writer that never finished leaves behind.
            WriterIdentity who = currentWriter();
            if (how == QLatin1String("exited")) {
                QProcess child;
                child.start(QStringLiteral("true"), {});
                QVERIFY(child.waitForFinished());
                who.pid = child.processId() > 0 ? child.processId() : 2147483646;
                who.startTicks = 0;
            } else if (how == QLatin1String("reused")) {
                who.startTicks += 12345; // same pid, but a process that started at another time
            } else if (how == QLatin1String("host")) {
                who.host = QStringLiteral("elsewhere");
                who.pid = 2147483646;
            }
            SqliteStatement update;
            QVERIFY(update.prepare(store->db(),
                "UPDATE runs SET status = 'running', finished = NULL, "
                "writer_pid = ?2, writer_host = ?3, writer_start = ?4 "
                "WHERE id = ?1",
                &error));
            update.bind(1, id);
            update.bind(2, who.pid);
            update.bind(3, who.host);
            update.bind(4, who.startTicks);
            QVERIFY2(update.run(QStringLiteral("test"), &error), qPrintable(error));
        }
        auto reopened = RunStore::open(path, &error);
        QVERIFY2(reopened, qPrintable(error));
        RunInfo info;
        QVERIFY(RunReader(reopened.get()).run(id, &info, &error));
        QCOMPARE(runStatusName(info.status),
            alive ? QStringLiteral("running") : QStringLiteral("interrupted"));
        QCOMPARE(reopened->recoveredRuns(), alive ? 0 : 1);
        QCOMPARE(info.roundsDone, 2);
        std::vector<RoundRecord> rounds;
        QVERIFY(RunReader(reopened.get()).rounds(id, &rounds, &error, RoundEverything));
        QCOMPARE(rounds.size(), std::size_t(2));
        QString report;
        QVERIFY2(reopened->integrityCheck(&report, &error), qPrintable(report + error));
    }

    void renameAndDeleteCascade()
    {
        const QString path = dbPath(QStringLiteral("delete.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY(store);
        std::int64_t keep = 0;
        std::int64_t drop = 0;
        for (std::int64_t *id : {&keep, &drop}) {
            RunWriter writer(store.get());
            QVERIFY(writer.beginRun(meta(QStringLiteral("r")), id, &error));
            QVERIFY(writer.appendRound(testing::syntheticRound(0), &error));
            QVERIFY(writer.finish(RunStatus::Completed, {}, &error));
        }
        QVERIFY2(store->renameRun(keep, QStringLiteral("kept run"), &error), qPrintable(error));
        QVERIFY2(store->deleteRun(drop, &error), qPrintable(error));
        QVERIFY(!store->deleteRun(drop, &error));
        QVERIFY2(error.startsWith(path) && error.contains(QStringLiteral("no run with id")),
            qPrintable(error));
        for (const char *table : {"rounds", "cluster_rounds", "device_rounds", "events"}) {
            SqliteStatement q;
            const QByteArray sql = QByteArray("SELECT COUNT(*) FROM ") + table
                + " WHERE run_id = " + QByteArray::number(qint64(drop));
            QVERIFY(q.prepare(store->db(), sql.constData(), &error));
            QVERIFY(q.step() == 100);
            QVERIFY2(q.columnInt(0) == 0, table);
        }
        RunInfo info;
        QVERIFY(RunReader(store.get()).run(keep, &info, &error));
        QCOMPARE(info.name, QStringLiteral("kept run"));
    }

    void discardNeverRemovesAnotherWritersFile()
    {
        // Two writers open the same new file; the one that created it fails its run and
        // discards the (empty) file while the other has it open. The other's run must land in
        // the file the path names, not in a removed one.
        const QString path = dbPath(QStringLiteral("race.sqlite"));
        QString error;
        auto creator = RunStore::open(path, &error);
        QVERIFY2(creator, qPrintable(error));
        QVERIFY(creator->createdByOpen());
        auto second = RunStore::open(path, &error);
        QVERIFY2(second, qPrintable(error));
        QVERIFY(creator->discardIfCreatedEmpty());
        std::int64_t id = 0;
        {
            RunWriter writer(second.get());
            QVERIFY2(
                writer.beginRun(meta(QStringLiteral("survivor")), &id, &error), qPrintable(error));
            QVERIFY2(writer.appendRound(testing::syntheticRound(0), &error), qPrintable(error));
            QVERIFY2(writer.finish(RunStatus::Completed, QString(), &error), qPrintable(error));
        }
        second.reset();
        StoreOptions readOnly;
        readOnly.readOnly = true;
        auto reader = RunStore::open(path, &error, readOnly);
        QVERIFY2(reader, qPrintable(error));
        std::vector<RunInfo> runs;
        QVERIFY2(RunReader(reader.get()).listRuns(&runs, &error), qPrintable(error));
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].name, QStringLiteral("survivor"));
        QCOMPARE(runs[0].roundsDone, 1);
    }

    void discardKeepsAFileAnotherWriterStoredARunIn()
    {
        const QString path = dbPath(QStringLiteral("race-kept.sqlite"));
        QString error;
        auto creator = RunStore::open(path, &error);
        QVERIFY2(creator, qPrintable(error));
        auto second = RunStore::open(path, &error);
        QVERIFY2(second, qPrintable(error));
        std::int64_t id = 0;
        RunWriter writer(second.get());
        QVERIFY2(writer.beginRun(meta(QStringLiteral("first")), &id, &error), qPrintable(error));
        QVERIFY(!creator->discardIfCreatedEmpty());
        QVERIFY(QFileInfo::exists(path));
        QVERIFY2(writer.finish(RunStatus::Completed, QString(), &error), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_run_store.moc"
