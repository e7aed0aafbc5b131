// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment.h"
#include "core/types/round_record.h"
#include "core/types/run_status.h"

#include <QSet>
#include <QString>

#include <cstdint>
#include <vector>

/// Runs an experiment's points as stored runs (issue [5/7]): each point through the same
/// StoredRun a `collapipe run` uses, tagged with the experiment id, its fingerprint, index and
/// coordinates; on a pool of worker threads, each with its own connection to the one database.
/// Cost-only points are cheap and many: they run back to back inside this process (no process
/// per point); trained points run up to `jobs` at a time. What a kill loses is only the rounds
/// not yet committed: a point is done when its run is stored `completed`, and a rerun skips it.
namespace collapipe {

class RunControl;
class RunStore;

struct ExperimentRunOptions
{
    int jobs = 1;         ///< worker threads (>= 1)
    QString name;         ///< the experiment's name, first part of each run's name
    QString experimentId; ///< experimentId() of the whole experiment (not of one shard)
    QString version;      ///< program version stored with each run
    bool storeEvents = false;
};

/// How one point ended.
struct PointOutcome
{
    bool started = false; ///< false: the session or the run row could not be made
    SessionStatus status = SessionStatus::Failed;
    QString message;
    std::int64_t runId = 0;
    /// The run row could not be written (the database is locked, read-only, full, ...): the
    /// database's problem, not the point's, so the runner starts no further point.
    bool storeFailed = false;
};

/// Reports from the workers. Calls come from worker threads but never two at once (the runner
/// serialises them), so an implementation needs no lock of its own.
class ExperimentObserver
{
public:
    virtual ~ExperimentObserver() = default;
    virtual void roundFinished(const RoundRecord &record) { Q_UNUSED(record); }
    virtual void pointFinished(const ExperimentPoint &point, const PointOutcome &outcome)
    {
        Q_UNUSED(point);
        Q_UNUSED(outcome);
    }
    virtual void log(const QString &line) { Q_UNUSED(line); }
};

struct ExperimentRunSummary
{
    int completed = 0;
    int failed = 0;  ///< includes points that could not start (notStarted among them)
    int stopped = 0; ///< stopped by the control, plus points never started because of a stop
    /// Points never started because the database refused a run row (storeError says why);
    /// counted in `failed` too, and not reported one by one to the observer.
    int notStarted = 0;
    QString storeError; ///< the first run row the database refused; empty when none was
};

/// The run name of a point: "<experiment> · <coordinates> · <policy> · seed N".
QString experimentRunName(const QString &experimentName, const ExperimentPoint &point);

/// Fingerprints of experiment `experimentId`'s points stored `completed` in `store`.
bool completedPointFingerprints(
    RunStore *store, const QString &experimentId, QSet<QString> *fingerprints, QString *error);

/// What resuming an experiment in a database found (planResume).
struct ResumePlan
{
    std::vector<ExperimentPoint> pending; ///< still to run, in the given order
    int done = 0;   ///< points stored `completed` under this experiment id already
    int reused = 0; ///< points whose scenario another experiment's completed run computed: copied
};

/// Which of `points` still need a run in `store`, for resume. A point is done when its
/// fingerprint has a `completed` run of this experiment (options.experimentId). A point whose
/// fingerprint has a `completed` run of another experiment in the same database (the file was
/// edited: a seed, an axis value or a policy added, which changes the experiment id) has its
/// result already: the fingerprint hashes the point's whole scenario, and a run is a function of
/// its scenario. That run (the newest) is copied under this experiment, tagged with the point's
/// id, index and coordinates and named as this experiment names it, its rounds bit for bit and a
/// message naming the original run, so every reader of the experiment's runs (report, Studio,
/// merge) finds the point without running it again. `pending` gets the rest. False + message
/// on a store error (copies made before it stay: a resume picks them up as done).
bool planResume(RunStore *store, const std::vector<ExperimentPoint> &points,
    const ExperimentRunOptions &options, ResumePlan *plan, QString *error);

/// Runs every point of `points` into the database file `dbPath` (which must exist: the caller
/// opened it once, so schema, migration and recovery are done). Workers stop taking points once
/// `control` asks to stop (Ctrl-C, SIGTERM); runs in progress stop after their round and are
/// stored `stopped`. Once the database refuses a point's run row (locked by another writer past
/// the busy timeout, read-only, full) no further point starts: the rest would each wait and fail
/// the same way. A worker that cannot open its own connection (e.g. out of file descriptors at
/// a large `jobs`) or whose thread cannot be started leaves its points to the others; only when
/// no worker has a connection do the points fail, with the reason. `control` and `observer` may
/// be null.
ExperimentRunSummary runExperimentPoints(const QString &dbPath,
    const std::vector<ExperimentPoint> &points, const ExperimentRunOptions &options,
    RunControl *control, ExperimentObserver *observer);

} // namespace collapipe
