// SPDX-License-Identifier: MIT
#pragma once

#include "tests/sanitizer_build.h"

#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <sys/stat.h>

/// Runs the real `collapipe` binary for the CLI tests.
namespace collapipe::testing {

struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
    bool crashed = false;
};

inline QString collapipeBinary()
{
    return QStringLiteral(COLLAPIPE_BINARY_DIR "/app/collapipe");
}

inline QString tinyScenarioPath()
{
    return QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/cli_run/data/tiny.json");
}

/// `collapipe run` of tiny.json into `db`: `rounds` cost-only rounds, quiet.
inline QStringList tinyRun(const QString &db, int rounds)
{
    return {QStringLiteral("run"), tinyScenarioPath(), QStringLiteral("--db"), db,
        QStringLiteral("--rounds"), QString::number(rounds), QStringLiteral("--train"),
        QStringLiteral("off"), QStringLiteral("--quiet")};
}

/// `collapipe export` of run `id`'s `table` as `format` to `output`.
inline QStringList exportArgs(const QString &db, const QString &table, const QString &format,
    const QString &output, const QString &id = QStringLiteral("1"))
{
    return {QStringLiteral("export"), id, QStringLiteral("--db"), db, QStringLiteral("--table"),
        table, QStringLiteral("--format"), format, QStringLiteral("-o"), output};
}

/// True when `path` is a FIFO (not followed if a symlink).
inline bool isFifo(const QString &path)
{
    struct stat st = {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISFIFO(st.st_mode);
}

/// `timeoutMs` is for a Release build; sanitizer builds allow test::kSlowdown times as long.
/// Waits for a started `process` and collects its exit and output (killed at the timeout).
inline CliResult finishCli(QProcess &process, int timeoutMs = 60000)
{
    CliResult result;
    if (!process.waitForFinished(timeoutMs * test::kSlowdown)) {
        process.kill();
        process.waitForFinished();
        result.crashed = true;
    }
    result.crashed = result.crashed || process.exitStatus() != QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

inline CliResult runCli(const QStringList &args, int timeoutMs = 60000)
{
    QProcess process;
    process.start(collapipeBinary(), args);
    return finishCli(process, timeoutMs);
}

/// "exit 2; stdout: ...; stderr: ..." for failure messages.
inline QByteArray describe(const CliResult &r)
{
    return QStringLiteral("exit %1%2\nstdout: %3\nstderr: %4")
        .arg(r.exitCode)
        .arg(r.crashed ? QStringLiteral(" (crashed/timeout)") : QString())
        .arg(r.out.left(2000), r.err.left(2000))
        .toUtf8();
}

} // namespace collapipe::testing
