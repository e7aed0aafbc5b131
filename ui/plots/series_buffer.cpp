// SPDX-License-Identifier: MIT
#include "ui/plots/series_buffer.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

SeriesBuffer::SeriesBuffer(std::size_t capacity)
    : m_capacity(std::max<std::size_t>(capacity, 1))
{ }

bool SeriesBuffer::append(double round, double timeS, double value)
{
    if (!std::isfinite(value)) {
        return false;
    }
    m_points.push_back({round, timeS, value});
    ++m_pending;
    if (!m_rangeDirty) {
        if (!m_range.valid) {
            m_range = {value, value, true};
        } else {
            m_range.lower = std::min(m_range.lower, value);
            m_range.upper = std::max(m_range.upper, value);
        }
    }
    trimToCapacity();
    return true;
}

void SeriesBuffer::clear()
{
    m_points.clear();
    m_pending = 0;
    m_trimmed = false;
    m_range = {};
    m_rangeDirty = false;
}

void SeriesBuffer::setCapacity(std::size_t capacity)
{
    m_capacity = std::max<std::size_t>(capacity, 1);
    trimToCapacity();
}

bool SeriesBuffer::takeTrimmed()
{
    const bool trimmed = m_trimmed;
    m_trimmed = false;
    return trimmed;
}

void SeriesBuffer::trimToCapacity()
{
    if (m_points.size() <= m_capacity) {
        return;
    }
    // Trim an eighth of the window at once so a full buffer does not make the plot drop data
    // (removeBefore) on every single append.
    const std::size_t excess = m_points.size() - m_capacity;
    const std::size_t drop = std::min(m_points.size(), excess + m_capacity / 8);
    for (std::size_t i = 0; i < drop && !m_rangeDirty; ++i) {
        const double v = m_points[i].value;
        if (v <= m_range.lower || v >= m_range.upper) {
            m_rangeDirty = true;
        }
    }
    m_points.erase(m_points.begin(), m_points.begin() + static_cast<std::ptrdiff_t>(drop));
    m_pending = std::min(m_pending, m_points.size());
    m_trimmed = true;
}

ValueRange SeriesBuffer::valueRange() const
{
    if (m_rangeDirty) {
        m_range = {};
        for (const SeriesPoint &p : m_points) {
            if (!m_range.valid) {
                m_range = {p.value, p.value, true};
            } else {
                m_range.lower = std::min(m_range.lower, p.value);
                m_range.upper = std::max(m_range.upper, p.value);
            }
        }
        m_rangeDirty = false;
    }
    return m_range;
}

std::size_t SeriesBuffer::lowerBound(XAxisMode mode, double x) const
{
    const auto it = std::lower_bound(m_points.begin(), m_points.end(), x,
        [mode](const SeriesPoint &p, double k) { return p.key(mode) < k; });
    return static_cast<std::size_t>(it - m_points.begin());
}

} // namespace collapipe
