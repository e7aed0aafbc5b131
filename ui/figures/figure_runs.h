// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>

#include <algorithm>
#include <cstdint>
#include <vector>

class QCPAbstractPlottable;

/// Which stored runs a figure's data point stands for (its seeds), so the Studio can open the run
/// behind a clicked point. Figure builders fill it; the report ignores it.
namespace collapipe::figures {

class FigureRuns
{
public:
    void clear() { m_runs.clear(); }
    /// The runs behind data point `index` of `plottable` (appended in data order).
    void add(const QCPAbstractPlottable *plottable, std::vector<std::int64_t> runIds)
    {
        m_runs[plottable].push_back(std::move(runIds));
    }
    /// The runs behind a data point, the lowest seed first; empty when unknown.
    std::vector<std::int64_t> at(const QCPAbstractPlottable *plottable, int index) const
    {
        const auto it = m_runs.constFind(plottable);
        if (it == m_runs.constEnd() || index < 0 || index >= int(it->size())) {
            return {};
        }
        return (*it)[std::size_t(index)];
    }
    /// Data points with runs, over all plottables.
    int pointCount() const
    {
        int n = 0;
        for (const auto &perPlottable : m_runs) {
            n += int(perPlottable.size());
        }
        return n;
    }

private:
    QHash<const QCPAbstractPlottable *, std::vector<std::vector<std::int64_t>>> m_runs;
};

/// The run ids of the stored points `belongs` accepts, the lowest seed first: what one data point
/// of a figure (a mean over seeds) stands for.
template <typename Point, typename Belongs>
std::vector<std::int64_t> runIdsBySeed(const std::vector<Point> &points, Belongs belongs)
{
    std::vector<const Point *> members;
    for (const Point &p : points) {
        if (belongs(p)) {
            members.push_back(&p);
        }
    }
    std::sort(members.begin(), members.end(),
        [](const Point *a, const Point *b) { return a->seed < b->seed; });
    std::vector<std::int64_t> ids;
    for (const Point *p : members) {
        ids.push_back(p->runId);
    }
    return ids;
}

} // namespace collapipe::figures
