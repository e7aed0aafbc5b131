// SPDX-License-Identifier: MIT
#pragma once

#include "core/optimizer/virtual_queues.h"
#include "core/scenario/scenario.h"
#include "core/sim/session_observer.h"
#include "core/types/decision.h"
#include "core/types/round_record.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

/// The run engine (issue [5/6], architecture.md "core/sim"): the round loop
/// channel → policy → cost + timeline → trainer → aggregation → queue update → record.
namespace collapipe {

class ChannelModel;
class SessionTrainer;
class Policy;

/// What a Session does besides what the scenario says.
struct SessionOptions
{
    /// Put every round's timeline events into RoundRecord::events (for the Gantt and the store).
    /// Off makes cost-only rounds much cheaper (sweeps); training builds its timeline anyway.
    bool recordEvents = true;
};

/// One run of a scenario. Deterministic: the same scenario (incl. training.seed, which seeds the
/// channel fading, the trainer and everything else) gives the same records, except the measured
/// wall time RoundRecord::decisionTimeS. With training.train off the rounds cost only the model
/// (fast mode); with it on, the embedded trainer really trains and fills loss, accuracy and
/// measured memory.
///
/// Threads: init() and run()/runRound() are called from one thread (the worker); the request*()
/// controls may be called from any thread and take effect between rounds (a stop also between
/// micro-batches while training).
class Session
{
public:
    Session();
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    /// Validates the scenario, creates its channel model, policy (optimizer.policy), queues and,
    /// when training is on, the trainer with its dataset. False + message (naming the field,
    /// policy or dataset) on failure; the session is then unusable.
    bool init(const Scenario &scenario, QString *error, const SessionOptions &options = {});

    /// The observer gets every report; not owned, may be null. Set before run().
    void setObserver(SessionObserver *observer) { m_observer = observer; }

    /// Runs rounds until all training.rounds are done, stop is requested or a round fails,
    /// honouring pause/step. Reports runFinished() once and returns the status.
    SessionStatus run();

    /// Computes exactly one round now (ignores pause) and reports it. False + message when the
    /// round fails (the run is then over: status Failed) or when cancelled (status Stopped).
    bool runRound(RoundRecord *record, QString *error);

    /// Thread-safe controls. Pause holds run() before the next round; step, while paused, lets
    /// exactly one more round run; resume continues; stop ends run() before the next round (or
    /// the next micro-batch) with SessionStatus::Stopped.
    void requestPause();
    void requestResume();
    void requestStep();
    void requestStop();
    bool isPaused() const;
    bool stopRequested() const { return m_stop.load(); }

    int roundsPlanned() const { return m_scenario.training.rounds; }
    /// Rounds recorded so far (the next round's index).
    int roundsDone() const { return m_round; }
    bool isFinished() const { return m_finished; }
    /// Σ of the recorded rounds' latencies (the simulated clock), seconds.
    double simTimeS() const { return m_simTimeS; }
    const Scenario &scenario() const { return m_scenario; }
    /// The queues after the last round (Q(t), Z(t) for the next round).
    const VirtualQueues &queues() const { return m_queues; }
    /// The last round's decision (empty before round 0).
    const Decision &lastDecision() const { return m_previous; }

private:
    bool computeRound(RoundRecord *record, QString *error);
    bool cancelled() const;
    /// Blocks while paused without a step credit; false when stop was requested meanwhile.
    bool waitWhilePaused();

    Scenario m_scenario;
    SessionOptions m_options;
    SessionObserver *m_observer = nullptr;
    std::unique_ptr<ChannelModel> m_channel;
    std::unique_ptr<Policy> m_policy;
    std::unique_ptr<SessionTrainer> m_trainer;
    VirtualQueues m_queues;
    Decision m_previous;
    bool m_hasPrevious = false;
    int m_round = 0;
    double m_simTimeS = 0.0;
    bool m_initialised = false;
    bool m_finished = false;
    bool m_warnedMemory = false;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_paused = false; ///< guarded by m_mutex
    int m_stepCredits = 0; ///< guarded by m_mutex
    std::atomic<bool> m_stop{false};
};

} // namespace collapipe
