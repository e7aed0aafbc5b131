// SPDX-License-Identifier: MIT
#pragma once

#include "tests/sanitizer_build.h"

#include <QProcess>
#include <QString>
#include <QStringList>

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
