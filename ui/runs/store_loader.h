// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"
#include "core/store/run_compare.h"
#include "core/store/run_info.h"
#include "core/types/round_record.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <vector>

class QThread;

namespace collapipe {

class RunStore;

/// One row of the runs browser: a run and its key results.
struct RunListEntry
{
    RunInfo info;
    RunSummary summary;
    QString schedule; ///< optimizer.schedule of the stored scenario
};

/// What a read returned: ok, or an error naming the database (and the run).
struct StoreReadStatus
{
    bool ok = false;
    QString error;
};

struct RunsListing : StoreReadStatus
{
    std::vector<RunListEntry> runs;
};

struct ReplayData : StoreReadStatus
{
    qint64 runId = 0;
    RunInfo info;
    std::vector<RoundRecord> rounds; ///< with clusters and devices; events come per round
    QString scenarioJson;
};

struct ReplayEvents : StoreReadStatus
{
    qint64 runId = 0;
    int round = 0;
    std::vector<TimelineEvent> events;
};

struct CompareData : StoreReadStatus
{
    RunComparison comparison;
    std::vector<std::vector<RoundRecord>> rounds; ///< per run, scalars only
};

struct ExperimentPointsData : StoreReadStatus
{
    QString experimentId;
    std::vector<StoredPoint> points; ///< completed, index order (experiment_stored_points.h)
};

/// The Studio's store access off the UI thread (issue [3/7]; architecture.md: "the UI never
/// waits"). Every call returns at once; the work runs on this loader's own thread, which opens
/// the database itself, and the result comes back by a queued call of `done` on the loader's
/// (the UI) thread. A CLI holding the file's lock therefore delays a result (up to the busy
/// timeout, then an error) but never freezes the window.
///
/// Reads open the file read-only: they never create, migrate, recover interrupted runs or write
/// anything. Rename and delete are the only writes, and they run on the same thread.
/// Requests run one at a time in the order made; a result whose requester is gone is dropped
/// (the callback's context object).
class StoreLoader : public QObject
{
    Q_OBJECT

public:
    explicit StoreLoader(QObject *parent = nullptr);
    /// Waits for the request in progress (at most the busy timeout), then stops the thread.
    ~StoreLoader() override;

    /// The process-wide loader the runs browser, replay and compare share (one reader thread).
    static StoreLoader *instance();

    void listRuns(const QString &dbPath, QObject *context, std::function<void(RunsListing)> done);
    void loadReplay(const QString &dbPath, qint64 runId, QObject *context,
        std::function<void(ReplayData)> done);
    void loadEvents(const QString &dbPath, qint64 runId, int round, QObject *context,
        std::function<void(ReplayEvents)> done);
    void loadComparison(const QString &dbPath, const QList<qint64> &runIds,
        const CompareOptions &options, QObject *context, std::function<void(CompareData)> done);
    /// The completed points of an experiment, read as `collapipe report` reads them.
    void loadExperimentPoints(const QString &dbPath, const QString &experimentId, QObject *context,
        std::function<void(ExperimentPointsData)> done);
    /// Writes (the user's own edits): a writable open, so a run a dead writer left `running` is
    /// marked interrupted as any writer does.
    void renameRun(const QString &dbPath, qint64 runId, const QString &name, QObject *context,
        std::function<void(StoreReadStatus)> done);
    void deleteRun(const QString &dbPath, qint64 runId, QObject *context,
        std::function<void(StoreReadStatus)> done);

    /// Requests made and not yet delivered (tests wait for 0).
    int pending() const { return m_pending; }

private:
    template <typename Result>
    void post(QObject *context, std::function<Result()> work, std::function<void(Result)> done);

    QThread *m_thread;
    QObject *m_worker; ///< lives on m_thread: the target of queued work
    int m_pending = 0;
};

/// The synchronous reads behind StoreLoader (run on its thread; tests may call them directly).
RunsListing readRunsListing(const QString &dbPath);
ReplayData readReplay(const QString &dbPath, qint64 runId);
ReplayEvents readRoundEvents(const QString &dbPath, qint64 runId, int round);
CompareData readComparison(
    const QString &dbPath, const QList<qint64> &runIds, const CompareOptions &options);
ExperimentPointsData readExperimentPoints(const QString &dbPath, const QString &experimentId);

} // namespace collapipe
