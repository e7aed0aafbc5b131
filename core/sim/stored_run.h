// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/sim/session_observer.h"
#include "core/store/run_info.h"
#include "core/types/round_record.h"

#include <QString>

#include <cstdint>
#include <memory>

/// The one glue between a Session and the run store (issue [3/7] "the plumbing"; architecture.md
/// "core/sim"): the CLI (`run`, `sweep`), the Studio's RunWorker and the fingerprint tests all
/// run a stored run through this class, so the status rules and the run name exist once.
namespace collapipe {

class RunControl;
class RunStore;
class RunWriter;
class Session;

/// The stored name of a run: "<scenario file stem> · <policy> · seed N", e.g.
/// "default · dssda · seed 1". `scenarioPath` empty (an unsaved Studio document) uses
/// Scenario::name, or "untitled" when that is empty too. CLI and Studio both call this.
QString storedRunName(const QString &scenarioPath, const Scenario &scenario);

/// What the store gets with the run row besides the scenario.
struct StoredRunOptions
{
    QString name;                  ///< runs.name (normally storedRunName())
    QString version;               ///< program version stored with the run
    bool storeEvents = true;       ///< store every round's timeline events
    ExperimentPointTag point = {}; ///< the experiment point this run computes (empty: a plain run)
};

/// Status rules (stored in runs.status, reported by finish()):
/// - completed: every planned round ran and every one of them is committed to the database;
/// - failed: a round could not be computed, or a round or the status could not be stored; the
///   message names the round and the reason;
/// - stopped: the RunControl (or the observer) asked to stop; committed rounds are kept;
/// - interrupted: the process ended without finish() (killed, crashed); the RunWriter's
///   destructor or the next writer that opens the store marks it.
///
/// Threads: everything runs on the thread that runs the session, except the RunControl's
/// request*() calls. With a null store the rounds are computed and reported but not stored.
class StoredRun
{
public:
    /// Borrows all three (they must outlive this object); `store` and `control` may be null.
    StoredRun(Session *session, RunStore *store, RunControl *control);
    /// A run begun and not finished stays as the writer leaves it: interrupted.
    ~StoredRun();
    StoredRun(const StoredRun &) = delete;
    StoredRun &operator=(const StoredRun &) = delete;

    /// Inserts the run row (status running). False + message naming the database when it cannot
    /// be written; a database the front end created for this run is then removed again, so bad
    /// input leaves no file behind (issue [2/7] item 14).
    bool begin(const StoredRunOptions &options, QString *error);

    /// Computes one round now (pause is the caller's business; a stop is honoured) and stores
    /// it. True when a round was computed (`record` holds it, may be null); the run may be over
    /// afterwards (isFinished(): all rounds done, or the round could not be stored). False when
    /// no round was computed: the run is over (stopped or failed, see status()/message()).
    bool step(RoundRecord *record = nullptr);

    /// Runs rounds until the run is over, waiting on the RunControl between rounds (pause,
    /// step, stop). Returns the final status (also status()).
    SessionStatus runRounds();

    /// Ends the run now as Stopped with the standard message ("stopped after N of M rounds", or
    /// "stopped by a signal after ..." when SIGINT/SIGTERM asked): the Studio's stop button.
    void stop();
    /// Ends the run with `status` and `message`: stores them (a store failure turns it into
    /// Failed with the reason), marks the session finished and tells its observer once.
    /// Does nothing when already finished.
    void finish(SessionStatus status, const QString &message);

    bool isFinished() const { return m_finished; }
    SessionStatus status() const { return m_status; }
    const QString &message() const { return m_message; }
    /// runs.id; 0 when not stored.
    std::int64_t runId() const { return m_runId; }
    Session *session() const { return m_session; }

private:
    QString stopMessage() const;

    Session *m_session;
    RunStore *m_store;
    RunControl *m_control;
    std::unique_ptr<RunWriter> m_writer;
    std::int64_t m_runId = 0;
    bool m_finished = false;
    SessionStatus m_status = SessionStatus::Failed;
    QString m_message;
};

} // namespace collapipe
