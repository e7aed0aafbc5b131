// SPDX-License-Identifier: MIT
// One run-name rule for both front ends (issue [3/7] "the plumbing"): storedRunName() is
// "<scenario file stem> · <policy> · seed N", and a run of the same file stored by the CLI and by
// the Studio's run worker gets the same name (they used to differ: "tiny uniform s1" vs the
// scenario's display name).
#include "../cli_run/cli_process.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/stored_run.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "ui/run/run_controller.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;

namespace {

QString onlyRunName(const QString &db)
{
    QString error;
    std::vector<RunInfo> runs;
    auto store = RunStore::open(db, &error);
    if (!store || !RunReader(store.get()).listRuns(&runs, &error) || runs.size() != 1) {
        return QStringLiteral("(no single run in %1: %2)").arg(db, error);
    }
    return runs.front().name;
}

} // namespace

class TestRunName : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ruleNamesFileStemPolicyAndSeed()
    {
        Scenario s;
        s.name = QStringLiteral("Campus (demo)");
        s.optimizer.policy = QStringLiteral("dssda");
        s.training.seed = 42;
        QCOMPARE(storedRunName(QStringLiteral("/data/scenarios/campus.v2.json"), s),
            QStringLiteral("campus.v2 · dssda · seed 42"));
        // An unsaved document has no file: the scenario's name stands in, then "untitled".
        QCOMPARE(storedRunName(QString(), s), QStringLiteral("Campus (demo) · dssda · seed 42"));
        s.name.clear();
        QCOMPARE(storedRunName(QString(), s), QStringLiteral("untitled · dssda · seed 42"));
    }

    void cliAndStudioStoreTheSameName()
    {
        QTemporaryDir dir;
        const QString file = testing::tinyScenarioPath();
        const QString cliDb = dir.filePath(QStringLiteral("cli.sqlite"));
        const testing::CliResult cli = testing::runCli({QStringLiteral("run"), file,
            QStringLiteral("--train"), QStringLiteral("off"), QStringLiteral("--rounds"),
            QStringLiteral("2"), QStringLiteral("--quiet"), QStringLiteral("--db"), cliDb});
        QVERIFY2(cli.exitCode == 0 && !cli.crashed, testing::describe(cli).constData());

        RunRequest request;
        std::vector<ScenarioProblem> problems;
        QVERIFY(loadScenarioFile(file, &request.scenario, &problems));
        request.scenario.training.train = false;
        request.scenario.training.rounds = 2;
        request.scenarioPath = file;
        request.dbPath = dir.filePath(QStringLiteral("studio.sqlite"));
        RunController controller;
        QSignalSpy finished(&controller, &RunController::runFinished);
        QString error;
        QVERIFY2(controller.start(request, &error), qPrintable(error));
        QVERIFY(finished.wait(60'000));
        QCOMPARE(finished.first().at(0).toInt(), int(SessionStatus::Completed));

        const QString expected = storedRunName(file, request.scenario);
        QCOMPARE(onlyRunName(cliDb), expected);
        QCOMPARE(onlyRunName(request.dbPath), expected);
    }
};

QTEST_MAIN(TestRunName)
#include "tst_run_name.moc"
