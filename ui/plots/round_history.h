// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"
#include "core/types/shared_round.h"

#include <cstddef>
#include <deque>

namespace collapipe {

/// The rounds of the current run so the Gantt, the decision table and the canvas can show a
/// picked round without a database query, and a panel can back-fill series it creates later.
/// Bounded in memory, not only in rounds (issue [7/7]): a round of 1,000 devices carries ~75,000
/// timeline events (~3 MB), so 512 full rounds were ~1.5 GB. The newest rounds are kept whole
/// while their events fit eventBudgetBytes(); older ones keep a compact copy (every field but the
/// timeline: the decision table, the canvas and the plots need no more); the oldest compact ones
/// go once all records pass totalBudgetBytes(). The newest round is always kept whole. Records
/// are shared (SharedRound): holding one costs no copy. Rounds no longer held come from the store
/// (replay) or are reported as unavailable.
class RoundHistory
{
public:
    /// 512 rounds; timelines up to 64 MiB; everything up to 256 MiB.
    explicit RoundHistory(std::size_t capacity = 512, std::size_t eventBudgetBytes = 64u << 20,
        std::size_t totalBudgetBytes = 256u << 20);

    void append(const RoundRecord &record);
    /// As append(), without copying the record (the hub's flushed batch).
    void append(SharedRound record);
    void clear();
    /// The record of `round`, or nullptr if it is not (or no longer) held. A compact record
    /// (hasTimeline() false) has no events.
    const RoundRecord *find(int round) const;
    SharedRound findShared(int round) const;
    /// False when `round` is not held or its timeline was dropped to stay in budget.
    bool hasTimeline(int round) const;
    const RoundRecord *latest() const
    {
        return m_records.empty() ? nullptr : m_records.back().get();
    }
    std::size_t size() const { return m_records.size(); }
    /// Oldest first (a panel back-fills series it creates later from these).
    const std::deque<SharedRound> &records() const { return m_records; }
    std::size_t capacity() const { return m_capacity; }
    std::size_t eventBudgetBytes() const { return m_eventBudget; }
    /// Another budget for the timelines (older ones become compact now if they pass it).
    void setEventBudgetBytes(std::size_t bytes)
    {
        m_eventBudget = bytes;
        keepInBudget();
    }
    std::size_t totalBudgetBytes() const { return m_totalBudget; }
    /// Bytes the held records account for (vectors' elements; names are shared strings).
    std::size_t heldBytes() const { return m_eventBytes + m_compactBytes; }
    /// Records kept whole (the newest ones).
    std::size_t fullCount() const { return m_records.size() - m_compactCount; }

    /// The bytes a record's timeline accounts for / everything but its timeline.
    static std::size_t timelineBytes(const RoundRecord &record);
    static std::size_t compactBytes(const RoundRecord &record);

private:
    void dropOldest();
    void keepInBudget();

    std::deque<SharedRound> m_records; ///< sorted by round; the first m_compactCount compact
    std::size_t m_capacity;
    std::size_t m_eventBudget;
    std::size_t m_totalBudget;
    std::size_t m_compactCount = 0;
    std::size_t m_eventBytes = 0;   ///< timelines of the whole records
    std::size_t m_compactBytes = 0; ///< everything else of every record
};

} // namespace collapipe
