// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_rows.h"

#include "ui/plots/cluster_labels.h"
#include "ui/plots/cluster_round_marks.h"
#include "ui/plots/cluster_row_filter.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstdint>
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

} // namespace gantt_rows

std::vector<std::pair<double, double>> mergeSpans(std::vector<std::pair<double, double>> spans)
{
    std::sort(spans.begin(), spans.end());
    std::vector<std::pair<double, double>> merged;
    for (const auto &s : spans) {
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

std::vector<LaneSpan> occupancySpans(
    const std::vector<std::pair<double, double>> &intervals, GanttLane lane)
{
    std::vector<std::pair<double, int>> edges; // (time, +1 start / −1 end)
    edges.reserve(intervals.size() * 2);
    for (const auto &[start, end] : intervals) {
        if (end > start) {
            edges.emplace_back(start, 1);
            edges.emplace_back(end, -1);
        }
    }
    std::sort(edges.begin(), edges.end()); // ends before starts at one time: no false overlap
    std::vector<LaneSpan> spans;
    int busy = 0;
    for (std::size_t i = 0; i < edges.size(); ++i) {
        busy += edges[i].second;
        const double from = edges[i].first;
        const double to = i + 1 < edges.size() ? edges[i + 1].first : from;
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

namespace gantt_rows {

/// What one event is to the layout: its cluster, resource and kind, packed (the cache compares
/// a round's sequence of these with the previous round's).
std::uint64_t packEvent(const TimelineEvent &e)
{
    const auto field = [](int v, int bits) {
        return std::uint64_t(std::uint32_t(v)) & ((std::uint64_t(1) << bits) - 1);
    };
    return field(e.cluster, 20) | field(static_cast<int>(e.resource.kind), 3) << 20
        | field(static_cast<int>(e.kind), 5) << 23 | field(e.resource.from + 2, 18) << 28
        | field(e.resource.to + 2, 18) << 46;
}

/// Whether packEvent() is one to one for `e` (its fields fit their bits).
bool packable(const TimelineEvent &e)
{
    return e.cluster >= 0 && e.cluster < (1 << 20) && e.resource.from >= -2
        && e.resource.from < (1 << 18) - 2 && e.resource.to >= -2
        && e.resource.to < (1 << 18) - 2 && static_cast<int>(e.kind) < 32;
}

} // namespace gantt_rows

bool GanttRowCache::Structure::sameInputs(const Structure &o) const
{
    return packed == o.packed && devices == o.devices && edgeTails == o.edgeTails
        && clusterIds == o.clusterIds;
}

void GanttRowCache::clear()
{
    m_valid = false;
    m_structure = Structure();
}

void GanttRowCache::buildStructure(const RoundRecord &record, const QHash<int, QString> &edgeTails,
    const QStringList &clusterIds, Structure *out)
{
    using namespace gantt_rows;
    ++m_builds;
    Structure &st = *out;
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
    for (const ClusterRound &c : record.clusters) {
        clusters.insert(c.cluster);
    }
    for (const auto &[key, unused] : rowIndex) {
        clusters.insert(std::get<0>(key));
    }
    st.clusters.assign(clusters.begin(), clusters.end());
    st.grouped = clusters.size() > 1;
    st.fullRowCount = int(rowIndex.size()) + (st.grouped ? int(clusters.size()) : 0);
    std::map<int, int> slotOf;
    for (int cluster : st.clusters) {
        const int slot = int(slotOf.size());
        slotOf[cluster] = slot;
    }
    st.resources.assign(st.clusters.size(), {});
    st.deviceCount.assign(st.clusters.size(), {0, 0});
    for (const auto &[cluster, count] : deviceCount) {
        if (const auto it = slotOf.find(cluster); it != slotOf.end()) {
            st.deviceCount[std::size_t(it->second)] = count;
        }
    }

    // Resource rows per cluster, in key order.
    std::map<Key, int> positionInCluster;
    for (const auto &[key, unused] : rowIndex) {
        const auto [cluster, pos, kind, from, to] = key;
        struct
        {
            QString label;
            QStringList deviceIds;
        } row;
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
        if (st.grouped) {
            row.label = QStringLiteral("%1 %2").arg(clusterLabel(clusterIds, cluster), row.label);
        }
        auto &rows = st.resources[std::size_t(slotOf[cluster])];
        positionInCluster[key] = int(rows.size());
        rows.push_back({row.label, row.deviceIds});
    }
    // Per event: its cluster's slot and its resource's position; per lane, the resources of
    // each cluster with an event in it (summary rows).
    st.eventSlot.resize(record.events.size());
    st.eventPosition.resize(record.events.size());
    st.laneResources.assign(st.clusters.size(), {});
    std::map<std::pair<int, int>, std::set<Key>> laneKeys;
    for (std::size_t i = 0; i < record.events.size(); ++i) {
        const TimelineEvent &e = record.events[i];
        st.eventSlot[i] = slotOf[e.cluster];
        st.eventPosition[i] = positionInCluster[keyOfEvent[i]];
        laneKeys[{st.eventSlot[i], static_cast<int>(ganttLaneOf(e.kind, e.resource.kind))}].insert(
            keyOfEvent[i]);
    }
    for (const auto &[slotLane, keys] : laneKeys) {
        st.laneResources[std::size_t(slotLane.first)][std::size_t(slotLane.second)]
            = int(keys.size());
    }
}

GanttLayout GanttRowCache::layout(
    const RoundRecord &record, const ClusterRowFilter &filter, const QHash<int, QString> &edgeTails)
{
    using namespace gantt_rows;
    // What the resource rows are made of: the events' clusters, resources and kinds in order,
    // every device's stage and id, the edge tails and the cluster ids. Equal to the last
    // round's (a run keeps its plan for many rounds): the rows are the same, only the times
    // (summary lanes) differ.
    Structure inputs;
    bool cacheable = true;
    inputs.packed.reserve(record.events.size());
    for (const TimelineEvent &e : record.events) {
        cacheable = cacheable && packable(e);
        inputs.packed.push_back(packEvent(e));
    }
    inputs.devices.reserve(record.devices.size());
    for (const DeviceRound &d : record.devices) {
        inputs.devices.push_back({d.cluster, d.device, d.stage, d.deviceId});
    }
    inputs.edgeTails = edgeTails;
    inputs.clusterIds = filter.clusterIds();
    if (!cacheable || !m_valid || !m_structure.sameInputs(inputs)) {
        buildStructure(record, edgeTails, inputs.clusterIds, &inputs);
        m_structure = std::move(inputs);
        m_valid = cacheable;
    } else {
        ++m_reuses;
    }
    const Structure &st = m_structure;
    std::map<int, const ClusterRound *> clusterRounds;
    for (const ClusterRound &c : record.clusters) {
        clusterRounds[c.cluster] = &c;
    }
    GanttLayout layout;
    layout.grouped = st.grouped;
    layout.clusterCount = int(st.clusters.size());
    layout.fullRowCount = st.fullRowCount;

    // Busy spans per cluster, and per lane (summary rows), by the clusters' slots.
    const std::size_t slotCount = st.clusters.size();
    std::vector<std::vector<std::pair<double, double>>> busy(st.grouped ? slotCount : 0);
    std::vector<std::vector<std::pair<double, double>>> laneBusy(
        st.grouped ? slotCount * kGanttLanes : 0);
    if (st.grouped) {
        for (std::size_t i = 0; i < record.events.size(); ++i) {
            const TimelineEvent &e = record.events[i];
            const auto slot = std::size_t(st.eventSlot[i]);
            busy[slot].emplace_back(e.startS, e.endS);
            const auto lane = std::size_t(ganttLaneOf(e.kind, e.resource.kind));
            laneBusy[slot * kGanttLanes + lane].emplace_back(e.startS, e.endS);
        }
    }

    // Filter, then number the shown rows.
    std::vector<std::vector<int>> shownRow(slotCount); // per slot: position in cluster → row
    for (std::size_t slot = 0; slot < slotCount; ++slot) {
        const int cluster = st.clusters[slot];
        if (!filter.isPicked(cluster)) {
            continue;
        }
        const std::vector<ResourceRow> &rows = st.resources[slot];
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
            const auto count = st.deviceCount[slot];
            summary.label = QStringLiteral("%1 %2 %3/%4 dev")
                                .arg(clusterLabel(st.clusterIds, cluster),
                                    open ? QStringLiteral("▾") : QStringLiteral("▸"))
                                .arg(count.first)
                                .arg(count.second);
            if (const auto it = clusterRounds.find(cluster); it != clusterRounds.end()) {
                summary.label += clusterRoundMark(*it->second);
            }
            summary.spans = mergeSpans(std::move(busy[slot]));
            for (int lane = 0; lane < kGanttLanes; ++lane) {
                const auto &intervals = laneBusy[slot * kGanttLanes + std::size_t(lane)];
                const int resourcesOfLane = st.laneResources[slot][std::size_t(lane)];
                summary.laneResources[std::size_t(lane)] = resourcesOfLane;
                // A link row carries both directions: two events at once are one link busy.
                for (LaneSpan span : occupancySpans(intervals, static_cast<GanttLane>(lane))) {
                    span.busy = std::min(span.busy, resourcesOfLane);
                    LaneSpan *last = summary.lanes.empty() ? nullptr : &summary.lanes.back();
                    if (last && last->lane == span.lane && last->busy == span.busy
                        && last->end >= span.start) {
                        last->end = span.end;
                    } else {
                        summary.lanes.push_back(span);
                    }
                }
                for (const auto &[start, end] : mergeSpans(intervals)) {
                    summary.laneBusyS[std::size_t(lane)] += end - start;
                }
            }
            layout.rows.push_back(std::move(summary));
        }
        shownRow[slot].assign(rows.size(), -1);
        for (int i : shown) {
            GanttRow row;
            row.cluster = cluster;
            row.label = rows[std::size_t(i)].label;
            bool hit = filter.isSearching() && filter.matches(row.label);
            for (const QString &id : rows[std::size_t(i)].deviceIds) {
                hit = hit || (filter.isSearching() && filter.deviceMatches(id));
            }
            row.highlighted = hit;
            shownRow[slot][std::size_t(i)] = int(layout.rows.size());
            layout.rows.push_back(std::move(row));
        }
    }
    layout.rowOfEvent.resize(record.events.size(), -1);
    for (std::size_t i = 0; i < record.events.size(); ++i) {
        const std::vector<int> &rows = shownRow[std::size_t(st.eventSlot[i])];
        const auto pos = std::size_t(st.eventPosition[i]);
        layout.rowOfEvent[i] = pos < rows.size() ? rows[pos] : -1;
    }
    return layout;
}

GanttLayout layoutGanttRows(
    const RoundRecord &record, const ClusterRowFilter &filter, const QHash<int, QString> &edgeTails)
{
    GanttRowCache fresh;
    return fresh.layout(record, filter, edgeTails);
}

} // namespace collapipe
