// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "tests/store/record_equal.h"

#include <QString>

#include <cmath>
#include <map>
#include <memory>
#include <vector>

/// The experiment databases of the CLI tests, and the one comparison of a merged (sharded) run
/// with a one-process run that tst_experiment_cli and tst_experiment_slurm both rely on.
namespace collapipe::testing {

inline std::unique_ptr<RunStore> openForReading(const QString &path, QString *error)
{
    StoreOptions options;
    options.readOnly = true;
    options.checkOnOpen = false;
    return RunStore::open(path, error, options);
}

/// Every run of an experiment in `path`, by fingerprint (several per point: interrupted + rerun).
inline std::multimap<QString, RunInfo> runsByPoint(const QString &path)
{
    QString error;
    std::multimap<QString, RunInfo> byPoint;
    std::unique_ptr<RunStore> store = openForReading(path, &error);
    std::vector<RunInfo> runs;
    if (!store || !RunReader(store.get()).listRuns(&runs, &error)) {
        qWarning("%s", qPrintable(error));
        return byPoint;
    }
    for (const RunInfo &run : runs) {
        byPoint.emplace(run.point.fingerprint, run);
    }
    return byPoint;
}

/// What both databases must hold.
struct ExpectedExperimentRuns
{
    std::size_t points = 0; ///< runs in each database, one per point
    std::size_t rounds = 0; ///< rounds of every run
    bool events = false;    ///< every round has its timeline stored
    bool trained = false;   ///< every round has a finite loss
};

/// Empty when `actualPath` holds the same experiment runs as `expectedPath`, point for point:
/// each point once and completed, with the same index, coordinates and name, and every round
/// bit for bit (firstDifference with clusters, devices and events), except the decision's wall
/// time, which is measured, not computed. Else the first difference, naming the point.
inline QString experimentRunsDiffer(
    const QString &expectedPath, const QString &actualPath, const ExpectedExperimentRuns &expect)
{
    const std::multimap<QString, RunInfo> expected = runsByPoint(expectedPath);
    const std::multimap<QString, RunInfo> actual = runsByPoint(actualPath);
    for (const auto &[path, runs] : {std::pair{expectedPath, &expected}, {actualPath, &actual}}) {
        if (runs->size() != expect.points) {
            return QStringLiteral("%1: %2 runs, expected %3")
                .arg(path)
                .arg(runs->size())
                .arg(expect.points);
        }
    }
    QString error;
    std::unique_ptr<RunStore> expectedStore = openForReading(expectedPath, &error);
    std::unique_ptr<RunStore> actualStore
        = expectedStore ? openForReading(actualPath, &error) : nullptr;
    if (!actualStore) {
        return error;
    }
    for (const auto &[fingerprint, want] : expected) {
        const QString where
            = QStringLiteral("point %1 (%2)").arg(want.point.index).arg(fingerprint);
        if (actual.count(fingerprint) != 1) {
            return QStringLiteral("%1: %2 runs in %3, expected 1")
                .arg(where)
                .arg(actual.count(fingerprint))
                .arg(actualPath);
        }
        const RunInfo &got = actual.find(fingerprint)->second;
        if (want.status != RunStatus::Completed || got.status != RunStatus::Completed) {
            return QStringLiteral("%1: status %2 and %3, expected completed")
                .arg(where, runStatusName(want.status), runStatusName(got.status));
        }
        if (got.point.experimentId != want.point.experimentId || got.point.index != want.point.index
            || got.point.coordinatesJson != want.point.coordinatesJson || got.name != want.name) {
            return QStringLiteral("%1: stored as experiment %2 point %3 %4 '%5', expected "
                                  "experiment %6 point %7 %8 '%9'")
                .arg(where, got.point.experimentId)
                .arg(got.point.index)
                .arg(got.point.coordinatesJson, got.name, want.point.experimentId)
                .arg(want.point.index)
                .arg(want.point.coordinatesJson, want.name);
        }
        std::vector<RoundRecord> a;
        std::vector<RoundRecord> b;
        if (!RunReader(expectedStore.get()).rounds(want.id, &a, &error, RoundEverything)
            || !RunReader(actualStore.get()).rounds(got.id, &b, &error, RoundEverything)) {
            return error;
        }
        if (a.size() != expect.rounds || b.size() != expect.rounds) {
            return QStringLiteral("%1: %2 and %3 rounds, expected %4")
                .arg(where)
                .arg(a.size())
                .arg(b.size())
                .arg(expect.rounds);
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (expect.events && a[i].events.empty()) {
                return QStringLiteral("%1 round %2: no events stored").arg(where).arg(i);
            }
            if (expect.trained && !std::isfinite(a[i].loss)) {
                return QStringLiteral("%1 round %2: loss %3").arg(where).arg(i).arg(a[i].loss);
            }
            a[i].decisionTimeS = b[i].decisionTimeS = 0;
            const QString difference = firstDifference(a[i], b[i]);
            if (!difference.isEmpty()) {
                return QStringLiteral("%1 round %2: %3").arg(where).arg(i).arg(difference);
            }
        }
    }
    return QString();
}

} // namespace collapipe::testing
