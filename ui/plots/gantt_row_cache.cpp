// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_row_cache.h"

#include "ui/plots/cluster_labels.h"
#include "ui/plots/cluster_round_marks.h"
#include "ui/plots/cluster_row_filter.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace gantt_row_cache {

QString tr(const char *text)
{
    return QCoreApplication::translate("GanttPlot", text);
}

/// A resource of a round's events as the cache knows it: its cluster, kind and nodes (a link's
/// two nodes in id order: both directions are one row), packed.
std::uint64_t resourceKey(int cluster, ResourceKind kind, int a, int b)
{
    const auto field = [](int v, int bits) {
        return std::uint64_t(std::uint32_t(v)) & ((std::uint64_t(1) << bits) - 1);
    };
    return field(cluster, 24) | field(static_cast<int>(kind), 4) << 24 | field(a + 2, 18) << 28
        | field(b + 2, 18) << 46;
}

constexpr int kMaxCluster = 1 << 24;
constexpr int kMaxNode = (1 << 18) - 2;

} // namespace gantt_row_cache

void GanttRowCache::clear()
{
    m_index.clear();
    m_resources.clear();
    m_names.clear();
    m_nameOf.clear();
    m_ids.clear();
    m_valid = false;
}

int GanttRowCache::resourceIndex(int cluster, ResourceKind kind, int a, int b)
{
    const std::uint64_t key = gantt_row_cache::resourceKey(cluster, kind, a, b);
    if (const auto it = m_index.find(key); it != m_index.end()) {
        return it->second;
    }
    // New: its names, as layoutGanttRows() gives them.
    Resource r;
    r.cluster = cluster;
    r.kind = kind;
    r.a = a;
    r.b = b;
    const auto nodeName = [this, cluster](int node) {
        if (node == kControlUnitNode) {
            return gantt_row_cache::tr("CU");
        }
        if (node == kEdgeServerNode) {
            return gantt_row_cache::tr("edge");
        }
        const auto it = m_nameOf.find({cluster, node});
        return it != m_nameOf.end() ? it->second : QStringLiteral("dev %1").arg(node);
    };
    const QString prefix = m_grouped ? clusterLabel(m_ids, cluster) + QLatin1Char(' ') : QString();
    if (kind == ResourceKind::Link) {
        r.labels[0] = prefix + QStringLiteral("%1→%2").arg(nodeName(a), nodeName(b));
        r.labels[1] = prefix + QStringLiteral("%1→%2").arg(nodeName(b), nodeName(a));
        for (int node : {a, b}) {
            if (node >= 0) {
                r.deviceIds << nodeName(node);
            }
        }
    } else {
        r.base = nodeName(a);
        r.labels[0] = prefix + r.base;
        if (kind == ResourceKind::Device) {
            r.deviceIds << r.base;
        }
    }
    r.prefix = prefix;
    m_resources.push_back(std::move(r));
    const int index = int(m_resources.size()) - 1;
    m_index.emplace(key, index);
    return index;
}

