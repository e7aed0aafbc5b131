// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <array>
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

/// Adds lane `lane` of a summary row: its occupancy stretches (at most `resources` busy, equal
/// neighbours merged) and its busy time from `merged`, the union of `intervals`. One place for
/// the reference layout and the cached one.
void addSummaryLane(GanttRow &summary, GanttLane lane,
    const std::vector<std::pair<double, double>> &intervals,
    const std::vector<std::pair<double, double>> &merged, int resources);

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

/// The union of intervals: sorted, overlapping or touching ones merged.
std::vector<std::pair<double, double>> mergeSpans(std::vector<std::pair<double, double>> spans);

/// mergeSpans() of intervals already sorted.
std::vector<std::pair<double, double>> mergeSortedSpans(
    const std::vector<std::pair<double, double>> &sorted);

} // namespace collapipe
