// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/sim/session_observer.h"
#include "core/store/run_info.h"
#include "core/store/run_store.h"

#include <QString>
#include <QTextStream>

#include <cstdint>
#include <memory>

/// Running a scenario as a stored run: the part `run` and `sweep` share.
namespace collapipe {
class RunReader;
class Session;
} // namespace collapipe

namespace collapipe::cli {

/// Opens `dbArg`, or the default QStandardPaths::AppDataLocation/runs.sqlite when empty (creating
/// its folder). `writer` false (the reading verbs runs, show, export, compare, check) opens the
/// file read-only: a missing file is refused instead of created at a mistyped path, nothing is
/// ever written (no recovery: runs whose writer is gone are only reported as interrupted), and a
/// read-only file or folder can be read. nullptr + message naming the file on failure.
std::unique_ptr<RunStore> openStore(const QString &dbArg, QString *error, bool writer = true);

struct ExecuteOptions
{
    QString name;         ///< stored run name (storedRunName(), or the sweep's label)
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

/// A Session initialised for `scenario`: validated, policy made, dataset loaded and model built.
/// Everything that can be refused as bad input is refused here, so a verb calls this BEFORE it
/// opens (or creates) the run database (issue [2/7]: `run --policy foo` leaves no file behind).
/// nullptr + message naming the field, policy or dataset on failure.
std::unique_ptr<Session> prepareSession(
    const Scenario &scenario, const ExecuteOptions &options, QString *error);

/// Runs a prepared session as a StoredRun (core/sim/stored_run.h: run row, every round, the
/// final status by its rules) with progress; Ctrl-C / SIGTERM stop it after the round or
/// micro-batch in progress (stored as stopped). A store failure before the first round gives
/// started = false.
ExecuteResult executeRun(
    RunStore *store, Session *session, const ExecuteOptions &options, QTextStream &out);

/// prepareSession() then executeRun(); an init error gives started = false.
ExecuteResult executeRun(
    RunStore *store, const Scenario &scenario, const ExecuteOptions &options, QTextStream &out);

/// The exit code for a result: 0 completed, 1 failed or stopped, 2 bad input.
int exitCodeFor(const ExecuteResult &result);

/// Prints the run's final summary (rounds, mean latency, energy, final loss/accuracy, id, db).
void printRunSummary(RunStore *store, const ExecuteResult &result, QTextStream &out);
/// The summary's lines about clusters left out of FedAvg (core/MODEL.md "Churn", "Deadline"):
/// how many cluster-rounds sat out or missed the deadline, and why clusters sat rounds out (one
/// line per cluster and reason, the reason's first line). Nothing when every cluster took part.
void printChurnSummary(
    RunReader *reader, std::int64_t id, const RunSummary &summary, QTextStream &out);

} // namespace collapipe::cli