GanttLayout GanttRowCache::layout(
    const RoundRecord &record, const ClusterRowFilter &filter, const QHash<int, QString> &edgeTails)
{
    using namespace gantt_row_cache;
    // The round's clusters: every cluster of the round, also one without events (it sat out).
    int maxCluster = -1;
    bool dense = true; // cluster indices and nodes fit the packed keys
    for (const ClusterRound &c : record.clusters) {
        maxCluster = std::max(maxCluster, c.cluster);
        dense = dense && c.cluster >= 0;
    }
    for (const TimelineEvent &e : record.events) {
        maxCluster = std::max(maxCluster, e.cluster);
        dense = dense && e.cluster >= 0 && e.resource.from >= -2 && e.resource.from < kMaxNode
            && e.resource.to >= -2 && e.resource.to < kMaxNode;
    }
    for (const DeviceRound &d : record.devices) {
        dense = dense && d.cluster >= 0 && d.device >= 0 && d.device < kMaxNode;
    }
    if (!dense || maxCluster >= kMaxCluster) {
        clear();
        return layoutGanttRows(record, filter, edgeTails); // no front end sends such a round
    }
    std::vector<int> slotOf(std::size_t(maxCluster + 1), -1);
    for (const ClusterRound &c : record.clusters) {
        slotOf[std::size_t(c.cluster)] = 0;
    }
    for (const TimelineEvent &e : record.events) {
        slotOf[std::size_t(e.cluster)] = 0;
    }
    std::vector<int> clusters;
    for (int c = 0; c <= maxCluster; ++c) {
        if (slotOf[std::size_t(c)] == 0) {
            slotOf[std::size_t(c)] = int(clusters.size());
            clusters.push_back(c);
        }
    }
    const bool grouped = clusters.size() > 1;

    // The kept resources and their labels hold while the names they are made of do: the
    // devices' ids, the cluster ids and the grouping (a new scenario builds them again).
    std::vector<DeviceName> names;
    names.reserve(record.devices.size());
    for (const DeviceRound &d : record.devices) {
        names.push_back({d.cluster, d.device, d.deviceId});
    }
    if (!m_valid || grouped != m_grouped || names != m_names || filter.clusterIds() != m_ids) {
        clear();
        m_valid = true;
        m_grouped = grouped;
        m_names = std::move(names);
        m_ids = filter.clusterIds();
        for (const DeviceName &n : m_names) {
            m_nameOf[{n.cluster, n.device}]
                = n.id.isEmpty() ? QStringLiteral("dev %1").arg(n.device) : n.id;
        }
        ++m_builds;
    } else {
        ++m_reuses;
    }

    // This round's stages: where each node sits in its cluster's pipeline.
    const std::size_t slotCount = clusters.size();
    std::vector<std::vector<int>> stageOf(slotCount); // per slot: device → stage (−1 none)
    std::vector<int> stageCount(slotCount, 0);
    std::vector<std::pair<int, int>> deviceCount(slotCount, {0, 0}); // (active, all)
    for (const DeviceRound &d : record.devices) {
        const int slot = d.cluster <= maxCluster ? slotOf[std::size_t(d.cluster)] : -1;
        if (slot < 0) {
            continue; // a cluster without events or a cluster round: no rows
        }
        auto &count = deviceCount[std::size_t(slot)];
        ++count.second;
        if (d.stage >= 0) {
            ++count.first;
            auto &stages = stageOf[std::size_t(slot)];
            if (int(stages.size()) <= d.device) {
                stages.resize(std::size_t(d.device) + 1, -1);
            }
            stages[std::size_t(d.device)] = d.stage;
            stageCount[std::size_t(slot)] = std::max(stageCount[std::size_t(slot)], d.stage + 1);
        }
    }
    const auto position = [&](int slot, int node) -> double {
        if (node == kControlUnitNode) {
            return -1.0;
        }
        if (node == kEdgeServerNode) {
            return stageCount[std::size_t(slot)];
        }
        const auto &stages = stageOf[std::size_t(slot)];
        const int stage = node >= 0 && node < int(stages.size()) ? stages[std::size_t(node)] : -1;
        return stage >= 0 ? stage : 1000.0 + node;
    };

    // Each event's resource (kept across rounds) and, once per round and resource, its place.
    ++m_stamp;
    std::vector<int> used;
    std::vector<int> &eventResource = m_eventResource;
    eventResource.resize(record.events.size());
    for (std::size_t i = 0; i < record.events.size(); ++i) {
        const TimelineEvent &e = record.events[i];
        const ResourceId &id = e.resource;
        int a = id.from;
        int b = 0;
        switch (id.kind) {
        case ResourceKind::ControlUnit:
            a = kControlUnitNode;
            break;
        case ResourceKind::EdgeServer:
            a = kEdgeServerNode;
            break;
        case ResourceKind::Device:
            break;
        case ResourceKind::Link:
            a = std::min(id.from, id.to);
            b = std::max(id.from, id.to);
            break;
        }
        const int index = resourceIndex(e.cluster, id.kind, a, b);
        Resource &r = m_resources[std::size_t(index)];
        if (r.stamp != m_stamp) {
            r.stamp = m_stamp;
            r.lanes = 0;
            r.slot = slotOf[std::size_t(e.cluster)];
            // As layoutGanttRows() keys it: a link between its two nodes, drawn from the one
            // earlier in the pipeline (both directions are one row).
            if (id.kind == ResourceKind::Link) {
                const double pa = position(r.slot, r.a);
                const double pb = position(r.slot, r.b);
                r.key = {e.cluster, std::min(pa, pb) + 0.5, static_cast<int>(id.kind),
                    pa <= pb ? r.a : r.b, pa <= pb ? r.b : r.a};
                r.reversed = pb < pa;
            } else {
                r.key = {e.cluster, position(r.slot, r.a), static_cast<int>(id.kind), r.a, 0};
            }
            used.push_back(index);
        }
        r.lanes |= std::uint8_t(1u << static_cast<int>(ganttLaneOf(e.kind, id.kind)));
        eventResource[i] = index;
    }
    std::sort(used.begin(), used.end(), [this](int x, int y) {
        return m_resources[std::size_t(x)].key < m_resources[std::size_t(y)].key;
    });

    // Resource rows per cluster, in pipeline order, and per lane how many have events in it.
    std::vector<std::vector<int>> rowsOf(slotCount); // per slot: resources in order
    std::vector<std::array<int, kGanttLanes>> laneResources(slotCount);
    for (int index : used) {
        Resource &r = m_resources[std::size_t(index)];
        r.position = int(rowsOf[std::size_t(r.slot)].size());
        rowsOf[std::size_t(r.slot)].push_back(index);
        for (int lane = 0; lane < kGanttLanes; ++lane) {
            laneResources[std::size_t(r.slot)][std::size_t(lane)] += (r.lanes >> lane) & 1;
        }
    }
    const auto labelOf = [&](const Resource &r) {
        if (r.kind == ResourceKind::Link) {
            return r.labels[r.reversed ? 1 : 0];
        }
        if (r.kind == ResourceKind::EdgeServer && edgeTails.contains(r.cluster)) {
            // Its "edge fwd/bwd" bars include the encoder tail, not only the head.
            return r.prefix + r.base + QStringLiteral(" · ") + edgeTails.value(r.cluster);
        }
        return r.labels[0];
    };
    std::map<int, const ClusterRound *> clusterRounds;
    for (const ClusterRound &c : record.clusters) {
        clusterRounds[c.cluster] = &c;
    }
    GanttLayout layout;
    layout.grouped = grouped;
    layout.clusterCount = int(slotCount);
    layout.fullRowCount = int(used.size()) + (grouped ? int(slotCount) : 0);

    // Busy intervals per cluster and lane (summary rows), by the clusters' slots; each list is
    // sorted once (the cluster's merged spans are the lanes' merged together).
    // Kept across rounds with their capacity: grown anew in every round they were a good part
    // of the Gantt's mallocs and copies (issue #16).
    std::vector<std::vector<std::pair<double, double>>> &laneBusy = m_laneBusy;
    if (laneBusy.size() < (grouped ? slotCount * kGanttLanes : 0)) {
        laneBusy.resize(slotCount * kGanttLanes);
    }
    for (auto &intervals : laneBusy) {
        intervals.clear();
    }
    if (grouped) {
        for (std::size_t i = 0; i < record.events.size(); ++i) {
            const TimelineEvent &e = record.events[i];
            const auto slot = std::size_t(slotOf[std::size_t(e.cluster)]);
            const auto lane = std::size_t(ganttLaneOf(e.kind, e.resource.kind));
            laneBusy[slot * kGanttLanes + lane].emplace_back(e.startS, e.endS);
        }
    }

    // Filter, then number the shown rows.
    std::vector<std::vector<int>> shownRow(slotCount); // per slot: position in cluster → row
    for (std::size_t slot = 0; slot < slotCount; ++slot) {
        const int cluster = clusters[slot];
        if (!filter.isPicked(cluster)) {
            continue;
        }
        const std::vector<int> &rows = rowsOf[slot];
        const bool clusterHit = filter.clusterMatches(cluster);
        const auto rowHit = [&](const Resource &r, const QString &label) {
            bool hit = filter.matches(label);
            for (const QString &id : r.deviceIds) {
                hit = hit || filter.deviceMatches(id);
            }
            return hit;
        };
        std::vector<int> shown; // positions in cluster
        if (!filter.isSearching() || clusterHit) {
            if (!grouped || filter.isExpanded(cluster)) {
                for (int i = 0; i < int(rows.size()); ++i) {
                    shown.push_back(i);
                }
            }
        } else {
            for (int i = 0; i < int(rows.size()); ++i) {
                const Resource &r = m_resources[std::size_t(rows[std::size_t(i)])];
                if (rowHit(r, labelOf(r))) {
                    shown.push_back(i);
                }
            }
            if (shown.empty()) {
                continue; // nothing of this cluster matches
            }
        }
        ++layout.shownClusters;
        if (grouped) {
            GanttRow summary;
            summary.cluster = cluster;
            summary.summary = true;
            summary.highlighted = clusterHit;
            const bool open = !shown.empty();
            const auto count = deviceCount[slot];
            summary.label = QStringLiteral("%1 %2 %3/%4 dev")
                                .arg(clusterLabel(m_ids, cluster),
                                    open ? QStringLiteral("▾") : QStringLiteral("▸"))
                                .arg(count.first)
                                .arg(count.second);
            if (const auto it = clusterRounds.find(cluster); it != clusterRounds.end()) {
                summary.label += clusterRoundMark(*it->second);
            }
            std::vector<std::pair<double, double>> &all = m_allBusy;
            all.clear();
            for (int lane = 0; lane < kGanttLanes; ++lane) {
                auto &intervals = laneBusy[slot * kGanttLanes + std::size_t(lane)];
                std::sort(intervals.begin(), intervals.end());
                const auto middle = all.insert(all.end(), intervals.begin(), intervals.end());
                std::inplace_merge(all.begin(), middle, all.end());
            }
            summary.spans = mergeSortedSpans(all);
            for (int lane = 0; lane < kGanttLanes; ++lane) {
                const auto &intervals = laneBusy[slot * kGanttLanes + std::size_t(lane)];
                addSummaryLane(summary, static_cast<GanttLane>(lane), intervals,
                    mergeSortedSpans(intervals), laneResources[slot][std::size_t(lane)]);
            }
            layout.rows.push_back(std::move(summary));
        }
        shownRow[slot].assign(rows.size(), -1);
        for (int i : shown) {
            const Resource &r = m_resources[std::size_t(rows[std::size_t(i)])];
            GanttRow row;
            row.cluster = cluster;
            row.label = labelOf(r);
            row.highlighted = filter.isSearching() && rowHit(r, row.label);
            shownRow[slot][std::size_t(i)] = int(layout.rows.size());
            layout.rows.push_back(std::move(row));
        }
    }
    layout.rowOfEvent.resize(record.events.size(), -1);
    for (std::size_t i = 0; i < record.events.size(); ++i) {
        const Resource &r = m_resources[std::size_t(eventResource[i])];
        const std::vector<int> &rows = shownRow[std::size_t(r.slot)];
        layout.rowOfEvent[i] = r.position < int(rows.size()) ? rows[std::size_t(r.position)] : -1;
    }
    return layout;
}

} // namespace collapipe
