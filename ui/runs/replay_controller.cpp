// SPDX-License-Identifier: MIT
#include "ui/runs/replay_controller.h"

#include "core/scenario/scenario_json.h"
#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "ui/plots/plot_hub.h"

#include <algorithm>

namespace collapipe {

ReplayController::ReplayController(PlotHub *hub, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
{ }

ReplayController::~ReplayController() = default;

bool ReplayController::open(const QString &dbPath, qint64 runId, QString *error)
{
    StoreOptions options;
    options.create = false;
    auto store = RunStore::open(dbPath, error, options);
    if (!store) {
        return false;
    }
    RunReader reader(store.get());
    std::vector<RoundRecord> rounds;
    QString json;
    RunInfo info;
    if (!reader.run(runId, &info, error)
        || !reader.rounds(runId, &rounds, error, RoundClusters | RoundDevices)
        || !reader.scenarioJson(runId, &json, error)) {
        return false;
    }
    Scenario scenario;
    // A stored scenario that no longer parses still replays; budgets just stay unknown.
    std::vector<ScenarioProblem> problems;
    m_scenarioError.clear();
    if (!scenarioFromJson(json.toUtf8(), &scenario, &problems)) {
        m_scenarioError = problems.empty() ? tr("the stored scenario does not parse")
                                           : problems.front().toString();
    }
    m_name = info.name;
    m_index = -1;
    m_store = std::move(store);
    m_rounds = std::move(rounds);
    m_scenario = scenario;
    m_runId = runId;
    m_hub->clear();
    m_hub->setFollowLatest(false);
    m_hub->setScenario(m_scenario);
    m_hub->setRecordProvider([this](int round, RoundRecord *out) { return recordAt(round, out); });
    m_hub->appendRounds(m_rounds);
    m_hub->flushNow();
    Q_EMIT opened(runId, roundCount());
    if (!m_rounds.empty()) {
        setRoundIndex(0);
    }
    return true;
}

void ReplayController::close()
{
    const bool wasOpen = isOpen();
    m_hub->setRecordProvider({});
    m_store.reset();
    m_rounds.clear();
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
    if (it == m_rounds.end() || it->round != round || !m_store) {
        return false;
    }
    *out = *it;
    QString error;
    // Events are the bulk of a run: read only the selected round's timeline.
    RunReader(m_store.get()).events(m_runId, round, &out->events, &error);
    return true;
}

} // namespace collapipe
