// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_rows.h"

#include "ui/plots/cluster_labels.h"
#include "ui/plots/cluster_round_marks.h"
#include "ui/plots/cluster_row_filter.h"

#include <QCoreApplication>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace collapipe {

namespace gantt_rows {

QString tr(const char *text)
{
    return QCoreApplication::translate("GanttPlot", text);
}

/// Pipeline position of a node: CU before stage 0, devices by stage, the edge after the last.
double nodePosition(int node, const std::map<int, int> &stageOfDevice, int stageCount)
{
    if (node == kControlUnitNode) {
        return -1.0;
    }
    if (node == kEdgeServerNode) {
        return stageCount;
    }
    const auto it = stageOfDevice.find(node);
    return it != stageOfDevice.end() ? it->second : 1000.0 + node;
}

using Key = std::tuple<int, double, int, int, int>; // cluster, position, kind, from, to

/// A resource row before filtering, with the device ids it involves (for the search).
struct ResourceRow
{
    QString label;
    QStringList deviceIds;
};

} // namespace gantt_rows

std::vector<std::pair<double, double>> mergeSpans(std::vector<std::pair<double, double>> spans)
{
    std::sort(spans.begin(), spans.end());
    return mergeSortedSpans(spans);
}

std::vector<std::pair<double, double>> mergeSortedSpans(
    const std::vector<std::pair<double, double>> &sorted)
{
    std::vector<std::pair<double, double>> merged;
    for (const auto &s : sorted) {
        if (!merged.empty() && s.first <= merged.back().second) {
            merged.back().second = std::max(merged.back().second, s.second);
        } else {
            merged.push_back(s);
        }
    }
    return merged;
}

GanttLane ganttLaneOf(EventKind kind, ResourceKind resource)
{
    if (kind == EventKind::Upload || kind == EventKind::Aggregate) {
        return GanttLane::Upload;
    }
    return resource == ResourceKind::Link ? GanttLane::Transfer : GanttLane::Compute;
}

void addSummaryLane(GanttRow &summary, GanttLane lane,
    const std::vector<std::pair<double, double>> &intervals,
    const std::vector<std::pair<double, double>> &merged, int resources)
{
    summary.laneResources[std::size_t(lane)] = resources;
    // A link row carries both directions: two events at once are one link busy.
    for (LaneSpan span : occupancySpans(intervals, lane)) {
        span.busy = std::min(span.busy, resources);
        LaneSpan *last = summary.lanes.empty() ? nullptr : &summary.lanes.back();
        if (last && last->lane == span.lane && last->busy == span.busy && last->end >= span.start) {
            last->end = span.end;
        } else {
            summary.lanes.push_back(span);
        }
    }
    for (const auto &[start, end] : merged) {
        summary.laneBusyS[std::size_t(lane)] += end - start;
    }
}

std::vector<LaneSpan> occupancySpans(
    const std::vector<std::pair<double, double>> &intervals, GanttLane lane)
{
    // The starts and the ends each sorted on their own (the starts usually are already: the
    // Gantt's lanes come sorted), then walked as one sequence of edges, an end before a start at
    // the same time (no false overlap). Sorting (time, ±1) pairs of every edge of a 100-cluster
    // round took most of the Gantt's layout (issue #16).
    std::vector<double> starts;
    std::vector<double> ends;
    starts.reserve(intervals.size());
    ends.reserve(intervals.size());
    for (const auto &[start, end] : intervals) {
        if (end > start) {
            starts.push_back(start);
            ends.push_back(end);
        }
    }
    if (!std::is_sorted(starts.begin(), starts.end())) {
        std::sort(starts.begin(), starts.end());
    }
    std::sort(ends.begin(), ends.end());
    std::vector<LaneSpan> spans;
    int busy = 0;
    std::size_t s = 0;
    std::size_t e = 0;
    const auto nextTime = [&](double fallback) {
        if (e < ends.size() && (s >= starts.size() || ends[e] <= starts[s])) {
            return ends[e];
        }
        return s < starts.size() ? starts[s] : fallback;
    };
    while (s < starts.size() || e < ends.size()) {
        double from = 0.0;
        if (e < ends.size() && (s >= starts.size() || ends[e] <= starts[s])) {
            from = ends[e++];
            --busy;
        } else {
            from = starts[s++];
            ++busy;
        }
        const double to = nextTime(from);
        if (busy <= 0 || to <= from) {
            continue;
        }
        if (!spans.empty() && spans.back().busy == busy && spans.back().end >= from) {
            spans.back().end = to;
        } else {
            spans.push_back({from, to, lane, busy});
        }
    }
    return spans;
}

