// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment.h"

#include <QByteArrayList>
#include <QString>
#include <QStringList>

#include <vector>

/// Experiment JSON on tests/cli_run/data/tiny.json and problem text, for the file tests
/// (tst_experiment_file, tst_experiment_problems).
namespace collapipe::testing {

inline const QString kExperimentDataDir
    = QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/cli_run/data");

/// An experiment on tests/cli_run/data/tiny.json with `extra` keys added to the top level.
inline QByteArray experiment(const QByteArray &extra)
{
    QByteArray json = R"({"experiment_version": 1, "scenario": "tiny.json")";
    if (!extra.isEmpty()) {
        json += ", " + extra;
    }
    return json + '}';
}

/// "a, a+1, ..., a+n-1" as JSON numbers.
inline QByteArray numbers(double first, int n)
{
    QByteArrayList list;
    for (int i = 0; i < n; ++i) {
        list << QByteArray::number(first + i, 'g', 17);
    }
    return list.join(", ");
}

/// The problems, one line each.
inline QString joined(const std::vector<ExperimentProblem> &problems)
{
    QStringList lines;
    for (const ExperimentProblem &p : problems) {
        lines << p.toString();
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace collapipe::testing
