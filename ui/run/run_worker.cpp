// SPDX-License-Identifier: MIT
#include "ui/run/run_worker.h"

#include "core/scenario/scenario_json.h"
#include "core/sim/session.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"

#include <QTimer>

namespace collapipe {

RunWorker::RunWorker(QObject *parent)
    : QObject(parent)
{ }

RunWorker::~RunWorker()
{
    if (m_session) {
        finish(SessionStatus::Stopped, tr("the Studio closed during the run"));
    }
}

void RunWorker::start(const RunRequest &request)
{
    if (m_session) {
        Q_EMIT logLine(tr("a run is already active; start ignored"));
        return;
    }
    m_cancel.store(false);
    m_steps = 0;
    m_delayMs = request.roundDelayMs;
    auto session = std::make_unique<Session>();
    QString error;
    SessionOptions options;
    options.recordEvents = request.recordEvents;
    if (!session->init(request.scenario, &error, options)) {
        Q_EMIT finished(static_cast<int>(SessionStatus::Failed), error, 0);
        return;
    }
    session->setObserver(&m_observer);
    qint64 runId = 0;
    if (!request.dbPath.isEmpty()) {
        // The store connection is opened here, in the worker thread, and used only here.
        m_store = RunStore::open(request.dbPath, &error);
        if (m_store) {
            m_writer = std::make_unique<RunWriter>(m_store.get());
            const Scenario &s = request.scenario;
            RunMeta meta;
            meta.scenarioName = s.name;
            meta.scenarioJson = QString::fromUtf8(scenarioToJson(s));
            meta.policy = s.optimizer.policy;
            meta.seed = s.training.seed;
            meta.train = s.training.train;
            meta.roundsPlanned = s.training.rounds;
            meta.version = request.version;
            meta.name = request.runName.isEmpty()
                ? QStringLiteral("%1 %2 s%3").arg(s.name, s.optimizer.policy).arg(s.training.seed)
                : request.runName;
            std::int64_t id = 0;
            if (m_writer->beginRun(meta, &id, &error)) {
                runId = id;
            }
        }
        if (runId == 0) {
            m_writer.reset();
            m_store.reset();
            Q_EMIT finished(static_cast<int>(SessionStatus::Failed), error, 0);
            return;
        }
    }
    m_session = std::move(session);
    Q_EMIT started(runId, m_session->roundsPlanned());
    if (m_paused.load()) {
        Q_EMIT paused(true);
    }
    scheduleNext();
}

void RunWorker::scheduleNext()
{
    if (!m_session || m_scheduled || (m_paused.load() && m_steps == 0)) {
        return;
    }
    m_scheduled = true;
    // A posted call, not a loop: pause/step/stop queued meanwhile are handled first.
    QTimer::singleShot(m_steps > 0 ? 0 : m_delayMs, this, &RunWorker::runNext);
}

void RunWorker::runNext()
{
    m_scheduled = false;
    if (!m_session) {
        return;
    }
    if (m_cancel.load()) {
        finish(SessionStatus::Stopped, tr("stopped before round %1").arg(m_session->roundsDone()));
        return;
    }
    if (m_paused.load()) {
        if (m_steps == 0) {
            return;
        }
        --m_steps;
    }
    RoundRecord record;
    QString error;
    if (!m_session->runRound(&record, &error)) {
        finish(m_cancel.load() ? SessionStatus::Stopped : SessionStatus::Failed, error);
        return;
    }
    if (m_writer && !m_writer->appendRound(record, &error)) {
        Q_EMIT roundFinished(record);
        finish(SessionStatus::Failed, error);
        return;
    }
    Q_EMIT roundFinished(record);
    if (m_session->roundsDone() >= m_session->roundsPlanned()) {
        finish(SessionStatus::Completed, QString());
        return;
    }
    scheduleNext();
}

void RunWorker::pause()
{
    m_paused.store(true);
    Q_EMIT paused(true);
}

void RunWorker::resume()
{
    m_paused.store(false);
    m_steps = 0;
    Q_EMIT paused(false);
    scheduleNext();
}

void RunWorker::step()
{
    if (!m_paused.load()) {
        pause();
    }
    ++m_steps;
    scheduleNext();
}

void RunWorker::stop()
{
    m_cancel.store(true);
    if (m_session) {
        // No round is being computed while this slot runs (same thread): end now.
        // Counted like the progress bar (rounds done of planned), never a 0-based round index.
        finish(SessionStatus::Stopped,
            tr("stopped after %1 of %2 rounds")
                .arg(m_session->roundsDone())
                .arg(m_session->roundsPlanned()));
    }
}

void RunWorker::finish(SessionStatus status, const QString &message)
{
    qint64 runId = 0;
    QString error;
    QString text = message;
    if (m_writer) {
        runId = m_writer->runId();
        if (!m_writer->finish(runStatusFor(status), message, &error)) {
            // Rounds or the status could not be stored: the run is failed, as stored, and
            // `error` already starts with `message`.
            status = SessionStatus::Failed;
            text = error;
        }
    }
    m_writer.reset();
    m_store.reset();
    m_session.reset();
    m_paused.store(false);
    m_steps = 0;
    Q_EMIT finished(static_cast<int>(status), text, runId);
}

} // namespace collapipe
