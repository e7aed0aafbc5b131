// SPDX-License-Identifier: MIT
// `collapipe experiment` and `collapipe merge` end to end through the real binary (issue [5/7]):
// a SIGKILL mid-experiment loses nothing committed and a rerun runs only the missing points;
// shards 0/2 + 1/2 merged equal a one-process run point for point, bit for bit; merge refuses
// shards of another experiment and databases that are not shards, naming the file.
#include "core/store/sqlite_db.h"
#include "tests/cli_run/cli_process.h"
#include "tests/experiment/experiment_runs_equal.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <sys/resource.h>

using namespace collapipe;
using namespace collapipe::testing;

namespace {

QString dataFile(const char *name)
{
    return QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/experiment/data/") + QLatin1String(name);
}

int countStatus(const std::multimap<QString, RunInfo> &runs, RunStatus status)
{
    int n = 0;
    for (const auto &[fingerprint, run] : runs) {
        n += run.status == status ? 1 : 0;
    }
    return n;
}

/// Rounds per point of the SIGKILL test: long enough that the kill lands with points still to
/// run. Under ASan (up to 10x slower) a quarter of them keeps that margin at a quarter of the time.
constexpr int kKillRounds = test::kSanitizerBuild ? 3000 : 12000;

/// kill.json with kKillRounds rounds, written into `dir` (its scenario path made absolute).
QString killExperimentFile(const QTemporaryDir &dir)
{
    QFile in(dataFile("kill.json"));
    if (!in.open(QIODevice::ReadOnly)) {
        qFatal("cannot read %s", qPrintable(in.fileName()));
    }
    QJsonObject experiment = QJsonDocument::fromJson(in.readAll()).object();
    experiment[QStringLiteral("rounds")] = kKillRounds;
    experiment[QStringLiteral("scenario")]
        = QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/cli_run/data/tiny.json");
    const QString path = dir.filePath(QStringLiteral("kill.json"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(experiment).toJson()) <= 0) {
        qFatal("cannot write %s", qPrintable(path));
    }
    return path;
}

/// An experiment on tests/cli_run/data/tiny.json with the top-level `keys` written to `path`.
void writeTinyExperiment(const QString &path, const QByteArray &keys)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)
        || f.write(R"({"experiment_version": 1, "scenario": ")" COLLAPIPE_SOURCE_DIR
                   R"(/tests/cli_run/data/tiny.json", )"
               + keys + '}')
            <= 0) {
        qFatal("cannot write %s", qPrintable(path));
    }
}

/// A policies-and-seeds experiment on tiny.json (no axes, cost only) written to `path`.
void writePoliciesExperiment(const QString &path, const QByteArray &seeds, int rounds)
{
    writeTinyExperiment(path,
        R"("name": "edit", "policies": ["uniform", "fl"], "seeds": )" + seeds + R"(, "rounds": )"
            + QByteArray::number(rounds) + R"(, "train": false)");
}

