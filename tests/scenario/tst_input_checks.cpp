// SPDX-License-Identifier: MIT
// Input that must be refused and messages that must stay true (issue [2/7] items 8, 10, 12):
// physical ranges for every numeric field, duplicate JSON keys, control characters escaped in
// every problem line.
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_fields.h"
#include "core/scenario/scenario_json.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <sys/stat.h>

using namespace collapipe;

namespace {

QByteArray bundledDefault()
{
    QFile file(QDir(bundledScenarioDir()).filePath(QStringLiteral("default.json")));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// default.json with the first occurrence of `from` replaced by `to`.
QByteArray patched(const QByteArray &from, const QByteArray &to)
{
    QByteArray json = bundledDefault();
    const qsizetype at = json.indexOf(from);
    return at < 0 ? QByteArray() : json.replace(at, from.size(), to);
}

std::vector<ScenarioProblem> problemsOf(const QByteArray &json)
{
    std::vector<ScenarioProblem> problems;
    Scenario s;
    scenarioFromJson(json, &s, &problems);
    return problems;
}

QString joined(const std::vector<ScenarioProblem> &problems)
{
    QStringList lines;
    for (const ScenarioProblem &p : problems) {
        lines << p.toString();
    }
    return lines.join(QLatin1Char('\n'));
}

/// Every numeric field of every table, with the path prefix it has in a file.
struct NumericField
{
    QString path;
    FieldInfo info;
};

template <typename T>
void collect(
    std::vector<NumericField> *out, const QString &prefix, const std::vector<FieldSpec<T>> &fields)
{
    for (const FieldSpec<T> &f : fields) {
        if (f.kind == FieldKind::Real || f.kind == FieldKind::Integer) {
            out->push_back({prefix + f.key, f});
        }
    }
}

std::vector<NumericField> numericFields()
{
    std::vector<NumericField> all;
    collect(&all, QStringLiteral("edge_servers[i]."), edgeServerFields());
    collect(&all, QStringLiteral("clusters[i].control_unit."), controlUnitFields());
    collect(&all, QStringLiteral("clusters[i].devices[k]."), deviceFields());
    collect(&all, QStringLiteral("d2d."), channelFields());
    collect(&all, QStringLiteral("model."), modelFields());
    collect(&all, QStringLiteral("model.trainer."), transformerDimsFields());
    collect(&all, QStringLiteral("training."), trainingFields());
    collect(&all, QStringLiteral("optimizer."), optimizerFields());
    return all;
}

} // namespace

class TestInputChecks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(!bundledDefault().isEmpty()); }

    void inputFilesAreReadBounded()
    {
        // A scenario path that is a stream (/dev/zero, a pipe) used to be read whole: the CLI
        // grew to 20 GB. Reading is bounded and the refusal names the file.
        QByteArray bytes;
        QString error;
        QVERIFY(!readInputFile(QStringLiteral("/dev/zero"), &bytes, &error, 1 << 20));
        QVERIFY2(error.contains(QStringLiteral("/dev/zero"))
                && error.contains(QStringLiteral("more than the 1048576 bytes")),
            qPrintable(error));
        QVERIFY(bytes.isEmpty());
        QTemporaryDir dir;
        const QString big = dir.filePath(QStringLiteral("big.json"));
        {
            QFile file(big);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QVERIFY(file.write(QByteArray(4096, ' ')) == 4096);
        }
        QVERIFY(!readInputFile(big, &bytes, &error, 1000));
        QVERIFY2(
            error.contains(big) && error.contains(QStringLiteral("4096 bytes")), qPrintable(error));
        QVERIFY(readInputFile(big, &bytes, &error, 4096));
        QCOMPARE(bytes.size(), 4096);
        // A pipe (bash's <(...)) is still read: it is how a generated scenario is piped in.
        QVERIFY(readInputFile(QStringLiteral("/dev/null"), &bytes, &error));
        QVERIFY(bytes.isEmpty());
    }

    void emptyScenarioFileIsNamed()
    {
        // A 0-byte file was "invalid JSON at line 1, column 1: illegal value".
        QTemporaryDir dir;
        const QString empty = dir.filePath(QStringLiteral("empty.json"));
        QFile file(empty);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        std::vector<ScenarioProblem> problems;
        Scenario s;
        QVERIFY(!loadScenarioFile(empty, &s, &problems));
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY2(problems[0].message.contains(empty)
                && problems[0].message.contains(QStringLiteral("empty")),
            qPrintable(problems[0].message));
    }

    void savingNeverReplacesADevice()
    {
        // QSaveFile renames its temporary file over the target: over a FIFO or /dev/null that
        // replaced the node with a plain file.
        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("scenario.fifo"));
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0644) == 0);
        Scenario s;
        QVERIFY(scenarioFromJson(bundledDefault(), &s, nullptr));
        QString error;
        QVERIFY(!saveScenarioFile(fifo, s, &error));
        QVERIFY2(error.contains(fifo) && error.contains(QStringLiteral("not a regular file")),
            qPrintable(error));
        struct stat st = {};
        QVERIFY(::lstat(QFile::encodeName(fifo).constData(), &st) == 0 && S_ISFIFO(st.st_mode));
    }

    /// The class of item 8: a quantity something is divided by (bandwidth, compute, memory,
    /// power, energy) has a strictly positive, physical lower bound, so 1e-300 is refused; and no
    /// numeric field is unbounded on either side.
    void everyNumericFieldHasAPhysicalRange()
    {
        const QStringList divisorUnits{QStringLiteral("Hz"), QStringLiteral("FLOP/s"),
            QStringLiteral("B"), QStringLiteral("W"), QStringLiteral("J")};
        int divisors = 0;
        for (const NumericField &f : numericFields()) {
            QVERIFY2(f.info.minBound != Bound::None && f.info.maxBound != Bound::None,
                qPrintable(f.path + QStringLiteral(" is unbounded")));
            QVERIFY2(!checkFieldValue(f.info, 1e300).isEmpty(), qPrintable(f.path));
            QVERIFY2(!checkFieldValue(f.info, -1e300).isEmpty(), qPrintable(f.path));
            // battery_j: 0 means "no battery"; it is compared with the energy spent, never
            // divided by (core/MODEL.md "Churn").
            const bool offSwitch = f.path.endsWith(QStringLiteral(".battery_j"));
            if (divisorUnits.contains(f.info.unit) && f.info.kind == FieldKind::Real
                && !offSwitch) {
                ++divisors;
                QVERIFY2(f.info.minValue > 0.0, qPrintable(f.path));
                QVERIFY2(!checkFieldValue(f.info, 1e-300).isEmpty(), qPrintable(f.path));
                QVERIFY2(!checkFieldValue(f.info, 0.0).isEmpty(), qPrintable(f.path));
            }
        }
        QVERIFY(divisors >= 11); // bandwidth, compute ×3, memory ×2, power ×4, energy
    }

    /// [1/7] polish: help texts are UTF-8 (§, α, –); read as Latin-1 they showed "Â§". A UTF-8
    /// lead byte followed by a continuation byte, each as its own character, is that mojibake.
    void labelsAndHelpAreDecodedAsUtf8()
    {
        int sections = 0;
        for (const NumericField &f : numericFields()) {
            for (const QString &text : {f.info.label, f.info.help, f.info.unit}) {
                for (qsizetype i = 0; i + 1 < text.size(); ++i) {
                    const char16_t a = text.at(i).unicode();
                    const char16_t b = text.at(i + 1).unicode();
                    QVERIFY2(!(a >= 0xc2 && a <= 0xf4 && b >= 0x80 && b <= 0xbf),
                        qPrintable(f.path + QStringLiteral(": ") + text));
                }
                sections += int(text.count(QChar(0xa7)));
            }
        }
        QVERIFY(sections > 0); // the spec references survive as "§"
    }

    void nearZeroBandwidthIsRefusedNamingTheField()
    {
        const QString text
            = joined(problemsOf(patched("\"bandwidth_hz\": 4e7", "\"bandwidth_hz\": 1e-300")));
        QVERIFY2(text.contains(QStringLiteral("bandwidth_hz: must be >= 1000 (got 1e-300)")),
            qPrintable(text));
    }

    void duplicateKeysAreRefusedWithPathAndLines_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("needle");
        // An invalid first value that the second would silently replace.
        QTest::newRow("device field")
            << patched("\"memory_bytes\": 1.2e9,",
                   "\"memory_bytes\": -5,\n                    \"memory_bytes\": 1.2e9,")
            << QStringLiteral("clusters[0].devices[0].memory_bytes: duplicate key at line");
        QTest::newRow("top level")
            << patched("\"name\":", "\"name\": \"first\",\n    \"name\":")
            << QStringLiteral("name: duplicate key at line 4 (first at line 3)");
        QTest::newRow("escaped spelling") << patched(
            "\"training\": {", "\"training\": {\n        \"se\\u0065d\": 3, \"seed\": 4,")
                                          << QStringLiteral("training.seed: duplicate key");
        QTest::newRow("object key") << patched("\"d2d\": {", "\"d2d\": {},\n    \"d2d\": {")
                                    << QStringLiteral("d2d: duplicate key");
    }

    void duplicateKeysAreRefusedWithPathAndLines()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, needle);
        QVERIFY(!json.isEmpty());
        const std::vector<ScenarioProblem> problems = problemsOf(json);
        QVERIFY2(!problems.empty(), "a duplicate key was accepted");
        QVERIFY2(joined(problems).contains(needle), qPrintable(joined(problems)));
    }

    void sameKeyInDifferentObjectsIsFine()
    {
        // Every device has "memory_bytes": one per object is not a duplicate.
        const std::vector<ScenarioProblem> problems = problemsOf(bundledDefault());
        QVERIFY2(problems.empty(), qPrintable(joined(problems)));
    }

    void escapeControlCharacters_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << QStringLiteral("d1 C:\\x é") << QStringLiteral("d1 C:\\x é");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("a\\nb");
        QTest::newRow("cr tab") << QStringLiteral("a\r\tb") << QStringLiteral("a\\r\\tb");
        QTest::newRow("escape, del")
            << QStringLiteral("\x1b[2J\x7f") << QStringLiteral("\\x1b[2J\\x7f");
        QTest::newRow("c1 nel") << QString(QChar(0x85)) << QStringLiteral("\\x85");
        QTest::newRow("line separator") << QString(QChar(0x2028)) << QStringLiteral("\\u2028");
    }

    void escapeControlCharacters()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(collapipe::escapeControlCharacters(in), out);
    }

    /// Item 10: a value or key holding a newline cannot forge a problem line.
    void everyProblemIsOneLine_data()
    {
        QTest::addColumn<QByteArray>("json");
        const QByteArray forged = "\\nclusters[0].name: forged problem\\r";
        QTest::newRow("unknown key") << patched("\"name\":", "\"x" + forged + "\": 1, \"name\":");
        QTest::newRow("duplicate id")
            << patched("\"id\": \"c1-d2\"", "\"id\": \"c1-d1" + forged + "\"")
                   .replace("\"id\": \"c1-d1\"", "\"id\": \"c1-d1" + forged + "\"");
        QTest::newRow("bad enum") << patched("\"3gpp\"", "\"3gpp" + forged + "\"");
        QTest::newRow("bad edge server")
            << patched("\"edge_server_id\": \"", "\"edge_server_id\": \"" + forged);
        QTest::newRow("wrong type")
            << patched("\"seed\": ", "\"seed\": \"" + forged + "\", \"x\": ");
    }

    /// Ids are names the program prints everywhere: a control character in one is refused.
    void idsWithControlCharactersAreRefused()
    {
        const QString text
            = joined(problemsOf(patched("\"id\": \"c1-d2\"", "\"id\": \"c1-d2\\nx\"")));
        QVERIFY2(text.contains(QStringLiteral("clusters[0].devices[1].id: must not contain control "
                                              "characters (got \"c1-d2\\nx\")")),
            qPrintable(text));
    }

    void everyProblemIsOneLine()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!json.isEmpty());
        const std::vector<ScenarioProblem> problems = problemsOf(json);
        QVERIFY(!problems.empty());
        bool sawEscape = false;
        for (const ScenarioProblem &p : problems) {
            const QString line = p.toString();
            QVERIFY2(!line.contains(QLatin1Char('\n')) && !line.contains(QLatin1Char('\r')),
                qPrintable(line));
            sawEscape = sawEscape || line.contains(QStringLiteral("\\nclusters[0].name"));
        }
        QVERIFY2(sawEscape, qPrintable(joined(problems)));
    }
};

QTEST_APPLESS_MAIN(TestInputChecks)
#include "tst_input_checks.moc"
