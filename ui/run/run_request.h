// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/types/round_record.h"

#include <QString>

namespace collapipe {

/// Everything the run worker needs to start a run; copied into the worker thread. Qt 6 registers
/// these value types for queued signals from the moc'd signatures (no Q_DECLARE_METATYPE).
struct RunRequest
{
    Scenario scenario;        ///< with the run panel's policy, V, rounds, seed, schedule, training
    QString dbPath;           ///< the SQLite run store; empty = do not store the run
    QString scenarioPath;     ///< the document's file; names the run (storedRunName())
    QString runName;          ///< runs.name; empty = storedRunName(scenarioPath, scenario)
    QString version;          ///< program version stored with the run
    int roundDelayMs = 0;     ///< Watch mode: pause between rounds so each one can be looked at
    bool recordEvents = true; ///< timeline events in each record (Gantt, store)
};

/// Progress of the current run as the run panel shows it.
struct RunProgress
{
    int roundsDone = 0;
    int roundsPlanned = 0;
    double roundsPerSecond = 0.0; ///< wall clock, over the last few seconds
    double simTimeS = 0.0;        ///< simulated clock
    double etaS = -1.0;           ///< wall-clock seconds left; −1 unknown
    bool paused = false;          ///< no rate and no ETA while paused: nothing runs
};

} // namespace collapipe
