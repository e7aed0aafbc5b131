// SPDX-License-Identifier: MIT
// `collapipe run FILE [--policy P] [--schedule S] [--rounds N] [--seed S] [--db DB]
// [--train on|off] [--set key=value ...]`: runs a scenario and stores every round (issue [5/6]).
#include "cli_args.h"
#include "cli_run_engine.h"
#include "cli_scenario.h"
#include "command_registry.h"
#include "core/scenario/display_text.h"
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/sim/stored_run.h"

#include <QCoreApplication>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_run {
namespace {

const char kUsage[] = R"(usage: collapipe run FILE [options]

Runs the scenario FILE round by round (channel -> policy -> cost and timeline -> trainer ->
aggregation -> queue update) and stores every round in the run database. Prints a progress bar
(on a terminal) or a status line every ~2 s, then a summary with the run id.

options:
  --policy P          decision policy (dssda, uniform, proportional, ...; default: the scenario's)
  --schedule S        pipeline schedule gpipe, 1f1b, interleaved, zb-h1, zb-v or auto (DSSDA chooses)
                      (optimizer.schedule; default: the scenario's)
  --rounds N          rounds to run (default: the scenario's training.rounds)
  --seed S            seed of the channel, data split and model (default: training.seed)
  --train on|off      train the real model, or cost model only (default: training.train)
  --set key=value     change any scenario field first, by its JSON path; repeatable, e.g.
                      --set optimizer.v=10 --set training.learning_rate=0.01
                      --set clusters[0].devices[1].memory_bytes=2e9
                      (every key with its unit and valid range: collapipe validate --fields)
  --events on|off     store each round's pipeline timeline (default on)
  --quiet             no progress output, only the summary
  --db DB             run database (default: the app-data folder's runs.sqlite)

All arguments, the scenario, the policy and the dataset are checked before the database is
opened: bad input leaves no database behind.
Ctrl-C stops after the current round; committed rounds are kept and the run is marked stopped.
A run fails (exit 1, stored as failed with the reason) when training diverges (rule:
core/trainer/README.md "Divergence") or a round produces a number that is not finite.
exit codes: 0 completed, 1 run failed or stopped (message names the round), 2 bad input
(scenario, --set, policy, dataset, database).
)";

int runRun(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    for (const char *name : {"policy", "schedule", "rounds", "seed", "train", "set", "events"}) {
        parser.addOption(QCommandLineOption(QLatin1String(name), QString(), QStringLiteral("V")));
    }
    parser.addOption(QCommandLineOption(QStringLiteral("quiet")));
    if (!parseArgs(&parser, QStringLiteral("run"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1) {
        err << "collapipe run: expected exactly one scenario FILE (see collapipe run --help)\n";
        return ExitBadInput;
    }
    std::vector<SetAssignment> sets;
    QString error;
    bool events = true;
    const QStringList shortcuts{QStringLiteral("policy"), QStringLiteral("schedule"),
        QStringLiteral("rounds"), QStringLiteral("seed"), QStringLiteral("train")};
    if (!collectScenarioSets(parser, shortcuts, &sets, &error)
        || (parser.isSet(QStringLiteral("events"))
            && !parseOnOff(QStringLiteral("--events"), parser.value(QStringLiteral("events")),
                &events, &error))) {
        err << "collapipe run: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    Scenario scenario;
    QStringList problems;
    if (!loadScenarioWithSets(files.first(), sets, &scenario, &problems)) {
        err << "collapipe run: " << escapeControlCharacters(files.first()) << ": "
            << problems.size() << (problems.size() == 1 ? " problem\n" : " problems\n");
        for (const QString &p : problems) {
            err << "  " << p << '\n';
        }
        return ExitBadInput;
    }
    ExecuteOptions options;
    options.name = storedRunName(files.first(), scenario);
    options.events = events;
    options.progress = !parser.isSet(QStringLiteral("quiet"));
    options.version = QCoreApplication::applicationVersion();
    // Policy, dataset and model first: bad input must not create or touch a database.
    std::unique_ptr<Session> session = prepareSession(scenario, options, &error);
    if (!session) {
        err << "collapipe run: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    std::unique_ptr<RunStore> store = openStore(parser.value(QStringLiteral("db")), &error);
    if (!store) {
        err << "collapipe run: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    if (store->recoveredRuns() > 0) {
        err << "collapipe run: marked " << store->recoveredRuns()
            << " run(s) interrupted (their writer process is gone)\n";
    }
    RunControl::linkStopSignals(nullptr); // Ctrl-C from here on stops the run, not the program
    out << "run: " << escapeControlCharacters(files.first()) << " with "
        << escapeControlCharacters(scenario.optimizer.policy) << ", " << scenario.training.rounds
        << " rounds, seed " << scenario.training.seed << ", "
        << (scenario.training.train ? "training on" : "cost model only") << " -> "
        << escapeControlCharacters(store->path()) << '\n';
    out.flush();
    const ExecuteResult result = executeRun(store.get(), session.get(), options, out);
    if (!result.started) {
        err << "collapipe run: " << escapeControlCharacters(result.message) << '\n';
        return ExitBadInput;
    }
    printRunSummary(store.get(), result, out);
    if (result.status != SessionStatus::Completed) {
        err << "collapipe run: run " << result.runId << " "
            << (result.status == SessionStatus::Stopped ? "stopped" : "failed") << ": "
            << escapeControlCharacters(result.message) << '\n';
    }
    return exitCodeFor(result);
}

const CommandRegistrar registrar(
    QStringLiteral("run"), QStringLiteral("run a scenario and store every round"), runRun);

} // namespace
} // namespace collapipe::cli::verb_run
