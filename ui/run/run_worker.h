// SPDX-License-Identifier: MIT
#pragma once

#include "core/sim/run_control.h"
#include "core/sim/session_observer.h"
#include "ui/run/run_request.h"

#include <QObject>

#include <cstdint>
#include <memory>

namespace collapipe {

class RunStore;
class Session;
class StoredRun;

/// Runs a core StoredRun inside the worker thread (style.md rule 4, after Tiled's
/// FolderScanner). One round per event-loop turn: runNext() steps the run (a round computed and
/// stored), emits a copy, and posts itself again, so queued start/pause/step/stop calls are
/// handled between rounds. Pause, step and stop go through the run's RunControl (the same one
/// the CLI uses), whose stop flag the Session polls every micro-batch, so a stop takes effect
/// inside a long training round. The store connection is opened in this thread and never
/// leaves it. All slots must be called by queued connection.
class RunWorker : public QObject
{
    Q_OBJECT

public:
    explicit RunWorker(QObject *parent = nullptr);
    ~RunWorker() override;

    /// Thread-safe: asks the running round to stop at the next micro-batch.
    void requestCancel() { m_control.requestStop(); }
    /// Thread-safe: holds the run before its next round (the queued pause() confirms it).
    void requestPause() { m_control.requestPause(); }

public Q_SLOTS:
    void start(const collapipe::RunRequest &request);
    void pause();
    void resume();
    /// While paused: run exactly one more round.
    void step();
    void stop();
    void setRoundDelay(int ms) { m_delayMs = ms; }

Q_SIGNALS:
    void started(qint64 runId, int roundsPlanned);
    void roundFinished(const collapipe::RoundRecord &record);
    void paused(bool isPaused);
    /// status: a SessionStatus value; runId 0 when the run was not stored.
    void finished(int status, const QString &message, qint64 runId);
    void logLine(const QString &line);

private:
    void runNext();
    void scheduleNext();
    /// Reports the finished run and drops it; the control is reset for the next run.
    void endRun();
    /// Emits `message` as finished(Failed) for a run that never started; resets the control.
    void refuse(const QString &message);
    /// The Session's view of this worker: log lines. A separate object, not a base class:
    /// SessionObserver::roundFinished would clash with the signal of that name.
    class Observer : public SessionObserver
    {
    public:
        explicit Observer(RunWorker *worker)
            : m_worker(worker)
        { }
        void log(const QString &line) override { Q_EMIT m_worker->logLine(line); }

    private:
        RunWorker *m_worker;
    };

    Observer m_observer{this};
    RunControl m_control;
    std::unique_ptr<RunStore> m_store;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<StoredRun> m_run; ///< last: destroyed before the session and the store
    int m_delayMs = 0;
    bool m_scheduled = false;
};

} // namespace collapipe
