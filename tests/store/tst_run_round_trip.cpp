// SPDX-License-Identifier: MIT
// Every RoundRecord field survives the store bit for bit, exports round-trip their numbers, and
// a run compared with itself shows zero deltas (issue [5/6]).
#include "core/store/run_compare.h"
#include "core/store/run_export.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"
#include "record_equal.h"
#include "synthetic_round.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;

class TestRunRoundTrip : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RunStore> m_store;
    std::int64_t m_id = 0;
    std::vector<RoundRecord> m_written;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_store = RunStore::open(m_dir.filePath(QStringLiteral("trip.sqlite")), &error);
        QVERIFY2(m_store, qPrintable(error));
        RunWriter writer(m_store.get(), CommitPolicy{3, 100000, true}); // batches of 3 rounds
        RunMeta meta;
        meta.name = QStringLiteral("round trip");
        meta.scenarioName = QStringLiteral("synthetic");
        meta.scenarioJson = QStringLiteral(
            "{\"name\":\"synthetic\",\"optimizer\":{\"v\":10},\"topology\":{\"clusters\":[{\"id\":"
            "\"a\"}]}}");
        meta.policy = QStringLiteral("dssda");
        meta.seed = 0xfedcba9876543210ull;
        meta.train = true;
        meta.roundsPlanned = 8;
        meta.version = QStringLiteral("0.1.0");
        QVERIFY2(writer.beginRun(meta, &m_id, &error), qPrintable(error));
        for (int round = 0; round < 7; ++round) {
            m_written.push_back(testing::syntheticRound(round));
            QVERIFY2(writer.appendRound(m_written.back(), &error), qPrintable(error));
        }
        QCOMPARE(writer.roundsCommitted(), 6); // two full batches; round 6 still buffered
        QVERIFY2(writer.finish(RunStatus::Stopped, QStringLiteral("stopped by user"), &error),
            qPrintable(error));
    }

    void runRow()
    {
        QString error;
        RunInfo info;
        QVERIFY2(RunReader(m_store.get()).run(m_id, &info, &error), qPrintable(error));
        QCOMPARE(info.seed, 0xfedcba9876543210ull);
        QCOMPARE(runStatusName(info.status), QStringLiteral("stopped"));
        QCOMPARE(info.message, QStringLiteral("stopped by user"));
        QCOMPARE(info.roundsDone, 7);
        QCOMPARE(info.roundsPlanned, 8);
        QVERIFY(info.train);
        QCOMPARE(info.writerPid, std::int64_t(0));
        QVERIFY(!info.finished.isEmpty());
        QCOMPARE(info.simTimeS, m_written.back().simTimeS);
    }

    void everyFieldRoundTrips()
    {
        QString error;
        std::vector<RoundRecord> read;
        QVERIFY2(RunReader(m_store.get()).rounds(m_id, &read, &error, RoundEverything),
            qPrintable(error));
        QCOMPARE(read.size(), m_written.size());
        for (std::size_t i = 0; i < read.size(); ++i) {
            const QString diff = testing::firstDifference(m_written[i], read[i]);
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
        std::vector<DeviceRoundRow> rows;
        QVERIFY(RunReader(m_store.get()).deviceRounds(m_id, &rows, &error));
        QCOMPARE(rows.size(), m_written.size() * m_written[0].devices.size());
    }

    void csvExportRoundTrips()
    {
        QBuffer buffer;
        buffer.open(QIODevice::ReadWrite);
        QString error;
        const auto rows = exportRun(
            m_store.get(), m_id, ExportTable::Rounds, ExportFormat::Csv, &buffer, &error);
        QVERIFY2(rows == std::int64_t(m_written.size()), qPrintable(error));
        const QList<QByteArray> lines = buffer.data().trimmed().split('\n');
        QCOMPARE(lines.size(), int(m_written.size()) + 1);
        const QList<QByteArray> header = lines.first().split(',');
        QCOMPARE(header.first(), QByteArray("round"));
        const int latency = header.indexOf("latency_s");
        const int accuracy = header.indexOf("accuracy");
        const int decision = header.indexOf("decision_time_s");
        QVERIFY(latency > 0 && accuracy > 0 && decision > 0);
        for (int i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> cells = lines[i].split(',');
            QCOMPARE(cells.size(), header.size());
            const RoundRecord &r = m_written[i - 1];
            QCOMPARE(cells[latency].toDouble(), r.latencyS); // exact: shortest round-trip form
            QCOMPARE(cells[decision].toDouble(), r.decisionTimeS);
            if (std::isnan(r.accuracy)) {
                QVERIFY(cells[accuracy].isEmpty());
            } else {
                QCOMPARE(cells[accuracy].toDouble(), r.accuracy);
            }
        }
    }

    void csvCarriesTheSchedule()
    {
        QBuffer buffer;
        buffer.open(QIODevice::ReadWrite);
        QString error;
        QVERIFY2(exportRun(
                     m_store.get(), m_id, ExportTable::Clusters, ExportFormat::Csv, &buffer, &error)
                > 0,
            qPrintable(error));
        const QList<QByteArray> lines = buffer.data().trimmed().split('\n');
        const QList<QByteArray> header = lines[0].split(',');
        const qsizetype schedule = header.indexOf("schedule");
        const qsizetype interleave = header.indexOf("interleave");
        QVERIFY2(schedule >= 0 && interleave >= 0, lines[0].constData());
        // syntheticRound: cluster 0 runs zb-h1, cluster 1 interleaved with v = 3.
        const QList<QByteArray> second = lines[2].split(',');
        QCOMPARE(second[schedule], QByteArray("interleaved"));
        QCOMPARE(second[interleave], QByteArray("3"));
        QCOMPARE(lines[1].split(',')[schedule], QByteArray("zb-h1"));
    }

    void csvQuotesText()
    {
        QBuffer buffer;
        buffer.open(QIODevice::ReadWrite);
        QString error;
        QVERIFY(
            exportRun(m_store.get(), m_id, ExportTable::Devices, ExportFormat::Csv, &buffer, &error)
            > 0);
        QVERIFY2(buffer.data().contains("\"c0-d0 \"\"q\"\",x\""), buffer.data().left(400));
    }

    void jsonExportRoundTrips_data()
    {
        QTest::addColumn<int>("table");
        QTest::newRow("rounds") << int(ExportTable::Rounds);
        QTest::newRow("clusters") << int(ExportTable::Clusters);
        QTest::newRow("devices") << int(ExportTable::Devices);
        QTest::newRow("events") << int(ExportTable::Events);
    }

    void jsonExportRoundTrips()
    {
        QFETCH(int, table);
        QBuffer buffer;
        buffer.open(QIODevice::ReadWrite);
        QString error;
        const auto rows = exportRun(
            m_store.get(), m_id, ExportTable(table), ExportFormat::Json, &buffer, &error);
        QVERIFY2(rows > 0, qPrintable(error));
        const QJsonObject doc = QJsonDocument::fromJson(buffer.data()).object();
        QCOMPARE(
            doc.value(QStringLiteral("run")).toObject().value(QStringLiteral("seed")).toString(),
            QStringLiteral("18364758544493064720"));
        const QJsonArray array = doc.value(QStringLiteral("rows")).toArray();
        QCOMPARE(std::int64_t(array.size()), rows);
        // Check one number per row against what was written.
        for (const QJsonValue &value : array) {
            const QJsonObject row = value.toObject();
            const RoundRecord &r = m_written.at(row.value(QStringLiteral("round")).toInt());
            switch (ExportTable(table)) {
            case ExportTable::Rounds:
                QCOMPARE(row.value(QStringLiteral("energy_j")).toDouble(), r.energyJ);
                QCOMPARE(row.value(QStringLiteral("loss")).toDouble(), r.loss);
                break;
            case ExportTable::Clusters: {
                const int c = row.value(QStringLiteral("cluster")).toInt();
                QCOMPARE(
                    row.value(QStringLiteral("makespan_s")).toDouble(), r.clusters[c].makespanS);
                // v6: the schedule by name and its interleave factor (issue [4/7]).
                QCOMPARE(row.value(QStringLiteral("schedule")).toString(),
                    QLatin1String(scheduleName(r.clusters[c].schedule)));
                QCOMPARE(row.value(QStringLiteral("interleave")).toInt(), r.clusters[c].interleave);
                break;
            }
            case ExportTable::Devices: {
                const int c = row.value(QStringLiteral("cluster")).toInt();
                const int d = row.value(QStringLiteral("device")).toInt();
                const DeviceRound &dr = r.devices[c * 3 + d];
                QCOMPARE(row.value(QStringLiteral("link_rate_bps")).toDouble(), dr.linkRateBps);
                QCOMPARE(row.value(QStringLiteral("memory_measured_bytes")).isNull(),
                    std::isnan(dr.memoryMeasuredBytes));
                break;
            }
            case ExportTable::Events: {
                const int seq = row.value(QStringLiteral("seq")).toInt();
                QCOMPARE(row.value(QStringLiteral("start_s")).toDouble(), r.events[seq].startS);
                break;
            }
            }
        }
    }

    void compareWithItselfHasZeroDeltas()
    {
        QString error;
        RunComparison cmp;
        QVERIFY2(compareRuns(m_store.get(), {m_id, m_id}, &cmp, &error), qPrintable(error));
        QVERIFY2(cmp.config.empty(), cmp.config.empty() ? "" : qPrintable(cmp.config[0].path));
        QVERIFY(cmp.metrics.size() > 5);
        for (const MetricComparison &m : cmp.metrics) {
            if (std::isnan(m.values[0])) {
                continue;
            }
            QVERIFY2(m.delta(1) == 0.0, qPrintable(m.key));
            QVERIFY2(m.deltaPercent(1) == 0.0 || m.values[0] == 0.0, qPrintable(m.key));
        }
    }

    void compareFindsConfigDifferences()
    {
        QString error;
        RunWriter writer(m_store.get());
        RunMeta meta;
        meta.name = QStringLiteral("other");
        meta.scenarioJson = QStringLiteral(
            "{\"name\":\"synthetic\",\"optimizer\":{\"v\":100},\"topology\":{\"clusters\":[{\"id\":"
            "\"a\"},{\"id\":\"b\"}]}}");
        meta.policy = QStringLiteral("uniform");
        meta.roundsPlanned = 1;
        std::int64_t other = 0;
        QVERIFY(writer.beginRun(meta, &other, &error));
        RoundRecord r = testing::syntheticRound(0);
        r.latencyS = m_written[0].latencyS * 2.0;
        QVERIFY(writer.appendRound(r, &error));
        QVERIFY(writer.finish(RunStatus::Completed, {}, &error));

        RunComparison cmp;
        QVERIFY2(compareRuns(m_store.get(), {m_id, other}, &cmp, &error), qPrintable(error));
        QStringList paths;
        for (const ConfigDifference &d : cmp.config) {
            paths << d.path;
        }
        QVERIFY2(paths.contains(QStringLiteral("optimizer.v")), qPrintable(paths.join(u' ')));
        QVERIFY(paths.contains(QStringLiteral("topology.clusters[1].id")));
        QVERIFY(paths.contains(QStringLiteral("run.policy")));
        QVERIFY(!paths.contains(QStringLiteral("name")));
        QVERIFY(!compareRuns(m_store.get(), {m_id, 999}, &cmp, &error));
        QVERIFY2(error.contains(QStringLiteral("no run with id 999")), qPrintable(error));
    }
    // The writer puts a batch's rows into multi-row INSERTs of 32 rows and the rest one by one
    // (issue [5/7] "Speed"): batches whose row counts are not multiples of 32, rounds with
    // different device counts, events on, must read back field for field, in order.
    void chunkedBatchesRoundTrip()
    {
        QString error;
        auto store = RunStore::open(m_dir.filePath(QStringLiteral("chunks.sqlite")), &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get(), CommitPolicy{45, 100000, true});
        RunMeta meta;
        meta.name = QStringLiteral("chunks");
        meta.scenarioJson = QStringLiteral("{}");
        meta.roundsPlanned = 101;
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta, &id, &error), qPrintable(error));
        std::vector<RoundRecord> written;
        std::int64_t rows = 0;
        for (int round = 0; round < 101; ++round) {
            RoundRecord r = testing::syntheticRound(round, 3, 4, round % 3);
            r.devices.resize(std::size_t(5 + round % 8)); // 5-12 of the 12 devices
            written.push_back(r);
            rows += std::int64_t(1 + r.clusters.size() + r.devices.size() + r.events.size());
            QVERIFY2(writer.appendRound(r, &error), qPrintable(error));
        }
        QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
        QCOMPARE(writer.rowsWritten(), rows);
        std::vector<RoundRecord> read;
        QVERIFY2(
            RunReader(store.get()).rounds(id, &read, &error, RoundEverything), qPrintable(error));
        QCOMPARE(read.size(), written.size());
        for (std::size_t i = 0; i < read.size(); ++i) {
            const QString diff = testing::firstDifference(written[i], read[i]);
            QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(i).arg(diff)));
        }
    }

    // A failing multi-row INSERT names the rounds it held and keeps the whole batch out.
    void failedChunkNamesItsRounds()
    {
        QString error;
        auto store = RunStore::open(m_dir.filePath(QStringLiteral("chunk-fail.sqlite")), &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get(), CommitPolicy{40, 100000, false});
        RunMeta meta;
        meta.name = QStringLiteral("chunk fail");
        meta.scenarioJson = QStringLiteral("{}");
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta, &id, &error), qPrintable(error));
        bool ok = true;
        for (int round = 0; round < 40 && ok; ++round) {
            // Round 20 repeats round 5's number: the first chunk (rounds 0-31) breaks the key.
            ok = writer.appendRound(
                testing::syntheticRound(round == 20 ? 5 : round, 1, 1, 0), &error);
        }
        QVERIFY(!ok);
        QVERIFY2(error.contains(QStringLiteral("storing rounds 0-31")), qPrintable(error));
        QCOMPARE(writer.roundsCommitted(), 0);
        QCOMPARE(writer.rowsWritten(), std::int64_t(0));
        writer.finish(RunStatus::Completed, {}, &error);
        std::vector<RoundRecord> read;
        QVERIFY2(RunReader(store.get()).rounds(id, &read, &error), qPrintable(error));
        QCOMPARE(read.size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestRunRoundTrip)
#include "tst_run_round_trip.moc"
