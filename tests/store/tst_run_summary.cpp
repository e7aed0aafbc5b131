// SPDX-License-Identifier: MIT
// RunReader::summary (issue [5/7] "Speed"): one read of each child table gives the values the
// per-column query gave, bit for bit; without the device rows only their aggregates change.
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"
#include "synthetic_round.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <vector>

using namespace collapipe;

class TestRunSummary : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString dbPath(const QString &name) const { return m_dir.filePath(name); }
    static RunMeta meta(const QString &name) { return testing::syntheticRunMeta(name); }

private Q_SLOTS:
    // RunReader::summary reads each child table once (issue [5/7] "Speed"); every field must stay
    // what the query that scanned device_rounds and cluster_rounds three times each gave, bit for
    // bit, and count only its own run (a second run in the same file, written in between).
    void summaryMatchesPerColumnQuery()
    {
        QString error;
        auto store = RunStore::open(dbPath(QStringLiteral("summary.sqlite")), &error);
        QVERIFY2(store, qPrintable(error));
        std::int64_t ids[2] = {0, 0};
        for (int run = 0; run < 2; ++run) {
            RunWriter writer(store.get(), CommitPolicy{7, 250, false});
            QVERIFY2(writer.beginRun(meta(QStringLiteral("summary")), &ids[run], &error),
                qPrintable(error));
            for (int r = 0; r < 40 + 9 * run; ++r) {
                RoundRecord record = testing::syntheticRound(r, 3, 4, 0);
                if (r % 7 == 3) { // no cluster aggregated
                    for (ClusterRound &c : record.clusters) {
                        c.aggregated = false;
                    }
                }
                if (r % 11 == 5) { // a device with no capacity (left out of the max fraction)
                    record.devices[1].memoryCapacityBytes = 0.0;
                }
                QVERIFY2(writer.appendRound(record, &error), qPrintable(error));
            }
            QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
        }
        for (const std::int64_t id : ids) {
            RunSummary s;
            QVERIFY2(RunReader(store.get()).summary(id, &s, &error), qPrintable(error));
            SqliteStatement q;
            QVERIFY2(
                q.prepare(store->db(),
                    "SELECT COUNT(*), MAX(sim_time_s), AVG(latency_s), AVG(energy_j), "
                    "TOTAL(energy_j), AVG(bubble_fraction), AVG(computation_efficiency), "
                    "AVG(objective), AVG(decision_time_s), "
                    "(SELECT loss FROM rounds WHERE run_id = ?1 AND loss IS NOT NULL "
                    " ORDER BY round DESC LIMIT 1), "
                    "(SELECT accuracy FROM rounds WHERE run_id = ?1 AND accuracy IS NOT NULL "
                    " ORDER BY round DESC LIMIT 1), "
                    "(SELECT AVG(energy_queue_j) FROM device_rounds WHERE run_id = ?1), "
                    "(SELECT MAX(memory_predicted_bytes / memory_capacity_bytes) FROM "
                    " device_rounds WHERE run_id = ?1 AND memory_capacity_bytes > 0), "
                    "(SELECT MAX(memory_predicted_bytes) FROM device_rounds WHERE run_id = ?1), "
                    "AVG(compute_s), AVG(d2d_s), AVG(d2e_s), AVG(decoder_s), AVG(upload_s), "
                    "AVG(aggregation_s), AVG(bubble_s), "
                    "(SELECT COUNT(*) FROM cluster_rounds WHERE run_id = ?1 AND sat_out = 1), "
                    "(SELECT COUNT(*) FROM cluster_rounds WHERE run_id = ?1 AND sat_out = 0 "
                    " AND aggregated = 0), "
                    "(SELECT COUNT(*) FROM (SELECT round FROM cluster_rounds WHERE run_id = "
                    " ?1 GROUP BY round HAVING MAX(aggregated) = 0)) "
                    "FROM rounds WHERE run_id = ?1",
                    &error),
                qPrintable(error));
            q.bind(1, id);
            QCOMPARE(q.step(), 100); // SQLITE_ROW
            const double doubles[] = {s.simTimeS, s.meanLatencyS, s.meanEnergyJ, s.totalEnergyJ,
                s.meanBubbleFraction, s.meanComputationEfficiency, s.meanObjective,
                s.meanDecisionTimeS, s.finalLoss, s.finalAccuracy, s.meanEnergyQueueJ,
                s.maxMemoryFraction, s.maxDeviceMemoryBytes, s.meanSplit.computeS, s.meanSplit.d2dS,
                s.meanSplit.d2eS, s.meanSplit.decoderS, s.meanSplit.uploadS,
                s.meanSplit.aggregationS, s.meanSplit.bubbleS};
            for (int i = 0; i < 20; ++i) {
                const double expected = q.columnDouble(i + 1);
                QVERIFY2(std::memcmp(&expected, &doubles[i], sizeof(double)) == 0,
                    qPrintable(QStringLiteral("run %1 column %2: %3 vs %4")
                                   .arg(id)
                                   .arg(i + 1)
                                   .arg(doubles[i], 0, 'g', 17)
                                   .arg(expected, 0, 'g', 17)));
            }
            QCOMPARE(s.rounds, q.columnInt(0));
            QCOMPARE(s.satOutClusterRounds, q.columnInt(21));
            QCOMPARE(s.lateClusterRounds, q.columnInt(22));
            QCOMPARE(s.roundsWithoutAggregation, q.columnInt(23));
            // Without the device rows: their three aggregates NaN, every other field the same.
            RunSummary lite;
            QVERIFY2(RunReader(store.get()).summary(id, &lite, &error, false), qPrintable(error));
            QVERIFY(std::isnan(lite.meanEnergyQueueJ) && std::isnan(lite.maxMemoryFraction)
                && std::isnan(lite.maxDeviceMemoryBytes));
            lite.meanEnergyQueueJ = s.meanEnergyQueueJ;
            lite.maxMemoryFraction = s.maxMemoryFraction;
            lite.maxDeviceMemoryBytes = s.maxDeviceMemoryBytes;
            const auto fields = [](const RunSummary &x) {
                return std::vector<double>{double(x.rounds), x.simTimeS, x.meanLatencyS,
                    x.meanEnergyJ, x.totalEnergyJ, x.meanBubbleFraction,
                    x.meanComputationEfficiency, x.meanObjective, x.meanDecisionTimeS, x.finalLoss,
                    x.finalAccuracy, x.meanEnergyQueueJ, x.maxMemoryFraction,
                    x.maxDeviceMemoryBytes, x.meanSplit.computeS, x.meanSplit.d2dS,
                    x.meanSplit.d2eS, x.meanSplit.decoderS, x.meanSplit.uploadS,
                    x.meanSplit.aggregationS, x.meanSplit.bubbleS, double(x.satOutClusterRounds),
                    double(x.lateClusterRounds), double(x.roundsWithoutAggregation)};
            };
            const std::vector<double> full = fields(s);
            const std::vector<double> partial = fields(lite);
            QVERIFY(std::memcmp(full.data(), partial.data(), full.size() * sizeof(double)) == 0);
            // The counts are not all zero, so a lost filter shows.
            QCOMPARE(s.rounds, id == ids[0] ? 40 : 49);
            QVERIFY(s.satOutClusterRounds > 0 && s.lateClusterRounds > 0);
            QCOMPARE(s.roundsWithoutAggregation, id == ids[0] ? 6 : 7);
        }
    }
};

QTEST_GUILESS_MAIN(TestRunSummary)
#include "tst_run_summary.moc"
