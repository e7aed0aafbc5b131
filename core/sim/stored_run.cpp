// SPDX-License-Identifier: MIT
#include "core/sim/stored_run.h"

#include "core/scenario/scenario_json.h"
#include "core/sim/run_control.h"
#include "core/sim/session.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"

#include <QFileInfo>

#include <utility>

namespace collapipe {

QString storedRunName(const QString &scenarioPath, const Scenario &scenario)
{
    QString stem
        = scenarioPath.isEmpty() ? scenario.name : QFileInfo(scenarioPath).completeBaseName();
    if (stem.isEmpty()) {
        stem = QStringLiteral("untitled");
    }
    return QStringLiteral("%1 · %2 · seed %3")
        .arg(stem, scenario.optimizer.policy)
        .arg(scenario.training.seed);
}

StoredRun::StoredRun(Session *session, RunStore *store, RunControl *control)
    : m_session(session)
    , m_store(store)
    , m_control(control)
{
    m_session->setControl(control);
}

StoredRun::~StoredRun()
{
    m_session->setControl(nullptr);
}

bool StoredRun::begin(const StoredRunOptions &options, QString *error)
{
    if (!m_store) {
        return true;
    }
    const Scenario &s = m_session->scenario();
    CommitPolicy commit;
    commit.storeEvents = options.storeEvents;
    commit.background = true; // batches are written off the round loop (issue 17)
    m_writer = std::make_unique<RunWriter>(m_store, commit);
    RunMeta meta;
    meta.name = options.name;
    meta.scenarioName = s.name;
    meta.scenarioJson = QString::fromUtf8(scenarioToJson(s));
    meta.policy = s.optimizer.policy;
    meta.seed = s.training.seed;
    meta.train = s.training.train;
    meta.roundsPlanned = s.training.rounds;
    meta.version = options.version;
    meta.point = options.point;
    if (!m_writer->beginRun(meta, &m_runId, error)) {
        m_writer.reset();
        m_runId = 0;
        m_store->discardIfCreatedEmpty();
        return false;
    }
    return true;
}

QString StoredRun::stopMessage() const
{
    const QString counted = QStringLiteral("after %1 of %2 rounds")
                                .arg(m_session->roundsDone())
                                .arg(m_session->roundsPlanned());
    return m_control && m_control->stoppedBySignal()
        ? QStringLiteral("stopped by a signal %1").arg(counted)
        : QStringLiteral("stopped %1").arg(counted);
}

bool StoredRun::step(RoundRecord *record)
{
    if (m_finished) {
        return false;
    }
    if (m_session->cancelled()) {
        stop();
        return false;
    }
    RoundRecord local;
    RoundRecord &r = record ? *record : local;
    QString error;
    if (!m_session->runRound(&r, &error)) {
        if (m_session->cancelled()) {
            stop();
        } else {
            finish(SessionStatus::Failed, error);
        }
        return false;
    }
    // Without a caller's record the round is the writer's to keep: moved, not copied.
    if (m_writer
        && !(record ? m_writer->appendRound(r, &error)
                    : m_writer->appendRound(std::move(local), &error))) {
        // A round that cannot be kept ends the run: completed would claim rounds not on disk.
        finish(SessionStatus::Failed, error);
        return true;
    }
    if (m_session->roundsDone() >= m_session->roundsPlanned()) {
        finish(SessionStatus::Completed, QString());
    }
    return true;
}

SessionStatus StoredRun::runRounds()
{
    while (!m_finished) {
        if (m_control && !m_control->waitForRound()) {
            stop();
            break;
        }
        step();
    }
    return m_status;
}

void StoredRun::stop()
{
    finish(SessionStatus::Stopped, stopMessage());
}

void StoredRun::finish(SessionStatus status, const QString &message)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_status = status;
    m_message = message;
    if (m_writer) {
        QString error;
        if (!m_writer->finish(runStatusFor(status), message, &error)) {
            // Rounds or the status could not be stored: failed, and `error` already starts
            // with `message`.
            m_status = SessionStatus::Failed;
            m_message = error;
        }
        m_writer.reset();
    }
    m_session->markFinished();
    if (SessionObserver *observer = m_session->observer()) {
        observer->runFinished(m_status, m_message);
    }
}

} // namespace collapipe
