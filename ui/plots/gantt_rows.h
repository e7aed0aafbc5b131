// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

namespace collapipe {

class ClusterRowFilter;

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
};

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

} // namespace collapipe
