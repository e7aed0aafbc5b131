// SPDX-License-Identifier: MIT
// `collapipe export ID --format csv|json [--table rounds|clusters|devices|events] [--db DB]
// [-o FILE]`: one table of a stored run (issue [5/6]).
#include "cli_args.h"
#include "cli_run_engine.h"
#include "command_registry.h"
#include "core/store/run_export.h"

#include <QFile>
#include <QSaveFile>

namespace collapipe::cli {
namespace {

const char kUsage[] = R"(usage: collapipe export ID --format csv|json [options]

Writes one table of a stored run. Numbers are written in the shortest form that reads back to
the same double, so the export round-trips exactly; "not measured" is an empty CSV field or null.
  --format csv|json    output format (required)
  --table T            rounds (default; one row per round), clusters, devices (one row per round
                       and device: decision, memory, energy, queue, link), events (the timeline)
  -o, --output FILE    write to FILE (atomically) instead of stdout
  --db DB              run database
  (also accepted: --run ID instead of the positional ID)
exit codes: 0 ok, 2 bad input (no such run, bad option, database or output problems).
)";

int runExport(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    parser.addOption(QCommandLineOption(QStringLiteral("format"), QString(), QStringLiteral("F")));
    parser.addOption(QCommandLineOption(QStringLiteral("table"), QString(), QStringLiteral("T")));
    parser.addOption(QCommandLineOption(QStringLiteral("run"), QString(), QStringLiteral("ID")));
    parser.addOption(QCommandLineOption(
        {QStringLiteral("o"), QStringLiteral("output")}, QString(), QStringLiteral("FILE")));
    if (!parseArgs(&parser, QStringLiteral("export"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    QStringList ids = parser.positionalArguments();
    if (parser.isSet(QStringLiteral("run"))) {
        ids << parser.value(QStringLiteral("run"));
    }
    QString error;
    std::int64_t id = 0;
    if (ids.size() != 1 || !parseRunId(ids.first(), &id, &error)) {
        err << "collapipe export: "
            << (error.isEmpty() ? QStringLiteral("expected one run ID") : error)
            << " (see collapipe export --help)\n";
        return ExitBadInput;
    }
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("csv") && format != QLatin1String("json")) {
        err << "collapipe export: --format: expected csv or json (got '" << format << "')\n";
        return ExitBadInput;
    }
    ExportTable table = ExportTable::Rounds;
    const QString tableName = parser.value(QStringLiteral("table"));
    if (!tableName.isEmpty() && !parseExportTable(tableName, &table)) {
        err << "collapipe export: --table: expected rounds, clusters, devices or events (got '"
            << tableName << "')\n";
        return ExitBadInput;
    }
    std::unique_ptr<RunStore> store = openStore(parser.value(QStringLiteral("db")), &error, false);
    if (!store) {
        err << "collapipe export: " << error << '\n';
        return ExitBadInput;
    }
    const ExportFormat fmt
        = format == QLatin1String("csv") ? ExportFormat::Csv : ExportFormat::Json;
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty()) {
        QFile stdoutFile;
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly)
            || exportRun(store.get(), id, table, fmt, &stdoutFile, &error) < 0) {
            err << "collapipe export: " << error << '\n';
            return ExitBadInput;
        }
        return ExitOk;
    }
    QSaveFile file(output);
    if (!file.open(QIODevice::WriteOnly)) {
        err << "collapipe export: " << output << ": " << file.errorString() << '\n';
        return ExitBadInput;
    }
    const std::int64_t rows = exportRun(store.get(), id, table, fmt, &file, &error);
    if (rows < 0) {
        err << "collapipe export: " << error << '\n';
        return ExitBadInput;
    }
    if (!file.commit()) {
        err << "collapipe export: " << output << ": " << file.errorString() << '\n';
        return ExitBadInput;
    }
    err << "collapipe export: " << rows << " rows of " << exportTableName(table) << " of run " << id
        << " -> " << output << '\n';
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("export"),
    QStringLiteral("export a stored run's table as CSV or JSON"), runExport);

} // namespace
} // namespace collapipe::cli
