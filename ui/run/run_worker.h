// SPDX-License-Identifier: MIT
#pragma once

#include "core/sim/session_observer.h"
#include "ui/run/run_request.h"

#include <QObject>

#include <atomic>
#include <cstdint>
#include <memory>

namespace collapipe {

class RunStore;
class RunWriter;
class Session;

/// Runs a core Session inside the worker thread (style.md rule 4, after Tiled's FolderScanner).
/// One round per event-loop turn: runNext() computes a round, stores it, emits a copy, and posts
/// itself again, so queued start/pause/step/stop calls are handled between rounds. A stop also
/// sets an atomic flag the Session polls every round and micro-batch (cancelRequested()), so it
/// takes effect inside a long training round. The RunWriter and its RunStore connection are
/// created in this thread and never leave it. All slots must be called by queued connection.
class RunWorker : public QObject
{
    Q_OBJECT

public:
    explicit RunWorker(QObject *parent = nullptr);
    ~RunWorker() override;

    /// Thread-safe: asks the running round to stop at the next micro-batch.
    void requestCancel() { m_cancel.store(true); }
    /// Thread-safe: holds the run before its next round (the queued pause() confirms it).
    void requestPause() { m_paused.store(true); }

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
    void finish(SessionStatus status, const QString &message);
    /// The Session's view of this worker: the cancel flag and log lines. A separate object, not
    /// a base class: SessionObserver::roundFinished would clash with the signal of that name.
    class Observer : public SessionObserver
    {
    public:
        explicit Observer(RunWorker *worker)
            : m_worker(worker)
        { }
        bool cancelRequested() const override { return m_worker->m_cancel.load(); }
        void log(const QString &line) override { Q_EMIT m_worker->logLine(line); }

    private:
        RunWorker *m_worker;
    };

    Observer m_observer{this};
    std::unique_ptr<Session> m_session;
    std::unique_ptr<RunStore> m_store;
    std::unique_ptr<RunWriter> m_writer;
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_paused{false};
    int m_steps = 0;
    int m_delayMs = 0;
    bool m_scheduled = false;
};

} // namespace collapipe
