// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

/// The one stop / pause / step control of a run (issue [3/7] "the plumbing"): the CLI's blocking
/// loop (StoredRun::runRounds), the Studio's event-loop worker and the Session's cancel check all
/// read the same flags.
namespace collapipe {

/// Thread-safe: request*() may be called from any thread (and requestStop() from a signal
/// handler through linkStopSignals()); the run's thread asks waitForRound() or takeRound()
/// between rounds and stopRequested() between micro-batches.
class RunControl
{
public:
    RunControl() = default;
    ~RunControl();
    RunControl(const RunControl &) = delete;
    RunControl &operator=(const RunControl &) = delete;

    /// Ends the run before the next round (or the next micro-batch of a training round).
    void requestStop();
    /// Holds the run before its next round.
    void requestPause();
    /// Continues a paused run; pending steps are dropped.
    void requestResume();
    /// Pauses if needed and lets exactly one more round run.
    void requestStep();

    /// As requestStop(), marked as coming from a signal. Async-signal-safe (atomics only, no
    /// wake-up: waitForRound() polls).
    void requestStopFromSignal();

    bool stopRequested() const { return m_stop.load(); }
    /// True when the stop came from a signal (linkStopSignals()).
    bool stoppedBySignal() const { return m_bySignal.load(); }
    bool isPaused() const { return m_paused.load(); }

    /// Non-blocking, for a worker that runs one round per event-loop turn: true when the next
    /// round may start now (consumes a step while paused); false while paused without a step
    /// or once stop was requested.
    bool takeRound();
    /// Blocking, for a loop on its own thread: waits while paused without a step, then behaves
    /// as takeRound(). False only when stop was requested.
    bool waitForRound();

    /// Back to running, no stop, no pause (a control reused for the next run).
    void reset();

    /// Routes SIGINT, SIGTERM and SIGHUP (unless ignored, as under nohup) to requestStop() of `control` (null unlinks; the handlers stay
    /// installed and then do nothing). For the CLI: committed rounds are kept, the run is stored
    /// as stopped. Not for the Studio (its stop button is the way).
    static void linkStopSignals(RunControl *control);
    /// True once one of those signals arrived after linkStopSignals() installed the handlers (a
    /// sweep stops starting runs).
    static bool signalReceived();

private:
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_bySignal{false};
    std::atomic<bool> m_paused{false};
    std::atomic<int> m_steps{0};
    // Wakes waitForRound() early; a signal handler cannot notify, so the wait also polls.
    std::mutex m_mutex;
    std::condition_variable m_wake;
};

} // namespace collapipe
