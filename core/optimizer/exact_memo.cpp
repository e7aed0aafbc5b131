// SPDX-License-Identifier: MIT
#include "core/optimizer/exact_memo.h"

#include "core/optimizer/dssda_solver.h"

#include <bit>

namespace collapipe {

namespace exact_memo {

constexpr std::size_t kMaxEntries = 4096; ///< past this a solve just evaluates (never wrong)

std::uint64_t mix(std::uint64_t h, std::uint64_t v)
{
    // FNV-1a over 64-bit words, then a final avalanche in hashOf().
    return (h ^ v) * 0x100000001b3ULL;
}

std::uint64_t bitsOf(double x)
{
    return std::bit_cast<std::uint64_t>(x);
}

/// Storage handed from one memo of a thread to the next (ExactMemo::m_entries).
struct Pool
{
    std::vector<ExactMemo::Entry> entries;
    std::vector<int> index;
};

Pool &threadPool()
{
    thread_local Pool pool;
    return pool;
}

} // namespace exact_memo

ExactMemo::ExactMemo(const Scenario &scenario, int cluster, const ClusterChannel &channel,
    const ClusterWeights &weights)
    : m_scenario(scenario)
    , m_cluster(cluster)
    , m_channel(channel)
    , m_weights(weights)
{
    // The entries and index of the thread's last memo (their storage; no entry counts).
    exact_memo::Pool &pool = exact_memo::threadPool();
    m_entries.swap(pool.entries);
    m_index.swap(pool.index);
    m_index.clear();
    if (m_entries.capacity() < 64) {
        // A solve keeps a few dozen entries (default.json: ~30): one allocation, no entry
        // moved by a growing vector.
        m_entries.reserve(64);
    }
}

ExactMemo::~ExactMemo()
{
    // Back to the thread's pool, unless a memo made meanwhile (a nested one) left more there.
    exact_memo::Pool &pool = exact_memo::threadPool();
    if (pool.entries.size() <= m_entries.size()) {
        pool.entries.swap(m_entries);
        pool.index.swap(m_index);
    }
}

bool ExactMemo::sameBits(const ClusterDecision &a, const ClusterDecision &b)
{
    using exact_memo::bitsOf;
    if (a.microbatches != b.microbatches || a.microbatchSize != b.microbatchSize
        || a.schedule != b.schedule || a.interleave != b.interleave || a.mode != b.mode
        || bitsOf(a.controlUnitShare) != bitsOf(b.controlUnitShare)
        || a.stages.size() != b.stages.size()) {
        return false;
    }
    for (std::size_t j = 0; j < a.stages.size(); ++j) {
        const StageDecision &x = a.stages[j];
        const StageDecision &y = b.stages[j];
        if (x.device != y.device || x.firstBlock != y.firstBlock || x.lastBlock != y.lastBlock
            || bitsOf(x.bandwidthShare) != bitsOf(y.bandwidthShare)
            || bitsOf(x.powerW) != bitsOf(y.powerW)) {
            return false;
        }
    }
    return true;
}

std::uint64_t ExactMemo::hashOf(const ClusterDecision &d)
{
    using exact_memo::bitsOf;
    using exact_memo::mix;
    std::uint64_t h = 0xcbf29ce484222325ULL;
    h = mix(
        h, std::uint64_t(std::uint32_t(d.microbatches)) << 32 | std::uint32_t(d.microbatchSize));
    h = mix(h,
        std::uint64_t(int(d.schedule)) << 40 | std::uint64_t(int(d.mode)) << 32
            | std::uint32_t(d.interleave));
    h = mix(h, bitsOf(d.controlUnitShare));
    for (const StageDecision &st : d.stages) {
        h = mix(h,
            std::uint64_t(std::uint32_t(st.device)) << 32
                | (std::uint32_t(st.firstBlock) << 16 ^ std::uint32_t(st.lastBlock)));
        h = mix(h, bitsOf(st.bandwidthShare));
        h = mix(h, bitsOf(st.powerW));
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

const ExactMemo::Entry *ExactMemo::find(std::uint64_t hash, const ClusterDecision &decision) const
{
    if (m_index.empty()) {
        return nullptr;
    }
    const std::size_t mask = m_index.size() - 1;
    for (std::size_t at = std::size_t(hash) & mask;; at = (at + 1) & mask) {
        const int e = m_index[at];
        if (e < 0) {
            return nullptr;
        }
        const Entry &entry = m_entries[std::size_t(e)];
        if (entry.hash == hash && sameBits(entry.decision, decision)) {
            return &entry;
        }
    }
}

bool ExactMemo::find(const ClusterDecision &decision, double *value)
{
    if (!m_enabled) {
        return false;
    }
    const Entry *hit = find(hashOf(decision), decision);
    if (!hit) {
        return false;
    }
    ++m_hits;
    *value = hit->value;
    return true;
}

double ExactMemo::operator()(const ClusterDecision &decision, ClusterCost *cost)
{
    if (!m_enabled) {
        ++m_misses;
        return exactObjective(m_scenario, m_cluster, m_channel, m_weights, decision, cost);
    }
    const std::uint64_t hash = hashOf(decision);
    if (const Entry *hit = find(hash, decision); hit && (!cost || hit->hasCost)) {
        ++m_hits;
        if (cost) {
            *cost = hit->cost;
        }
        return hit->value;
    }
    ++m_misses;
    if (m_broadcastS.empty()) {
        m_broadcastS = broadcastTimesS(m_scenario, m_cluster, m_channel);
    }
    ClusterCost own;
    const double value = exact_memo::exactObjectiveWith(m_scenario, m_cluster, m_channel, m_weights,
        decision, cost ? &own : nullptr, &m_broadcastS);
    if (cost) {
        *cost = own;
    }
    if (m_count >= exact_memo::kMaxEntries || find(hash, decision)) {
        return value; // full, or already kept without its evaluation: keep that one
    }
    if (2 * (m_count + 1) > m_index.size()) {
        // Grow the table to keep it at most half full, re-inserting every entry.
        m_index.assign(std::max<std::size_t>(64, 2 * m_index.size()), -1);
        const std::size_t mask = m_index.size() - 1;
        for (std::size_t e = 0; e < m_count; ++e) {
            std::size_t at = std::size_t(m_entries[e].hash) & mask;
            while (m_index[at] >= 0) {
                at = (at + 1) & mask;
            }
            m_index[at] = int(e);
        }
    }
    const std::size_t mask = m_index.size() - 1;
    std::size_t at = std::size_t(hash) & mask;
    while (m_index[at] >= 0) {
        at = (at + 1) & mask;
    }
    m_index[at] = int(m_count);
    if (m_count == m_entries.size()) {
        m_entries.push_back(Entry{hash, decision, value, cost != nullptr, std::move(own)});
    } else {
        Entry &e = m_entries[m_count];
        e.hash = hash;
        e.decision = decision; // reuses the kept entry's stage list
        e.value = value;
        e.hasCost = cost != nullptr;
        if (cost) {
            e.cost = std::move(own); // else the kept cost is never read (hasCost false)
        }
    }
    ++m_count;
    return value;
}

} // namespace collapipe
