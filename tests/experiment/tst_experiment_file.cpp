// SPDX-License-Identifier: MIT
// Experiment files (issue [5/7]): every bad input is refused with its field path and value, one
// problem per line; grid and zipped axes expand to the documented count and order; fingerprints
// and shards behave as the runner and merge rely on.
#include "core/experiment/experiment.h"
#include "core/experiment/reproduce_claims.h"
#include "core/experiment/reproduce_set.h"
#include "tests/experiment/experiment_file_helpers.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdint>

using namespace collapipe;
using namespace collapipe::testing;

namespace {

const QString kDataDir = testing::kExperimentDataDir;

bool expand(const QByteArray &json, std::vector<ExperimentPoint> *points, QString *problems)
{
    ExperimentSpec spec;
    std::vector<ExperimentProblem> found;
    const bool ok = experimentFromJson(json, kDataDir, &spec, &found)
        && expandExperiment(spec, points, &found);
    *problems = joined(found);
    return ok;
}

} // namespace

class TestExperimentFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validFileReads()
    {
        ExperimentSpec spec;
        std::vector<ExperimentProblem> problems;
        QVERIFY2(experimentFromJson(experiment(R"("name": "n", "policies": ["dssda", "uniform"],
            "seeds": [3, 4], "rounds": 7, "train": false, "events": true,
            "set": {"training.local_iterations": 2},
            "axes": [{"path": "optimizer.v", "values": [1, 10]}],
            "metrics": ["final_loss"])"),
                     kDataDir, &spec, &problems),
            qPrintable(joined(problems)));
        QCOMPARE(spec.name, QStringLiteral("n"));
        QCOMPARE(spec.policies, (QStringList{QStringLiteral("dssda"), QStringLiteral("uniform")}));
        QCOMPARE(spec.seeds, (std::vector<std::uint64_t>{3, 4}));
        QCOMPARE(spec.rounds.value_or(0), 7);
        QCOMPARE(spec.train.value_or(true), false);
        QVERIFY(spec.events);
        QCOMPARE(spec.metrics, QStringList{QStringLiteral("final_loss")});
        QCOMPARE(spec.fixed.size(), std::size_t(1));
        QCOMPARE(spec.axes.size(), std::size_t(1));
        QCOMPARE(spec.base.name, QStringLiteral("Tiny test scenario"));
    }

    void badInputIsNamed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown field")
            << experiment(R"("axis": [])") << QStringLiteral("axis: unknown key (valid: ");
        QTest::newRow("unknown field in an axis")
            << experiment(R"("axes": [{"path": "optimizer.v", "values": [1], "step": 2}])")
            << QStringLiteral("axes[0].step: unknown key (valid: path, values)");
        QTest::newRow("bad path")
            << experiment(R"("axes": [{"path": "optimizer.vv", "values": [1]}])")
            << QStringLiteral("axes[0].path: optimizer.vv: unknown key 'vv' in optimizer");
        QTest::newRow("bad index")
            << experiment(
                   R"("axes": [{"path": "clusters[3].devices[0].memory_bytes", "values": [1e9]}])")
            << QStringLiteral("axes[0].path: clusters[3].devices[0].memory_bytes: clusters[3] "
                              "does not exist (clusters has 1 entries)");
        QTest::newRow("section, not a field")
            << experiment(R"("axes": [{"path": "optimizer", "values": [1]}])")
            << QStringLiteral("axes[0].path: optimizer: is a section, not a single value");
        QTest::newRow("field with its own key")
            << experiment(R"("axes": [{"path": "optimizer.policy", "values": ["uniform"]}])")
            << QStringLiteral("axes[0].path: optimizer.policy has its own key: use \"policies\"");
        QTest::newRow("device count: no such cluster")
            << experiment(R"("axes": [{"path": "clusters[3].device_count", "values": [2]}])")
            << QStringLiteral("axes[0].path: clusters[3].device_count: clusters[3] does not exist "
                              "(clusters has 1 entries)");
        QTest::newRow("device count: zero")
            << experiment(R"("axes": [{"path": "clusters[*].device_count", "values": [2, 0]}])")
            << QStringLiteral("axes[0].values[1]: clusters[*].device_count: must be >= 1 (got 0)");
        QTest::newRow("device count: fraction")
            << experiment(R"("set": {"clusters[0].device_count": 2.5})")
            << QStringLiteral(
                   "set.clusters[0].device_count: clusters[0].device_count: must be an integer "
                   "(got 2.5)");
        QTest::newRow("device count: too many")
            << experiment(R"("axes": [{"path": "clusters[*].device_count", "values": [1001]}])")
            << QStringLiteral("axes[0].values[0]: clusters[*].device_count: must be <= 1000 "
                              "(got 1001)");
        QTest::newRow("device count: not a number")
            << experiment(R"("axes": [{"path": "clusters[*].device_count", "values": ["six"]}])")
            << QStringLiteral("axes[0].values[0]: clusters[*].device_count: expected a number "
                              "(got 'six')");
        QTest::newRow("empty axis")
            << experiment(R"("axes": [{"path": "optimizer.v", "values": []}])")
            << QStringLiteral("axes[0].values: must not be empty");
        QTest::newRow("empty zip") << experiment(R"("axes": [{"zip": []}])")
                                   << QStringLiteral("axes[0].zip: must not be empty");
        QTest::newRow("zip of unequal lengths")
            << experiment(R"("axes": [{"zip": [{"path": "optimizer.v", "values": [1, 2]},
                {"path": "d2d.bandwidth_hz", "values": [1e6]}]}])")
            << QStringLiteral("axes[0].zip[1].values: has 1 values, axes[0].zip[0].values has 2");
        QTest::newRow("path twice")
            << experiment(R"("set": {"optimizer.v": 3},
                "axes": [{"path": "optimizer.v", "values": [1]}])")
            << QStringLiteral("axes[0]: optimizer.v is already given by set");
        QTest::newRow("wrong type: rounds") << experiment(R"("rounds": "ten")")
                                            << QStringLiteral("rounds: must be a number (got "
                                                              "string \"ten\")");
        QTest::newRow("wrong type: axis value")
            << experiment(R"("axes": [{"path": "optimizer.v", "values": [1, "x"]}])")
            << QStringLiteral("axes[0].values[1]: optimizer.v: expected a number (got 'x')");
        QTest::newRow("wrong type: axis value is a list")
            << experiment(R"("axes": [{"path": "optimizer.v", "values": [[1]]}])")
            << QStringLiteral("axes[0].values[0]: must be a number, a string or true/false "
                              "(got an array)");
        QTest::newRow("wrong type: train") << experiment(R"("train": "yes")")
                                           << QStringLiteral("train: must be true or false (got "
                                                             "string \"yes\")");
        QTest::newRow("wrong type: axes") << experiment(R"("axes": {"path": "optimizer.v"})")
                                          << QStringLiteral("axes: must be an array (got an "
                                                            "object)");
        QTest::newRow("rounds out of range")
            << experiment(R"("rounds": 0)") << QStringLiteral("rounds: must be >= 1 (got 0)");
        QTest::newRow("seed not an integer") << experiment(
            R"("seeds": [1, 2.5])") << QStringLiteral("seeds[1]: must be an integer (got 2.5)");
        QTest::newRow("seed twice") << experiment(R"("seeds": [4, 4])")
                                    << QStringLiteral("seeds[1]: seed 4 is listed twice");
        QTest::newRow("unknown policy")
            << experiment(R"("policies": ["dssda", "fastest"])") << QStringLiteral("policies[1]: ");
        QTest::newRow("unknown metric")
            << experiment(R"("metrics": ["latency"])")
            << QStringLiteral("metrics[0]: unknown metric \"latency\" (valid: mean_latency_s");
        QTest::newRow("duplicate keys") << experiment(R"("rounds": 3, "rounds": 4)")
                                        << QStringLiteral("rounds: duplicate key at line 1");
        QTest::newRow("newer version")
            << QByteArray(R"({"experiment_version": 2, "scenario": "tiny.json"})")
            << QStringLiteral("experiment_version: unsupported version 2 (this build reads 1)");
        QTest::newRow("missing scenario") << QByteArray(R"({"experiment_version": 1})")
                                          << QStringLiteral("scenario: missing required key");
        QTest::newRow("missing scenario file")
            << QByteArray(R"({"experiment_version": 1, "scenario": "nope.json"})")
            << QStringLiteral("nope.json");
        QTest::newRow("inline scenario problem")
            << QByteArray(R"({"experiment_version": 1, "scenario": {"format": "x"}})")
            << QStringLiteral("scenario.format: unsupported format");
        QTest::newRow("syntax error") << QByteArray("{\"experiment_version\": 1,\n ]")
                                      << QStringLiteral("invalid JSON at line 2");
        // A bad value must not hide the bad values after it in the same axis.
        QTest::newRow("second bad value of an axis")
            << experiment(R"("axes": [{"path": "optimizer.v", "values": ["abc", "def"]}])")
            << QStringLiteral("axes[0].values[1]: optimizer.v: expected a number (got 'def')");
        QTest::newRow("third bad device count")
            << experiment(R"("axes": [{"path": "clusters[*].device_count",
                "values": [0, 2.5, 1001]}])")
            << QStringLiteral("axes[0].values[2]: clusters[*].device_count: must be <= 1000");
        // A value listed twice would run one point twice (one fingerprint, two runs).
        QTest::newRow("axis value twice")
            << experiment(R"("axes": [{"path": "optimizer.v", "values": [1, 2, 1]}])")
            << QStringLiteral("axes[0].values[2]: 1 is listed twice (as axes[0].values[0] too)");
        QTest::newRow("axis value twice, once as a string")
            << experiment(R"("axes": [{"path": "optimizer.v", "values": [1, "1"]}])")
            << QStringLiteral("axes[0].values[1]: string \"1\" is listed twice");
        QTest::newRow("zipped row twice")
            << experiment(R"("axes": [{"zip": [{"path": "optimizer.v", "values": [1, 2, 1]},
                {"path": "d2d.bandwidth_hz", "values": [1e6, 2e6, 1e6]}]}])")
            << QStringLiteral("axes[0].zip: row 2 (1, 1e+06) repeats row 0");
        QTest::newRow("grid past the limit")
            << experiment(R"("axes": [{"path": "optimizer.v", "values": [)" + numbers(1, 50)
                   + R"(]}, {"path": "d2d.bandwidth_hz", "values": [)" + numbers(1e6, 50)
                   + R"(]}, {"path": "d2e.bandwidth_hz", "values": [)" + numbers(1e6, 50) + "]}]")
            << QStringLiteral("axes: 125000 points (50 x 50 x 50 x 1 policies x 1 seeds) is more "
                              "than the 100000 one experiment may have");
        QTest::newRow("empty field path")
            << experiment(R"("axes": [{"path": "", "values": [1]}])")
            << QStringLiteral("axes[0].path: must not be empty (a field path such as optimizer.v; "
                              "got string \"\")");
        QTest::newRow("empty scenario path")
            << QByteArray(R"({"experiment_version": 1, "scenario": ""})")
            << QStringLiteral("scenario: must not be empty");
    }

    void badInputIsNamed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        std::vector<ExperimentProblem> problems;
        ExperimentSpec spec;
        QVERIFY(!experimentFromJson(json, kDataDir, &spec, &problems));
        const QString text = joined(problems);
        QVERIFY2(text.contains(expected),
            qPrintable(QStringLiteral("expected '%1' in:\n%2").arg(expected, text)));
    }

    void problemsStayOnOneLine()
    {
        // A key holding a newline cannot forge a second problem line.
        std::vector<ExperimentProblem> problems;
        QVERIFY(!experimentFromJson(
            experiment(R"("bad\nkey": 1, "axes": [{"path": "optimizer.v\nx", "values": [1]}])"),
            kDataDir, nullptr, &problems));
        QCOMPARE(problems.size(), std::size_t(2));
        for (const ExperimentProblem &p : problems) {
            QVERIFY2(!p.toString().contains(QLatin1Char('\n')), qPrintable(p.toString()));
            QVERIFY2(p.toString().contains(QLatin1String("\\n")), qPrintable(p.toString()));
        }
    }

    void invalidPointIsNamedWithItsCoordinates()
    {
        // Each value is well-typed, but v = -1 is out of range: the point is named.
        std::vector<ExperimentPoint> points;
        QString problems;
        QVERIFY(!expand(experiment(R"("axes": [{"path": "optimizer.v", "values": [1, -1]}])"),
            &points, &problems));
        QVERIFY2(problems.contains(QLatin1String("points[1]: (optimizer.v=-1, policy uniform, "
                                                 "seed 7) optimizer.v: must be >= 0 (got -1)")),
            qPrintable(problems));
        QVERIFY2(!problems.contains(QLatin1String("points[0]")), qPrintable(problems));
    }

    void samePointTwiceIsRefused()
    {
        // Values that read differently but set the same scenario ("1e0" and 1; 1e6 and
        // "1000000.0") are one point twice: each would run, and both carry one fingerprint.
        std::vector<ExperimentPoint> points;
        QString problems;
        QVERIFY(!expand(experiment(R"("axes": [{"path": "optimizer.v", "values": [1, "1e0"]}])"),
            &points, &problems));
        QVERIFY2(problems.contains(QLatin1String("points[1]: (optimizer.v=1e0, policy uniform, "
                                                 "seed 7) the same scenario as points[0] "
                                                 "(optimizer.v=1, policy uniform, seed 7)")),
            qPrintable(problems));
        QVERIFY(!expand(experiment(R"("set": {"optimizer.v": 3}, "axes": [{"path":
            "d2d.bandwidth_hz", "values": [1e6, "1000000.0"]}])"),
            &points, &problems));
        QVERIFY2(problems.contains(QLatin1String("points[1]: ")), qPrintable(problems));
        // A zip's columns may repeat a value as long as the rows differ.
        QVERIFY2(expand(experiment(R"("axes": [{"zip": [{"path": "optimizer.v", "values": [1, 1]},
            {"path": "d2d.bandwidth_hz", "values": [1e6, 2e6]}]}])"),
                     &points, &problems),
            qPrintable(problems));
        QCOMPARE(points.size(), std::size_t(2));
    }

    void hugeGridCountSaturates()
    {
        // 100^12 points: the count must not wrap around to a small number, and expansion must
        // refuse at once instead of building points until memory runs out.
        ExperimentSpec spec;
        std::vector<ExperimentProblem> problems;
        QVERIFY(experimentFromJson(experiment({}), kDataDir, &spec, &problems));
        for (int a = 0; a < 12; ++a) {
            ExperimentAxis axis;
            AxisColumn column;
            column.path = QStringLiteral("optimizer.v");
            for (int v = 0; v < 100; ++v) {
                column.values.emplace_back(double(v));
            }
            axis.columns.push_back(column);
            spec.axes.push_back(axis);
        }
        QCOMPARE(experimentPointCount(spec), SIZE_MAX);
        std::vector<ExperimentPoint> points;
        QVERIFY(!expandExperiment(spec, &points, &problems));
        QVERIFY(points.empty());
        QVERIFY2(joined(problems).contains(QLatin1String("axes: more than")),
            qPrintable(joined(problems)));
    }

    void emptyFileIsNamed()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("empty.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        std::vector<ExperimentProblem> problems;
        QVERIFY(!loadExperimentFile(path, nullptr, &problems));
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY2(
            problems.front().toString().contains(QLatin1String("empty.json: the file is empty")),
            qPrintable(joined(problems)));
    }

    void gridExpandsInOrder()
    {
        std::vector<ExperimentPoint> points;
        QString problems;
        QVERIFY2(expand(experiment(R"("axes": [{"path": "optimizer.v", "values": [1, 10, 100]},
            {"path": "d2d.bandwidth_hz", "values": [1e6, 2e6]}],
            "policies": ["uniform", "dssda"], "seeds": [7, 8], "rounds": 2, "train": false)"),
                     &points, &problems),
            qPrintable(problems));
        QCOMPARE(points.size(), std::size_t(3 * 2 * 2 * 2));
        // Axes in file order (first slowest), then policies, then seeds (fastest).
        for (std::size_t i = 0; i < points.size(); ++i) {
            const ExperimentPoint &p = points[i];
            QCOMPARE(p.index, int(i));
            QCOMPARE(p.scenario.optimizer.v, (std::vector<double>{1, 10, 100})[i / 8]);
            QCOMPARE(
                p.scenario.topology.d2d.bandwidthHz, (std::vector<double>{1e6, 2e6})[i / 4 % 2]);
            QCOMPARE(
                p.policy(), i / 2 % 2 == 0 ? QStringLiteral("uniform") : QStringLiteral("dssda"));
            QCOMPARE(p.seed(), std::uint64_t(i % 2 == 0 ? 7 : 8));
            QCOMPARE(p.scenario.training.rounds, 2);
            QCOMPARE(p.scenario.training.train, false);
            QCOMPARE(p.coordinates.size(), 2);
        }
        QCOMPARE(points[9].label(), QStringLiteral("d2d.bandwidth_hz=1e+06 optimizer.v=10"));
    }

    // K (devices per cluster) as an axis: each point's clusters hold K devices, the scenario
    // validates (fresh unique ids), removal keeps the first K, and each K is its own point.
    void deviceCountAxisResizesClusters()
    {
        const QByteArray json
            = experiment(R"("axes": [{"path": "clusters[*].device_count", "values": [2, 4, 6]}],
                "policies": ["dssda"], "rounds": 1, "train": false)")
                  .replace("tiny.json", COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");
        std::vector<ExperimentPoint> points;
        QString problems;
        QVERIFY2(expand(json, &points, &problems), qPrintable(problems));
        QCOMPARE(points.size(), std::size_t(3));
        Scenario base;
        QVERIFY(loadScenarioFile(
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json"), &base,
            nullptr));
        QSet<QString> fingerprints;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const std::size_t k = 2 * (i + 1);
            fingerprints.insert(points[i].fingerprint);
            QCOMPARE(points[i].coordinates.value(QStringLiteral("clusters[*].device_count")),
                QJsonValue(double(k)));
            const auto &clusters = points[i].scenario.topology.clusters;
            QCOMPARE(clusters.size(), base.topology.clusters.size());
            for (std::size_t c = 0; c < clusters.size(); ++c) {
                const std::vector<Device> &had = base.topology.clusters[c].devices;
                const std::vector<Device> &has = clusters[c].devices;
                QCOMPARE(has.size(), k);
                for (std::size_t d = 0; d < std::min(k, had.size()); ++d) {
                    QCOMPARE(has[d], had[d]); // the first devices stay as they were
                }
                const Position &cu = clusters[c].controlUnit.position;
                for (std::size_t d = had.size(); d < k; ++d) {
                    // A clone of device d mod n: same kind, fresh id, same distance from the
                    // control unit, another spot.
                    const Device &from = had[d % had.size()];
                    QCOMPARE(has[d].preset, from.preset);
                    QCOMPARE(has[d].computeFlops, from.computeFlops);
                    QCOMPARE(has[d].id, clusters[c].id + QStringLiteral("-d%1").arg(d + 1));
                    const double r0
                        = std::hypot(from.position.xM - cu.xM, from.position.yM - cu.yM);
                    const double r1
                        = std::hypot(has[d].position.xM - cu.xM, has[d].position.yM - cu.yM);
                    QVERIFY2(std::abs(r0 - r1) < 0.05, qPrintable(has[d].id));
                    QVERIFY(!(has[d].position == from.position));
                }
            }
        }
        QCOMPARE(fingerprints.size(), qsizetype(3));

        // One cluster by index; a fresh id skips one already taken elsewhere.
        std::vector<SetAssignment> sets{
            {QStringLiteral("clusters[0].devices[0].id"), QStringLiteral("c1-d6")},
            {QStringLiteral("clusters[0].device_count"), QStringLiteral("7")}};
        Scenario patched;
        QStringList found;
        QVERIFY2(
            patchScenario(base, sets, &patched, &found), qPrintable(found.join(QLatin1Char('\n'))));
        QCOMPARE(patched.topology.clusters[0].devices.size(), std::size_t(7));
        QCOMPARE(patched.topology.clusters[0].devices[5].id, QStringLiteral("c1-d7"));
        QCOMPARE(patched.topology.clusters[0].devices[6].id, QStringLiteral("c1-d8"));
        QCOMPARE(patched.topology.clusters[1].devices, base.topology.clusters[1].devices);
    }

    void zippedAxisAdvancesTogether()
    {
        std::vector<ExperimentPoint> points;
        QString problems;
        QVERIFY2(expand(experiment(R"("axes": [{"zip": [
                {"path": "d2d.bandwidth_hz", "values": [1e6, 2e6, 3e6]},
                {"path": "d2e.bandwidth_hz", "values": [4e6, 5e6, 6e6]}]},
                {"path": "optimizer.v", "values": [1, 2]}], "seeds": [1, 2])"),
                     &points, &problems),
            qPrintable(problems));
        QCOMPARE(points.size(), std::size_t(3 * 2 * 2)); // a zip is one axis, not 3 x 3
        for (std::size_t i = 0; i < points.size(); ++i) {
            const std::size_t z = i / 4;
            QCOMPARE(points[i].scenario.topology.d2d.bandwidthHz, 1e6 * double(z + 1));
            QCOMPARE(points[i].scenario.topology.d2e.bandwidthHz, 1e6 * double(z + 4));
            QCOMPARE(points[i].scenario.optimizer.v, double(i / 2 % 2 + 1));
        }
    }

    void countMatchesExpansion()
    {
        ExperimentSpec spec;
        std::vector<ExperimentProblem> problems;
        QVERIFY(experimentFromJson(experiment(R"("axes": [{"path": "optimizer.v", "values": [1, 2,
            3, 4]}, {"zip": [{"path": "training.batch_size", "values": [8, 16]},
            {"path": "training.microbatch_size", "values": [4, 8]}]}], "policies": ["dssda",
            "uniform", "fl"])"),
            kDataDir, &spec, &problems));
        std::vector<ExperimentPoint> points;
        QVERIFY2(expandExperiment(spec, &points, &problems), qPrintable(joined(problems)));
        QCOMPARE(experimentPointCount(spec), std::size_t(4 * 2 * 3));
        QCOMPARE(points.size(), experimentPointCount(spec));
    }

    void fingerprintsIdentifyPoints()
    {
        const QByteArray json
            = experiment(R"("axes": [{"path": "optimizer.v", "values": [1, 2]}], "seeds": [1, 2])");
        std::vector<ExperimentPoint> a;
        std::vector<ExperimentPoint> b;
        QString problems;
        QVERIFY(expand(json, &a, &problems));
        QVERIFY(expand(json, &b, &problems));
        QSet<QString> distinct;
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].fingerprint, b[i].fingerprint); // stable across reads
            distinct.insert(a[i].fingerprint);
        }
        QCOMPARE(distinct.size(), qsizetype(a.size()));
        QCOMPARE(experimentId(a), experimentId(b));
        std::vector<ExperimentPoint> c;
        QVERIFY(expand(experiment(R"("axes": [{"path": "optimizer.v", "values": [1, 3]}],
            "seeds": [1, 2])"),
            &c, &problems));
        QVERIFY(experimentId(a) != experimentId(c));
        QCOMPARE(c[0].fingerprint, a[0].fingerprint); // the shared point keeps its identity
    }

    void shardsPartitionThePoints()
    {
        std::vector<ExperimentPoint> points;
        QString problems;
        QVERIFY(expand(experiment(R"("axes": [{"path": "optimizer.v", "values": [1, 2, 3]}],
            "seeds": [1, 2, 3])"),
            &points, &problems));
        for (int count : {1, 2, 4, 9, 12}) {
            QSet<int> seen;
            for (int shard = 0; shard < count; ++shard) {
                for (const ExperimentPoint &p : shardPoints(points, shard, count)) {
                    QCOMPARE(p.index % count, shard);
                    QVERIFY(!seen.contains(p.index));
                    seen.insert(p.index);
                }
            }
            QCOMPARE(seen.size(), qsizetype(points.size()));
        }
    }

    // Every bundled example experiment loads and expands (points × policies × seeds).
    void bundledExamplesAreValid_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("points");
        QTest::newRow("iterations and bandwidth")
            << QStringLiteral("iterations-and-bandwidth.json") << 24;
        QTest::newRow("re-planning period") << QStringLiteral("replan-period.json") << 18;
        QTest::newRow("lora regime") << QStringLiteral("lora-regime.json") << -1;
    }
    void bundledExamplesAreValid()
    {
        QFETCH(QString, file);
        QFETCH(int, points);
        const QString path = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/experiments/") + file;
        ExperimentSpec spec;
        std::vector<ExperimentProblem> problems;
        std::vector<ExperimentPoint> expanded;
        QVERIFY2(loadExperimentFile(path, &spec, &problems)
                && expandExperiment(spec, &expanded, &problems),
            qPrintable(joined(problems)));
        QVERIFY(!expanded.empty());
        if (points >= 0) {
            QCOMPARE(expanded.size(), std::size_t(points));
        }
    }
    // The table above names every bundled example (a new one is checked, not forgotten).
    void everyBundledExampleIsListed()
    {
        const QDir dir(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/experiments"));
        QCOMPARE(dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name),
            QStringList({QStringLiteral("iterations-and-bandwidth.json"),
                QStringLiteral("lora-regime.json"), QStringLiteral("replan-period.json")}));
    }
    // `collapipe reproduce`'s bundled set: every file valid, every point valid, each part has
    // DSSDA and every baseline of the claims; --quick keeps that and cuts points and rounds.
    void bundledReproduceSetIsValid()
    {
        const QString dir = reproduceSetDir();
        QVERIFY2(!dir.isEmpty(), "resources/experiments/reproduce not found");
        for (const bool quick : {false, true}) {
            std::vector<ReproducePart> parts;
            std::vector<ExperimentProblem> problems;
            QVERIFY2(loadReproduceSet(dir, quick, &parts, &problems),
                qPrintable(problems.empty() ? QString() : problems.front().toString()));
            QVERIFY(parts.size() >= 7);
            std::size_t points = 0;
            for (const ReproducePart &part : parts) {
                // Expanding validates every point's scenario (~10 ms each): the quick set's
                // points are the full set's first, middle and last axis values, so its 400
                // points check every file's paths and the extremes of each axis.
                if (quick) {
                    std::vector<ExperimentPoint> expanded;
                    QVERIFY2(
                        expandExperiment(part.spec, &expanded, &problems), qPrintable(part.file));
                    points += expanded.size();
                } else {
                    points += experimentPointCount(part.spec);
                }
                QVERIFY(part.spec.policies.contains(reproducePolicy()));
                for (const QString &baseline : reproduceBaselines()) {
                    QVERIFY2(part.spec.policies.contains(baseline), qPrintable(part.file));
                }
                QVERIFY(part.spec.train.has_value() && !*part.spec.train);
                if (quick) {
                    QVERIFY(part.spec.seeds.size() <= 2);
                    QVERIFY(part.spec.rounds.value_or(1000) <= 10);
                    for (const ExperimentAxis &axis : part.spec.axes) {
                        QVERIFY(axis.size() <= 3);
                    }
                }
            }
            qInfo("reproduction set (%s): %zu parts, %zu points", quick ? "quick" : "full",
                parts.size(), points);
        }
    }

    void quickSpecCutsAxesAlike()
    {
        ExperimentSpec spec;
        spec.seeds = {1, 2, 3};
        spec.rounds = 50;
        spec.policies = {QStringLiteral("dssda"), QStringLiteral("dssda-myopic"),
            QStringLiteral("uniform"), QStringLiteral("sl")};
        ExperimentAxis zip;
        zip.zipped = true;
        zip.columns
            = {{QStringLiteral("a"), {1, 2, 3, 4, 5}}, {QStringLiteral("b"), {10, 20, 30, 40, 50}}};
        spec.axes = {zip, {{{QStringLiteral("c"), {7, 8}}}, false}};
        const ExperimentSpec quick = quickExperimentSpec(spec);
        QCOMPARE(quick.seeds, (std::vector<std::uint64_t>{1, 2}));
        QCOMPARE(*quick.rounds, 10);
        // The ablation goes; what the claims compare stays, in the file's order.
        QCOMPARE(quick.policies,
            QStringList(
                {QStringLiteral("dssda"), QStringLiteral("uniform"), QStringLiteral("sl")}));
        QCOMPARE(quick.axes[0].columns[0].values, (std::vector<QJsonValue>{1, 3, 5}));
        QCOMPARE(quick.axes[0].columns[1].values, (std::vector<QJsonValue>{10, 30, 50}));
        QCOMPARE(quick.axes[1].columns[0].values.size(), std::size_t(2)); // short axes stay
    }
};

QTEST_GUILESS_MAIN(TestExperimentFile)
#include "tst_experiment_file.moc"
