// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/sim/session_observer.h"
#include "core/store/run_store.h"

#include <QString>
#include <QTextStream>

#include <cstdint>
#include <memory>

/// Running a scenario as a stored run: the part `run` and `sweep` share.
namespace collapipe::cli {

/// Ctrl-C / SIGTERM ask the current run to stop after the round (or micro-batch) in progress:
/// committed rounds are kept and the run is stored as `stopped`.
void installStopSignals();
bool stopSignalled();

/// Opens `dbArg`, or the default QStandardPaths::AppDataLocation/runs.sqlite when empty (creating
/// its folder). `writer` false (the reading verbs runs, show, export, compare, check) opens the
/// file read-only: a missing file is refused instead of created at a mistyped path, nothing is
/// ever written (no recovery: runs whose writer is gone are only reported as interrupted), and a
/// read-only file or folder can be read. nullptr + message naming the file on failure.
std::unique_ptr<RunStore> openStore(const QString &dbArg, QString *error, bool writer = true);

struct ExecuteOptions
{
    QString name;         ///< stored run name
    bool events = true;   ///< store every round's timeline
    bool progress = true; ///< progress bar / status lines
    QString version;      ///< program version stored with the run
};

struct ExecuteResult
{
    bool started = false; ///< false: bad input before any round (init or store failure)
    SessionStatus status = SessionStatus::Failed;
    QString message;
    std::int64_t runId = 0;
    int rounds = 0;
};

/// Initialises a Session for `scenario`, creates the run row, runs every round with progress,
/// stores each round (batched) and the final status. Errors before the run starts (invalid
/// scenario, unknown policy, missing dataset, locked/read-only database) give started = false.
ExecuteResult executeRun(
    RunStore *store, const Scenario &scenario, const ExecuteOptions &options, QTextStream &out);

/// The exit code for a result: 0 completed, 1 failed or stopped, 2 bad input.
int exitCodeFor(const ExecuteResult &result);

/// Prints the run's final summary (rounds, mean latency, energy, final loss/accuracy, id, db).
void printRunSummary(RunStore *store, const ExecuteResult &result, QTextStream &out);

} // namespace collapipe::cli
