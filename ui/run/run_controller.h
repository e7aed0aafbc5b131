// SPDX-License-Identifier: MIT
#pragma once

#include "core/sim/session_observer.h"
#include "ui/run/run_request.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <deque>
#include <vector>

namespace collapipe {

class RunWorker;

/// The run panel's status line for `progress`: "round 3 of 6 · 2.1 rounds/s · simulated 12.0 s ·
/// ETA 1.4 s"; while paused "paused after round 3 of 6 · simulated 12.0 s" (no rate or ETA: nothing
/// runs). The count is the one the progress bar shows (rounds done of planned).
QString progressText(const RunProgress &progress);
/// "42.0 s", "3 min 5 s", "1 h 2 min"; "?" for a negative (unknown) duration.
QString formatDuration(double seconds);

/// The GUI-thread side of a run (style.md rule 4): owns the worker thread and the RunWorker in
/// it, sends start/pause/step/stop as queued calls, and turns the worker's value reports into
/// state and progress for the run panel. Never waits on the worker except in shutdown().
/// Bounded (style.md rule 5): a burst of rounds arrives as one batch (RunWorker's mailbox), and
/// progressChanged is emitted at most once per progressInterval() while rounds stream (at once
/// on start, pause and the end). The rate is the engine's: from the worker's timestamps, so a
/// busy GUI thread never makes the run look slower than it is.
class RunController : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Idle, ///< no run (before the first, or after one finished)
        Running,
        Paused,
        Stopping ///< stop sent, waiting for the worker to confirm
    };
    Q_ENUM(State)

    explicit RunController(QObject *parent = nullptr);
    /// Calls shutdown().
    ~RunController() override;

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Idle; }
    const RunProgress &progress() const { return m_progress; }
    qint64 runId() const { return m_runId; }
    /// Status of the last finished run (SessionStatus), valid once runFinished was emitted.
    SessionStatus lastStatus() const { return m_lastStatus; }
    QString lastMessage() const { return m_lastMessage; }

    /// Starts a run; false (and *error) when one is active. `startPaused` holds it before
    /// round 0 (Step then runs one round at a time).
    bool start(const RunRequest &request, QString *error, bool startPaused = false);
    void pause();
    void resume();
    void togglePause();
    /// One round: while paused runs the next round; while idle nothing (use start(…, true)).
    void step();
    void stop();
    /// Watch mode pacing, applied between rounds.
    void setRoundDelay(int ms);
    /// Stops the run, ends the thread (requestInterruption, quit, wait). Idempotent.
    void shutdown();
    /// Least time between two progressChanged while rounds stream, ms (default 40: ~25 Hz).
    void setProgressInterval(int ms) { m_progressTimer.setInterval(ms); }
    int progressInterval() const { return m_progressTimer.interval(); }
    /// Batches taken from the worker since construction (each one queued notice, any size).
    int batchCount() const { return m_batches; }

    /// `record` with its timeline events (RoundRecord::events). A round of the last run whose
    /// events were left to be built on demand (RunRequest::storeEvents off, cost only) gets them
    /// built now, the same as the engine would have put in it (roundEvents()); the last one built
    /// is kept, so showing it again builds nothing. Any other record is returned as it is.
    /// Only for records of the last run (RunWorkspace forgets them when its views are cleared).
    SharedRound withTimeline(const SharedRound &record);
    /// What `record`'s events are built from when they were left to be built on demand (a round
    /// of the last run, its record without events, its inputs still held); else null. The Gantt
    /// builds them off the GUI thread (GanttBuilder).
    std::shared_ptr<const RoundTimelineInputs> timelineInputs(const RoundRecord &record) const;
    /// True when round `round` of the last run has its events built on demand by withTimeline().
    bool hasDeferredTimeline(int round) const;
    /// True when round `round`'s events were to be built on demand but what they are built from
    /// was let go to stay in timelineBudgetBytes() (the oldest rounds' go first).
    bool deferredTimelineDropped(int round) const
    {
        return round >= m_deferredFirstRound && round < m_deferredKeptFrom;
    }
    /// Forgets what the last run's timelines are built from (its views were cleared).
    void forgetTimelines();
    /// Memory for what the timelines are built from (RoundTimelineInputs::heldBytes(); 64 MiB:
    /// ~300 rounds of 100 x 10); the newest round's is always kept.
    void setTimelineBudgetBytes(std::size_t bytes);
    std::size_t timelineBudgetBytes() const { return m_deferredBudget; }
    /// Timelines withTimeline() built since construction.
    int timelinesBuilt() const { return m_timelinesBuilt; }

Q_SIGNALS:
    void stateChanged(collapipe::RunController::State state);
    void runStarted(qint64 runId, int roundsPlanned);
    /// Each round as it finishes, in order (emitted from a batch taken from the worker; connect
    /// views that do more than queue the record through a coalescing timer like PlotHub).
    void roundFinished(const collapipe::RoundRecord &record);
    /// The same round, shared (emitted right after roundFinished): views that keep the record
    /// (PlotHub) take this one and copy nothing.
    void roundShared(const collapipe::SharedRound &record);
    void progressChanged(const collapipe::RunProgress &progress);
    void runFinished(int status, const QString &message, qint64 runId);
    void logLine(const QString &line);

private:
    void setState(State state);
    void onStarted(qint64 runId, int roundsPlanned);
    /// Takes every round waiting in the worker's mailbox; false when there was none.
    bool takeRounds();
    void onRound(const StampedRound &round);
    /// Emits progressChanged now (and stops a pending coalesced one).
    void emitProgress();
    void onPaused(bool paused);
    void onFinished(int status, const QString &message, qint64 runId);
    void keepDeferred(int round, std::shared_ptr<const RoundTimelineInputs> inputs);
    void keepDeferredInBudget();

    struct Deferred
    {
        int round = 0;
        std::shared_ptr<const RoundTimelineInputs> inputs;
        std::size_t bytes = 0;
    };
    std::deque<Deferred> m_deferred; ///< by round, the last run's
    /// The entry of round `round` in m_deferred, or null.
    const Deferred *findDeferred(int round) const;
    std::size_t m_deferredBytes = 0;
    std::size_t m_deferredBudget = std::size_t(64) << 20;
    int m_deferredFirstRound = 0; ///< the first deferred round of the last run …
    int m_deferredKeptFrom = 0;   ///< … and the first one still held
    SharedRound m_built;          ///< the last record withTimeline() built
    int m_timelinesBuilt = 0;

    QThread m_thread;
    RunWorker *m_worker = nullptr; ///< lives in m_thread; deleted when it finishes
    State m_state = State::Idle;
    RunProgress m_progress;
    QTimer m_progressTimer; ///< single shot: the coalesced progressChanged
    std::vector<StampedRound> m_batch;
    std::deque<std::pair<double, int>> m_rateWindow; ///< (engine s, rounds done) for rounds/s
    int m_batches = 0;
    qint64 m_runId = 0;
    SessionStatus m_lastStatus = SessionStatus::Completed;
    QString m_lastMessage;
};

} // namespace collapipe
