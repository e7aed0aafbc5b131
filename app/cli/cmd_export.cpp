// SPDX-License-Identifier: MIT
// `collapipe export ID --format csv|json [--table rounds|clusters|devices|events] [--db DB]
// [-o FILE]`: one table of a stored run (issue [5/6]).
#include "cli_args.h"
#include "cli_files.h"
#include "cli_run_engine.h"
#include "command_registry.h"
#include "core/store/run_export.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

// A namespace of its own: the CLI is a unity build, and every verb has its own kUsage and registrar.
namespace collapipe::cli::verb_export {
namespace {

const char kUsage[] = R"(usage: collapipe export ID --format csv|json [options]

Writes one table of a stored run. Numbers are written in the shortest form that reads back to
the same double, so the export round-trips exactly; "not measured" is an empty CSV field or null.
  --format csv|json    output format (required)
  --table T            rounds (default; one row per round), clusters, devices (one row per round
                       and device: decision, memory, energy, queue, link), events (the timeline)
  -o, --output FILE    write to FILE instead of stdout (-o - is stdout). Regular files only
                       (devices, FIFOs, folders, read-only files (no write permission bit, also for
                       root) and the run database itself are refused); the
                       file is replaced only once the whole export is written, so on any failure
                       (disk full) it is left unchanged. A run without rows gives a header-only
                       CSV or a JSON document with "rows": [].
  --db DB              run database (opened read-only)
  (also accepted: --run ID instead of the positional ID)
exit codes: 0 ok, 1 the export could not be written (disk full, ...; the OS reason is printed),
2 bad input (no such run, bad option, database problems, refused -o target).
)";

bool sameFile(const struct stat &a, const QString &path)
{
    struct stat b = {};
    return ::stat(QFile::encodeName(path).constData(), &b) == 0 && a.st_dev == b.st_dev
        && a.st_ino == b.st_ino;
}

/// Export writes regular files only, and never the run database or its companions (exporting
/// onto the store would destroy every run). Compared by device and inode when the target exists
/// (symlinks and hard links included), else by canonical path.
bool checkExportTarget(const QString &output, const QString &dbPath, QString *error)
{
    const char *const companions[] = {"", "-wal", "-shm", "-journal"};
    struct stat target = {};
    if (::stat(QFile::encodeName(output).constData(), &target) == 0) {
        if (!S_ISDIR(target.st_mode) && !S_ISREG(target.st_mode)) {
            *error = QStringLiteral("%1: not a regular file (a device, FIFO or socket); export "
                                    "replaces regular files only (for stdout, give no -o or -o -)")
                         .arg(output);
            return false;
        }
        if (!checkReplaceableFile(output, error)) {
            return false;
        }
        for (const char *suffix : companions) {
            if (sameFile(target, dbPath + QLatin1String(suffix))) {
                *error = QStringLiteral("%1: is the run database %2 (or its -wal/-shm file); "
                                        "choose another file")
                             .arg(output, dbPath);
                return false;
            }
        }
        return true;
    }
    if (!checkReplaceableFile(output, error)) { // a new file in a write-protected folder
        return false;
    }
    const QFileInfo info(output);
    const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
    const QString canonicalDb = QFileInfo(dbPath).canonicalFilePath();
    if (!folder.isEmpty() && !canonicalDb.isEmpty()) {
        const QString target = QDir(folder).filePath(info.fileName());
        for (const char *suffix : companions) {
            if (target == canonicalDb + QLatin1String(suffix)) {
                *error = QStringLiteral("%1: is the run database's own %2 file; choose another "
                                        "file")
                             .arg(output, QLatin1String(*suffix ? suffix + 1 : "main"));
                return false;
            }
        }
    }
    return true;
}

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
    if (output.isEmpty() || output == QLatin1String("-")) {
        QFile stdoutFile;
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly)) {
            err << "collapipe export: cannot write to stdout: " << stdoutFile.errorString() << '\n';
            return ExitRunFailed;
        }
        const std::int64_t rows = exportRun(store.get(), id, table, fmt, &stdoutFile, &error);
        if (rows < 0) {
            err << "collapipe export: " << error << '\n';
            return rows == kOutputFailed ? ExitRunFailed : ExitBadInput;
        }
        if (!stdoutFile.flush() || std::fflush(stdout) != 0 || std::ferror(stdout)) {
            err << "collapipe export: cannot write to stdout: " << std::strerror(errno) << '\n';
            return ExitRunFailed;
        }
        return ExitOk;
    }
    if (!checkExportTarget(output, store->path(), &error)) {
        err << "collapipe export: " << error << '\n';
        return ExitBadInput;
    }
    // QSaveFile writes a temporary file next to the target and renames it over the target only
    // when everything was written: on any failure the target is left as it was.
    QSaveFile file(output);
    if (!file.open(QIODevice::WriteOnly)) {
        err << "collapipe export: " << output << ": cannot write: " << file.errorString() << '\n';
        return ExitRunFailed;
    }
    const std::int64_t rows = exportRun(store.get(), id, table, fmt, &file, &error);
    if (rows < 0) {
        const bool writeFailed = rows == kOutputFailed;
        file.cancelWriting();
        err << "collapipe export: " << error << (writeFailed ? QStringLiteral("; ") : QString())
            << (writeFailed ? output + QStringLiteral(" is unchanged") : QString()) << '\n';
        return writeFailed ? ExitRunFailed : ExitBadInput;
    }
    errno = 0;
    if (!file.commit()) {
        const int osError = errno;
        QString reason = file.errorString();
        if (osError != 0 && reason == QLatin1String("Unknown error")) {
            reason = QString::fromLocal8Bit(std::strerror(osError));
        }
        err << "collapipe export: " << output << ": cannot write the export (" << reason << "); "
            << output << " is unchanged\n";
        return ExitRunFailed;
    }
    err << "collapipe export: " << rows << " rows of " << exportTableName(table) << " of run " << id
        << " -> " << output << '\n';
    return ExitOk;
}

const CommandRegistrar registrar(QStringLiteral("export"),
    QStringLiteral("export a stored run's table as CSV or JSON"), runExport);

} // namespace
} // namespace collapipe::cli::verb_export
