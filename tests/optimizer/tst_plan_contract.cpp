// SPDX-License-Identifier: MIT
// `collapipe plan FILE --policy P --json` for every optimizer policy on every bundled scenario,
// checked against the plan contract (tests/plan/plan_contract.h: structure, coverage, memory,
// shares, and the makespan, latency and energy rebuilt from the JSON's own numbers), and DSSDA's
// planned latency against the static pipeline baselines in the same output.
#include "../plan/plan_contract.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <optional>

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

    /// The plan's system latency, nullopt when the policy honestly reports infeasibility; a
    /// contract violation or a crash fails the test.
    static std::optional<double> planLatency(const QString &file, const QString &policy)
    {
        QProcess p;
        p.start(cliPath(),
            {QStringLiteral("plan"), file, QStringLiteral("--policy"), policy,
                QStringLiteral("--json")});
        if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit) {
            QTest::qFail(
                qPrintable(QStringLiteral("plan %1 on %2 did not finish").arg(policy, file)),
                __FILE__, __LINE__);
            return std::nullopt;
        }
        const QString err = QString::fromUtf8(p.readAllStandardError());
        if (p.exitCode() == 1 && err.contains(QStringLiteral("infeasib"))) {
            return std::nullopt;
        }
        if (p.exitCode() != 0) {
            QTest::qFail(qPrintable(QStringLiteral("plan %1 on %2: exit %3: %4")
                                        .arg(policy, file)
                                        .arg(p.exitCode())
                                        .arg(err)),
                __FILE__, __LINE__);
            return std::nullopt;
        }
        const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        const QString problem = collapipe::testing::checkPlanContract(o, policy);
        if (!problem.isEmpty()) {
            QTest::qFail(qPrintable(QStringLiteral("plan %1 on %2: %3")
                                        .arg(policy, QFileInfo(file).fileName(), problem)),
                __FILE__, __LINE__);
            return std::nullopt;
        }
        return o.value(QStringLiteral("system_latency_s")).toDouble();
    }

private Q_SLOTS:
    void contractForEveryPolicy_data()
    {
        QTest::addColumn<QString>("file");
        const QStringList files = bundledScenarios();
        QVERIFY(!files.isEmpty());
        for (const QString &f : files) {
            QTest::newRow(qPrintable(QFileInfo(f).baseName())) << f;
        }
    }
    void contractForEveryPolicy()
    {
        QFETCH(QString, file);
        const QStringList policies{QStringLiteral("dssda"), QStringLiteral("dssra"),
            QStringLiteral("dssda-myopic"), QStringLiteral("dssda-fixed-m"),
            QStringLiteral("dssda-equal-bw"), QStringLiteral("fl"), QStringLiteral("sl"),
            QStringLiteral("uniform"), QStringLiteral("proportional")};
        QHash<QString, std::optional<double>> latency;
        for (const QString &policy : policies) {
            latency.insert(policy, planLatency(file, policy));
            if (QTest::currentTestFailed()) {
                return;
            }
            qInfo("%s %s: %s", qPrintable(QFileInfo(file).fileName()), qPrintable(policy),
                latency[policy] ? qPrintable(QString::number(*latency[policy], 'g', 6))
                                : "infeasible");
        }
        // DSSDA must plan (it is never infeasible where a static baseline is feasible) and be no
        // slower than the baselines whose decisions lie inside its own space.
        QVERIFY2(latency[QStringLiteral("dssda")].has_value(), qPrintable(file));
        const double ours = *latency[QStringLiteral("dssda")];
        for (const QString &baseline : {QStringLiteral("uniform"), QStringLiteral("proportional"),
                 QStringLiteral("dssda-fixed-m"), QStringLiteral("dssda-equal-bw")}) {
            if (latency[baseline]) {
                QVERIFY2(ours <= *latency[baseline] * (1.0 + 1e-9),
                    qPrintable(QStringLiteral("%1: dssda %2 s > %3 %4 s")
                                   .arg(file)
                                   .arg(ours)
                                   .arg(baseline)
                                   .arg(*latency[baseline])));
            }
        }
    }

    void contractRejectsABrokenPlan()
    {
        // The checker itself: a plan whose makespan does not follow from its times is caught.
        QProcess p;
        p.start(cliPath(),
            {QStringLiteral("plan"),
                QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json"),
                QStringLiteral("--policy"), QStringLiteral("uniform"), QStringLiteral("--json")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QVERIFY2(collapipe::testing::checkPlanContract(o, QStringLiteral("uniform")).isEmpty(),
            qPrintable(collapipe::testing::checkPlanContract(o, QStringLiteral("uniform"))));
        QJsonArray clusters = o.value(QStringLiteral("clusters")).toArray();
        QJsonObject c0 = clusters[0].toObject();
        QJsonArray stages = c0.value(QStringLiteral("stages")).toArray();
        QJsonObject s0 = stages[0].toObject();
        s0.insert(QStringLiteral("t_fwd_s"), s0.value(QStringLiteral("t_fwd_s")).toDouble() + 1.0);
        stages[0] = s0;
        c0.insert(QStringLiteral("stages"), stages);
        clusters[0] = c0;
        o.insert(QStringLiteral("clusters"), clusters);
        const QString problem = collapipe::testing::checkPlanContract(o, QStringLiteral("uniform"));
        QVERIFY2(!problem.isEmpty(), "a forward 1 s longer went unnoticed");
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
