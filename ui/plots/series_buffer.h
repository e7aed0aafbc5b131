// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <deque>

/// A bounded, append-only series for the live plots (style.md rule 6). Each point carries both
/// x keys (round number and simulated time) so the x axis can switch without asking the engine
/// again. The oldest points are trimmed once the capacity is reached; the value range is cached
/// and only recomputed after a trim removed an extreme point. Not thread-safe: GUI thread only.
namespace collapipe {

enum class XAxisMode {
    Round,  ///< x = round index t
    SimTime ///< x = simulated clock after the round, seconds
};

struct SeriesPoint
{
    double round = 0.0;
    double timeS = 0.0;
    double value = 0.0;

    double key(XAxisMode mode) const { return mode == XAxisMode::Round ? round : timeS; }
};

struct ValueRange
{
    double lower = 0.0;
    double upper = 0.0;
    bool valid = false; ///< false while the series holds no finite value
};

class SeriesBuffer
{
public:
    static constexpr std::size_t kDefaultCapacity = 2'000'000;

    explicit SeriesBuffer(std::size_t capacity = kDefaultCapacity);

    /// Appends one point; keys must not decrease. Non-finite values are dropped (a gap in the
    /// data, e.g. accuracy between evaluations) and return false.
    bool append(double round, double timeS, double value);
    void clear();

    std::size_t size() const { return m_points.size(); }
    bool isEmpty() const { return m_points.empty(); }
    const SeriesPoint &at(std::size_t i) const { return m_points[i]; }
    const SeriesPoint &front() const { return m_points.front(); }
    const SeriesPoint &back() const { return m_points.back(); }
    std::size_t capacity() const { return m_capacity; }
    /// Shrinking trims the oldest points at once.
    void setCapacity(std::size_t capacity);

    /// Points appended since the last markFlushed(), i.e. not yet handed to the plot.
    std::size_t pendingCount() const { return m_pending; }
    /// The first pending point's index; the pending points are [firstPending(), size()).
    std::size_t firstPending() const { return m_points.size() - m_pending; }
    void markFlushed() { m_pending = 0; }
    /// True when points were trimmed since the last takeTrimmed(); the plot must then drop
    /// everything before front() as well.
    bool takeTrimmed();

    /// Min/max of the values held (cached; O(1) unless a trim removed an extreme).
    ValueRange valueRange() const;
    /// Index of the first point with key ≥ x (binary search; keys are sorted).
    std::size_t lowerBound(XAxisMode mode, double x) const;

private:
    void trimToCapacity();

    std::deque<SeriesPoint> m_points;
    std::size_t m_capacity;
    std::size_t m_pending = 0;
    bool m_trimmed = false;
    mutable ValueRange m_range;
    mutable bool m_rangeDirty = false;
};

} // namespace collapipe
