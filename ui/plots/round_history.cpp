// SPDX-License-Identifier: MIT
#include "ui/plots/round_history.h"

#include <algorithm>

namespace collapipe {

RoundHistory::RoundHistory(std::size_t capacity)
    : m_capacity(std::max<std::size_t>(capacity, 1))
{ }

void RoundHistory::append(const RoundRecord &record)
{
    // A replay may jump back; keep rounds sorted by dropping anything at or after this round.
    while (!m_records.empty() && m_records.back().round >= record.round) {
        m_records.pop_back();
    }
    m_records.push_back(record);
    while (m_records.size() > m_capacity) {
        m_records.pop_front();
    }
}

void RoundHistory::append(RoundRecord &&record)
{
    while (!m_records.empty() && m_records.back().round >= record.round) {
        m_records.pop_back();
    }
    m_records.push_back(std::move(record));
    while (m_records.size() > m_capacity) {
        m_records.pop_front();
    }
}

const RoundRecord *RoundHistory::find(int round) const
{
    const auto it = std::lower_bound(m_records.begin(), m_records.end(), round,
        [](const RoundRecord &r, int t) { return r.round < t; });
    return it != m_records.end() && it->round == round ? &*it : nullptr;
}

} // namespace collapipe
