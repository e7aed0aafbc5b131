// SPDX-License-Identifier: MIT
#pragma once

#include "core/sim/run_control.h"
#include "core/sim/session_observer.h"
#include "ui/run/run_request.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>

#include <cstdint>
#include <memory>
#include <vector>

namespace collapipe {

class RunStore;
class Session;
class StoredRun;

/// Runs a core StoredRun inside the worker thread (style.md rule 4, after Tiled's
/// FolderScanner). One round per event-loop turn: runNext() steps the run (a round computed and
/// stored), puts a stamped copy in the mailbox, and posts itself again, so queued
/// start/pause/step/stop calls are handled between rounds. The mailbox (after PlotJuggler's
/// mutex-guarded buffer) makes a burst of rounds one queued roundsReady(), however busy the GUI
/// thread is: the GUI takes them all with takeRounds(). Pause, step and stop go through the run's RunControl (the same one
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
    /// Thread-safe: the rounds finished since the last call, oldest first (replaces *out).
    void takeRounds(std::vector<StampedRound> *out);

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
    /// Rounds wait in takeRounds(); emitted once until they are taken.
    void roundsReady();
    void paused(bool isPaused);
    /// status: a SessionStatus value; runId 0 when the run was not stored.
    void finished(int status, const QString &message, qint64 runId);
    void logLine(const QString &line);

private:
    void runNext();
    /// Puts a finished round in the mailbox; notifies the GUI thread unless a notice is pending.
    void post(RoundRecord &&record, std::shared_ptr<const RoundTimelineInputs> timeline);
    void scheduleNext();
    /// Reports the finished run and drops it; the control is reset for the next run.
    void endRun();
    /// Emits `message` as finished(Failed) for a run that never started; resets the control.
    void refuse(const QString &message);
    /// The Session's view of this worker: log lines. A separate object, not a base class, so
    /// the observer's virtuals never mix with this QObject's signals and slots.
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
    QElapsedTimer m_clock; ///< started when the run began: StampedRound::engineS
    QMutex m_mailMutex;    ///< guards m_mail and m_notified (the only state shared with the GUI)
    std::vector<StampedRound> m_mail;
    bool m_notified = false;
};

} // namespace collapipe
