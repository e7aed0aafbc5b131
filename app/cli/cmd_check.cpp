// SPDX-License-Identifier: MIT
// `collapipe check [--db DB]`: a full integrity check of the run database (issue [2/7] item 6).
#include "cli_args.h"
#include "cli_run_engine.h"
#include "command_registry.h"
#include "core/store/run_reader.h"
#include "core/store/sqlite_db.h"

#include <sqlite3.h>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_check {
namespace {

const char kUsage[] = R"(usage: collapipe check [--db DB]

Checks every page of the run database (SQLite PRAGMA integrity_check), read-only: prints "ok"
with the number of runs, or each problem found and how to salvage what is readable
(sqlite3 DB .recover). Every command that writes checks the file (quick_check) before it
appends to it, and refuses a damaged one.
exit codes: 0 ok, 1 the file is damaged (also when the damage stops the first read, e.g. a
truncated file), 2 bad input (database missing, not a run database, cannot be opened).
)";

/// True when SQLite reads the file as a damaged database (SQLITE_CORRUPT), as opposed to one that
/// is missing, locked, foreign or not SQLite at all.
bool isDamagedDatabase(const QString &path)
{
    SqliteDb raw;
    QString ignored;
    if (!raw.open(path, SqliteDb::Mode::ReadOnly, 0, &ignored)) {
        return false;
    }
    return !raw.exec("PRAGMA user_version", &ignored)
        && (raw.lastExecFailure() & 0xff) == SQLITE_CORRUPT;
}

int runCheck(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    addCommonOptions(&parser);
    if (!parseArgs(&parser, QStringLiteral("check"), args, err)) {
        return ExitBadInput;
    }
    if (helpRequested(parser)) {
        out << kUsage;
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "collapipe check: unexpected argument '" << parser.positionalArguments().first()
            << "' (see collapipe check --help)\n";
        return ExitBadInput;
    }
    QString path = parser.value(QStringLiteral("db"));
    QString error;
    if (path.isEmpty()) {
        path = RunStore::defaultPath(&error);
        if (path.isEmpty()) {
            err << "collapipe check: " << error << '\n';
            return ExitBadInput;
        }
    }
    StoreOptions options;
    options.readOnly = true;
    options.checkOnOpen = false; // the full check below lists every problem, not the first 10
    std::unique_ptr<RunStore> store = RunStore::open(path, &error, options);
    if (!store) {
        err << "collapipe check: " << error << '\n';
        // Damage that stops even the first read (a truncated file, garbage after a valid header)
        // is still damage: exit 1, as for damage the full check finds.
        return isDamagedDatabase(path) ? ExitRunFailed : ExitBadInput;
    }
    QString report;
    if (!store->integrityCheck(&report, &error)) {
        if (report.isEmpty()) { // the check itself stopped on the damage
            err << "collapipe check: " << error << '\n';
        } else {
            out << report << '\n';
            err << "collapipe check: " << path << ": the file is damaged (corrupt); "
                << salvageHint(path) << '\n';
        }
        return ExitRunFailed;
    }
    std::vector<RunInfo> runs;
    if (!RunReader(store.get()).listRuns(&runs, &error)) {
        err << "collapipe check: " << error << '\n';
        return ExitRunFailed;
    }
    out << "ok: " << path << " (" << runs.size() << " runs)\n";
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("check"),
    QStringLiteral("check the run database for damage (integrity check)"), runCheck);

} // namespace
} // namespace collapipe::cli::verb_check
