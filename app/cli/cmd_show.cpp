// SPDX-License-Identifier: MIT
// `collapipe show ID [--db DB] [--scenario]`: one run's summary and configuration (issue [5/6]).
#include "cli_args.h"
#include "cli_run_engine.h"
#include "cli_table.h"
#include "command_registry.h"
#include "core/scenario/display_text.h"
#include "core/store/run_reader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_show {
namespace {

const char kUsage[] = R"(usage: collapipe show ID [--db DB] [--scenario]

Prints a stored run: status and message, how it was started, its key results (mean latency,
energy, bubble, efficiency, queues, memory, final loss and accuracy) and its configuration
(model, training and optimizer settings, topology size).
  --scenario   print the exact scenario JSON the run used instead (save it to re-run the run)
exit codes: 0 ok, 2 bad input (no such run, database problems).
)";

void printSection(QTextStream &out, const QString &title, const QJsonObject &object)
{
    QStringList parts;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.value().isObject()) {
            printSection(out, title + QLatin1Char('.') + it.key(), it.value().toObject());
            continue;
        }
        parts << it.key() + QLatin1Char('=') + it.value().toVariant().toString();
    }
    if (!parts.isEmpty()) {
        out << "  " << title.leftJustified(17) << ' '
            << escapeControlCharacters(parts.join(QStringLiteral("  "))) << '\n';
    }
}

int runShow(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    parser.addOption(QCommandLineOption(QStringLiteral("scenario")));
    if (!parseArgs(&parser, QStringLiteral("show"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    QString error;
    std::int64_t id = 0;
    if (parser.positionalArguments().size() != 1
        || !parseRunId(parser.positionalArguments().first(), &id, &error)) {
        err << "collapipe show: "
            << (error.isEmpty() ? QStringLiteral("expected one run ID") : error)
            << " (see collapipe show --help)\n";
        return ExitBadInput;
    }
    std::unique_ptr<RunStore> store = openStore(parser.value(QStringLiteral("db")), &error, false);
    RunInfo info;
    RunSummary s;
    QString json;
    if (!store || !RunReader(store.get()).run(id, &info, &error)
        || !RunReader(store.get()).summary(id, &s, &error)
        || !RunReader(store.get()).scenarioJson(id, &json, &error)) {
        err << "collapipe show: " << error << '\n';
        return ExitBadInput;
    }
    if (parser.isSet(QStringLiteral("scenario"))) {
        out << json;
        if (!json.endsWith(QLatin1Char('\n'))) {
            out << '\n';
        }
        return ExitOk;
    }
    // Stored strings come from users (names) and engines (messages): one line each.
    out << "run " << info.id << "  " << escapeControlCharacters(info.name) << '\n';
    out << "  status            " << runStatusName(info.status)
        << (info.message.isEmpty() ? QString()
                                   : QStringLiteral(": ") + escapeControlCharacters(info.message))
        << '\n';
    out << "  scenario          " << escapeControlCharacters(info.scenarioName) << '\n';
    out << "  policy / seed     " << escapeControlCharacters(info.policy) << " / " << info.seed
        << '\n';
    out << "  training          " << (info.train ? "on" : "off (cost model only)") << '\n';
    out << "  rounds            " << info.roundsDone << " of " << info.roundsPlanned << '\n';
    out << "  created / ended   " << info.created << " / "
        << (info.finished.isEmpty() ? QStringLiteral("-") : info.finished) << '\n';
    out << "  written by        collapipe " << info.version << '\n';
    if (info.point.isSet()) {
        out << "  experiment        " << escapeControlCharacters(info.point.experimentId)
            << ", point " << info.point.index << " (fingerprint "
            << escapeControlCharacters(info.point.fingerprint) << ")\n";
        out << "  coordinates       " << escapeControlCharacters(info.point.coordinatesJson)
            << '\n';
    }
    out << "results\n";
    out << "  mean latency      " << formatNumber(s.meanLatencyS) << " s per round\n";
    out << "  simulated time    " << formatNumber(s.simTimeS) << " s\n";
    out << "  energy            " << formatNumber(s.totalEnergyJ) << " J total, "
        << formatNumber(s.meanEnergyJ) << " J per round\n";
    out << "  bubble fraction   " << formatNumber(s.meanBubbleFraction) << " (mean)\n";
    out << "  efficiency        " << formatNumber(s.meanComputationEfficiency) << " (mean)\n";
    out << "  energy queue      " << formatNumber(s.meanEnergyQueueJ) << " J (mean over devices)\n";
    out << "  peak memory       " << formatNumber(s.maxMemoryFraction) << " of capacity (max)\n";
    out << "  objective         " << formatNumber(s.meanObjective) << " (mean drift + penalty)\n";
    out << "  decision time     " << formatNumber(s.meanDecisionTimeS) << " s (mean)\n";
    out << "  final loss        " << formatNumber(s.finalLoss) << '\n';
    out << "  final accuracy    " << formatNumber(s.finalAccuracy) << '\n';
    const QJsonObject scenario = QJsonDocument::fromJson(json.toUtf8()).object();
    out << "config\n";
    int devices = 0;
    const QJsonArray clusters = scenario.value(QStringLiteral("clusters")).toArray();
    for (const QJsonValue &c : clusters) {
        devices += int(c.toObject().value(QStringLiteral("devices")).toArray().size());
    }
    out << "  topology          " << scenario.value(QStringLiteral("edge_servers")).toArray().size()
        << " edge server(s), " << clusters.size() << " cluster(s), " << devices << " devices\n";
    for (const char *section : {"model", "training", "optimizer", "d2d", "d2e"}) {
        const QString key = QLatin1String(section);
        printSection(out, key, scenario.value(key).toObject());
    }
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("show"),
    QStringLiteral("show one stored run: summary and configuration"), runShow);

} // namespace
} // namespace collapipe::cli::verb_show
