// SPDX-License-Identifier: MIT
// Time to accuracy, readable metric values and run labels of `compareRuns` (issue [1/7] #9): the
// one computation behind `collapipe compare` and the Studio's compare view; and the exports name
// clusters by their scenario ids (#7).
#include "core/store/run_compare.h"
#include "core/store/run_export.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"
#include "synthetic_round.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace collapipe;

class TestRunCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timeToAccuracyInterpolatesBetweenEvaluations()
    {
        // Evaluations at 10 s (0.2), 20 s (0.5), 30 s (0.7); a NaN (no evaluation) in between.
        const std::vector<AccuracyPoint> points
            = {{10.0, 0.2}, {15.0, std::nan("")}, {20.0, 0.5}, {30.0, 0.7}};
        // 0.6 lies half way between 0.5 (20 s) and 0.7 (30 s): 20 + 0.5 · 10 = 25 s.
        QCOMPARE(timeToAccuracy(points, 0.6), 25.0);
        // 0.35 between 0.2 (10 s) and 0.5 (20 s): 10 + (0.15 / 0.3) · 10 = 15 s.
        QCOMPARE(timeToAccuracy(points, 0.35), 15.0);
        QCOMPARE(timeToAccuracy(points, 0.5), 20.0);      // reached exactly at an evaluation
        QCOMPARE(timeToAccuracy(points, 0.1), 10.0);      // the first evaluation already reaches it
        QVERIFY(std::isnan(timeToAccuracy(points, 0.8))); // never reached
        QVERIFY(std::isnan(timeToAccuracy(points, std::nan("")))); // no target
        QVERIFY(std::isnan(timeToAccuracy({}, 0.5)));
        // A dip below the target after reaching it does not matter: the first crossing counts.
        QCOMPARE(timeToAccuracy({{1.0, 0.4}, {2.0, 0.6}, {3.0, 0.3}, {4.0, 0.9}}, 0.5), 1.5);
    }

    void metricValuesAreReadable()
    {
        QCOMPARE(formatMetricValue(2.1526e-05, QStringLiteral("s")), QStringLiteral("21.5 µs"));
        QCOMPARE(formatMetricValue(0.0123, QStringLiteral("s")), QStringLiteral("12.3 ms"));
        QCOMPARE(formatMetricValue(3.5, QStringLiteral("s")), QStringLiteral("3.50 s"));
        QCOMPARE(formatMetricValue(3200.0, QStringLiteral("J")), QStringLiteral("3.20 kJ"));
        QCOMPARE(formatMetricValue(0.0, QStringLiteral("J")), QStringLiteral("0.00 J"));
        QCOMPARE(formatMetricValue(0.25, QStringLiteral("%")), QStringLiteral("25.0 %"));
        QCOMPARE(formatMetricValue(24.0, QString()), QStringLiteral("24"));
        QCOMPARE(formatMetricValue(std::nan(""), QStringLiteral("s")), QStringLiteral("-"));
        MetricComparison m{
            QStringLiteral("x"), QStringLiteral("s"), QStringLiteral("X"), {0.010, 0.012}, false};
        QCOMPARE(formatMetricDelta(m, 1), QStringLiteral("+2.00 ms (+20.0 %)"));
    }

    void compareReportsTimeToAccuracyOnTheSimulatedClock()
    {
        // Two runs with the same accuracy per round (same seed); run B's rounds take twice as
        // long, and it differs only in its schedule.
        QTemporaryDir dir;
        QString error;
        auto store = RunStore::open(dir.filePath(QStringLiteral("cmp.sqlite")), &error);
        QVERIFY2(store, qPrintable(error));
        std::vector<std::int64_t> ids;
        for (const char *schedule : {"gpipe", "1f1b"}) {
            const double scale = ids.empty() ? 1.0 : 2.0;
            RunWriter writer(store.get());
            RunMeta meta;
            meta.name = QStringLiteral("same name");
            meta.scenarioJson
                = QStringLiteral("{\"name\":\"s\",\"optimizer\":{\"schedule\":\"%1\"}}")
                      .arg(QLatin1String(schedule));
            meta.policy = QStringLiteral("uniform");
            meta.roundsPlanned = 4;
            std::int64_t id = 0;
            QVERIFY2(writer.beginRun(meta, &id, &error), qPrintable(error));
            const double accuracy[] = {0.2, std::nan(""), 0.5, 0.8};
            for (int t = 0; t < 4; ++t) {
                RoundRecord r = testing::syntheticRound(t);
                r.simTimeS = 10.0 * (t + 1) * scale;
                r.accuracy = accuracy[t];
                QVERIFY2(writer.appendRound(r, &error), qPrintable(error));
            }
            QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
            ids.push_back(id);
        }
        CompareOptions options;
        options.targetAccuracy = 0.65;
        RunComparison cmp;
        QVERIFY2(compareRuns(store.get(), ids, &cmp, &error, options), qPrintable(error));
        const auto metric = [&cmp](const char *key) -> const MetricComparison * {
            for (const MetricComparison &m : cmp.metrics) {
                if (m.key == QLatin1String(key)) {
                    return &m;
                }
            }
            return nullptr;
        };
        const MetricComparison *toTarget = metric("time_to_target_s");
        const MetricComparison *to90 = metric("time_to_90pct_best_s");
        QVERIFY(toTarget && to90);
        QCOMPARE(cmp.targetAccuracy, 0.65);
        // Run A: 0.5 at 30 s, 0.8 at 40 s: 0.65 at 35 s. Run B: every time doubled, 70 s.
        QCOMPARE(toTarget->values[0], 35.0);
        QCOMPARE(toTarget->values[1], 70.0);
        // 90 % of the best final (0.8) = 0.72: 30 + (0.22 / 0.3) · 10 s.
        QCOMPARE(cmp.bestFinalAccuracy, 0.8);
        QVERIFY(std::abs(to90->values[0] - (30.0 + 0.22 / 0.3 * 10.0)) < 1e-9);
        QVERIFY(std::abs(to90->values[1] - 2.0 * to90->values[0]) < 1e-9);
        QVERIFY(toTarget->label.contains(QStringLiteral("65.0 %")));
        // The rows lead the table: they are what a comparison is for.
        QCOMPARE(cmp.metrics[0].key, QStringLiteral("time_to_target_s"));
        for (const MetricComparison &m : cmp.metrics) {
            QVERIFY2(!m.label.isEmpty(), qPrintable(m.key));
        }
        // Default target: the lowest final accuracy (both reach 0.8 here).
        QVERIFY(compareRuns(store.get(), ids, &cmp, &error));
        QCOMPARE(cmp.targetAccuracy, 0.8);
        // Same name, same policy: the schedule tells them apart.
        const QStringList labels = runLabels(cmp);
        QCOMPARE(labels.size(), 2);
        QCOMPARE(labels[0], QStringLiteral("#%1 gpipe").arg(ids[0]));
        QCOMPARE(labels[1], QStringLiteral("#%1 1f1b").arg(ids[1]));
    }

    void exportsNameClustersByTheirScenarioIds()
    {
        // Rounds store a cluster's index (0, 1); the export adds the id from the stored scenario.
        QTemporaryDir dir;
        QString error;
        auto store = RunStore::open(dir.filePath(QStringLiteral("ids.sqlite")), &error);
        QVERIFY2(store, qPrintable(error));
        RunWriter writer(store.get());
        RunMeta meta;
        meta.name = QStringLiteral("ids");
        meta.scenarioJson
            = QStringLiteral("{\"topology\":{\"clusters\":[{\"id\":\"c1\"},{\"id\":\"lab,2\"}]}}");
        meta.roundsPlanned = 1;
        std::int64_t id = 0;
        QVERIFY2(writer.beginRun(meta, &id, &error), qPrintable(error));
        QVERIFY2(writer.appendRound(testing::syntheticRound(0), &error), qPrintable(error));
        QVERIFY2(writer.finish(RunStatus::Completed, {}, &error), qPrintable(error));
        for (ExportTable table :
            {ExportTable::Clusters, ExportTable::Devices, ExportTable::Events}) {
            QBuffer csv;
            csv.open(QIODevice::ReadWrite);
            QVERIFY2(exportRun(store.get(), id, table, ExportFormat::Csv, &csv, &error) > 0,
                qPrintable(error));
            const QList<QByteArray> lines = csv.data().split('\n');
            const QList<QByteArray> header = lines[0].split(',');
            const qsizetype at = header.indexOf("cluster_id");
            QVERIFY2(at > 0 && header[at - 1] == "cluster", lines[0].constData());
            QVERIFY2(lines[1].split(',').value(at) == "c1", lines[1].constData());
            QVERIFY2(csv.data().contains(",\"lab,2\","), csv.data().left(600).constData());
            QBuffer json;
            json.open(QIODevice::ReadWrite);
            QVERIFY(exportRun(store.get(), id, table, ExportFormat::Json, &json, &error) > 0);
            const QJsonObject doc = QJsonDocument::fromJson(json.data()).object();
            QVERIFY(doc.value(QStringLiteral("columns"))
                        .toArray()
                        .contains(QStringLiteral("cluster_id")));
            for (const QJsonValue &row : doc.value(QStringLiteral("rows")).toArray()) {
                const int cluster = row.toObject().value(QStringLiteral("cluster")).toInt();
                QCOMPARE(row.toObject().value(QStringLiteral("cluster_id")).toString(),
                    cluster == 0 ? QStringLiteral("c1") : QStringLiteral("lab,2"));
            }
        }
        // The rounds table has no cluster column and gets none.
        QBuffer rounds;
        rounds.open(QIODevice::ReadWrite);
        QVERIFY(exportRun(store.get(), id, ExportTable::Rounds, ExportFormat::Csv, &rounds, &error)
            > 0);
        QVERIFY(!rounds.data().split('\n')[0].contains("cluster_id"));
    }
};

QTEST_GUILESS_MAIN(TestRunCompare)
#include "tst_run_compare.moc"
