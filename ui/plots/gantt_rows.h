// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace collapipe {

class ClusterRowFilter;

/// The lanes of a cluster's summary row: what kind of resource was busy (issue [7/7] polish: on
/// 100 × 10 the merged busy spans were one solid bar, since some link or upload is busy almost
/// always).
enum class GanttLane {
    Compute,  ///< devices, control unit and edge server computing (embed, forward, backward, …)
    Transfer, ///< activations and gradients on the links (D2D, CU and edge hops)
    Upload,   ///< the model upload and its aggregation at the edge
};
inline constexpr int kGanttLanes = 3;

/// The lane an event of `kind` on a resource of `resource` kind is drawn in.
GanttLane ganttLaneOf(EventKind kind, ResourceKind resource);

/// A stretch of a summary lane with a constant number of the lane's resources busy.
struct LaneSpan
{
    double start = 0.0;
    double end = 0.0;
    GanttLane lane = GanttLane::Compute;
    int busy = 0; ///< resources of the lane busy during [start, end)
};

/// One row of the Gantt: a resource (control unit, device, link, edge server) or, in a round
/// with several clusters, a cluster's summary row (its busy spans merged).
struct GanttRow
{
    QString label;
    int cluster = 0;
    bool summary = false;
    bool highlighted = false; ///< matches the search
    /// Summary rows: the union of the cluster's event intervals, sorted, disjoint (s).
    std::vector<std::pair<double, double>> spans;
    /// Summary rows: per lane, in time order, the stretches with some of its resources busy
    /// (how many: `busy` of laneResources[lane]).
    std::vector<LaneSpan> lanes;
    std::array<int, kGanttLanes> laneResources{}; ///< the cluster's resources per lane
    std::array<double, kGanttLanes> laneBusyS{};  ///< time with some of them busy (s)
};

/// The stretches of constant occupancy of a set of intervals (each one resource busy): sorted,
/// only where at least one is busy, neighbours with equal counts merged.
std::vector<LaneSpan> occupancySpans(
    const std::vector<std::pair<double, double>> &intervals, GanttLane lane);

/// The rows a round shows under a filter (issue [7/7]).
struct GanttLayout
{
    std::vector<GanttRow> rows;
    std::vector<int> rowOfEvent; ///< per record event: its row, −1 when not shown
    int fullRowCount = 0;        ///< rows with every cluster expanded and nothing filtered
    int clusterCount = 0;        ///< clusters with events this round
    int shownClusters = 0;
    bool grouped = false; ///< summary rows (more than one cluster)
};

/// Lays out `record`'s rows in pipeline order per cluster (CU, link, stage 0, link, …, edge),
/// clusters in index order. With several clusters each gets a summary row ("c17 ▸ 4/10 dev",
/// merged busy spans) followed, when expanded, by its resource rows ("c17 CU", …). Clusters not
/// picked are left out; a search keeps the clusters whose id or name matches and, of the others,
/// only matching rows (shown even when their cluster is collapsed). `edgeTails`: cluster →
/// "blocks c–L−1 + head", appended to the edge row's label.
GanttLayout layoutGanttRows(const RoundRecord &record, const ClusterRowFilter &filter,
    const QHash<int, QString> &edgeTails);

/// Lays rounds out as layoutGanttRows() does, keeping the resources of a run's rounds and
/// their rows' labels (issue [7/7] "The Studio keeps up with the engine": layoutGanttRows()
/// keyed ~75,000 events of a 100 x 10 round into ordered maps and formatted ~2,300 labels,
/// ~10 ms each time). The kept resources hold while their names do (device ids, cluster ids,
/// one cluster or several: another scenario builds them again); a round only looks its events'
/// resources up, orders them by its own plan (the stages change from round to round), and
/// lays the filtered rows and summary lanes out. A filter change lays the rows out again from
/// the kept resources. GUI thread only.
class GanttRowCache
{
public:
    GanttLayout layout(const RoundRecord &record, const ClusterRowFilter &filter,
        const QHash<int, QString> &edgeTails);
    void clear();
    /// Times the resources were collected anew (first round, other names), and layouts that
    /// reused them.
    int builds() const { return m_builds; }
    int reuses() const { return m_reuses; }
    /// Resources kept (rows with every cluster expanded, over the rounds seen).
    int resourceCount() const { return int(m_resources.size()); }

private:
    struct Resource
    {
        int cluster = 0;
        ResourceKind kind = ResourceKind::Device;
        int a = 0; ///< the node (a link's lower node id)
        int b = 0; ///< a link's higher node id
        QString prefix; ///< the cluster's label and a space when grouped
        QString base;   ///< the node's name (not a link)
        std::array<QString, 2> labels; ///< the row label; a link's: a→b, b→a
        QStringList deviceIds;
        // This round's (valid while stamp is the cache's).
        unsigned stamp = 0;
        int slot = 0;     ///< the cluster's place among the round's clusters
        int position = 0; ///< the row's place in its cluster
        std::uint8_t lanes = 0; ///< the lanes it has events in (bit per GanttLane)
        bool reversed = false;  ///< a link drawn b→a this round
        std::tuple<int, double, int, int, int> key; ///< cluster, pipeline place, kind, from, to
    };
    struct DeviceName
    {
        int cluster = 0;
        int device = 0;
        QString id;
        friend bool operator==(const DeviceName &, const DeviceName &) = default;
    };
    int resourceIndex(int cluster, ResourceKind kind, int a, int b);

    std::unordered_map<std::uint64_t, int> m_index;
    std::vector<Resource> m_resources;
    std::vector<DeviceName> m_names;
    std::map<std::pair<int, int>, QString> m_nameOf;
    QStringList m_ids;
    unsigned m_stamp = 0;
    bool m_grouped = false;
    bool m_valid = false;
    int m_builds = 0;
    int m_reuses = 0;
};

/// The union of intervals: sorted, overlapping or touching ones merged.
std::vector<std::pair<double, double>> mergeSpans(std::vector<std::pair<double, double>> spans);

} // namespace collapipe
