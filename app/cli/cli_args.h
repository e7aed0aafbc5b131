// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <cstdint>

/// Argument parsing shared by the run-store verbs: one QCommandLineParser per verb with --help
/// and --db, and checked number parsing whose errors name the option and the value.
namespace collapipe::cli {

/// Adds --help/-h and --db DB to `parser`.
void addCommonOptions(QCommandLineParser *parser);

/// Parses `args` (the words after the verb). On an unknown option or a missing value prints the
/// error and a hint to `err` and returns false.
bool parseArgs(
    QCommandLineParser *parser, const QString &verb, const QStringList &args, QTextStream &err);

/// True when --help was given (the caller prints its usage and returns ExitOk).
bool helpRequested(const QCommandLineParser &parser);

/// A run id ≥ 1. False + message naming the argument.
bool parseRunId(const QString &text, std::int64_t *id, QString *error);

/// An integer within [min, max]. False + message "--rounds: expected ... (got 'x')".
bool parseInt(
    const QString &option, const QString &text, int min, int max, int *out, QString *error);

/// "on"/"off" (also true/false, yes/no, 1/0).
bool parseOnOff(const QString &option, const QString &text, bool *out, QString *error);

} // namespace collapipe::cli
