// SPDX-License-Identifier: MIT
// The experiment runner's worker pool (issue [5/7]): with --jobs 2, cost-only points are run by
// two threads at once, not back to back on one, so two cores are used; a database that refuses
// runs stops it; and the points an experiment expands to.
#include "core/experiment/experiment.h"
#include "core/experiment/experiment_runner.h"
#include "core/experiment/experiment_stored_points.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "core/store/sqlite_db.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
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

    // Issue 17 item 2: a seed added to the file changes the experiment id, but the points of the
    // old seed are the same scenarios (same fingerprints): they are not run again, and the
    // edited experiment's stored points include them (copied under its id, rounds unchanged).
    void editedExperimentReusesDonePoints()
    {
        const QString dataDir = QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/cli_run/data");
        const auto expand = [&](const QByteArray &seeds, const QByteArray &rounds,
                                std::vector<ExperimentPoint> *points) {
            std::vector<ExperimentProblem> problems;
            const QByteArray json = R"({"experiment_version": 1, "scenario": "tiny.json",
                "axes": [{"path": "optimizer.v", "values": [1, 10]}],
                "policies": ["uniform"], "seeds": )"
                + seeds + R"(, "rounds": )" + rounds + R"(, "train": false})";
            return readExperiment(json, dataDir, nullptr, points, &problems);
        };
        std::vector<ExperimentPoint> one;
        std::vector<ExperimentPoint> two;
        std::vector<ExperimentPoint> longer;
        QVERIFY(expand("[1]", "5", &one) && expand("[1, 2]", "5", &two)
            && expand("[1, 2]", "6", &longer));
        QCOMPARE(one.size(), std::size_t(2));
        QCOMPARE(two.size(), std::size_t(4));
        QVERIFY(experimentId(one) != experimentId(two));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("edit.sqlite"));
        QString error;
        std::unique_ptr<RunStore> store = RunStore::open(path, &error);
        QVERIFY2(store, qPrintable(error));
        ExperimentRunOptions options;
        options.jobs = 2;
        options.name = QStringLiteral("edit");
        options.experimentId = experimentId(one);
        QCOMPARE(runExperimentPoints(path, one, options, nullptr, nullptr).completed, 2);

        options.experimentId = experimentId(two);
        ResumePlan plan;
        QVERIFY2(planResume(store.get(), two, options, &plan, &error), qPrintable(error));
        QCOMPARE(plan.done, 0);
        QCOMPARE(plan.reused, 2);
        QCOMPARE(plan.pending.size(), std::size_t(2));
        for (const ExperimentPoint &p : plan.pending) {
            QCOMPARE(p.seed(), std::uint64_t(2)); // only the new seed's points run
        }
        ThreadRecorder recorder;
        QCOMPARE(runExperimentPoints(path, plan.pending, options, nullptr, &recorder).completed, 2);
        int ran = 0;
        for (const auto &[thread, count] : recorder.pointsByThread) {
            ran += count;
        }
        QCOMPARE(ran, 2);

        // The edited experiment has all four points; its seed-1 points hold the first runs'
        // results under new run ids, tagged with the new experiment and index.
        std::vector<StoredPoint> firstRuns;
        std::vector<StoredPoint> edited;
        QVERIFY2(loadStoredPoints(store.get(), experimentId(one), &firstRuns, &error)
                && loadStoredPoints(store.get(), experimentId(two), &edited, &error),
            qPrintable(error));
        QCOMPARE(firstRuns.size(), std::size_t(2));
        QCOMPARE(edited.size(), std::size_t(4));
        for (const StoredPoint &old : firstRuns) {
            const auto same = std::find_if(edited.begin(), edited.end(),
                [&](const StoredPoint &p) { return p.fingerprint == old.fingerprint; });
            QVERIFY(same != edited.end());
            QVERIFY(same->runId != old.runId);
            QCOMPARE(same->seed, std::uint64_t(1));
            QCOMPARE(same->index, two[std::size_t(same->index)].index);
            QCOMPARE(two[std::size_t(same->index)].fingerprint, old.fingerprint);
            QCOMPARE(same->summary.meanLatencyS, old.summary.meanLatencyS);
            QCOMPARE(same->summary.meanEnergyJ, old.summary.meanEnergyJ);
            QCOMPARE(same->coordinates, old.coordinates);
        }
        std::vector<RunInfo> runs;
        QVERIFY(RunReader(store.get()).listRuns(&runs, &error));
        QCOMPARE(runs.size(), std::size_t(6)); // 2 + 2 computed, 2 copies
        int copies = 0;
        for (const RunInfo &run : runs) {
            copies += run.message.startsWith(QLatin1String("reused: the result of run")) ? 1 : 0;
        }
        QCOMPARE(copies, 2);

        // Resuming the edited experiment again: all done, nothing copied twice.
        QVERIFY(planResume(store.get(), two, options, &plan, &error));
        QCOMPARE(plan.done, 4);
        QCOMPARE(plan.reused, 0);
        QVERIFY(plan.pending.empty());

        // Another round count changes every point's scenario: nothing is reused.
        options.experimentId = experimentId(longer);
        QVERIFY(planResume(store.get(), longer, options, &plan, &error));
        QCOMPARE(plan.done + plan.reused, 0);
        QCOMPARE(plan.pending.size(), std::size_t(4));
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
