// SPDX-License-Identifier: MIT
// The run store under faults (issue [2/7] "Nothing lost"): a failed final save is never stored
// as completed, a refused file is never touched, readers never write, a damaged file is refused
// with how to salvage it, a URI is not a path, and CSV quoting follows RFC 4180.
#include "core/store/csv_field.h"
#include "core/store/run_export.h"
#include "core/store/run_reader.h"
#include "core/store/run_writer.h"
#include "core/store/schema.h"
#include "store_fixtures.h"
#include "synthetic_round.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;
using namespace collapipe::testing;

class TestStoreFaults : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString dbPath(const QString &name) const { return m_dir.filePath(name); }
    static RunMeta meta(int rounds)
    {
        return testing::storeTestMeta(QStringLiteral("faults"), rounds);
    }
    /// The stored run as a fresh reader sees it.
    static RunInfo storedRun(const QString &path, std::int64_t id)
    {
        QString error;
        RunInfo info;
        auto store = RunStore::open(path, &error);
        if (!store || !RunReader(store.get()).run(id, &info, &error)) {
            qWarning("%s", qPrintable(error));
        }
        return info;
    }

private Q_SLOTS:
    void finalSaveOnFullDiskIsFailed()
    {
        // Item 1: all 20 rounds are buffered and the final flush hits a full disk (the file may
        // not grow: SQLite's max_page_count gives SQLITE_FULL exactly as a full disk does).
        const QString path = dbPath(QStringLiteral("full.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get(), CommitPolicy{64, 1000000, true});
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(20), &id, &error), qPrintable(error));
        const QByteArray limit
            = "PRAGMA max_page_count = " + QByteArray::number(pageCount(store.get()));
        QVERIFY(store->db().exec(limit.constData(), &error));
        for (int r = 0; r < 20; ++r) {
            QVERIFY(writer.appendRound(syntheticRound(r), &error)); // buffered, not yet written
        }
        QVERIFY(!writer.finish(RunStatus::Completed, QString(), &error));
        QVERIFY2(error.contains(QStringLiteral("disk is full")), qPrintable(error));
        store.reset();
        const RunInfo info = storedRun(path, id);
        QCOMPARE(runStatusName(info.status), QStringLiteral("failed"));
        // The rounds that still fit into the file's free pages are kept (fullDiskKeepsThe-
        // RoundsThatFit); the others are named as lost.
        QVERIFY2(info.roundsDone < 20, qPrintable(QString::number(info.roundsDone)));
        QVERIFY2(error.contains(QStringLiteral("%1 round(s) after the %2 stored")
                                    .arg(20 - info.roundsDone)
                                    .arg(info.roundsDone)),
            qPrintable(error));
        QVERIFY2(info.message.contains(QStringLiteral("disk is full")), qPrintable(info.message));
    }

    void fullDiskKeepsTheRoundsThatFit()
    {
        // A batch of 40 rounds meets a disk with room for only some of them. The whole batch
        // used to be lost (0 rounds stored); the rounds that fit are committed, readable, and the
        // run is failed naming the rounds lost.
        const QString path = dbPath(QStringLiteral("almost-full.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get(), CommitPolicy{64, 1000000, true});
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(40), &id, &error), qPrintable(error));
        const QByteArray limit
            = "PRAGMA max_page_count = " + QByteArray::number(pageCount(store.get()) + 24);
        QVERIFY(store->db().exec(limit.constData(), &error));
        for (int r = 0; r < 40; ++r) {
            QVERIFY(writer.appendRound(syntheticRound(r, 2, 3, 40), &error));
        }
        QVERIFY(!writer.finish(RunStatus::Completed, QString(), &error));
        QVERIFY2(error.contains(QStringLiteral("disk is full")), qPrintable(error));
        store.reset();
        const RunInfo info = storedRun(path, id);
        QCOMPARE(runStatusName(info.status), QStringLiteral("failed"));
        QVERIFY2(info.roundsDone > 0 && info.roundsDone < 40,
            qPrintable(QString::number(info.roundsDone)));
        QVERIFY2(info.message.contains(QStringLiteral("%1 round(s) after the %2 stored")
                                           .arg(40 - info.roundsDone)
                                           .arg(info.roundsDone)),
            qPrintable(info.message));
        StoreOptions reading;
        reading.readOnly = true;
        auto reader = RunStore::open(path, &error, reading);
        QVERIFY2(reader, qPrintable(error));
        std::vector<RoundRecord> rounds;
        QVERIFY2(RunReader(reader.get()).rounds(id, &rounds, &error, RoundEverything),
            qPrintable(error));
        QCOMPARE(int(rounds.size()), info.roundsDone);
        for (int r = 0; r < int(rounds.size()); ++r) {
            QCOMPARE(rounds[std::size_t(r)].round, r);
            QCOMPARE(int(rounds[std::size_t(r)].events.size()), 2 * 3 * 40);
        }
        QString report;
        QVERIFY2(reader->integrityCheck(&report, &error), qPrintable(report + error));
    }

    void failureReasonIsNotRepeated()
    {
        // Item 14: the caller's message is already the store error ("X"); the stored message
        // must not become "X; X".
        const QString path = dbPath(QStringLiteral("repeat.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get(), CommitPolicy{1, 0, true});
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta(5), &id, &error), qPrintable(error));
        QVERIFY(writer.appendRound(syntheticRound(0), &error));
        const QByteArray limit
            = "PRAGMA max_page_count = " + QByteArray::number(pageCount(store.get()));
        QVERIFY(store->db().exec(limit.constData(), &error));
        QString storeError;
        QVERIFY(!writer.appendRound(syntheticRound(1, 8, 8, 40), &storeError)); // needs new pages
        QString finishError;
        QVERIFY(!writer.finish(RunStatus::Failed, storeError, &finishError));
        store.reset();
        const RunInfo info = storedRun(path, id);
        QCOMPARE(runStatusName(info.status), QStringLiteral("failed"));
        QCOMPARE(info.roundsDone, 1);
        QCOMPARE(info.message.count(storeError), 1);
        QCOMPARE(finishError.count(storeError), 1);
    }

    void refusedFilesAreNotTouched_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("needle");
        const QString notOurs = QStringLiteral("not a CollaPipe run store");
        QTest::newRow("foreign SQLite file") << QStringLiteral("foreign") << notOurs;
        QTest::newRow("newer schema") << QStringLiteral("newer") << QStringLiteral("newer");
        // Another program's database that sets user_version to one of our versions: it used
        // to be switched to WAL (its header rewritten) and half-migrated.
        QTest::newRow("foreign SQLite file with a user_version")
            << QStringLiteral("foreign-v5") << QStringLiteral("user_version 5");
        QTest::newRow("our version, another program's runs table")
            << QStringLiteral("foreign-runs") << QStringLiteral("missing runs.id");
        QTest::newRow("negative user_version")
            << QStringLiteral("foreign-negative") << QStringLiteral("user_version -3");
        // SQLite reads a 1-byte file as an empty database, and a writer overwrote it.
        QTest::newRow("1-byte file")
            << QStringLiteral("one-byte") << QStringLiteral("not a SQLite database (1 bytes");
    }

    void refusedFilesAreNotTouched()
    {
        // Item 3: refusing a file must not switch it to WAL first (that rewrites its header).
        QFETCH(QString, kind);
        QFETCH(QString, needle);
        const QString path = dbPath(kind + QStringLiteral(".sqlite"));
        QString error;
        const auto foreign = [&](const char *sql) {
            SqliteDb db;
            return db.open(path, true, 100, &error) && db.exec(sql, &error);
        };
        if (kind == QLatin1String("foreign")) {
            QVERIFY(foreign("CREATE TABLE photos(id INTEGER); INSERT INTO photos VALUES (1)"));
        } else if (kind == QLatin1String("foreign-v5")) {
            QVERIFY2(foreign("CREATE TABLE photos(id INTEGER); INSERT INTO photos VALUES (1); "
                             "PRAGMA user_version = 5"),
                qPrintable(error));
        } else if (kind == QLatin1String("foreign-runs")) {
            QVERIFY2(foreign(QByteArray("CREATE TABLE runs(title TEXT); PRAGMA user_version = ")
                                 .append(QByteArray::number(storeSchemaVersion()))
                                 .constData()),
                qPrintable(error));
        } else if (kind == QLatin1String("foreign-negative")) {
            QVERIFY2(foreign("CREATE TABLE photos(id INTEGER); PRAGMA user_version = -3"),
                qPrintable(error));
        } else if (kind == QLatin1String("one-byte")) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly) && file.write("x", 1) == 1);
        } else {
            auto store = RunStore::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            QVERIFY(store->db().exec("PRAGMA user_version = 99", &error));
            QVERIFY2(checkpointAndClose(std::move(store), &error), qPrintable(error));
        }
        const QByteArray before = fileBytes(path);
        QVERIFY(!before.isEmpty());
        for (bool readOnly : {false, true}) {
            StoreOptions options;
            options.readOnly = readOnly;
            QVERIFY(!RunStore::open(path, &error, options));
            QVERIFY2(error.startsWith(path), qPrintable(error));
            QVERIFY2(error.contains(needle), qPrintable(error));
            QVERIFY2(fileBytes(path) == before, "the refused file was changed");
            QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
            QVERIFY(!QFile::exists(path + QStringLiteral("-shm")));
        }
    }

    void writeProtectedFileIsNotWritten()
    {
        // A database without any write permission bit (chmod a-w) is read-only for root too:
        // root's writes ignore permission bits, so a writer used to append to it. Readers still
        // read it.
        const QString path = dbPath(QStringLiteral("protected.sqlite"));
        QString error;
        {
            auto store = RunStore::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            RunWriter writer(store.get());
            std::int64_t id = 0;
            QVERIFY2(writer.beginRun(meta(1), &id, &error), qPrintable(error));
            QVERIFY2(writer.finish(RunStatus::Completed, QString(), &error), qPrintable(error));
            QVERIFY2(checkpointAndClose(std::move(store), &error), qPrintable(error));
        }
        QVERIFY(
            QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        const QByteArray before = fileBytes(path);
        QVERIFY(!RunStore::open(path, &error));
        QVERIFY2(error.startsWith(path) && error.contains(QStringLiteral("read-only")),
            qPrintable(error));
        QCOMPARE(fileBytes(path), before);
        StoreOptions reading;
        reading.readOnly = true;
        auto reader = RunStore::open(path, &error, reading);
        QVERIFY2(reader, qPrintable(error));
        std::vector<RunInfo> runs;
        QVERIFY2(RunReader(reader.get()).listRuns(&runs, &error), qPrintable(error));
        QCOMPARE(runs.size(), std::size_t(1));
        reader.reset();
        QCOMPARE(fileBytes(path), before);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }

    void readersNeverWrite()
    {
        // Item 4: a reader opens read-only, does not recover, and reports a run whose writer is
        // gone as interrupted; only a writer stores that.
        const QString path = dbPath(QStringLiteral("stale.sqlite"));
        QString error;
        std::int64_t id = 0;
        {
            auto store = RunStore::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            RunWriter writer(store.get(), CommitPolicy{1, 0, true});
            QVERIFY(writer.beginRun(meta(3), &id, &error));
            QVERIFY(writer.appendRound(syntheticRound(0), &error));
            QVERIFY(writer.finish(RunStatus::Completed, QString(), &error));
            QVERIFY2(makeStaleRunning(store.get(), id, &error), qPrintable(error));
            QVERIFY2(checkpointAndClose(std::move(store), &error), qPrintable(error));
        }
        const QByteArray before = fileBytes(path);
        StoreOptions readOnly;
        readOnly.readOnly = true;
        {
            auto reader = RunStore::open(path, &error, readOnly);
            QVERIFY2(reader, qPrintable(error));
            QVERIFY(reader->db().isReadOnly());
            QCOMPARE(reader->recoveredRuns(), 0);
            std::vector<RunInfo> runs;
            QVERIFY2(RunReader(reader.get()).listRuns(&runs, &error), qPrintable(error));
            QCOMPARE(runs.size(), std::size_t(1));
            QCOMPARE(runStatusName(runs[0].status), QStringLiteral("interrupted"));
            // Any write through a reader's connection is refused by SQLite itself.
            QVERIFY(!reader->db().exec("UPDATE runs SET name = 'x'", &error));
        }
        QVERIFY2(fileBytes(path) == before, "a reader changed the file");
        SqliteDb raw;
        QVERIFY(raw.open(path, SqliteDb::Mode::ReadOnly, 100, &error));
        SqliteStatement status;
        QVERIFY(status.prepare(raw, "SELECT status FROM runs", &error));
        QCOMPARE(status.step(), SQLITE_ROW);
        QCOMPARE(status.columnText(0), QStringLiteral("running")); // not stored by the reader
        status.finalize();
        raw.close();
        auto writer = RunStore::open(path, &error);
        QVERIFY2(writer, qPrintable(error));
        QCOMPARE(writer->recoveredRuns(), 1); // the writer stores it
    }

    void damagedFileIsRefused()
    {
        // Item 6: a damaged page is found before anything is read or appended.
        const QString path = dbPath(QStringLiteral("damaged.sqlite"));
        QString error;
        {
            auto store = RunStore::open(path, &error);
            QVERIFY2(store, qPrintable(error));
            RunWriter writer(store.get());
            std::int64_t id = 0;
            QVERIFY(writer.beginRun(meta(30), &id, &error));
            for (int r = 0; r < 30; ++r) {
                QVERIFY(writer.appendRound(syntheticRound(r), &error));
            }
            QVERIFY(writer.finish(RunStatus::Completed, QString(), &error));
            QVERIFY2(checkpointAndClose(std::move(store), &error), qPrintable(error));
        }
        QVERIFY2(damageTable(path, "device_rounds", &error), qPrintable(error));
        const QByteArray before = fileBytes(path);
        for (bool readOnly : {false, true}) {
            StoreOptions options;
            options.readOnly = readOnly;
            QVERIFY(!RunStore::open(path, &error, options));
            QVERIFY2(error.startsWith(path) && error.contains(QStringLiteral("damaged"))
                    && error.contains(QStringLiteral(".recover")),
                qPrintable(error));
        }
        QVERIFY2(fileBytes(path) == before, "the damaged file was written to");
        // The full check lists the problem.
        StoreOptions unchecked;
        unchecked.readOnly = true;
        unchecked.checkOnOpen = false;
        auto store = RunStore::open(path, &error, unchecked);
        QVERIFY2(store, qPrintable(error));
        QString report;
        QVERIFY(!store->integrityCheck(&report, &error));
    }

    void uriIsNotAPath_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("memory URI") << QStringLiteral("file:x?mode=memory");
        QTest::newRow("file URI") << QStringLiteral("file:uri.sqlite");
        QTest::newRow("upper case") << QStringLiteral("FILE:uri.sqlite");
        QTest::newRow(":memory:") << QStringLiteral(":memory:");
    }

    void uriIsNotAPath()
    {
        // Item 7: a run must never be stored where the reading verbs cannot find it.
        QFETCH(QString, name);
        QString error;
        QVERIFY(!RunStore::open(name, &error));
        QVERIFY2(error.startsWith(name) && error.contains(QStringLiteral("not a SQLite URI")),
            qPrintable(error));
        QVERIFY(!QFile::exists(QStringLiteral("uri.sqlite")));
        QVERIFY(!QFile::exists(QStringLiteral("x")));
    }

    void csvQuotesPerRfc4180_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("d1") << QStringLiteral("d1");
        QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::newRow("quote") << QStringLiteral("a\"b") << QStringLiteral("\"a\"\"b\"");
        QTest::newRow("LF") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::newRow("CR") << QStringLiteral("d\r4") << QStringLiteral("\"d\r4\"");
        QTest::newRow("CRLF") << QStringLiteral("a\r\nb") << QStringLiteral("\"a\r\nb\"");
        QTest::newRow("empty") << QString() << QString();
    }

    void csvQuotesPerRfc4180()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(csvField(text), expected);
        QCOMPARE(csvField(text.toUtf8()), expected.toUtf8());
    }

    void csvExportKeepsOneRecordPerRow()
    {
        // Item 10: a device id with CR made 6 records of 5 in the exported CSV.
        const QString path = dbPath(QStringLiteral("csv.sqlite"));
        QString error;
        auto store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get());
        std::int64_t id = 0;
        QVERIFY(writer.beginRun(meta(1), &id, &error));
        RoundRecord round = syntheticRound(0, 1, 4);
        round.devices[3].deviceId = QStringLiteral("d\r4");
        round.devices[2].deviceId = QStringLiteral("d,\"3\"\n");
        QVERIFY(writer.appendRound(round, &error));
        QVERIFY(writer.finish(RunStatus::Completed, QString(), &error));
        QBuffer out;
        QVERIFY(out.open(QIODevice::WriteOnly));
        QCOMPARE(exportRun(store.get(), id, ExportTable::Devices, ExportFormat::Csv, &out, &error),
            std::int64_t(4));
        // Parse as RFC 4180 (CR, LF and CRLF end a record outside quotes): header + 4 records.
        const QByteArray csv = out.data();
        int records = 0;
        bool quoted = false;
        QStringList ids;
        for (qsizetype i = 0; i < csv.size(); ++i) {
            const char c = csv[i];
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                ++records;
                if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') {
                    ++i;
                }
            }
        }
        QVERIFY(!quoted);
        QCOMPARE(records, 5);
        QVERIFY(csv.contains("\"d\r4\""));
        QVERIFY(csv.contains("\"d,\"\"3\"\"\n\""));
    }
};

QTEST_GUILESS_MAIN(TestStoreFaults)
#include "tst_store_faults.moc"
