// SPDX-License-Identifier: MIT
// `collapipe plan FILE --policy P --json` for every optimizer policy on every bundled scenario,
// checked by the shared contract script (issue [3/6]), and DSSDA's planned latency against the
// static pipeline baselines in the same output.
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

class TestPlanContract : public QObject
{
    Q_OBJECT

private:
    static QString cliPath() { return QStringLiteral(COLLAPIPE_BINARY_DIR "/app/collapipe"); }

    static QStringList bundledScenarios()
    {
        QStringList files;
        const QDir dir(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios"));
        for (const QString &name :
            dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            files << dir.filePath(name);
        }
        return files;
    }

private Q_SLOTS:
    void contractForEveryPolicy()
    {
        const QString script = QDir::cleanPath(
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/../shared/checks/plan_contract.py"));
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty() || !QFileInfo::exists(script)) {
            QSKIP("python3 or ../shared/checks/plan_contract.py not available");
        }
        const QStringList files = bundledScenarios();
        QVERIFY(!files.isEmpty());
        const QStringList policies{QStringLiteral("dssda"), QStringLiteral("dssra"),
            QStringLiteral("dssda-myopic"), QStringLiteral("dssda-fixed-m"),
            QStringLiteral("dssda-equal-bw"), QStringLiteral("fl"), QStringLiteral("sl"),
            QStringLiteral("uniform"), QStringLiteral("proportional")};
        for (const QString &file : files) {
            QProcess p;
            p.start(python, QStringList{script, cliPath(), file} + policies);
            QVERIFY(p.waitForFinished(300000));
            const QString err = QString::fromUtf8(p.readAllStandardError());
            QVERIFY2(p.exitCode() == 0, qPrintable(file + QStringLiteral(": ") + err));
            const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
            qInfo("%s: %s", qPrintable(QFileInfo(file).fileName()),
                QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
            // DSSDA must plan (it is never infeasible where a static baseline is feasible).
            QVERIFY2(o.value(QStringLiteral("dssda")).isDouble(), qPrintable(file));
            const double ours = o.value(QStringLiteral("dssda")).toDouble();
            for (const QString &baseline :
                {QStringLiteral("uniform"), QStringLiteral("proportional"),
                    QStringLiteral("dssda-fixed-m"), QStringLiteral("dssda-equal-bw")}) {
                if (o.value(baseline).isDouble()) {
                    QVERIFY2(ours <= o.value(baseline).toDouble() * (1.0 + 1e-9),
                        qPrintable(QStringLiteral("%1: dssda %2 s > %3 %4 s")
                                       .arg(file)
                                       .arg(ours)
                                       .arg(baseline)
                                       .arg(o.value(baseline).toDouble())));
                }
            }
        }
    }

    void oracleRefusesLargeScenario()
    {
        QProcess p;
        p.start(cliPath(),
            {QStringLiteral("plan"),
                QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json"),
                QStringLiteral("--policy"), QStringLiteral("oracle"), QStringLiteral("--json")});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY(p.exitCode() != 0);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("oracle")) && err.contains(QStringLiteral("K ≤ 4")),
            qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestPlanContract)
#include "tst_plan_contract.moc"
