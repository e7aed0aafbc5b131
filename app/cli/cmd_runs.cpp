// SPDX-License-Identifier: MIT
// `collapipe runs [--db DB]`: the stored runs, newest first (issue [5/6]).
#include "cli_args.h"
#include "cli_run_engine.h"
#include "cli_table.h"
#include "command_registry.h"
#include "core/store/run_reader.h"

#include <QFile>

#include <cerrno>
#include <sys/stat.h>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_runs {
namespace {

const char kUsage[] = R"(usage: collapipe runs [--db DB]

Lists the runs in the run database, newest first: id, status, policy, seed, rounds done/planned,
training on/off, creation time (UTC) and name. The database is opened read-only and checked
(quick_check) first; runs left 'running' by a process that no longer exists are shown as
'interrupted' (the next writer stores that status).
exit codes: 0 ok (also when the database does not exist yet), 2 bad input (database damaged,
not a run database, cannot be opened, e.g. permission denied).
)";

int runRuns(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    if (!parseArgs(&parser, QStringLiteral("runs"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "collapipe runs: unexpected argument '" << parser.positionalArguments().first()
            << "' (see collapipe runs --help)\n";
        return ExitBadInput;
    }
    QString error;
    QString path = parser.value(QStringLiteral("db"));
    if (path.isEmpty()) {
        path = RunStore::defaultPath(&error);
    }
    struct stat st = {};
    if (!path.isEmpty() && !isSqliteSpecialName(path)
        && ::stat(QFile::encodeName(path).constData(), &st) != 0
        && errno == ENOENT) { // not EACCES: a file we may not read is no "no runs yet"
        out << "no runs yet: " << path << " does not exist\n";
        return ExitOk;
    }
    std::unique_ptr<RunStore> store = openStore(path, &error, false);
    std::vector<RunInfo> runs;
    if (!store || !RunReader(store.get()).listRuns(&runs, &error)) {
        err << "collapipe runs: " << error << '\n';
        return ExitBadInput;
    }
    if (runs.empty()) {
        out << "no runs in " << store->path() << '\n';
        return ExitOk;
    }
    TextTable table({QStringLiteral("id"), QStringLiteral("status"), QStringLiteral("policy"),
        QStringLiteral("seed"), QStringLiteral("rounds"), QStringLiteral("train"),
        QStringLiteral("created (UTC)"), QStringLiteral("name")});
    for (const RunInfo &r : runs) {
        table.addRow({QString::number(r.id), runStatusName(r.status), r.policy,
            QString::number(r.seed), QStringLiteral("%1/%2").arg(r.roundsDone).arg(r.roundsPlanned),
            r.train ? QStringLiteral("on") : QStringLiteral("off"),
            r.created.left(19).replace(QLatin1Char('T'), QLatin1Char(' ')), r.name});
    }
    table.print(out);
    out << runs.size() << " run(s) in " << store->path() << '\n';
    return ExitOk;
}

const CommandRegistrar registrar(
    QStringLiteral("runs"), QStringLiteral("list the stored runs"), runRuns);

} // namespace
} // namespace collapipe::cli::verb_runs
