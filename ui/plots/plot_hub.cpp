// SPDX-License-Identifier: MIT
#include "ui/plots/plot_hub.h"

#include "ui/plots/round_plot.h"

namespace collapipe {

PlotHub::PlotHub(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(40);
    connect(&m_timer, &QTimer::timeout, this, &PlotHub::flushNow);
}

PlotHub::~PlotHub()
{
    for (RoundPlot *p : m_panels) {
        p->churnMarkers().setFeed(nullptr); // a panel may outlive its hub
    }
}

void PlotHub::addPanel(RoundPlot *panel)
{
    m_panels.push_back(panel);
    panel->churnMarkers().setFeed(&m_churn);
    panel->setXAxisMode(m_mode);
    connect(panel, &RoundPlot::roundPicked, this, &PlotHub::onPanelPicked);
    connect(panel, &QObject::destroyed, this, [this, panel] { std::erase(m_panels, panel); });
}

void PlotHub::setRefreshInterval(int ms)
{
    m_timer.setInterval(ms);
}

void PlotHub::setRecordProvider(std::function<bool(int, RoundRecord *)> provider)
{
    m_provider = std::move(provider);
}

void PlotHub::setScenario(const Scenario &scenario)
{
    for (RoundPlot *p : m_panels) {
        p->setScenario(scenario);
    }
    Q_EMIT scenarioChanged(scenario);
}

void PlotHub::setXAxisMode(XAxisMode mode)
{
    m_mode = mode;
    for (RoundPlot *p : m_panels) {
        p->setXAxisMode(mode);
    }
}

void PlotHub::appendRound(const RoundRecord &record)
{
    m_pending.push_back(record);
    if (!m_timer.isActive()) {
        m_timer.start(); // coalesce a burst of rounds into one flush
    }
}

void PlotHub::appendRounds(const std::vector<RoundRecord> &records)
{
    m_pending.insert(m_pending.end(), records.begin(), records.end());
    if (!m_timer.isActive()) {
        m_timer.start();
    }
}

void PlotHub::flushNow()
{
    m_timer.stop();
    if (m_pending.empty()) {
        return;
    }
    std::vector<RoundRecord> batch;
    batch.swap(m_pending);
    m_churn.take(batch); // once per round, for every panel
    for (RoundPlot *p : m_panels) {
        p->appendRounds(batch);
        p->flush();
    }
    const int rounds = static_cast<int>(batch.size());
    const int latest = batch.back().round;
    for (RoundRecord &r : batch) {
        m_history.append(std::move(r)); // ~75,000 events a round at 100 x 10: not copied
    }
    batch.clear();
    ++m_flushes;
    Q_EMIT flushed(rounds);
    if (m_followLatest) {
        setSelectedRound(latest);
    }
}

void PlotHub::onPanelPicked(int round)
{
    m_followLatest = false;
    setSelectedRound(round);
}

void PlotHub::setSelectedRound(int round)
{
    m_selected = round;
    for (RoundPlot *p : m_panels) {
        p->setSelectedRound(round);
    }
    Q_EMIT selectedRoundChanged(round);
    // A provider (replay) knows every round in full; the history only the newest window.
    RoundRecord loaded;
    if (m_provider && m_provider(round, &loaded)) {
        Q_EMIT selectedRecordChanged(loaded);
    } else if (const RoundRecord *r = m_history.find(round)) {
        Q_EMIT selectedRecordChanged(*r);
    }
}

void PlotHub::clear()
{
    m_timer.stop();
    m_pending.clear();
    m_history.clear();
    m_selected = -1;
    m_followLatest = true;
    m_churn.clear();
    for (RoundPlot *p : m_panels) {
        p->clearData();
    }
}

} // namespace collapipe
