// SPDX-License-Identifier: MIT
// The shipped Slurm submit script on a real single-node Slurm (issue [5/7]): a 4-task job array
// runs the shards of a cost-only experiment, the dependent merge job merges them, and the merged
// database equals a one-process run point for point, bit for bit. ctest runs this binary inside
// tests/experiment/slurm/with_slurm_cluster.sh, which starts and stops the daemons.
#include "tests/cli_run/cli_process.h"
#include "tests/experiment/experiment_runs_equal.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>

using namespace collapipe;
using namespace collapipe::testing;

namespace {

constexpr int kTasks = 4;

QString sourceFile(const char *path)
{
    return QStringLiteral(COLLAPIPE_SOURCE_DIR "/") + QLatin1String(path);
}

/// A Slurm client command's output; "" and a warning when it fails.
QString slurmCommand(const QString &program, const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    p.start(program, args);
    const bool finished = p.waitForFinished(10000);
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    if (exitCode) {
        *exitCode = finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    if (!finished || p.exitCode() != 0) {
        qWarning("%s %s: %s", qPrintable(program), qPrintable(args.join(QLatin1Char(' '))),
            qPrintable(QString::fromUtf8(p.readAllStandardError())));
    }
    return out;
}

/// `NAME=value` of one `scontrol show job -o` line.
QString jobField(const QString &line, const char *name)
{
    const QString key = QLatin1Char(' ') + QLatin1String(name) + QLatin1Char('=');
    const qsizetype at = line.indexOf(key);
    if (at < 0) {
        return QString();
    }
    const qsizetype from = at + key.size();
    return line.mid(from, line.indexOf(QLatin1Char(' '), from) - from);
}

/// Every file in `dir` (the jobs' logs), for a failure message.
QString logs(const QString &dir)
{
    QString text;
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files, QDir::Name)) {
        QFile f(info.absoluteFilePath());
        if (f.open(QIODevice::ReadOnly)) {
            text += QStringLiteral("----- %1\n%2")
                        .arg(info.fileName(), QString::fromUtf8(f.readAll().right(4000)));
        }
    }
    return text;
}

} // namespace

class TestExperimentSlurm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("SLURM_CONF"),
            "SLURM_CONF is not set: run this test through ctest (ctest -R slurm), which starts "
            "a private Slurm with tests/experiment/slurm/with_slurm_cluster.sh");
    }

    void arrayMergedEqualsOneProcess()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString out = dir.filePath(QStringLiteral("slurm"));
        const QString experiment = sourceFile("tests/experiment/data/slurm.json");
        QElapsedTimer clock;
        clock.start();

        QProcess submit;
        submit.start(QStringLiteral("bash"),
            {sourceFile("scripts/slurm/submit_experiment.sh"), experiment,
                QStringLiteral("--tasks"), QString::number(kTasks), QStringLiteral("--out"), out,
                QStringLiteral("--collapipe"), collapipeBinary(), QStringLiteral("--parsable")});
        const CliResult submitted = finishCli(submit, 30000);
        QVERIFY2(submitted.exitCode == 0, describe(submitted));
        const QStringList ids = submitted.out.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QVERIFY2(ids.size() == 2, describe(submitted));
        const QString arrayId = ids[0].trimmed();
        const QString mergeId = ids[1].trimmed();

        // squeue lists a job until it has ended (then scontrol still shows it for MinJobAge).
        // Polled every 100 ms: sbatch --wait polls every few seconds, too coarse for a test.
        const QString jobs = arrayId + QLatin1Char(',') + mergeId;
        QString queued = QStringLiteral("?");
        while (!queued.isEmpty() && clock.elapsed() < 90000 * test::kSlowdown) {
            QThread::msleep(100);
            int code = 0;
            queued = slurmCommand(QStringLiteral("squeue"),
                {QStringLiteral("-h"), QStringLiteral("-j"), jobs, QStringLiteral("-o"),
                    QStringLiteral("%i %T")},
                &code)
                         .trimmed();
            QVERIFY2(code == 0, "squeue failed (warning above)");
        }
        const qint64 slurmMs = clock.elapsed();
        // `scontrol show job ARRAY_ID` shows only the array's last task: ask for every job.
        QString arrayState;
        QString mergeState;
        const QStringList all = slurmCommand(QStringLiteral("scontrol"),
            {QStringLiteral("show"), QStringLiteral("job"), QStringLiteral("-o")})
                                    .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &job : all) {
            if (job.contains(QStringLiteral(" ArrayJobId=%1 ").arg(arrayId))) {
                arrayState += job + QLatin1Char('\n');
            } else if (job.startsWith(QStringLiteral("JobId=%1 ").arg(mergeId))) {
                mergeState = job;
            }
        }
        const QString report = QStringLiteral("still queued: '%1'\narray: %2\nmerge: %3\n%4")
                                   .arg(queued, arrayState, mergeState,
                                       logs(QDir(out).filePath(QStringLiteral("logs"))));
        QVERIFY2(queued.isEmpty(), qPrintable(report));
        // One line per task, each ended COMPLETED (exit 0), then the merge.
        QVERIFY2(arrayState.count(QLatin1String(" ArrayJobId=")) == kTasks
                && arrayState.count(QLatin1String("JobState=COMPLETED")) == kTasks,
            qPrintable(report));
        QVERIFY2(mergeState.contains(QLatin1String("JobState=COMPLETED")), qPrintable(report));
        // The merge started after the last task ended (afterok; a satisfied dependency is no
        // longer shown). Slurm's times are ISO 8601 to the second: text order is time order.
        QString lastEnd;
        for (const QString &task : arrayState.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            lastEnd = std::max(lastEnd, jobField(task, "EndTime"));
        }
        QVERIFY2(
            !lastEnd.isEmpty() && jobField(mergeState, "StartTime") >= lastEnd, qPrintable(report));

        // Each task ran its own shard: 12 points, 3 per shard.
        for (int i = 0; i < kTasks; ++i) {
            const QString shard = QDir(out).filePath(QStringLiteral("shard-%1.sqlite").arg(i));
            QVERIFY2(
                runsByPoint(shard).size() == 3, qPrintable(shard + QLatin1Char('\n') + report));
        }
        QFile mergeLog(QDir(out).filePath(QStringLiteral("logs/merge.out")));
        QVERIFY(mergeLog.open(QIODevice::ReadOnly));
        QVERIFY2(mergeLog.readAll().contains("12 run(s) copied"), qPrintable(report));

        const QString one = dir.filePath(QStringLiteral("one.sqlite"));
        const CliResult r = runCli({QStringLiteral("experiment"), experiment,
                                       QStringLiteral("--db"), one, QStringLiteral("--quiet")},
            60000);
        QVERIFY2(r.exitCode == 0, describe(r));
        ExpectedExperimentRuns expect;
        expect.points = 12;
        expect.rounds = 40;
        expect.events = true;
        const QString difference = experimentRunsDiffer(
            one, QDir(out).filePath(QStringLiteral("merged.sqlite")), expect);
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        // The comparison can fail: one shard alone is not the experiment.
        QVERIFY(
            !experimentRunsDiffer(one, QDir(out).filePath(QStringLiteral("shard-0.sqlite")), expect)
                 .isEmpty());
        qInfo("submit to merged: %.1f s; with the one-process run and the comparison: %.1f s",
            double(slurmMs) / 1000, double(clock.elapsed()) / 1000);
    }
};

QTEST_GUILESS_MAIN(TestExperimentSlurm)
#include "tst_experiment_slurm.moc"
