// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <map>

namespace collapipe::cli {

/// Exit codes every verb uses (architecture.md "Interfaces a user relies on").
enum ExitCode : int {
    ExitOk = 0,
    ExitRunFailed = 1,
    ExitBadInput = 2
};

/// One CLI verb. `run` gets the arguments after the verb and returns an ExitCode.
struct Command
{
    QString summary; ///< one line for `collapipe --help`
    std::function<int(const QStringList &args)> run;
    /// Draws figures (QCustomPlot widgets): main() makes a QApplication, headless, for it.
    bool drawsFigures = false;
};

/// Verbs register themselves from their own file, so adding one touches no shared file.
std::map<QString, Command> &commandRegistry();

struct CommandRegistrar
{
    CommandRegistrar(const QString &verb, const QString &summary,
        std::function<int(const QStringList &)> run, bool drawsFigures = false)
    {
        commandRegistry()[verb] = Command{summary, std::move(run), drawsFigures};
    }
};

} // namespace collapipe::cli