GanttLayout layoutGanttRows(
    const RoundRecord &record, const ClusterRowFilter &filter, const QHash<int, QString> &edgeTails)
{
    using namespace gantt_rows;
    std::map<int, std::map<int, int>> stageOf; // cluster → device → stage
    std::map<std::pair<int, int>, QString> names;
    std::map<int, int> stageCount;
    std::map<int, std::pair<int, int>> deviceCount; // cluster → (active, all)
    for (const DeviceRound &d : record.devices) {
        names[{d.cluster, d.device}]
            = d.deviceId.isEmpty() ? QStringLiteral("dev %1").arg(d.device) : d.deviceId;
        auto &count = deviceCount[d.cluster];
        ++count.second;
        if (d.stage >= 0) {
            ++count.first;
            stageOf[d.cluster][d.device] = d.stage;
            stageCount[d.cluster] = std::max(stageCount[d.cluster], d.stage + 1);
        }
    }
    auto nodeName = [&](int cluster, int node) {
        if (node == kControlUnitNode) {
            return tr("CU");
        }
        if (node == kEdgeServerNode) {
            return tr("edge");
        }
        const auto it = names.find({cluster, node});
        return it != names.end() ? it->second : QStringLiteral("dev %1").arg(node);
    };
    std::map<Key, int> rowIndex; // key → index into resources, in pipeline order
    std::vector<Key> keyOfEvent;
    keyOfEvent.reserve(record.events.size());
    for (const TimelineEvent &e : record.events) {
        const auto &stages = stageOf[e.cluster];
        const int s = stageCount[e.cluster];
        const ResourceId &r = e.resource;
        double pos = 0.0;
        int from = r.from;
        int to = 0;
        switch (r.kind) {
        case ResourceKind::ControlUnit:
            pos = -1.0;
            from = kControlUnitNode;
            break;
        case ResourceKind::EdgeServer:
            pos = s;
            from = kEdgeServerNode;
            break;
        case ResourceKind::Device:
            pos = nodePosition(r.from, stages, s);
            break;
        case ResourceKind::Link: {
            // Both directions of a hop share one row (activations go down, gradients come back).
            const double a = nodePosition(r.from, stages, s);
            const double b = nodePosition(r.to, stages, s);
            pos = std::min(a, b) + 0.5;
            from = a <= b ? r.from : r.to;
            to = a <= b ? r.to : r.from;
            break;
        }
        }
        keyOfEvent.emplace_back(e.cluster, pos, static_cast<int>(r.kind), from, to);
        rowIndex.emplace(keyOfEvent.back(), 0);
    }
    // Every cluster of the round, also one without events (it sat the round out).
    std::set<int> clusters;
    std::map<int, const ClusterRound *> clusterRounds;
    for (const ClusterRound &c : record.clusters) {
        clusters.insert(c.cluster);
        clusterRounds[c.cluster] = &c;
    }
    for (const auto &[key, unused] : rowIndex) {
        clusters.insert(std::get<0>(key));
    }
    GanttLayout layout;
    layout.grouped = clusters.size() > 1;
    layout.clusterCount = int(clusters.size());
    layout.fullRowCount = int(rowIndex.size()) + (layout.grouped ? layout.clusterCount : 0);

    // Resource rows per cluster, in key order.
    std::map<int, std::vector<ResourceRow>> resources;
    std::map<Key, int> positionInCluster;
    for (const auto &[key, unused] : rowIndex) {
        const auto [cluster, pos, kind, from, to] = key;
        ResourceRow row;
        const auto k = static_cast<ResourceKind>(kind);
        if (k == ResourceKind::Link) {
            row.label = QStringLiteral("%1→%2").arg(nodeName(cluster, from), nodeName(cluster, to));
            for (int node : {from, to}) {
                if (node >= 0) {
                    row.deviceIds << nodeName(cluster, node);
                }
            }
        } else {
            row.label = nodeName(cluster, from);
            if (k == ResourceKind::Device) {
                row.deviceIds << row.label;
            }
        }
        if (k == ResourceKind::EdgeServer && edgeTails.contains(cluster)) {
            // Its "edge fwd/bwd" bars include the encoder tail, not only the head.
            row.label += QStringLiteral(" · ") + edgeTails.value(cluster);
        }
        if (layout.grouped) {
            row.label = QStringLiteral("%1 %2").arg(
                clusterLabel(filter.clusterIds(), cluster), row.label);
        }
        positionInCluster[key] = int(resources[cluster].size());
        resources[cluster].push_back(row);
    }

    // Busy spans per cluster, and per lane with the resources of each lane (summary rows).
    std::map<int, std::vector<std::pair<double, double>>> busy;
    std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> laneBusy;
    std::map<std::pair<int, int>, std::set<Key>> laneKeys;
    if (layout.grouped) {
        for (std::size_t i = 0; i < record.events.size(); ++i) {
            const TimelineEvent &e = record.events[i];
            busy[e.cluster].emplace_back(e.startS, e.endS);
            const int lane = static_cast<int>(ganttLaneOf(e.kind, e.resource.kind));
            laneBusy[{e.cluster, lane}].emplace_back(e.startS, e.endS);
            laneKeys[{e.cluster, lane}].insert(keyOfEvent[i]);
        }
    }

    // Filter, then number the shown rows.
    std::map<std::pair<int, int>, int> shownRow; // (cluster, position in cluster) → row
    for (int cluster : clusters) {
        if (!filter.isPicked(cluster)) {
            continue;
        }
        const std::vector<ResourceRow> &rows = resources[cluster];
        const bool clusterHit = filter.clusterMatches(cluster);
        std::vector<int> shown; // positions in cluster
        if (!filter.isSearching() || clusterHit) {
            if (!layout.grouped || filter.isExpanded(cluster)) {
                for (int i = 0; i < int(rows.size()); ++i) {
                    shown.push_back(i);
                }
            }
        } else {
            for (int i = 0; i < int(rows.size()); ++i) {
                bool hit = filter.matches(rows[i].label);
                for (const QString &id : rows[i].deviceIds) {
                    hit = hit || filter.deviceMatches(id);
                }
                if (hit) {
                    shown.push_back(i);
                }
            }
            if (shown.empty()) {
                continue; // nothing of this cluster matches
            }
        }
        ++layout.shownClusters;
        if (layout.grouped) {
            GanttRow summary;
            summary.cluster = cluster;
            summary.summary = true;
            summary.highlighted = clusterHit;
            const bool open = !shown.empty();
            const auto count = deviceCount[cluster];
            summary.label = QStringLiteral("%1 %2 %3/%4 dev")
                                .arg(clusterLabel(filter.clusterIds(), cluster),
                                    open ? QStringLiteral("▾") : QStringLiteral("▸"))
                                .arg(count.first)
                                .arg(count.second);
            if (const auto it = clusterRounds.find(cluster); it != clusterRounds.end()) {
                summary.label += clusterRoundMark(*it->second);
            }
            summary.spans = mergeSpans(std::move(busy[cluster]));
            for (int lane = 0; lane < kGanttLanes; ++lane) {
                const auto &intervals = laneBusy[{cluster, lane}];
                addSummaryLane(summary, static_cast<GanttLane>(lane), intervals,
                    mergeSpans(intervals), int(laneKeys[{cluster, lane}].size()));
            }
            layout.rows.push_back(std::move(summary));
        }
        for (int i : shown) {
            GanttRow row;
            row.cluster = cluster;
            row.label = rows[std::size_t(i)].label;
            bool hit = filter.matches(row.label);
            for (const QString &id : rows[std::size_t(i)].deviceIds) {
                hit = hit || filter.deviceMatches(id);
            }
            row.highlighted = hit;
            shownRow[{cluster, i}] = int(layout.rows.size());
            layout.rows.push_back(std::move(row));
        }
    }
    layout.rowOfEvent.reserve(keyOfEvent.size());
    for (const Key &k : keyOfEvent) {
        const auto it = shownRow.find({std::get<0>(k), positionInCluster[k]});
        layout.rowOfEvent.push_back(it != shownRow.end() ? it->second : -1);
    }
    return layout;
}

} // namespace collapipe
