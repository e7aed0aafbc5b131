// SPDX-License-Identifier: MIT
// The experiment runner's worker pool (issue [5/7]): with --jobs 2, cost-only points are run by
// two threads at once, not back to back on one, so two cores are used; a database that refuses
// runs stops it; and the points an experiment expands to.
#include "core/experiment/experiment.h"
#include "core/experiment/experiment_runner.h"
#include "core/store/run_store.h"
#include "core/store/sqlite_db.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>
#include <thread>

using namespace collapipe;

namespace {

/// Which thread finished each point, and which threads ran rounds.
class ThreadRecorder : public ExperimentObserver
{
public:
    void roundFinished(const RoundRecord &) override
    {
        ++roundsByThread[std::this_thread::get_id()];
    }
    void pointFinished(const ExperimentPoint &, const PointOutcome &) override
    {
        ++pointsByThread[std::this_thread::get_id()];
    }
    std::map<std::thread::id, int> roundsByThread;
    std::map<std::thread::id, int> pointsByThread;
};

} // namespace

class TestExperimentRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void costOnlyPointsRunOnEveryWorker()
    {
        ExperimentSpec spec;
        std::vector<ExperimentProblem> problems;
        std::vector<ExperimentPoint> points;
        QVERIFY(loadExperimentFile(
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/experiment/data/slurm.json"), &spec,
            &problems));
        spec.rounds = 200; // ~1 s of work in all: the second worker is long started by then
        QVERIFY(expandExperiment(spec, &points, &problems));
        QCOMPARE(points.size(), std::size_t(12));
        QVERIFY(!points.front().scenario.training.train);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("pool.sqlite"));
        QString error;
        QVERIFY2(RunStore::open(path, &error), qPrintable(error)); // the caller's open
        ExperimentRunOptions options;
        options.jobs = 2;
        options.experimentId = experimentId(points);
        ThreadRecorder recorder;
        const ExperimentRunSummary summary
            = runExperimentPoints(path, points, options, nullptr, &recorder);
        QCOMPARE(summary.completed, 12);
        QCOMPARE(recorder.roundsByThread.size(), std::size_t(2));
        QCOMPARE(recorder.pointsByThread.size(), std::size_t(2));
        for (const auto &[thread, count] : recorder.pointsByThread) {
            QVERIFY2(count >= 2, qPrintable(QStringLiteral("a worker ran %1 point(s)").arg(count)));
        }
    }

    // optimizer.warm_start is left out of a scenario's JSON while "off" (its default): an axis
    // over it is still a field path (it used to be refused as an unknown key).
    void axisOverAFieldLeftOutAtItsDefault()
    {
        ExperimentSpec spec;
        std::vector<ExperimentProblem> problems;
        std::vector<ExperimentPoint> points;
        const QByteArray json = R"({"experiment_version": 1, "scenario": "tiny.json",
            "axes": [{"path": "optimizer.warm_start", "values": ["off", "keep"]}],
            "set": {"optimizer.replan_every": 50}, "policies": ["dssda"], "seeds": [1],
            "rounds": 2, "train": false})";
        const QString dataDir = QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/cli_run/data");
        QVERIFY(experimentFromJson(json, dataDir, &spec, &problems)
            && expandExperiment(spec, &points, &problems));
        QCOMPARE(points.size(), std::size_t(2));
        QCOMPARE(points[0].scenario.optimizer.warmStart, WarmStart::Off);
        QCOMPARE(points[1].scenario.optimizer.warmStart, WarmStart::Keep);
        QByteArray bad = json;
        bad.replace("\"off\", \"keep\"", "\"lukewarm\"");
        problems.clear();
        QVERIFY(!(experimentFromJson(bad, dataDir, &spec, &problems)
            && expandExperiment(spec, &points, &problems)));
        QVERIFY(
            !problems.empty() && problems.back().toString().contains(QLatin1String("lukewarm")));
    }

    void lockedDatabaseStartsNoFurtherPoint()
    {
        // Another writer holds the write lock past the busy timeout: the first points to try
        // fail naming the lock; the rest do not each wait 5 s to fail the same way.
        ExperimentSpec spec;
        std::vector<ExperimentProblem> problems;
        std::vector<ExperimentPoint> points;
        QVERIFY(loadExperimentFile(
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/experiment/data/slurm.json"), &spec,
            &problems));
        spec.rounds = 2;
        QVERIFY(expandExperiment(spec, &points, &problems));
        QCOMPARE(points.size(), std::size_t(12));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("locked.sqlite"));
        QString error;
        std::unique_ptr<RunStore> holder = RunStore::open(path, &error);
        QVERIFY2(holder, qPrintable(error));
        QVERIFY(holder->db().exec("BEGIN IMMEDIATE", &error));
        ExperimentRunOptions options;
        options.jobs = 2;
        options.experimentId = experimentId(points);
        ThreadRecorder recorder;
        const ExperimentRunSummary summary
            = runExperimentPoints(path, points, options, nullptr, &recorder);
        QVERIFY(holder->db().exec("ROLLBACK", &error));
        int reported = 0;
        for (const auto &[thread, count] : recorder.pointsByThread) {
            reported += count;
        }
        // At most one refused point per worker (both may have been waiting at once).
        QVERIFY2(reported >= 1 && reported <= options.jobs,
            qPrintable(QStringLiteral("%1 point(s) tried the locked database").arg(reported)));
        QCOMPARE(summary.completed, 0);
        QCOMPARE(summary.failed, 12);
        QCOMPARE(summary.notStarted, 12 - reported);
        QVERIFY2(
            summary.storeError.contains(QLatin1String("locked")), qPrintable(summary.storeError));
    }
};

QTEST_GUILESS_MAIN(TestExperimentRunner)
#include "tst_experiment_runner.moc"
