// SPDX-License-Identifier: MIT
#include "ui/run/run_controller.h"

#include "ui/run/run_worker.h"

#include <algorithm>

namespace collapipe {

QString formatDuration(double s)
{
    if (s < 0.0) {
        return QStringLiteral("?");
    }
    if (s < 60.0) {
        return QStringLiteral("%1 s").arg(s, 0, 'f', s < 10.0 ? 1 : 0);
    }
    if (s < 3600.0) {
        return QStringLiteral("%1 min %2 s").arg(int(s) / 60).arg(int(s) % 60);
    }
    return QStringLiteral("%1 h %2 min").arg(int(s) / 3600).arg((int(s) % 3600) / 60);
}

QString progressText(const RunProgress &p)
{
    const QString count = QObject::tr("%1 of %2 rounds").arg(p.roundsDone).arg(p.roundsPlanned);
    const QString simulated = QObject::tr("simulated %1").arg(formatDuration(p.simTimeS));
    if (p.paused) {
        return QObject::tr("paused after %1 · %2").arg(count, simulated);
    }
    return QObject::tr("%1 · %2 rounds/s · %3 · ETA %4")
        .arg(count)
        .arg(p.roundsPerSecond, 0, 'f', p.roundsPerSecond < 10 ? 2 : 0)
        .arg(simulated, formatDuration(p.etaS));
}

RunController::RunController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<RoundRecord>();
    qRegisterMetaType<RunRequest>();
    qRegisterMetaType<RunProgress>();
    m_thread.setObjectName(QStringLiteral("collapipe-run"));
    m_progressTimer.setSingleShot(true);
    m_progressTimer.setInterval(40);
    connect(&m_progressTimer, &QTimer::timeout, this, &RunController::emitProgress);
    m_worker = new RunWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &RunWorker::started, this, &RunController::onStarted);
    connect(m_worker, &RunWorker::roundsReady, this, &RunController::takeRounds);
    connect(m_worker, &RunWorker::paused, this, &RunController::onPaused);
    connect(m_worker, &RunWorker::finished, this, &RunController::onFinished);
    connect(m_worker, &RunWorker::logLine, this, &RunController::logLine);
    m_thread.start();
}

RunController::~RunController()
{
    shutdown();
}

bool RunController::start(const RunRequest &request, QString *error, bool startPaused)
{
    if (m_state != State::Idle || !m_thread.isRunning()) {
        if (error) {
            *error = m_thread.isRunning() ? tr("a run is already active")
                                          : tr("the run thread has ended");
        }
        return false;
    }
    m_progress = {};
    m_progress.roundsPlanned = request.scenario.training.rounds;
    // The run's begin is the rate's first sample: the first round counts from there, as the
    // CLI's progress line does.
    m_rateWindow.assign(1, {0.0, 0});
    m_runId = 0;
    forgetTimelines();
    if (startPaused) {
        m_worker->requestPause(); // atomic: holds round 0 even before start() is handled
    }
    QMetaObject::invokeMethod(
        m_worker, "start", Qt::QueuedConnection, Q_ARG(collapipe::RunRequest, request));
    setState(startPaused ? State::Paused : State::Running);
    emitProgress();
    return true;
}

void RunController::pause()
{
    if (m_state != State::Running) {
        return;
    }
    m_worker->requestPause();
    QMetaObject::invokeMethod(m_worker, &RunWorker::pause, Qt::QueuedConnection);
    setState(State::Paused);
}

void RunController::resume()
{
    if (m_state != State::Paused) {
        return;
    }
    QMetaObject::invokeMethod(m_worker, &RunWorker::resume, Qt::QueuedConnection);
    setState(State::Running);
}

void RunController::togglePause()
{
    if (m_state == State::Running) {
        pause();
    } else if (m_state == State::Paused) {
        resume();
    }
}

void RunController::step()
{
    if (m_state == State::Running) {
        pause();
    }
    if (m_state == State::Paused) {
        QMetaObject::invokeMethod(m_worker, &RunWorker::step, Qt::QueuedConnection);
    }
}

void RunController::stop()
{
    if (m_state == State::Idle || m_state == State::Stopping) {
        return;
    }
    m_worker->requestCancel(); // atomic: the Session sees it at the next micro-batch
    QMetaObject::invokeMethod(m_worker, &RunWorker::stop, Qt::QueuedConnection);
    setState(State::Stopping);
}

void RunController::setRoundDelay(int ms)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, ms] { w->setRoundDelay(ms); }, Qt::QueuedConnection);
}

void RunController::shutdown()
{
    if (!m_thread.isRunning()) {
        return;
    }
    if (m_worker && m_state != State::Idle) {
        m_worker->requestCancel();
        // Blocking: the worker finalises the stored run (status stopped) before the thread ends;
        // the cancel flag makes the current round give up at its next micro-batch.
        QMetaObject::invokeMethod(m_worker, &RunWorker::stop, Qt::BlockingQueuedConnection);
    }
    m_thread.requestInterruption();
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
    setState(State::Idle);
}

void RunController::setState(State state)
{
    if (state == m_state) {
        return;
    }
    m_state = state;
    Q_EMIT stateChanged(state);
    const bool paused = state == State::Paused;
    if (paused != m_progress.paused && (paused || state == State::Running)) {
        m_progress.paused = paused;
        if (paused) {
            m_rateWindow.clear(); // the pause is no part of the rate after resuming
        }
        emitProgress();
    }
}

