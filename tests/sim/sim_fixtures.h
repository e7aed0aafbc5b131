// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario_json.h"
#include "core/sim/session.h"
#include "core/sim/session_observer.h"
#include "core/sim/stored_run.h"
#include "core/types/round_record.h"

#include <QString>

#include <atomic>
#include <mutex>
#include <vector>

/// Small scenarios and a recording observer shared by the core/sim tests.
namespace collapipe::testing {

/// The bundled classroom scenario (1 cluster × 4 devices) made tiny: a 4-block encoder of width
/// 16, batch 8, one trainer thread, `rounds` rounds. Training as asked.
inline bool tinyScenario(Scenario *s, QString *error, bool train, int rounds,
    const QString &policy = QStringLiteral("uniform"))
{
    std::vector<ScenarioProblem> problems;
    const QString path = QStringLiteral(COLLAPIPE_SOURCE_DIR)
        + QStringLiteral("/resources/scenarios/classroom.json");
    if (!loadScenarioFile(path, s, &problems)) {
        *error = problems.empty() ? path : problems.front().toString();
        return false;
    }
    s->model.encoderBlocks = 4;
    s->model.decoderBlocks = 1;
    s->model.trainer.dModel = 16;
    s->model.trainer.heads = 2;
    s->model.trainer.dFf = 32;
    s->training.batchSize = 8;
    s->training.microbatchSize = 2;
    s->training.threads = 1;
    s->training.train = train;
    s->training.rounds = rounds;
    s->training.evalEvery = 2;
    s->optimizer.policy = policy;
    const std::vector<ScenarioProblem> invalid = validateScenario(*s);
    if (!invalid.empty()) {
        *error = invalid.front().toString();
        return false;
    }
    return true;
}

/// Keeps every record and the final status; thread-safe counters for control tests.
class RecordingObserver : public SessionObserver
{
public:
    void roundFinished(const RoundRecord &record) override
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_records.push_back(record);
        m_count = int(m_records.size());
    }
    void runFinished(SessionStatus status, const QString &message) override
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_status = status;
        m_message = message;
        ++m_finishedCalls;
    }
    int count() const { return m_count.load(); }
    std::vector<RoundRecord> records() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_records;
    }
    SessionStatus status() const { return m_status; }
    QString message() const { return m_message; }
    int finishedCalls() const { return m_finishedCalls; }

private:
    mutable std::mutex m_mutex;
    std::vector<RoundRecord> m_records;
    std::atomic<int> m_count{0};
    SessionStatus m_status = SessionStatus::Completed;
    QString m_message;
    int m_finishedCalls = 0;
};

/// Runs every round of an initialised session through the one loop (StoredRun::runRounds), not
/// stored; `control` (may be null) pauses, steps or stops it.
inline SessionStatus runToEnd(Session &session, RunControl *control = nullptr)
{
    StoredRun run(&session, nullptr, control);
    QString error;
    if (!run.begin(StoredRunOptions{}, &error)) {
        return SessionStatus::Failed;
    }
    return run.runRounds();
}

} // namespace collapipe::testing
