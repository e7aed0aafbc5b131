// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/sim/step_round.h"
#include "core/types/round_record.h"
#include "core/types/shared_round.h"

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
    bool recordEvents = true; ///< timeline events for each round (Gantt, store)
    /// Store those events with the run (off: the live Gantt still draws each round, the stored
    /// run has no timeline, as `collapipe run --events off`; ~75,000 rows a round at 1,000 devices).
    /// Off, a cost-only round's record has no events: the engine keeps what they are built from
    /// (StampedRound::timeline) and the Gantt builds them only for the rounds it draws
    /// (RunController::withTimeline()).
    bool storeEvents = true;
};

/// One finished round as the run worker hands it to the GUI thread: the record and the engine's
/// own timestamp of it, so the rate shown is the engine's, however late the GUI gets it. The
/// record is shared: the GUI thread's views hold it without copying its timeline.
struct StampedRound
{
    SharedRound record;
    double engineS = 0.0; ///< wall seconds from the run's begin (after init) to this round's end
    /// Set when the record's events were left to be built on demand (roundEvents()).
    std::shared_ptr<const RoundTimelineInputs> timeline;
};

/// Progress of the current run as the run panel shows it.
struct RunProgress
{
    int roundsDone = 0;
    int roundsPlanned = 0;
    /// Engine rounds per wall second over the last few seconds of the engine's own timestamps
    /// (StampedRound::engineS), not of when the GUI received them.
    double roundsPerSecond = 0.0;
    double engineS = 0.0;  ///< engine wall time of the last round since the run began
    double simTimeS = 0.0; ///< simulated clock
    double etaS = -1.0;    ///< wall-clock seconds left; −1 unknown
    bool paused = false;   ///< no rate and no ETA while paused: nothing runs
};

} // namespace collapipe
