// SPDX-License-Identifier: MIT
#include "ui/run/run_worker.h"

#include "core/sim/session.h"
#include "core/sim/stored_run.h"
#include "core/store/run_store.h"

#include <QTimer>

namespace collapipe {

RunWorker::RunWorker(QObject *parent)
    : QObject(parent)
{ }

RunWorker::~RunWorker()
{
    if (m_run) {
        m_run->finish(SessionStatus::Stopped, tr("the Studio closed during the run"));
        endRun();
    }
}

void RunWorker::refuse(const QString &message)
{
    m_run.reset();
    m_session.reset();
    m_store.reset();
    m_control.reset();
    Q_EMIT finished(static_cast<int>(SessionStatus::Failed), message, 0);
}

void RunWorker::start(const RunRequest &request)
{
    if (m_run) {
        Q_EMIT logLine(tr("a run is already active; start ignored"));
        return;
    }
    m_delayMs = request.roundDelayMs;
    m_session = std::make_unique<Session>();
    QString error;
    SessionOptions options;
    // A timeline not stored is built only for the rounds the Gantt draws (cost only: a trained
    // round builds its timeline anyway, for the op order).
    options.deferEvents
        = request.recordEvents && !request.storeEvents && !request.scenario.training.train;
    options.recordEvents = request.recordEvents && !options.deferEvents;
    if (!m_session->init(request.scenario, &error, options)) {
        refuse(error);
        return;
    }
    m_session->setObserver(&m_observer);
    if (!request.dbPath.isEmpty()) {
        // The store connection is opened here, in the worker thread, and used only here.
        m_store = RunStore::open(request.dbPath, &error);
        if (!m_store) {
            refuse(error);
            return;
        }
    }
    m_run = std::make_unique<StoredRun>(m_session.get(), m_store.get(), &m_control);
    StoredRunOptions runOptions;
    runOptions.name = request.runName.isEmpty()
        ? storedRunName(request.scenarioPath, request.scenario)
        : request.runName;
    runOptions.version = request.version;
    runOptions.storeEvents = request.recordEvents && request.storeEvents;
    if (!m_run->begin(runOptions, &error)) {
        refuse(error);
        return;
    }
    m_clock.start();
    Q_EMIT started(m_run->runId(), m_session->roundsPlanned());
    if (m_control.isPaused()) {
        Q_EMIT paused(true);
    }
    scheduleNext();
}

void RunWorker::scheduleNext()
{
    if (!m_run || m_scheduled) {
        return;
    }
    m_scheduled = true;
    // A posted call, not a loop: pause/step/stop queued meanwhile are handled first. A step runs
    // at once; Watch mode's delay is for running rounds.
    QTimer::singleShot(m_control.isPaused() ? 0 : m_delayMs, this, &RunWorker::runNext);
}

void RunWorker::runNext()
{
    m_scheduled = false;
    if (!m_run) {
        return;
    }
    if (m_control.stopRequested()) {
        m_run->stop();
        endRun();
        return;
    }
    if (!m_control.takeRound()) {
        return; // paused: resume() or step() schedules the next round
    }
    RoundRecord record;
    if (m_run->step(&record)) {
        post(std::move(record), m_session->takeTimelineInputs());
    }
    if (m_run->isFinished()) {
        endRun();
        return;
    }
    scheduleNext();
}

void RunWorker::post(RoundRecord &&record, std::shared_ptr<const RoundTimelineInputs> timeline)
{
    bool notify = false;
    {
        const QMutexLocker lock(&m_mailMutex);
        m_mail.push_back({shareRound(std::move(record)), double(m_clock.nsecsElapsed()) * 1e-9,
            std::move(timeline)});
        notify = !m_notified;
        m_notified = true;
    }
    if (notify) {
        Q_EMIT roundsReady();
    }
}

void RunWorker::takeRounds(std::vector<StampedRound> *out)
{
    out->clear();
    const QMutexLocker lock(&m_mailMutex);
    out->swap(m_mail);
    m_notified = false;
}

void RunWorker::pause()
{
    m_control.requestPause();
    Q_EMIT paused(true);
}

void RunWorker::resume()
{
    m_control.requestResume();
    Q_EMIT paused(false);
    scheduleNext();
}

void RunWorker::step()
{
    if (!m_control.isPaused()) {
        Q_EMIT paused(true);
    }
    m_control.requestStep();
    scheduleNext();
}

void RunWorker::stop()
{
    m_control.requestStop();
    if (m_run) {
        // No round is being computed while this slot runs (same thread): end now.
        m_run->stop();
        endRun();
    }
}

void RunWorker::endRun()
{
    const int status = static_cast<int>(m_run->status());
    const QString message = m_run->message();
    const qint64 runId = m_run->runId();
    m_run.reset();
    m_session.reset();
    m_store.reset();
    m_control.reset();
    // m_scheduled stays: a posted runNext() may still come and finds no run (or the next one).
    Q_EMIT finished(status, message, runId);
}

} // namespace collapipe
