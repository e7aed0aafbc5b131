// SPDX-License-Identifier: MIT
// `collapipe generate` through the real binary (issue [7/7]): the file validates, the seed fixes
// every byte, 1,000 devices take well under a second, and bad flags are refused by name.
#include "cli_process.h"
#include "core/scenario/scenario_json.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;
using namespace collapipe::testing;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCliGenerate : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

    CliResult generate(const QString &output, const QStringList &extra) const
    {
        return runCli(
            QStringList{QStringLiteral("generate"), QStringLiteral("-o"), output} + extra);
    }

private Q_SLOTS:
    void generatedFileValidates()
    {
        const QString out = path("mix.json");
        const CliResult r = generate(out,
            {QStringLiteral("--clusters"), QStringLiteral("6"),
                QStringLiteral("--devices-per-cluster"), QStringLiteral("5"),
                QStringLiteral("--edge-servers"), QStringLiteral("2"),
                QStringLiteral("--preset-mix"), QStringLiteral("phone:0.5,jetson:0.3"),
                QStringLiteral("--layout"), QStringLiteral("ring")});
        QVERIFY2(r.exitCode == 0 && !r.crashed, describe(r));
        const CliResult v = runCli({QStringLiteral("validate"), out});
        QVERIFY2(v.exitCode == 0 && v.out == QStringLiteral("ok\n"), describe(v));
        Scenario s;
        QVERIFY(loadScenarioFile(out, &s, nullptr));
        QCOMPARE(s.topology.clusters.size(), std::size_t(6));
        QCOMPARE(s.topology.edgeServers.size(), std::size_t(2));
        int phones = 0;
        for (const Cluster &c : s.topology.clusters) {
            QCOMPARE(c.devices.size(), std::size_t(5));
            for (const Device &d : c.devices) {
                QVERIFY2(d.preset.startsWith(QStringLiteral("phone"))
                        || d.preset == QStringLiteral("jetson-orin"),
                    qPrintable(d.preset));
                phones += d.preset.startsWith(QStringLiteral("phone")) ? 1 : 0;
            }
        }
        QVERIFY2(phones > 0 && phones < 30, qPrintable(QString::number(phones)));
        // The edge server is the same kind as the base's: only the topology changes.
        QCOMPARE(s.topology.edgeServers[0].computeFlops, 60e12);
    }

    void sameSeedSameBytes()
    {
        const QStringList recipe{QStringLiteral("--clusters"), QStringLiteral("4"),
            QStringLiteral("--devices-per-cluster"), QStringLiteral("8"),
            QStringLiteral("--layout"), QStringLiteral("random")};
        const QStringList seed7{QStringLiteral("--seed"), QStringLiteral("7")};
        QVERIFY(generate(path("a.json"), recipe + seed7).exitCode == 0);
        QVERIFY(generate(path("b.json"), recipe + seed7).exitCode == 0);
        QVERIFY(generate(path("c.json"),
                    recipe + QStringList{QStringLiteral("--seed"), QStringLiteral("8")})
                    .exitCode
            == 0);
        const QByteArray a = readAll(path("a.json"));
        QVERIFY(!a.isEmpty());
        QCOMPARE(readAll(path("b.json")), a);
        Scenario sa;
        Scenario sc;
        QVERIFY(loadScenarioFile(path("a.json"), &sa, nullptr));
        QVERIFY(loadScenarioFile(path("c.json"), &sc, nullptr));
        int moved = 0;
        for (std::size_t n = 0; n < sa.topology.clusters.size(); ++n) {
            const auto &da = sa.topology.clusters[n].devices;
            const auto &dc = sc.topology.clusters[n].devices;
            for (std::size_t k = 0; k < da.size(); ++k) {
                moved += da[k].position == dc[k].position ? 0 : 1;
            }
        }
        QCOMPARE(moved, 32); // every device moves with another seed
    }

    void thousandDevicesWellUnderASecond()
    {
        QElapsedTimer timer;
        timer.start();
        const CliResult r = generate(path("k1000.json"),
            {QStringLiteral("--clusters"), QStringLiteral("1"),
                QStringLiteral("--devices-per-cluster"), QStringLiteral("1000")});
        const qint64 ms = timer.elapsed();
        QVERIFY2(r.exitCode == 0, describe(r));
        // Process start, generation, validation and the atomic write (~0.1 s in Release).
        QVERIFY2(ms < 1000 * test::kSlowdown, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        Scenario s;
        QVERIFY(loadScenarioFile(path("k1000.json"), &s, nullptr));
        QCOMPARE(s.topology.clusters.front().devices.size(), std::size_t(1000));
    }

    void badFlagsRefusedByName_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("needles");
        const QStringList ok{QStringLiteral("--clusters"), QStringLiteral("2"),
            QStringLiteral("--devices-per-cluster"), QStringLiteral("3")};
        auto with = [&ok](const char *flag, const char *value) {
            QStringList args = ok;
            const int at = int(args.indexOf(QLatin1String(flag)));
            if (at >= 0) {
                args[at + 1] = QLatin1String(value);
            } else {
                args << QLatin1String(flag) << QLatin1String(value);
            }
            return args;
        };
        QTest::newRow("clusters 0") << with(
            "--clusters", "0") << QStringList{QStringLiteral("--clusters"), QStringLiteral("'0'")};
        QTest::newRow("devices text")
            << with("--devices-per-cluster", "many")
            << QStringList{QStringLiteral("--devices-per-cluster"), QStringLiteral("'many'")};
        QTest::newRow("too many devices")
            << with("--devices-per-cluster", "100000")
                + QStringList{QStringLiteral("--clusters"), QStringLiteral("11")}
            << QStringList{QStringLiteral("at most 1000000"), QStringLiteral("1100000")};
        QTest::newRow("edge servers > clusters") << with("--edge-servers",
            "3") << QStringList{QStringLiteral("--edge-servers"), QStringLiteral("'3'")};
        QTest::newRow("layout") << with("--layout", "hex")
                                << QStringList{QStringLiteral("--layout"), QStringLiteral("'hex'")};
        QTest::newRow("seed") << with("--seed", "-1")
                              << QStringList{QStringLiteral("--seed"), QStringLiteral("'-1'")};
        QTest::newRow("unknown preset")
            << with("--preset-mix", "phone:1,tablet:2")
            << QStringList{QStringLiteral("--preset-mix"), QStringLiteral("'tablet'"),
                   QStringLiteral("jetson-orin")};
        QTest::newRow("weight") << with("--preset-mix",
            "phone:-2") << QStringList{QStringLiteral("--preset-mix"), QStringLiteral("'-2'")};
        QTest::newRow("missing clusters") << QStringList{QStringLiteral("--devices-per-cluster"),
            QStringLiteral("3")} << QStringList{QStringLiteral("--clusters")};
        QTest::newRow("unknown option")
            << with("--colour", "red") << QStringList{QStringLiteral("colour")};
    }

    void badFlagsRefusedByName()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, needles);
        const QString out = path("refused.json");
        const CliResult r = generate(out, args);
        QVERIFY2(!r.crashed && r.exitCode == 2, describe(r));
        for (const QString &needle : needles) {
            QVERIFY2(r.err.contains(needle), describe(r) + "\nmissing: " + needle.toUtf8());
        }
        QVERIFY2(!QFileInfo::exists(out), "a refused recipe wrote a file");
    }

    void neverOverwritesTheBaseOrAFolder()
    {
        const QString base = path("base.json");
        QVERIFY(QFile::copy(tinyScenarioPath(), base));
        const QByteArray before = readAll(base);
        const QStringList recipe{QStringLiteral("--clusters"), QStringLiteral("1"),
            QStringLiteral("--devices-per-cluster"), QStringLiteral("2"), QStringLiteral("--base"),
            base};
        // The same file by another spelling of its path.
        const CliResult same = generate(m_dir.path() + QStringLiteral("/./base.json"), recipe);
        QVERIFY2(same.exitCode == 2 && same.err.contains(QStringLiteral("base scenario")),
            describe(same));
        QCOMPARE(readAll(base), before);
        const CliResult folder = generate(m_dir.path(), recipe);
        QVERIFY2(folder.exitCode == 2 && folder.err.contains(QStringLiteral("is a folder")),
            describe(folder));
        // Another base: its settings and its presets, still a valid file.
        const CliResult fromTiny = generate(path("from-tiny.json"), recipe);
        QVERIFY2(fromTiny.exitCode == 0, describe(fromTiny));
        QCOMPARE(runCli({QStringLiteral("validate"), path("from-tiny.json")}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "tst_cli_generate.moc"
