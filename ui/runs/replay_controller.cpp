// SPDX-License-Identifier: MIT
#include "ui/runs/replay_controller.h"

#include "core/scenario/scenario_json.h"
#include "ui/plots/plot_hub.h"
#include "ui/runs/store_loader.h"

#include <algorithm>

namespace collapipe {

ReplayController::ReplayController(PlotHub *hub, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
{ }

ReplayController::~ReplayController() = default;

void ReplayController::open(const QString &dbPath, qint64 runId)
{
    const quint64 request = ++m_openRequest;
    StoreLoader::instance()->loadReplay(
        dbPath, runId, this, [this, request, dbPath](ReplayData data) {
            if (request != m_openRequest) {
                return;
            }
            if (!data.ok) {
                Q_EMIT openFailed(data.runId, data.error);
                return;
            }
            m_dbPath = dbPath;
            showRun(std::move(data));
        });
}

void ReplayController::showRun(ReplayData data)
{
    Scenario scenario;
    // A stored scenario that no longer parses still replays; budgets just stay unknown.
    std::vector<ScenarioProblem> problems;
    m_scenarioError.clear();
    if (!scenarioFromJson(data.scenarioJson.toUtf8(), &scenario, &problems)) {
        m_scenarioError = problems.empty() ? tr("the stored scenario does not parse")
                                           : problems.front().toString();
    }
    m_name = data.info.name;
    m_byExperiment = data.info.point.isSet();
    m_index = -1;
    m_rounds = std::move(data.rounds);
    m_scenario = scenario;
    m_runId = data.runId;
    m_eventsRound = -1;
    m_eventsRequested = -1;
    m_events.clear();
    m_hub->clear();
    m_hub->setFollowLatest(false);
    m_hub->setScenario(m_scenario);
    m_hub->setRecordProvider([this](int round, RoundRecord *out) { return recordAt(round, out); });
    m_hub->appendRounds(m_rounds);
    m_hub->flushNow();
    Q_EMIT opened(m_runId, roundCount());
    if (!m_rounds.empty()) {
        setRoundIndex(0);
    }
}

void ReplayController::close()
{
    const bool wasOpen = isOpen();
    m_hub->setRecordProvider({});
    ++m_openRequest; // an open still on its way no longer applies
    m_rounds.clear();
    m_events.clear();
    m_eventsRound = -1;
    m_eventsRequested = -1;
    m_runId = 0;
    m_index = -1;
    if (wasOpen) {
        Q_EMIT closed();
    }
}

void ReplayController::setRoundIndex(int index)
{
    if (m_rounds.empty()) {
        return;
    }
    index = std::clamp(index, 0, roundCount() - 1);
    const int round = m_rounds[static_cast<std::size_t>(index)].round;
    m_index = index;
    m_hub->setSelectedRound(round);
    Q_EMIT roundChanged(round, index);
}

bool ReplayController::recordAt(int round, RoundRecord *out)
{
    const auto it = std::lower_bound(m_rounds.begin(), m_rounds.end(), round,
        [](const RoundRecord &r, int t) { return r.round < t; });
    if (it == m_rounds.end() || it->round != round) {
        return false;
    }
    *out = *it;
    // Events are the bulk of a run: only the selected round's timeline is read, off the UI
    // thread; until it arrives the round shows without it.
    if (m_eventsRound == round) {
        out->events = m_events;
    } else {
        requestEvents(round);
    }
    return true;
}

void ReplayController::requestEvents(int round)
{
    if (m_eventsRequested == round) {
        return;
    }
    m_eventsRequested = round;
    const qint64 runId = m_runId;
    StoreLoader::instance()->loadEvents(m_dbPath, runId, round, this, [this](ReplayEvents loaded) {
        if (loaded.runId != m_runId || loaded.round != m_eventsRequested) {
            return; // another run, or the slider moved on: a newer request is coming
        }
        m_eventsRequested = -1;
        m_eventsRound = loaded.round;
        m_events = std::move(loaded.events);
        m_eventsError = loaded.ok ? QString() : loaded.error;
        if (m_hub->selectedRound() == loaded.round) {
            m_hub->setSelectedRound(loaded.round); // shown again, now with its timeline
        }
        Q_EMIT eventsLoaded(loaded.round);
    });
}

} // namespace collapipe
