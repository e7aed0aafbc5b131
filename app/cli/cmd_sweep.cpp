// SPDX-License-Identifier: MIT
// `collapipe sweep FILE --set key=v1,v2,... --policy P1,P2 [--seeds N] [--rounds N] [--db DB]`:
// every combination as a stored run, then a summary table (issue [5/6]).
#include "cli_args.h"
#include "cli_run_engine.h"
#include "cli_scenario.h"
#include "cli_table.h"
#include "command_registry.h"
#include "core/optimizer/policy.h"
#include "core/scenario/display_text.h"
#include "core/scenario/scenario_json.h"
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/store/run_reader.h"

#include <QCoreApplication>
#include <QFileInfo>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_sweep {
namespace {

const char kUsage[] = R"(usage: collapipe sweep FILE --set key=v1,v2,... [options]

Runs every combination of the listed values (x policies x seeds) as its own stored run, then
prints a table of the runs with their key results. All combinations are validated before the
first run starts.
  --set key=v1,v2,...  a scenario field (JSON path, as for run --set) and its values; repeatable
  --policy P1,P2,...   policies to sweep (default: the scenario's)
  --schedule S1,S2     pipeline schedules to sweep: gpipe, 1f1b, interleaved, zb-h1, zb-v, auto
                       (default: the scenario's)
  --seeds N            seeds training.seed, +1, ..., +N-1 (default 1)
  --rounds N           rounds per run (default: the scenario's training.rounds)
  --train on|off       train the model (default off: sweeps use the cost model, fast mode)
  --events on|off      store each round's timeline (default off for sweeps)
  --db DB              run database
Values are separated by commas; an empty value ("1,,2", a trailing comma) is refused.
Every combination, policy and the dataset are checked before the database is opened.
exit codes: 0 all runs completed, 1 a run failed or was stopped, 2 bad input.
)";

struct Axis
{
    QString path;
    QStringList values;
};

/// Splits "v1,v2,..." of `option`; false + message naming the option and the position of an
/// empty value (a doubled or trailing comma is a typo, not "no value").
bool splitValues(const QString &option, const QString &text, QStringList *values, QString *error)
{
    *values = text.split(QLatin1Char(','));
    for (qsizetype i = 0; i < values->size(); ++i) {
        if ((*values)[i].trimmed().isEmpty()) {
            *error = QStringLiteral("%1: value %2 of '%3' is empty (values are separated by "
                                    "commas: v1,v2,...)")
                         .arg(option)
                         .arg(i + 1)
                         .arg(text);
            return false;
        }
    }
    return true;
}

int runSweep(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    for (const char *name : {"set", "policy", "schedule", "seeds", "rounds", "train", "events"}) {
        parser.addOption(QCommandLineOption(QLatin1String(name), QString(), QStringLiteral("V")));
    }
    if (!parseArgs(&parser, QStringLiteral("sweep"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    const QStringList files = parser.positionalArguments();
    QString error;
    if (files.size() != 1) {
        err << "collapipe sweep: expected exactly one scenario FILE (see collapipe sweep --help)\n";
        return ExitBadInput;
    }
    // Axes: each --set, then policy and seed.
    std::vector<Axis> axes;
    for (const QString &text : parser.values(QStringLiteral("set"))) {
        SetAssignment set;
        Axis axis;
        if (!parseAssignment(text, &set, &error)
            || !splitValues(QStringLiteral("--set ") + set.path, set.value, &axis.values, &error)) {
            err << "collapipe sweep: " << escapeControlCharacters(error) << '\n';
            return ExitBadInput;
        }
        axis.path = set.path;
        axes.push_back(std::move(axis));
    }
    for (const auto &[option, path] :
        {std::pair{"policy", "optimizer.policy"}, std::pair{"schedule", "optimizer.schedule"}}) {
        if (!parser.isSet(QLatin1String(option))) {
            continue;
        }
        Axis axis{QLatin1String(path), {}};
        if (!splitValues(QStringLiteral("--") + QLatin1String(option),
                parser.value(QLatin1String(option)), &axis.values, &error)) {
            err << "collapipe sweep: " << escapeControlCharacters(error) << '\n';
            return ExitBadInput;
        }
        for (const QString &value : axis.values) {
            if (QLatin1String(option) == QLatin1String("policy") && !makePolicy(value, &error)) {
                err << "collapipe sweep: --policy: " << escapeControlCharacters(error) << '\n';
                return ExitBadInput;
            }
        }
        axes.push_back(std::move(axis));
    }
    int seeds = 1;
    int rounds = 0;
    bool train = false;
    bool events = false;
    if ((parser.isSet(QStringLiteral("seeds"))
            && !parseInt(QStringLiteral("--seeds"), parser.value(QStringLiteral("seeds")), 1, 10000,
                &seeds, &error))
        || (parser.isSet(QStringLiteral("rounds"))
            && !parseInt(QStringLiteral("--rounds"), parser.value(QStringLiteral("rounds")), 1,
                100000000, &rounds, &error))
        || (parser.isSet(QStringLiteral("train"))
            && !parseOnOff(
                QStringLiteral("--train"), parser.value(QStringLiteral("train")), &train, &error))
        || (parser.isSet(QStringLiteral("events"))
            && !parseOnOff(QStringLiteral("--events"), parser.value(QStringLiteral("events")),
                &events, &error))) {
        err << "collapipe sweep: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    Scenario base;
    QStringList problems;
    if (!loadScenarioWithSets(files.first(), {}, &base, &problems)) {
        err << "collapipe sweep: " << problems.join(QStringLiteral("\n  ")) << '\n';
        return ExitBadInput;
    }
    if (!parser.isSet(QStringLiteral("policy"))) {
        axes.push_back({QStringLiteral("optimizer.policy"), {base.optimizer.policy}});
    }
    QStringList seedValues;
    for (int i = 0; i < seeds; ++i) {
        seedValues << QString::number(base.training.seed + std::uint64_t(i));
    }
    axes.push_back({QStringLiteral("training.seed"), seedValues});

    // Build and validate every combination first: a typo in the last value must not surface
    // after an hour of runs.
    struct Job
    {
        Scenario scenario;
        QString label;
    };
    std::vector<Job> jobs;
    std::vector<int> index(axes.size(), 0);
    for (bool more = true; more;) {
        std::vector<SetAssignment> sets;
        QStringList label;
        for (std::size_t a = 0; a < axes.size(); ++a) {
            sets.push_back({axes[a].path, axes[a].values[index[a]]});
            label << axes[a].path.section(QLatin1Char('.'), -1) + QLatin1Char('=')
                    + axes[a].values[index[a]];
        }
        sets.push_back({QStringLiteral("training.train"),
            train ? QStringLiteral("on") : QStringLiteral("off")});
        if (rounds > 0) {
            sets.push_back({QStringLiteral("training.rounds"), QString::number(rounds)});
        }
        Job job;
        if (!patchScenario(base, sets, &job.scenario, &problems)) {
            err << "collapipe sweep: combination "
                << escapeControlCharacters(label.join(QLatin1Char(' '))) << ":\n  "
                << problems.join(QStringLiteral("\n  ")) << '\n';
            return ExitBadInput;
        }
        job.label = label.join(QLatin1Char(' '));
        jobs.push_back(std::move(job));
        more = false;
        for (std::size_t a = axes.size(); a-- > 0;) {
            if (++index[a] < int(axes[a].values.size())) {
                more = true;
                break;
            }
            index[a] = 0;
        }
    }
    // The first run's session (policy, dataset, model) before the database: bad input leaves no
    // database behind. The other combinations were validated above; their policies too.
    ExecuteOptions firstOptions;
    firstOptions.events = events;
    std::unique_ptr<Session> first = prepareSession(jobs.front().scenario, firstOptions, &error);
    if (!first) {
        err << "collapipe sweep: " << escapeControlCharacters(jobs.front().label) << ": "
            << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    std::unique_ptr<RunStore> store = openStore(parser.value(QStringLiteral("db")), &error);
    if (!store) {
        err << "collapipe sweep: " << escapeControlCharacters(error) << '\n';
        return ExitBadInput;
    }
    RunControl::linkStopSignals(nullptr); // Ctrl-C from here on stops the sweep, not the program
    out << "sweep: " << jobs.size() << " runs of " << files.first() << " -> " << store->path()
        << '\n';
    out.flush();
    TextTable table({QStringLiteral("run"), QStringLiteral("status"), QStringLiteral("setting"),
        QStringLiteral("mean latency [s]"), QStringLiteral("energy/round [J]"),
        QStringLiteral("bubble"), QStringLiteral("queue [J]"), QStringLiteral("final loss")});
    int exitCode = ExitOk;
    for (std::size_t j = 0; j < jobs.size() && !RunControl::signalReceived(); ++j) {
        ExecuteOptions options;
        options.name = QStringLiteral("%1 sweep %2")
                           .arg(QFileInfo(files.first()).completeBaseName(), jobs[j].label);
        options.events = events;
        options.progress = false;
        options.version = QCoreApplication::applicationVersion();
        const ExecuteResult result = j == 0
            ? executeRun(store.get(), first.get(), options, out)
            : executeRun(store.get(), jobs[j].scenario, options, out);
        if (j == 0) {
            first.reset(); // its trainer's memory is not needed by the next runs
        }
        if (!result.started) {
            err << "collapipe sweep: " << escapeControlCharacters(jobs[j].label) << ": "
                << escapeControlCharacters(result.message) << '\n';
            return ExitBadInput;
        }
        RunSummary s;
        RunReader(store.get()).summary(result.runId, &s, &error);
        const QString status = result.status == SessionStatus::Completed
            ? QStringLiteral("completed")
            : (result.status == SessionStatus::Stopped ? QStringLiteral("stopped")
                                                       : QStringLiteral("failed"));
        out << '[' << (j + 1) << '/' << jobs.size() << "] run " << result.runId << ' ' << status
            << "  " << escapeControlCharacters(jobs[j].label) << "  latency "
            << formatNumber(s.meanLatencyS) << " s"
            << (result.message.isEmpty() ? QString()
                                         : QStringLiteral("  (")
                           + escapeControlCharacters(result.message) + QLatin1Char(')'))
            << '\n';
        out.flush();
        table.addRow(
            {QString::number(result.runId), status, jobs[j].label, formatNumber(s.meanLatencyS),
                formatNumber(s.meanEnergyJ), formatNumber(s.meanBubbleFraction),
                formatNumber(s.meanEnergyQueueJ), formatNumber(s.finalLoss)});
        if (result.status != SessionStatus::Completed) {
            exitCode = ExitRunFailed;
        }
    }
    out << '\n';
    table.print(out);
    if (RunControl::signalReceived()) {
        err << "collapipe sweep: stopped by a signal\n";
        exitCode = ExitRunFailed;
    }
    return exitCode;
}

const CommandRegistrar registrar(QStringLiteral("sweep"),
    QStringLiteral("run every combination of settings as stored runs"), runSweep);

} // namespace
} // namespace collapipe::cli::verb_sweep
