// SPDX-License-Identifier: MIT
// Bad input the run-store verbs refuse through the real binary, each with a message naming the
// field or file and the value, and nothing changed: output targets that are devices, FIFOs or
// write-protected, a write-protected database folder, damage that stops the first read (check's
// exit 1), an empty --db, a value quoted as the user gave it.
#include "../store/store_fixtures.h"
#include "cli_process.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace collapipe;
using namespace collapipe::testing;

class TestCliRefusals : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db; ///< one completed 3-round cost-only run (id 1)

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = path(QStringLiteral("main.sqlite"));
        const CliResult r = runCli(tinyRun(m_db, 3));
        QVERIFY2(r.exitCode == 0, describe(r));
    }

    void valuesAreNamedAsGiven_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QStringList>("needles");
        const QStringList run{QStringLiteral("run"), tinyScenarioPath(), QStringLiteral("--rounds"),
            QStringLiteral("3")};
        // The validator names a number in its shortest form ("got 1e+05"); the message also
        // quotes the value as it was given.
        QTest::newRow("--set value named as given")
            << (run
                   + QStringList{QStringLiteral("--set"),
                       QStringLiteral("training.threads=100000")})
            << 2 << QStringList{QStringLiteral("training.threads"), QStringLiteral("100000")};
        QTest::newRow("--set huge value named as given")
            << (run + QStringList{QStringLiteral("--set"), QStringLiteral("optimizer.v=1e308")})
            << 2 << QStringList{QStringLiteral("optimizer.v"), QStringLiteral("1e308")};
        QTest::newRow("negative run id") << QStringList{QStringLiteral("show"),
            QStringLiteral("-1")} << 2 << QStringList{QStringLiteral("'-1'")};
    }

    void valuesAreNamedAsGiven()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QStringList, needles);
        static int case_ = 0;
        const QString db = path(QStringLiteral("named-%1.sqlite").arg(++case_));
        const bool reading = args.first() != QLatin1String("run");
        const CliResult r = runCli(args + QStringList{QStringLiteral("--db"), reading ? m_db : db});
        QVERIFY2(!r.crashed && r.exitCode == exitCode, describe(r));
        for (const QString &needle : needles) {
            QVERIFY2(r.err.contains(needle), describe(r) + "\nmissing: " + needle.toUtf8());
        }
        QVERIFY2(!QFileInfo::exists(db), "bad input created a database");
    }

    void outputsNeverReplaceSpecialFiles()
    {
        // generate -o renamed its temporary file over any target: `-o /dev/null` replaced the
        // device node with a plain file (a FIFO stands in for it here), and a write-protected
        // file was replaced too when run as root. Both verbs refuse such targets, untouched.
        const QString fifo = path(QStringLiteral("generated.fifo"));
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0644) == 0);
        const QString locked = path(QStringLiteral("locked.json"));
        {
            QFile file(locked);
            QVERIFY(file.open(QIODevice::WriteOnly) && file.write("{\"keep\": true}\n") > 0);
        }
        QVERIFY(
            QFile::setPermissions(locked, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        const QByteArray lockedBefore = fileBytes(locked);
        const QStringList generate{QStringLiteral("generate"), QStringLiteral("--clusters"),
            QStringLiteral("1"), QStringLiteral("--devices-per-cluster"), QStringLiteral("2"),
            QStringLiteral("-o")};
        for (const QString &target : {fifo, locked}) {
            for (const QStringList &args : {generate + QStringList{target},
                     exportArgs(m_db, QStringLiteral("rounds"), QStringLiteral("csv"), target)}) {
                const CliResult r = runCli(args);
                QVERIFY2(!r.crashed && r.exitCode == 2, describe(r));
                QVERIFY2(r.err.contains(target), describe(r));
                QVERIFY2(r.err.contains(target == fifo ? QStringLiteral("not a regular file")
                                                       : QStringLiteral("read-only")),
                    describe(r));
                QVERIFY2(isFifo(fifo), "the FIFO was replaced");
                QCOMPARE(fileBytes(locked), lockedBefore);
            }
        }
        QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner);
        // A new file in a folder without any write permission bit (root could write there).
        const QString folder = path(QStringLiteral("protected-out"));
        QVERIFY(QDir().mkpath(folder));
        const auto rx = QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
            | QFile::ReadOther | QFile::ExeOther;
        QVERIFY(QFile::setPermissions(folder, rx));
        const QString inside = folder + QStringLiteral("/new.csv");
        for (const QStringList &args : {generate + QStringList{inside},
                 exportArgs(m_db, QStringLiteral("rounds"), QStringLiteral("csv"), inside)}) {
            const CliResult r = runCli(args);
            QVERIFY2(!r.crashed && r.exitCode != 0, describe(r));
            QVERIFY2(r.err.contains(inside), describe(r));
            QVERIFY2(QDir(folder).isEmpty(), describe(r));
        }
        QFile::setPermissions(folder, rx | QFile::WriteOwner);
    }

    void writeProtectedFolderIsNotWritten()
    {
        // A database in a folder without any write permission bit: run is refused (root used to
        // write there anyway), the reading verbs read it and create no -wal/-shm next to it.
        const QString folder = path(QStringLiteral("protected"));
        QVERIFY(QDir().mkpath(folder));
        const QString db = folder + QStringLiteral("/runs.sqlite");
        QVERIFY(QFile::copy(m_db, db));
        const QByteArray before = fileBytes(db);
        const auto rx = QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
            | QFile::ReadOther | QFile::ExeOther;
        QVERIFY(QFile::setPermissions(folder, rx));
        const CliResult run = runCli(tinyRun(db, 2));
        QVERIFY2(!run.crashed && run.exitCode == 2, describe(run));
        QVERIFY2(
            run.err.contains(db) && run.err.contains(QStringLiteral("read-only")), describe(run));
        for (const QStringList &args :
            {QStringList{QStringLiteral("runs"), QStringLiteral("--db"), db},
                QStringList{
                    QStringLiteral("show"), QStringLiteral("1"), QStringLiteral("--db"), db},
                QStringList{QStringLiteral("check"), QStringLiteral("--db"), db}}) {
            const CliResult r = runCli(args);
            QVERIFY2(!r.crashed && r.exitCode == 0, describe(r));
        }
        QCOMPARE(fileBytes(db), before);
        QCOMPARE(QDir(folder).entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
            QStringList{QStringLiteral("runs.sqlite")});
        QFile::setPermissions(folder, rx | QFile::WriteOwner);
    }

    void checkCountsUnreadableDamage()
    {
        // check's exit 1 means "damaged". A truncated file, whose damage stops even the first
        // read, used to give exit 2 (bad input), as for a missing file.
        const QString db = path(QStringLiteral("truncated.sqlite"));
        QVERIFY(QFile::copy(m_db, db));
        QVERIFY(QFile::setPermissions(db, QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY(QFile::resize(db, 3000));
        const CliResult r = runCli({QStringLiteral("check"), QStringLiteral("--db"), db});
        QVERIFY2(!r.crashed && r.exitCode == 1, describe(r));
        QVERIFY2(r.err.contains(db) && r.err.contains(QStringLiteral(".recover")), describe(r));
        const CliResult foreign
            = runCli({QStringLiteral("check"), QStringLiteral("--db"), tinyScenarioPath()});
        QVERIFY2(!foreign.crashed && foreign.exitCode == 2, describe(foreign));
    }

    void emptyDbIsNotTheDefault()
    {
        // --db "" (an unset shell variable) used to mean the default database: run wrote into
        // it and the readers read it. Refused, naming the option; the default is not created.
        const QString home = m_dir.filePath(QStringLiteral("xdg-empty"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), home);
        const QList<QStringList> verbs{
            {QStringLiteral("run"), tinyScenarioPath(), QStringLiteral("--rounds"),
                QStringLiteral("1"), QStringLiteral("--train"), QStringLiteral("off")},
            {QStringLiteral("runs")},
            {QStringLiteral("show"), QStringLiteral("1")},
            {QStringLiteral("check")},
        };
        for (const QStringList &args : verbs) {
            QProcess process;
            process.setProcessEnvironment(env);
            process.start(collapipeBinary(), args + QStringList{QStringLiteral("--db"), QString()});
            const CliResult r = finishCli(process);
            QVERIFY2(!r.crashed && r.exitCode == 2, describe(r));
            QVERIFY2(r.err.contains(QStringLiteral("--db")), describe(r));
            QVERIFY2(!QFileInfo::exists(home + QStringLiteral("/CollaPipe/collapipe/runs.sqlite")),
                describe(r));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliRefusals)
#include "tst_cli_refusals.moc"
