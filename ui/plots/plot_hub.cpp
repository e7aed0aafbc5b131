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
    m_intervalMs = ms;
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
    appendShared(shareRoundCopy(record));
}

void PlotHub::appendShared(const SharedRound &record)
{
    if (!record) {
        return;
    }
    m_pending.push_back(record);
    if (!m_timer.isActive()) {
        const bool quiet
            = m_leadingFlush && (!m_sinceFlush.isValid() || m_sinceFlush.elapsed() >= m_intervalMs);
        m_timer.start(quiet ? 0 : m_intervalMs); // else coalesce a burst into one flush
    }
}

void PlotHub::appendRounds(const std::vector<RoundRecord> &records)
{
    m_pending.reserve(m_pending.size() + records.size());
    for (const RoundRecord &r : records) {
        m_pending.push_back(shareRoundCopy(r));
    }
    if (!m_timer.isActive()) {
        m_timer.start(m_intervalMs);
    }
}

void PlotHub::flushNow()
{
    m_timer.stop();
    if (m_pending.empty()) {
        return;
    }
    m_sinceFlush.start();
    std::vector<SharedRound> batch;
    batch.swap(m_pending);
    m_churn.take(batch); // once per round, for every panel
    for (RoundPlot *p : m_panels) {
        for (const SharedRound &r : batch) {
            p->appendRound(*r);
        }
        p->flush();
    }
    const int rounds = static_cast<int>(batch.size());
    const int latest = batch.back()->round;
    for (SharedRound &r : batch) {
        m_history.append(std::move(r)); // ~75,000 events a round at 100 x 10: shared, not copied
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
        emitSelected(shareRound(std::move(loaded)));
    } else if (SharedRound r = m_history.findShared(round)) {
        emitSelected(r);
    }
}

void PlotHub::emitSelected(const SharedRound &record)
{
    Q_EMIT selectedRecordChanged(*record);
    Q_EMIT selectedSharedChanged(record);
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
