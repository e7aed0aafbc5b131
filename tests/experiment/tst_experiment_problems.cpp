// SPDX-License-Identifier: MIT
// Issue 17 item 1: an experiment file's own problems and its points' problems come out in one
// pass (readExperiment), each with its field path and value, a point with its coordinates;
// invalid points are capped at 20 and the rest counted.
#include "core/experiment/experiment.h"
#include "tests/experiment/experiment_file_helpers.h"

#include <QTest>

using namespace collapipe;
using namespace collapipe::testing;

namespace {

const QString kDataDir = testing::kExperimentDataDir;

} // namespace

class TestExperimentProblems : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Issue 17 item 1: a file-level problem does not hide the points' problems; both are
    // reported in one pass, each with its path and value (a point with its coordinates).
    void fileAndPointProblems_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("bad rounds, bad axis value")
            << experiment(R"("rounds": 0, "axes": [{"path": "optimizer.v", "values": [1, -1]}])")
            << QStringList{QStringLiteral("rounds: must be >= 1 (got 0)"),
                   QStringLiteral("points[1]: (optimizer.v=-1, policy uniform, seed 7) "
                                  "optimizer.v: must be >= 0 (got -1)")};
        QTest::newRow("unknown axis field, bad set value")
            << experiment(R"("set": {"optimizer.v": -2}, "axes": [{"path": "optimizer.nope",
                "values": [1]}])")
            << QStringList{QStringLiteral("axes[0].path: optimizer.nope: unknown key 'nope'"),
                   QStringLiteral("points[0]: (policy uniform, seed 7) optimizer.v: must be >= 0 "
                                  "(got -2)")};
        QTest::newRow("unknown top-level key, bad policy, bad axis value")
            << experiment(R"("color": 1, "policies": ["uniform", "nope"], "axes": [{"path":
                "optimizer.v", "values": [-1]}])")
            << QStringList{QStringLiteral("color: unknown key"), QStringLiteral("policies[1]:"),
                   QStringLiteral("points[0]: (optimizer.v=-1, policy uniform, seed 7) "
                                  "optimizer.v: must be >= 0 (got -1)")};
    }

    void fileAndPointProblems()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, expected);
        std::vector<ExperimentProblem> problems;
        std::vector<ExperimentPoint> points;
        QVERIFY(!readExperiment(json, kDataDir, nullptr, &points, &problems));
        QVERIFY(points.empty()); // no point of an invalid file is handed out
        const QString text = joined(problems);
        for (const QString &e : expected) {
            QVERIFY2(
                text.contains(e), qPrintable(QStringLiteral("expected '%1' in:\n%2").arg(e, text)));
        }
    }

    void pointProblemsAreCappedWithFileProblems()
    {
        // 30 invalid points and a file problem: the file's problem, 20 points, then a count.
        std::vector<ExperimentProblem> problems;
        std::vector<ExperimentPoint> points;
        QVERIFY(!readExperiment(experiment(R"("rounds": "ten", "set": {"optimizer.v": -1},
            "axes": [{"path": "d2d.bandwidth_hz", "values": [)"
                                    + numbers(1e6, 30) + "]}]"),
            kDataDir, nullptr, &points, &problems));
        QCOMPARE(problems.size(), std::size_t(1 + 20 + 1));
        QVERIFY2(problems.front().toString().startsWith(QLatin1String("rounds: must be a number")),
            qPrintable(joined(problems)));
        QVERIFY2(problems[1].toString().startsWith(
                     QLatin1String("points[0]: (d2d.bandwidth_hz=1e+06, policy uniform, seed 7)")),
            qPrintable(joined(problems)));
        QCOMPARE(problems.back().toString(),
            QStringLiteral("points: 10 more invalid points not listed"));
    }

    void badAxisValuesAreCapped()
    {
        // 30 values of the wrong type: the first 20 are named, the other 10 counted.
        QByteArrayList values;
        for (int i = 0; i < 30; ++i) {
            values << "[" + QByteArray::number(i) + "]";
        }
        std::vector<ExperimentProblem> problems;
        QVERIFY(!readExperiment(experiment(R"("axes": [{"path": "optimizer.v", "values": [)"
                                    + values.join(", ") + "]}]"),
            kDataDir, nullptr, nullptr, &problems));
        QCOMPARE(problems.size(), std::size_t(20 + 1));
        QVERIFY2(
            problems.front().toString().startsWith(QLatin1String("axes[0].values[0]: must be")),
            qPrintable(joined(problems)));
        QVERIFY2(problems[19].toString().startsWith(QLatin1String("axes[0].values[19]:")),
            qPrintable(joined(problems)));
        QCOMPARE(problems.back().toString(),
            QStringLiteral("axes[0].values: 10 more bad values not listed"));
    }

    void validFileReadsInOnePass()
    {
        std::vector<ExperimentProblem> problems;
        std::vector<ExperimentPoint> points;
        ExperimentSpec spec;
        QVERIFY2(readExperiment(experiment(R"("axes": [{"path": "optimizer.v", "values": [1, 2]}],
            "seeds": [1, 2])"),
                     kDataDir, &spec, &points, &problems),
            qPrintable(joined(problems)));
        QCOMPARE(points.size(), std::size_t(4));
        QVERIFY(problems.empty());
    }
};

QTEST_GUILESS_MAIN(TestExperimentProblems)
#include "tst_experiment_problems.moc"
