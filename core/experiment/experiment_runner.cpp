// SPDX-License-Identifier: MIT
#include "core/experiment/experiment_runner.h"

#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/sim/stored_run.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"

#include <QJsonDocument>

#include <atomic>
#include <mutex>
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

ExperimentRunSummary runExperimentPoints(const QString &dbPath,
    const std::vector<ExperimentPoint> &points, const ExperimentRunOptions &options,
    RunControl *control, ExperimentObserver *observer)
{
    SerialisedObserver out(observer);
    std::atomic<std::size_t> next{0};
    std::mutex summaryMutex;
    ExperimentRunSummary summary;
    auto worker = [&]() {
        StoreOptions storeOptions;
        storeOptions.create = false;
        storeOptions.recoverInterrupted = false; // done once by the caller's open
        storeOptions.checkOnOpen = false;
        QString error;
        std::unique_ptr<RunStore> store = RunStore::open(dbPath, &error, storeOptions);
        for (std::size_t i = next++; i < points.size(); i = next++) {
            PointOutcome outcome;
            if (control && control->stopRequested()) {
                outcome.status = SessionStatus::Stopped;
                outcome.message = QStringLiteral("not started: the experiment was stopped");
            } else if (!store) {
                outcome.message = error;
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
                }
            }
            out.call([&](ExperimentObserver &o) { o.pointFinished(points[i], outcome); });
        }
    };
    const int jobs = std::max(1, std::min(options.jobs, int(points.size())));
    std::vector<std::thread> threads;
    for (int j = 1; j < jobs; ++j) {
        threads.emplace_back(worker);
    }
    worker(); // the caller's thread is one of the workers
    for (std::thread &t : threads) {
        t.join();
    }
    return summary;
}

} // namespace collapipe