/// The lines of a CSV file (no header line skipped).
QStringList csvFileLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class TestExperimentCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString db(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

private Q_SLOTS:
    void resumesAfterSigkill()
    {
        const QString path = db("kill.sqlite");
        const QStringList args{QStringLiteral("experiment"), killExperimentFile(m_dir),
            QStringLiteral("--db"), path, QStringLiteral("--jobs"), QStringLiteral("2"),
            QStringLiteral("--quiet")};
        QProcess child;
        child.start(collapipeBinary(), args);
        QVERIFY(child.waitForStarted());
        // Wait until two points are stored completed and another is in progress (between two
        // points a worker has no run row yet: a kill there left nothing running, seen once under
        // ASan), then SIGKILL (no handler, no finish()).
        int completed = 0;
        int running = 0;
        QElapsedTimer timer;
        timer.start();
        while ((completed < 2 || running < 1) && child.state() == QProcess::Running
            && timer.elapsed() < 120000 * test::kSlowdown) {
            QThread::msleep(20);
            const std::multimap<QString, RunInfo> runs = runsByPoint(path);
            completed = countStatus(runs, RunStatus::Completed);
            running = countStatus(runs, RunStatus::Running);
        }
        QVERIFY2(completed >= 2 && child.state() == QProcess::Running,
            qPrintable(QStringLiteral("completed %1 points; child %2: %3")
                           .arg(completed)
                           .arg(child.state() == QProcess::Running ? QStringLiteral("running")
                                                                   : QStringLiteral("ended"))
                           .arg(QString::fromUtf8(child.readAllStandardError()))));
        child.kill();
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        const std::multimap<QString, RunInfo> before = runsByPoint(path);
        std::map<QString, std::int64_t> doneBefore; // fingerprint -> run id
        for (const auto &[fingerprint, run] : before) {
            if (run.status == RunStatus::Completed) {
                doneBefore[fingerprint] = run.id;
            }
        }
        QVERIFY(doneBefore.size() >= 2);
        QVERIFY2(doneBefore.size() < 6, "the kill came after the last point: nothing to resume");
        // The points in progress were left running; a reader shows them interrupted (their
        // writer is gone) and the next writer stores them so.
        QVERIFY(
            countStatus(before, RunStatus::Running) + countStatus(before, RunStatus::Interrupted)
            >= 1);

        const CliResult again = runCli(args, 240000);
        QVERIFY2(again.exitCode == 0, describe(again));
        QVERIFY2(again.out.contains(QStringLiteral("%1 already done, %2 to run")
                                        .arg(doneBefore.size())
                                        .arg(6 - doneBefore.size())),
            describe(again));
        QVERIFY2(again.err.contains(QLatin1String("interrupted")), describe(again));

        const std::multimap<QString, RunInfo> after = runsByPoint(path);
        QCOMPARE(countStatus(after, RunStatus::Completed), 6);
        QCOMPARE(countStatus(after, RunStatus::Running), 0);
        QVERIFY(countStatus(after, RunStatus::Interrupted) >= 1);
        for (const auto &[fingerprint, id] : doneBefore) {
            // A point completed before the kill was not run again.
            QCOMPARE(after.count(fingerprint), std::size_t(1));
            QCOMPARE(after.find(fingerprint)->second.id, id);
        }
        for (const auto &[fingerprint, run] : after) {
            QVERIFY(!fingerprint.isEmpty());
            if (run.status == RunStatus::Completed) {
                QCOMPARE(run.roundsDone, kKillRounds);
            }
        }
        // A third run has nothing left to do.
        const CliResult third = runCli(args);
        QVERIFY2(
            third.exitCode == 0 && third.out.contains(QLatin1String("6 already done, 0 to run")),
            describe(third));
    }

    void shardsMergedEqualOneProcess()
    {
        const QString one = db("one.sqlite");
        const QString shard0 = db("shard0.sqlite");
        const QString shard1 = db("shard1.sqlite");
        const QString merged = db("merged.sqlite");
        CliResult r = runCli(
            {QStringLiteral("experiment"), dataFile("equal.json"), QStringLiteral("--db"), one,
                QStringLiteral("--jobs"), QStringLiteral("2"), QStringLiteral("--quiet")},
            240000);
        QVERIFY2(r.exitCode == 0, describe(r));
        r = runCli(
            {QStringLiteral("experiment"), dataFile("equal.json"), QStringLiteral("--db"), shard0,
                QStringLiteral("--shard"), QStringLiteral("0/2"), QStringLiteral("--quiet")},
            240000);
        QVERIFY2(
            r.exitCode == 0 && r.out.contains(QLatin1String("shard 0/2: 4 points")), describe(r));
        // Shard 1 from a Slurm job array's environment (--array=3-4: task 4 is the second).
        QProcess slurm;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("4"));
        env.insert(QStringLiteral("SLURM_ARRAY_TASK_MIN"), QStringLiteral("3"));
        env.insert(QStringLiteral("SLURM_ARRAY_TASK_COUNT"), QStringLiteral("2"));
        slurm.setProcessEnvironment(env);
        slurm.start(collapipeBinary(),
            {QStringLiteral("experiment"), dataFile("equal.json"), QStringLiteral("--db"), shard1,
                QStringLiteral("--quiet")});
        r = finishCli(slurm, 240000);
        QVERIFY2(
            r.exitCode == 0 && r.out.contains(QLatin1String("shard 1/2: 4 points")), describe(r));

        r = runCli({QStringLiteral("merge"), merged, shard0, shard1});
        QVERIFY2(r.exitCode == 0 && r.out.contains(QLatin1String("8 run(s) copied")), describe(r));

        ExpectedExperimentRuns expect;
        expect.points = 8;
        expect.rounds = 3;
        expect.events = true;
        expect.trained = true;
        const QString difference = experimentRunsDiffer(one, merged, expect);
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        const std::multimap<QString, RunInfo> actual = runsByPoint(merged);

        // `show` names the experiment point a run computes.
        const RunInfo &shown = actual.begin()->second;
        r = runCli(
            {QStringLiteral("show"), QString::number(shown.id), QStringLiteral("--db"), merged});
        QVERIFY2(r.exitCode == 0
                && r.out.contains(QStringLiteral("experiment        %1, point %2")
                                      .arg(shown.point.experimentId)
                                      .arg(shown.point.index))
                && r.out.contains(QStringLiteral("coordinates       {\"optimizer.v\":")),
            describe(r));

        // Merging again adds nothing.
        r = runCli({QStringLiteral("merge"), merged, shard0, shard1});
        QVERIFY2(r.exitCode == 0
                && r.out.contains(QLatin1String("0 run(s) copied, 8 duplicate point(s)")),
            describe(r));
        QCOMPARE(runsByPoint(merged).size(), std::size_t(8));

        // A shard of another experiment is refused, naming it; nothing is written.
        const QString other = db("other.sqlite");
        r = runCli({QStringLiteral("experiment"), dataFile("other.json"), QStringLiteral("--db"),
            other, QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, describe(r));
        const QString fresh = db("fresh.sqlite");
        r = runCli({QStringLiteral("merge"), fresh, shard0, other});
        QVERIFY2(r.exitCode == 2 && r.err.contains(other)
                && r.err.contains(QLatin1String("a shard of another experiment")),
            describe(r));
        QVERIFY(!QFile::exists(fresh));
        r = runCli({QStringLiteral("merge"), merged, other});
        QVERIFY2(r.exitCode == 2 && r.err.contains(merged)
                && r.err.contains(QLatin1String("refusing to mix experiments")),
            describe(r));
        QCOMPARE(runsByPoint(merged).size(), std::size_t(8));

        // A database of plain runs is not a shard.
        const QString plain = db("plain.sqlite");
        r = runCli({QStringLiteral("run"), tinyScenarioPath(), QStringLiteral("--db"), plain,
            QStringLiteral("--rounds"), QStringLiteral("2"), QStringLiteral("--train"),
            QStringLiteral("off"), QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, describe(r));
        r = runCli({QStringLiteral("merge"), fresh, plain});
        QVERIFY2(r.exitCode == 2 && r.err.contains(plain)
                && r.err.contains(QLatin1String("is not part of an experiment")),
            describe(r));
        QVERIFY(!QFile::exists(fresh));
    }

    void badShardIsRefused_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("expected");
        QTest::newRow("index past the count") << QStringList{QStringLiteral("--shard"),
            QStringLiteral("2/2")} << QStringLiteral("--shard 2/2: shard 2 of 2 does not exist");
        QTest::newRow("not i/N") << QStringList{QStringLiteral("--shard"), QStringLiteral("1")}
                                 << QStringLiteral("--shard: expected i/N, e.g. 0/4 (got '1')");
        QTest::newRow("no jobs") << QStringList{QStringLiteral("--jobs"), QStringLiteral("0")}
                                 << QStringLiteral("--jobs");
    }

    void emptyShardOptionIsRefused()
    {
        // `--shard ""` (e.g. an unset shell variable) is not "no shard": running the whole
        // experiment in every task would repeat every point.
        const QString path = db("empty-shard.sqlite");
        const CliResult r = runCli({QStringLiteral("experiment"), dataFile("other.json"),
            QStringLiteral("--db"), path, QStringLiteral("--shard"), QString()});
        QVERIFY2(
            r.exitCode == 2 && r.err.contains(QLatin1String("--shard: expected i/N")), describe(r));
        QVERIFY(!QFile::exists(path));
    }

    void slurmArrayEnvironment_data()
    {
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("task id without a count")
            << QStringList{QStringLiteral("SLURM_ARRAY_TASK_ID=1")} << 2
            << QStringLiteral("SLURM_ARRAY_TASK_ID=1 is set but SLURM_ARRAY_TASK_COUNT is not");
        QTest::newRow("junk task id") << QStringList{QStringLiteral("SLURM_ARRAY_TASK_ID=x1"),
            QStringLiteral("SLURM_ARRAY_TASK_COUNT=2")}
                                      << 2 << QStringLiteral("SLURM_ARRAY_TASK_ID: expected");
        // --array=0-2:2 has the ids 0 and 2: id 2 is the second task, shard 1 of 2.
        QTest::newRow("array with a step") << QStringList{QStringLiteral("SLURM_ARRAY_TASK_ID=2"),
            QStringLiteral("SLURM_ARRAY_TASK_COUNT=2"), QStringLiteral("SLURM_ARRAY_TASK_MIN=0"),
            QStringLiteral("SLURM_ARRAY_TASK_STEP=2"), QStringLiteral("SLURM_ARRAY_TASK_MAX=2")}
                                           << 0 << QStringLiteral("shard 1/2: ");
        // --array=1,3,8: no shard numbering fits; refused rather than guessed.
        QTest::newRow("irregular array") << QStringList{QStringLiteral("SLURM_ARRAY_TASK_ID=8"),
            QStringLiteral("SLURM_ARRAY_TASK_COUNT=3"), QStringLiteral("SLURM_ARRAY_TASK_MIN=1"),
            QStringLiteral("SLURM_ARRAY_TASK_STEP=1"), QStringLiteral("SLURM_ARRAY_TASK_MAX=8")}
                                         << 2 << QStringLiteral("not an even range");
    }

    void slurmArrayEnvironment()
    {
        QFETCH(QStringList, environment);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        const QString path = db("slurm-env.sqlite");
        QFile::remove(path);
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys()) {
            if (name.startsWith(QLatin1String("SLURM_"))) {
                env.remove(name);
            }
        }
        for (const QString &assignment : environment) {
            env.insert(assignment.section(QLatin1Char('='), 0, 0),
                assignment.section(QLatin1Char('='), 1));
        }
        process.setProcessEnvironment(env);
        process.start(collapipeBinary(),
            {QStringLiteral("experiment"), dataFile("other.json"), QStringLiteral("--db"), path,
                QStringLiteral("--quiet")});
        const CliResult r = finishCli(process);
        QVERIFY2(r.exitCode == exitCode && (r.out + r.err).contains(expected), describe(r));
        QCOMPARE(QFile::exists(path), exitCode == 0);
    }

    void manyJobsWithFewFileDescriptors()
    {
        // --jobs 40 under a 64-file limit: not every worker can open its own connection. Those
        // that cannot leave their points to the others; no point fails for it. Reduced mode in a
        // sanitizer build: UBSan's vptr check probes memory through a pipe, and with no
        // descriptor left it reports every virtual call as a type mismatch, so there the runner
        // gets 12 jobs (within the limit) and the exhaustion path is checked in Release only.
        const int jobs = test::kSanitizerBuild ? 12 : 40;
        if (test::kSanitizerBuild) {
            qInfo("sanitizer build: --jobs 12 under the 64-file limit (no exhaustion)");
        }
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("forty.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"experiment_version": 1, "scenario": ")" COLLAPIPE_SOURCE_DIR
                R"(/tests/cli_run/data/tiny.json", "rounds": 2, "train": false,
                "axes": [{"path": "optimizer.v", "values": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}],
                "seeds": [1, 2, 3, 4]})");
        f.close();
        const QString path = dir.filePath(QStringLiteral("forty.sqlite"));
        QProcess process;
        process.setChildProcessModifier([]() {
            rlimit limit{};
            if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
                limit.rlim_cur = std::min<rlim_t>(limit.rlim_cur, 64);
                setrlimit(RLIMIT_NOFILE, &limit);
            }
        });
        process.start(collapipeBinary(),
            {QStringLiteral("experiment"), file, QStringLiteral("--db"), path,
                QStringLiteral("--jobs"), QString::number(jobs), QStringLiteral("--quiet")});
        const CliResult r = finishCli(process);
        QVERIFY2(
            r.exitCode == 0 && r.out.contains(QLatin1String("40 completed, 0 failed, 0 stopped")),
            describe(r));
    }

    void lockedDatabaseStopsTheExperiment()
    {
        // Another writer holds the write lock past the busy timeout: exit 2 naming the lock,
        // and one line for the points not started, not a 5 s wait and a line for each.
        const QString path = db("locked.sqlite");
        QString error;
        std::unique_ptr<RunStore> holder = RunStore::open(path, &error);
        QVERIFY2(holder, qPrintable(error));
        QVERIFY(holder->db().exec("BEGIN IMMEDIATE", &error));
        const CliResult r
            = runCli({QStringLiteral("experiment"), dataFile("slurm.json"), QStringLiteral("--db"),
                path, QStringLiteral("--jobs"), QStringLiteral("1"), QStringLiteral("--quiet")});
        QVERIFY(holder->db().exec("ROLLBACK", &error));
        QVERIFY2(r.exitCode == 2 && r.err.count(QLatin1String("failed: ")) == 1
                && r.err.contains(QLatin1String("locked by another writer"))
                && r.err.contains(QLatin1String("11 more point(s) not started")),
            describe(r));
    }

    void badShardIsRefused()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, expected);
        const QString path = db("refused.sqlite");
        const CliResult r = runCli(QStringList{QStringLiteral("experiment"), dataFile("other.json"),
                                       QStringLiteral("--db"), path}
            + extra);
        QVERIFY2(r.exitCode == 2 && r.err.contains(expected), describe(r));
        QVERIFY(!QFile::exists(path)); // bad input leaves no database behind
    }

    // Issue 17 item 2: adding a seed to the file runs only the new seed's points (the old ones
    // are the same scenarios, already completed in the database), and the report's intervals
    // use both seeds' runs. Changing the rounds changes every point: all run again.
    void editedExperimentRunsOnlyTheNewPoints()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("edit.json"));
        const QString path = dir.filePath(QStringLiteral("edit.sqlite"));
        const QStringList args{QStringLiteral("experiment"), file, QStringLiteral("--db"), path,
            QStringLiteral("--quiet")};
        writePoliciesExperiment(file, "[1]", 20);
        const CliResult first = runCli(args);
        QVERIFY2(
            first.exitCode == 0 && first.out.contains(QLatin1String("0 already done, 2 to run")),
            describe(first));

        writePoliciesExperiment(file, "[1, 2]", 20);
        const CliResult second = runCli(args);
        QVERIFY2(second.exitCode == 0
                && second.out.contains(QLatin1String(
                    "2 already done (2 reused from runs of the same scenario), 2 to run"))
                && second.out.contains(
                    QLatin1String("2 completed, 0 failed, 0 stopped, 2 skipped")),
            describe(second));
        const std::multimap<QString, RunInfo> runs = runsByPoint(path);
        QCOMPARE(runs.size(), std::size_t(6)); // 2 + 2 computed, and the 2 first ones copied
        int computed = 0;
        QString editedId;
        for (const auto &[fingerprint, run] : runs) {
            QCOMPARE(run.status, RunStatus::Completed);
            if (!run.message.startsWith(QLatin1String("reused:"))) {
                ++computed;
            }
            if (run.seed == 2) {
                editedId = run.point.experimentId;
            }
        }
        QCOMPARE(computed, 4);

        // The report of the edited file: per policy, n = 2 and the mean of both seeds' runs.
        const QString out = dir.filePath(QStringLiteral("report"));
        const CliResult report = runCli({QStringLiteral("report"), file, QStringLiteral("--db"),
            path, QStringLiteral("-o"), out, QStringLiteral("--figures"), QStringLiteral("png")});
        QVERIFY2(report.exitCode == 0, describe(report));
        QVERIFY(QFile::exists(out + QStringLiteral("/policies-mean_latency_s.png")));
        std::map<QString, std::vector<double>> latencies; // policy -> each seed's mean latency
        {
            QString error;
            std::unique_ptr<RunStore> store = openForReading(path, &error);
            QVERIFY2(store, qPrintable(error));
            for (const auto &[fingerprint, run] : runs) {
                if (run.point.experimentId == editedId) {
                    RunSummary summary;
                    QVERIFY(RunReader(store.get()).summary(run.id, &summary, &error));
                    latencies[run.policy].push_back(summary.meanLatencyS);
                }
            }
        }
        QCOMPARE(latencies.size(), std::size_t(2));
        int rows = 0;
        for (const QString &line : csvFileLines(out + QStringLiteral("/policy_summary.csv"))) {
            const QStringList f = line.split(QLatin1Char(','));
            if (f.value(0) != QLatin1String("mean_latency_s")) {
                continue;
            }
            ++rows;
            const std::vector<double> &v = latencies[f.value(2)];
            QCOMPARE(v.size(), std::size_t(2));
            QCOMPARE(f.value(3), QStringLiteral("2"));
            const double mean = (v[0] + v[1]) / 2.0;
            QVERIFY2(
                std::abs(f.value(4).toDouble() - mean) <= 1e-12 * std::abs(mean), qPrintable(line));
            // t(0.975, 1) * sd / sqrt(2) with sd = |v0 - v1| / sqrt(2): 12.7062 * |v0 - v1| / 2.
            const double half = 12.7062 * std::abs(v[0] - v[1]) / 2.0;
            QVERIFY2(std::abs(f.value(8).toDouble() - half) <= 1e-9 * std::max(1.0, half),
                qPrintable(line));
        }
        QCOMPARE(rows, 2);

        // Another round count is another scenario for every point: nothing is reused.
        writePoliciesExperiment(file, "[1, 2]", 21);
        const CliResult third = runCli(args);
        QVERIFY2(
            third.exitCode == 0 && third.out.contains(QLatin1String("0 already done, 4 to run")),
            describe(third));
        QCOMPARE(runsByPoint(path).size(), std::size_t(10));
    }

    // Issue 17 item 1: a file problem and a point problem are reported together, by `experiment`
    // and by `validate` (the same core check).
    void fileAndPointProblemsTogether()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("bad.json"));
        writeTinyExperiment(
            file, R"("rounds": -3, "axes": [{"path": "optimizer.v", "values": [1, -1]}])");
        const QString expectedPoint = QStringLiteral("points[1]: (optimizer.v=-1, policy uniform, "
                                                     "seed 7) optimizer.v: must be >= 0 (got -1)");
        const QString path = db("bad-points.sqlite");
        const CliResult r
            = runCli({QStringLiteral("experiment"), file, QStringLiteral("--db"), path});
        QVERIFY2(r.exitCode == 2 && r.err.contains(QLatin1String("2 problems"))
                && r.err.contains(QLatin1String("rounds: must be >= 1 (got -3)"))
                && r.err.contains(expectedPoint),
            describe(r));
        QVERIFY(!QFile::exists(path));
        const CliResult v = runCli({QStringLiteral("validate"), file});
        QVERIFY2(v.exitCode == 2 && v.out.contains(QLatin1String("rounds: must be >= 1 (got -3)"))
                && v.out.contains(expectedPoint),
            describe(v));
        const CliResult ok = runCli({QStringLiteral("validate"), dataFile("kill.json")});
        QVERIFY2(ok.exitCode == 0 && ok.out.contains(QLatin1String("ok (experiment, 6 points)")),
            describe(ok));
    }

    void badFileIsRefusedWithEveryProblem()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("bad.json"));
        writeTinyExperiment(
            file, R"("rounds": -3, "axes": [{"path": "optimizer.x", "values": [1]}])");
        const QString path = db("bad.sqlite");
        const CliResult r
            = runCli({QStringLiteral("experiment"), file, QStringLiteral("--db"), path});
        QVERIFY2(r.exitCode == 2 && r.err.contains(QLatin1String("2 problems"))
                && r.err.contains(QLatin1String("rounds: must be >= 1 (got -3)"))
                && r.err.contains(QLatin1String("axes[0].path: optimizer.x: unknown key 'x'")),
            describe(r));
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestExperimentCli)
#include "tst_experiment_cli.moc"
