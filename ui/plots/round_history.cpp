// SPDX-License-Identifier: MIT
#include "ui/plots/round_history.h"

#include <algorithm>

namespace collapipe {

RoundHistory::RoundHistory(
    std::size_t capacity, std::size_t eventBudgetBytes, std::size_t totalBudgetBytes)
    : m_capacity(std::max<std::size_t>(capacity, 1))
    , m_eventBudget(eventBudgetBytes)
    , m_totalBudget(totalBudgetBytes)
{ }

std::size_t RoundHistory::timelineBytes(const RoundRecord &record)
{
    return record.events.size() * sizeof(TimelineEvent);
}

std::size_t RoundHistory::compactBytes(const RoundRecord &record)
{
    return sizeof(RoundRecord) + record.devices.size() * sizeof(DeviceRound)
        + record.clusters.size() * sizeof(ClusterRound);
}

void RoundHistory::clear()
{
    m_records.clear();
    m_compactCount = 0;
    m_eventBytes = 0;
    m_compactBytes = 0;
}

void RoundHistory::append(const RoundRecord &record)
{
    append(shareRoundCopy(record));
}

void RoundHistory::append(SharedRound record)
{
    if (!record) {
        return;
    }
    // A replay may jump back; keep rounds sorted by dropping anything at or after this round.
    while (!m_records.empty() && m_records.back()->round >= record->round) {
        const SharedRound &last = m_records.back();
        m_compactBytes -= compactBytes(*last);
        if (m_records.size() > m_compactCount) {
            m_eventBytes -= timelineBytes(*last);
        } else {
            --m_compactCount;
        }
        m_records.pop_back();
    }
    m_eventBytes += timelineBytes(*record);
    m_compactBytes += compactBytes(*record);
    m_records.push_back(std::move(record));
    keepInBudget();
}

void RoundHistory::dropOldest()
{
    const SharedRound &first = m_records.front();
    m_compactBytes -= compactBytes(*first);
    if (m_compactCount > 0) {
        --m_compactCount;
    } else {
        m_eventBytes -= timelineBytes(*first);
    }
    m_records.pop_front();
}

void RoundHistory::keepInBudget()
{
    while (m_records.size() > m_capacity) {
        dropOldest();
    }
    // The oldest whole record becomes compact until the timelines fit (the newest stays whole).
    while (m_eventBytes > m_eventBudget && fullCount() > 1) {
        SharedRound &whole = m_records[m_compactCount];
        m_eventBytes -= timelineBytes(*whole);
        // Every field of RoundRecord but its events (keep in step with round_record.h).
        auto compact = std::make_shared<RoundRecord>();
        const RoundRecord &from = *whole;
        compact->round = from.round;
        compact->simTimeS = from.simTimeS;
        compact->latencyS = from.latencyS;
        compact->split = from.split;
        compact->bubbleFraction = from.bubbleFraction;
        compact->computationEfficiency = from.computationEfficiency;
        compact->energyJ = from.energyJ;
        compact->loss = from.loss;
        compact->accuracy = from.accuracy;
        compact->drift = from.drift;
        compact->penalty = from.penalty;
        compact->objective = from.objective;
        compact->decisionTimeS = from.decisionTimeS;
        compact->bytesMoved = from.bytesMoved;
        compact->clusters = from.clusters;
        compact->devices = from.devices;
        whole = std::move(compact);
        ++m_compactCount;
    }
    while (heldBytes() > m_totalBudget && m_records.size() > 1) {
        dropOldest();
    }
}

SharedRound RoundHistory::findShared(int round) const
{
    const auto it = std::lower_bound(m_records.begin(), m_records.end(), round,
        [](const SharedRound &r, int t) { return r->round < t; });
    return it != m_records.end() && (*it)->round == round ? *it : SharedRound();
}

const RoundRecord *RoundHistory::find(int round) const
{
    return findShared(round).get();
}

bool RoundHistory::hasTimeline(int round) const
{
    const auto it = std::lower_bound(m_records.begin(), m_records.end(), round,
        [](const SharedRound &r, int t) { return r->round < t; });
    return it != m_records.end() && (*it)->round == round
        && std::size_t(it - m_records.begin()) >= m_compactCount;
}

} // namespace collapipe
