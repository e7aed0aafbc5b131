// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <cstddef>
#include <deque>

namespace collapipe {

/// The last few full RoundRecords (with their timeline events) so the Gantt and the decision
/// table can show a selected round without a database query. Bounded: events are the bulk of a
/// record (hundreds per round), so only a window of rounds is kept; older rounds come from the
/// store (replay) or are reported as unavailable.
class RoundHistory
{
public:
    explicit RoundHistory(std::size_t capacity = 512);

    void append(const RoundRecord &record);
    /// As append(), without copying the record's events (the hub's flushed batch).
    void append(RoundRecord &&record);
    void clear() { m_records.clear(); }
    /// The record of `round`, or nullptr if it is not (or no longer) held.
    const RoundRecord *find(int round) const;
    const RoundRecord *latest() const { return m_records.empty() ? nullptr : &m_records.back(); }
    std::size_t size() const { return m_records.size(); }
    /// Oldest first (a panel back-fills series it creates later from these).
    const std::deque<RoundRecord> &records() const { return m_records; }
    std::size_t capacity() const { return m_capacity; }

private:
    std::deque<RoundRecord> m_records;
    std::size_t m_capacity;
};

} // namespace collapipe
