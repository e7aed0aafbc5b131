// SPDX-License-Identifier: MIT
#include "core/experiment/experiment_runner.h"

#include "core/experiment/experiment_merge.h"
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/sim/stored_run.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"

#include <QHash>
#include <QJsonDocument>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

namespace collapipe {
namespace {

/// One lock for every report, so the observer sees one call at a time.
class SerialisedObserver
{
public:
    explicit SerialisedObserver(ExperimentObserver *observer)
        : m_observer(observer)
    { }
    template <typename Fn> void call(Fn &&fn)
    {
        if (m_observer) {
            const std::lock_guard<std::mutex> lock(m_mutex);
            fn(*m_observer);
        }
    }

private:
    ExperimentObserver *m_observer;
    std::mutex m_mutex;
};

/// A point's session reports go to the experiment's observer.
class PointSessionObserver : public SessionObserver
{
public:
    explicit PointSessionObserver(SerialisedObserver *out)
        : m_out(out)
    { }
    void roundFinished(const RoundRecord &record) override
    {
        m_out->call([&](ExperimentObserver &o) { o.roundFinished(record); });
    }
    void log(const QString &line) override
    {
        m_out->call([&](ExperimentObserver &o) { o.log(line); });
    }

private:
    SerialisedObserver *m_out;
};

PointOutcome runPoint(RunStore *store, const ExperimentPoint &point,
    const ExperimentRunOptions &options, RunControl *control, SerialisedObserver *out)
{
    PointOutcome outcome;
    Session session;
    SessionOptions sessionOptions;
    sessionOptions.recordEvents = options.storeEvents;
    if (!session.init(point.scenario, &outcome.message, sessionOptions)) {
        return outcome;
    }
    StoredRun run(&session, store, control);
    StoredRunOptions runOptions;
    runOptions.name = experimentRunName(options.name, point);
    runOptions.version = options.version;
    runOptions.storeEvents = options.storeEvents;
    runOptions.point.experimentId = options.experimentId;
    runOptions.point.fingerprint = point.fingerprint;
    runOptions.point.index = point.index;
    runOptions.point.coordinatesJson
        = QString::fromUtf8(QJsonDocument(point.coordinates).toJson(QJsonDocument::Compact));
    if (!run.begin(runOptions, &outcome.message)) {
        outcome.storeFailed = true;
        return outcome;
    }
    outcome.started = true;
    outcome.runId = run.runId();
    PointSessionObserver observer(out);
    session.setObserver(&observer);
    outcome.status = run.runRounds();
    session.setObserver(nullptr);
    outcome.message = run.message();
    return outcome;
}

/// Checkpoints the workers' WAL from its own thread while they run: the workers' connections
/// never checkpoint (StoreOptions::autoCheckpoint off), so the fsyncs a checkpoint needs block
/// this thread, not a worker, and the workers' cores keep computing rounds. Measured on a
/// 48-point cost-only grid at --jobs 2: the workers made 54-64 fdatasync calls before, 15-19
/// after (a writer still syncs the WAL header when it restarts the WAL).
class Checkpointer
{
public:
    explicit Checkpointer(const QString &dbPath)
        : m_thread([this, dbPath]() { loop(dbPath); })
    { }
    ~Checkpointer()
    {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }

private:
    void loop(const QString &dbPath)
    {
        StoreOptions options;
        options.create = false;
        options.recoverInterrupted = false;
        options.checkOnOpen = false;
        QString error;
        std::unique_ptr<RunStore> store = RunStore::open(dbPath, &error, options);
        std::unique_lock<std::mutex> lock(m_mutex);
        while (!m_stop) {
            // 500 ms: the WAL stays a few MB at the fastest cost-only write rate.
            m_wake.wait_for(lock, std::chrono::milliseconds(500));
            if (store && !m_stop) {
                lock.unlock();
                store->checkpoint(&error); // a failure is retried next time; a worker's
                lock.lock();               // connection closing checkpoints at the end anyway
            }
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread; // last: started once the members it uses exist
};

} // namespace

QString experimentRunName(const QString &experimentName, const ExperimentPoint &point)
{
    QStringList parts{experimentName.isEmpty() ? QStringLiteral("experiment") : experimentName};
    if (!point.label().isEmpty()) {
        parts << point.label();
    }
    parts << point.policy() << QStringLiteral("seed %1").arg(point.seed());
    return parts.join(QStringLiteral(" · "));
}

bool completedPointFingerprints(
    RunStore *store, const QString &experimentId, QSet<QString> *fingerprints, QString *error)
{
    std::vector<RunInfo> runs;
    if (!RunReader(store).listRuns(&runs, error)) {
        return false;
    }
    for (const RunInfo &run : runs) {
        if (run.point.experimentId == experimentId && run.status == RunStatus::Completed) {
            fingerprints->insert(run.point.fingerprint);
        }
    }
    return true;
}

bool planResume(RunStore *store, const std::vector<ExperimentPoint> &points,
    const ExperimentRunOptions &options, ResumePlan *plan, QString *error)
{
    *plan = ResumePlan{};
    std::vector<RunInfo> runs;
    if (!RunReader(store).listRuns(&runs, error)) {
        return false;
    }
    QSet<QString> done; // completed under this experiment
    QHash<QString, std::size_t>
        any; // fingerprint -> its newest completed run (listRuns: newest first)
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const RunInfo &run = runs[i];
        if (run.status != RunStatus::Completed || !run.point.isSet()) {
            continue;
        }
        if (run.point.experimentId == options.experimentId) {
            done.insert(run.point.fingerprint);
        }
        if (!any.contains(run.point.fingerprint)) {
            any.insert(run.point.fingerprint, i);
        }
    }
    for (const ExperimentPoint &p : points) {
        if (done.contains(p.fingerprint)) {
            ++plan->done;
            continue;
        }
        const auto it = any.constFind(p.fingerprint);
        if (it == any.constEnd()) {
            plan->pending.push_back(p);
            continue;
        }
        const RunInfo &original = runs[*it];
        ExperimentPointTag tag;
        tag.experimentId = options.experimentId;
        tag.fingerprint = p.fingerprint;
        tag.index = p.index;
        tag.coordinatesJson
            = QString::fromUtf8(QJsonDocument(p.coordinates).toJson(QJsonDocument::Compact));
        const QString message
            = QStringLiteral("reused: the result of run %1 (experiment %2), the same scenario")
                  .arg(original.id)
                  .arg(original.point.experimentId);
        if (!copyCompletedRun(
                store, original, store, tag, experimentRunName(options.name, p), message, error)) {
            *error = QStringLiteral("reusing run %1 for point %2: %3")
                         .arg(original.id)
                         .arg(p.index)
                         .arg(*error);
            return false;
        }
        ++plan->reused;
    }
    return true;
}

ExperimentRunSummary runExperimentPoints(const QString &dbPath,
    const std::vector<ExperimentPoint> &points, const ExperimentRunOptions &options,
    RunControl *control, ExperimentObserver *observer)
{
    SerialisedObserver out(observer);
    std::atomic<std::size_t> next{0};
    std::atomic<bool> storeFailed{false};
    std::mutex summaryMutex;
    ExperimentRunSummary summary;
    const int jobs = std::max(1, std::min(options.jobs, int(points.size())));
    int workers = jobs;        // started workers (a thread that cannot start lowers it)
    int connectionsFailed = 0; // workers whose connection could not be opened
    QString connectionError;
    auto worker = [&]() {
        StoreOptions storeOptions;
        storeOptions.create = false;
        storeOptions.recoverInterrupted = false; // done once by the caller's open
        storeOptions.checkOnOpen = false;
        storeOptions.autoCheckpoint = false; // the Checkpointer does it off this core
        QString error;
        std::unique_ptr<RunStore> store = RunStore::open(dbPath, &error, storeOptions);
        if (!store) {
            // Leave the points to the workers that have a connection; the last worker to
            // fail, when none has one, fails the points with the reason.
            const std::lock_guard<std::mutex> lock(summaryMutex);
            if (connectionError.isEmpty()) {
                connectionError = error;
            }
            if (++connectionsFailed < workers) {
                return;
            }
        }
        for (std::size_t i = next++; i < points.size(); i = next++) {
            PointOutcome outcome;
            bool quiet = false; // not started because the database failed: counted, not reported
            if (control && control->stopRequested()) {
                outcome.status = SessionStatus::Stopped;
                outcome.message = QStringLiteral("not started: the experiment was stopped");
            } else if (storeFailed) {
                outcome.message = QStringLiteral("not started: the database refused a run");
                quiet = true;
            } else if (!store) {
                outcome.message = connectionError;
            } else {
                outcome = runPoint(store.get(), points[i], options, control, &out);
            }
            {
                const std::lock_guard<std::mutex> lock(summaryMutex);
                if (outcome.started && outcome.status == SessionStatus::Completed) {
                    ++summary.completed;
                } else if (outcome.status == SessionStatus::Stopped) {
                    ++summary.stopped;
                } else {
                    ++summary.failed;
                    summary.notStarted += quiet ? 1 : 0;
                }
                if (outcome.storeFailed && summary.storeError.isEmpty()) {
                    summary.storeError = outcome.message;
                }
            }
            if (outcome.storeFailed) {
                storeFailed = true;
            }
            if (!quiet) {
                out.call([&](ExperimentObserver &o) { o.pointFinished(points[i], outcome); });
            }
        }
    };
    const Checkpointer checkpointer(dbPath);
    std::vector<std::thread> threads;
    for (int j = 1; j < jobs; ++j) {
        try {
            threads.emplace_back(worker);
        } catch (const std::system_error &) {
            // No thread left to start (a process or memory limit): run on those that started.
            const std::lock_guard<std::mutex> lock(summaryMutex);
            workers -= jobs - j;
            break;
        }
    }
    worker(); // the caller's thread is one of the workers
    for (std::thread &t : threads) {
        t.join();
    }
    return summary;
}

} // namespace collapipe