void RunController::onStarted(qint64 runId, int roundsPlanned)
{
    m_runId = runId;
    m_progress.roundsPlanned = roundsPlanned;
    Q_EMIT runStarted(runId, roundsPlanned);
}

bool RunController::takeRounds()
{
    if (!m_worker) {
        return false;
    }
    m_worker->takeRounds(&m_batch);
    if (m_batch.empty()) {
        return false;
    }
    ++m_batches;
    for (const StampedRound &round : m_batch) {
        onRound(round);
    }
    m_batch.clear();
    if (!m_progressTimer.isActive()) {
        m_progressTimer.start(); // at most one progressChanged per interval
    }
    return true;
}

void RunController::onRound(const StampedRound &round)
{
    const RoundRecord &record = *round.record;
    m_progress.roundsDone = record.round + 1;
    m_progress.simTimeS = record.simTimeS;
    m_progress.engineS = round.engineS;
    const double now = round.engineS;
    m_rateWindow.emplace_back(now, m_progress.roundsDone);
    // Rate over the last ~3 s of the engine's time so Watch-mode pacing and bursts settle quickly.
    while (m_rateWindow.size() > 2 && now - m_rateWindow.front().first > 3.0) {
        m_rateWindow.pop_front();
    }
    const auto &[t0, r0] = m_rateWindow.front();
    if (m_rateWindow.size() >= 2 && now > t0) {
        m_progress.roundsPerSecond = (m_progress.roundsDone - r0) / (now - t0);
    } // else the first round after a resume: the rate before the pause stays
    const int left = m_progress.roundsPlanned - m_progress.roundsDone;
    m_progress.etaS = m_progress.roundsPerSecond > 0.0 ? left / m_progress.roundsPerSecond : -1.0;
    if (round.timeline) {
        keepDeferred(record.round, round.timeline);
    }
    Q_EMIT roundFinished(record);
    Q_EMIT roundShared(round.record);
}

void RunController::keepDeferred(int round, std::shared_ptr<const RoundTimelineInputs> inputs)
{
    if (m_deferred.empty() && m_deferredFirstRound == m_deferredKeptFrom) {
        m_deferredFirstRound = m_deferredKeptFrom = round;
    }
    const std::size_t bytes = inputs->heldBytes();
    m_deferred.push_back({round, std::move(inputs), bytes});
    m_deferredBytes += bytes;
    keepDeferredInBudget();
}

void RunController::keepDeferredInBudget()
{
    while (m_deferred.size() > 1 && m_deferredBytes > m_deferredBudget) {
        m_deferredBytes -= m_deferred.front().bytes;
        m_deferred.pop_front();
        m_deferredKeptFrom = m_deferred.front().round;
    }
}

void RunController::setTimelineBudgetBytes(std::size_t bytes)
{
    m_deferredBudget = bytes;
    keepDeferredInBudget();
}

void RunController::forgetTimelines()
{
    m_deferred.clear();
    m_deferredBytes = 0;
    m_deferredFirstRound = m_deferredKeptFrom = 0;
    m_built.reset();
}

const RunController::Deferred *RunController::findDeferred(int round) const
{
    if (m_deferred.empty() || round < m_deferred.front().round || round > m_deferred.back().round) {
        return nullptr;
    }
    // Rounds arrive in order, one each: the index is the offset (a search if ever not).
    const std::size_t i = std::size_t(round - m_deferred.front().round);
    if (i < m_deferred.size() && m_deferred[i].round == round) {
        return &m_deferred[i];
    }
    const auto it = std::find_if(m_deferred.begin(), m_deferred.end(),
        [round](const Deferred &d) { return d.round == round; });
    return it == m_deferred.end() ? nullptr : &*it;
}

bool RunController::hasDeferredTimeline(int round) const
{
    return findDeferred(round) != nullptr;
}

std::shared_ptr<const RoundTimelineInputs> RunController::timelineInputs(
    const RoundRecord &record) const
{
    if (!record.events.empty()) {
        return {};
    }
    const Deferred *deferred = findDeferred(record.round);
    return deferred ? deferred->inputs : nullptr;
}

SharedRound RunController::withTimeline(const SharedRound &record)
{
    if (!record || !record->events.empty()) {
        return record;
    }
    const Deferred *deferred = findDeferred(record->round);
    if (!deferred) {
        return record;
    }
    if (m_built && m_built->round == record->round) {
        return m_built;
    }
    RoundRecord built = *record;
    built.events = roundEvents(*deferred->inputs);
    ++m_timelinesBuilt;
    m_built = shareRound(std::move(built));
    return m_built;
}

void RunController::emitProgress()
{
    m_progressTimer.stop();
    Q_EMIT progressChanged(m_progress);
}

void RunController::onPaused(bool paused)
{
    if (m_state == State::Stopping || m_state == State::Idle) {
        return;
    }
    setState(paused ? State::Paused : State::Running);
}

void RunController::onFinished(int status, const QString &message, qint64 runId)
{
    takeRounds(); // every round reaches the views before the run is reported finished
    if (m_progressTimer.isActive()) {
        emitProgress();
    }
    m_lastStatus = static_cast<SessionStatus>(status);
    m_lastMessage = message;
    if (runId != 0) {
        m_runId = runId;
    }
    setState(State::Idle);
    Q_EMIT runFinished(status, message, runId);
}

} // namespace collapipe
