// SPDX-License-Identifier: MIT
#pragma once

#include "core/optimizer/virtual_queues.h"
#include "core/scenario/scenario.h"
#include "core/sim/session_observer.h"
#include "core/sim/step_round.h"
#include "core/types/decision.h"
#include "core/types/round_record.h"

#include <QString>

#include <memory>

/// The run engine (issue [5/6], architecture.md "core/sim"): the parts of a run (channel model,
/// policy, trainer, RoundState) and one round at a time through stepRound(). The loop over rounds
/// and the store live in StoredRun (core/sim/stored_run.h); pause / step / stop in RunControl.
namespace collapipe {

class AvailabilityModel;
class ChannelModel;
class RunControl;
class SessionTrainer;
class Policy;

/// What a Session does besides what the scenario says.
struct SessionOptions
{
    /// Put every round's timeline events into RoundRecord::events (for the Gantt and the store).
    /// Off makes cost-only rounds much cheaper (sweeps); training builds its timeline anyway.
    bool recordEvents = true;
    /// With recordEvents off and training off: keep what each round's events are built from
    /// (takeTimelineInputs(), roundEvents()) so a front end builds them only for the rounds it
    /// draws (the Studio's live Gantt when the timeline is not stored).
    bool deferEvents = false;
};

/// One run of a scenario. Deterministic: the same scenario (incl. training.seed, which seeds the
/// channel fading, the trainer and everything else) gives the same records, except the measured
/// wall time RoundRecord::decisionTimeS. With training.train off the rounds cost only the model
/// (fast mode); with it on, the embedded trainer really trains and fills loss, accuracy and
/// measured memory.
///
/// Threads: init() and runRound() are called from one thread (the worker). A stop requested on
/// the RunControl (setControl()) from any thread cancels a training round at its next
/// micro-batch.
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

    /// The observer gets every report; not owned, may be null. Set before the first round.
    void setObserver(SessionObserver *observer) { m_observer = observer; }
    SessionObserver *observer() const { return m_observer; }
    /// The run's stop control, polled before every round and micro-batch; not owned, may be null.
    void setControl(const RunControl *control) { m_control = control; }

    /// True when the control or the observer asks the run to stop.
    bool cancelled() const;

    /// Computes exactly one round now (ignores pause) and reports it. False + message when the
    /// round fails (the run is then over: status Failed) or when cancelled (status Stopped).
    bool runRound(RoundRecord *record, QString *error);

    int roundsPlanned() const { return m_scenario.training.rounds; }
    /// Rounds recorded so far (the next round's index).
    int roundsDone() const { return m_state.round; }
    /// Set by StoredRun when the run has ended; runRound() then refuses.
    bool isFinished() const { return m_finished; }
    void markFinished() { m_finished = true; }
    /// Σ of the recorded rounds' latencies (the simulated clock), seconds.
    double simTimeS() const { return m_state.simTimeS; }
    const Scenario &scenario() const { return m_scenario; }
    /// The queues after the last round (Q(t), Z(t) for the next round).
    const VirtualQueues &queues() const { return m_state.queues; }
    /// The last round's decision (empty before round 0).
    const Decision &lastDecision() const { return m_state.previous; }
    /// What the last round's events are built from (SessionOptions::deferEvents), once: null
    /// when not deferred or already taken.
    std::shared_ptr<const RoundTimelineInputs> takeTimelineInputs()
    {
        return std::move(m_timelineInputs);
    }

private:
    Scenario m_scenario;
    SessionOptions m_options;
    SessionObserver *m_observer = nullptr;
    std::unique_ptr<ChannelModel> m_channel;
    std::unique_ptr<AvailabilityModel> m_availability;
    std::unique_ptr<Policy> m_policy;
    std::unique_ptr<SessionTrainer> m_trainer;
    const RunControl *m_control = nullptr;
    RoundState m_state;
    std::shared_ptr<const Scenario> m_sharedScenario; ///< for the deferred timelines
    std::shared_ptr<const RoundTimelineInputs> m_timelineInputs;
    bool m_initialised = false;
    bool m_finished = false;
    bool m_warnedMemory = false;
    /// Each cluster's reason for sitting out the last round ("" = it took part): a line is
    /// logged when a cluster starts sitting out or its reason changes, not every round.
    std::vector<QString> m_satOutReason;

    void logSatOuts(const RoundRecord &record);
};

} // namespace collapipe
