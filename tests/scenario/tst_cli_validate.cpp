// SPDX-License-Identifier: MIT
// `collapipe validate` as a user runs it: the real binary, its exit codes and its output.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {
struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

Result runCli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(COLLAPIPE_BINARY_DIR "/app/collapipe"), args);
    Result r;
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit) {
        return r;
    }
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString scenario(const char *name)
{
    return QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/") + QLatin1String(name);
}
} // namespace

class TestCliValidate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void bundledOk_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("default") << scenario("default.json");
        QTest::newRow("classroom") << scenario("classroom.json");
        QTest::newRow("paper") << scenario("paper.json");
        QTest::newRow("mobile") << scenario("mobile.json");
        QTest::newRow("campus-day") << scenario("campus-day.json"); // with its trace CSV
    }

    void bundledOk()
    {
        QFETCH(QString, file);
        const Result r = runCli({QStringLiteral("validate"), file});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("ok\n"));
    }

    void badField()
    {
        QFile in(scenario("default.json"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray json = in.readAll();
        // Two independent errors: both must be printed, one per line.
        const qsizetype highEndPhones = json.count("\"memory_bytes\": 3e9");
        QVERIFY(highEndPhones > 0);
        json.replace("\"memory_bytes\": 3e9", "\"memory_bytes\": -5");
        json.replace("\"fading\": \"rayleigh\"", "\"fading\": \"foo\"");
        const QString path = writeFile("bad.json", json);
        const Result r = runCli({QStringLiteral("validate"), path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains(QStringLiteral(".memory_bytes: must be >= 1e+06 (got -5)")),
            qPrintable(r.out));
        QVERIFY2(
            r.out.contains(QStringLiteral("d2d.fading: unknown value \"foo\"")), qPrintable(r.out));
        QVERIFY2(
            r.out.contains(QStringLiteral("d2e.fading: unknown value \"foo\"")), qPrintable(r.out));
        // One line per problem and nothing else: each flagship's memory, plus d2d and d2e fading.
        const qsizetype expected = highEndPhones + 2;
        QCOMPARE(r.out.count(QLatin1Char('\n')), expected);
        QVERIFY(r.err.contains(QStringLiteral(": %1 problems").arg(expected)));
    }

    /// Issue [2/7] item 10: a value with a newline cannot add a line to the problem list.
    void controlCharactersCannotForgeAProblemLine()
    {
        QFile in(scenario("default.json"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray json = in.readAll();
        // Two devices with the same id, which carries a fake problem after a newline; plus an
        // unknown key that does the same with a carriage return.
        const QByteArray forged = "c1-d1\\nclusters[0].name: forged\\r";
        json.replace("\"id\": \"c1-d1\"", "\"id\": \"" + forged + "\"");
        json.replace("\"id\": \"c1-d2\"", "\"id\": \"" + forged + "\"");
        json.replace("\"name\": \"Campus cafe\"",
            "\"name\": \"Campus cafe\", \"k\\r\\nd2d.fading: forged\": 1");
        const Result r = runCli({QStringLiteral("validate"), writeFile("forged.json", json)});
        QCOMPARE(r.exitCode, 2);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(r.err.contains(QStringLiteral(": %1 problem").arg(lines.size())),
            qPrintable(r.err + r.out));
        for (const QString &line : lines) {
            QVERIFY2(!line.startsWith(QLatin1String("clusters[0].name: forged"))
                    && !line.startsWith(QLatin1String("d2d.fading: forged"))
                    && !line.contains(QLatin1Char('\r')),
                qPrintable(r.out));
        }
        QVERIFY2(r.out.contains(QStringLiteral("c1-d1\\nclusters[0].name: forged\\r")),
            qPrintable(r.out));
    }

    /// Item 12: QJsonDocument keeps the last of two equal keys; validate refuses both.
    void duplicateKeyIsRefused()
    {
        QFile in(scenario("default.json"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray json = in.readAll();
        json.replace(
            "\"learning_rate\": 0.001,", "\"learning_rate\": -1,\n\"learning_rate\": 0.001,");
        const Result r = runCli({QStringLiteral("validate"), writeFile("dup.json", json)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains(QStringLiteral("training.learning_rate: duplicate key at line")),
            qPrintable(r.out));
    }

    /// Item 8: the ranges are stated where a user looks for them.
    void fieldsListsEveryKeyWithItsRange()
    {
        const Result r = runCli({QStringLiteral("validate"), QStringLiteral("--fields")});
        QCOMPARE(r.exitCode, 0);
        for (const char *needle :
            {"d2e.bandwidth_hz", "[1000, 1e+11]", "FLOP/s", "clusters[i].devices[k].memory_bytes",
                "training.learning_rate", "gpipe | 1f1b", "model.trainer.d_model"}) {
            QVERIFY2(r.out.contains(QLatin1String(needle)), needle);
        }
    }

    void missingFile()
    {
        const QString path = m_tmp.filePath(QStringLiteral("absent.json"));
        const Result r = runCli({QStringLiteral("validate"), path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains(path + QStringLiteral(": no such file")), qPrintable(r.out));
    }

    void unreadableFile()
    {
        // A directory cannot be read as a file (works even when the tests run as root).
        const Result r = runCli({QStringLiteral("validate"), m_tmp.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains(QStringLiteral("cannot read")), qPrintable(r.out));
    }

    void invalidJson()
    {
        const QString path = writeFile(
            "broken.json", "{\n  \"format\": \"collapipe-scenario/1\",\n  \"name\": ,\n}\n");
        const Result r = runCli({QStringLiteral("validate"), path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.out.contains(QStringLiteral("invalid JSON at line 3, column")), qPrintable(r.out));
    }

    void unknownVerb()
    {
        const Result r = runCli({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("unknown verb 'frobnicate'")), qPrintable(r.err));
    }

    void help()
    {
        const Result r = runCli({QStringLiteral("validate"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("usage: collapipe validate FILE")));
        const Result top = runCli({QStringLiteral("--help")});
        QCOMPARE(top.exitCode, 0);
        QVERIFY(top.out.contains(QStringLiteral("validate")));
    }

    void noArguments()
    {
        const Result r = runCli({QStringLiteral("validate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("expected exactly one FILE")));
    }

private:
    QString writeFile(const char *name, const QByteArray &data)
    {
        const QString path = m_tmp.filePath(QLatin1String(name));
        QFile f(path);
        if (f.open(QIODevice::WriteOnly)) {
            f.write(data);
        }
        return path;
    }

    QTemporaryDir m_tmp;
};

QTEST_GUILESS_MAIN(TestCliValidate)
#include "tst_cli_validate.moc"
