// SPDX-License-Identifier: MIT
#pragma once

#include "ui/plots/gantt_rows.h"

#include <array>
#include <cstdint>
#include <map>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace collapipe {

/// Lays rounds out as layoutGanttRows() does, keeping the resources of a run's rounds and
/// their rows' labels (issue [7/7] "The Studio keeps up with the engine": layoutGanttRows()
/// keyed ~75,000 events of a 100 x 10 round into ordered maps and formatted ~2,300 labels,
/// ~10 ms each time). The kept resources hold while their names do (device ids, cluster ids,
/// one cluster or several: another scenario builds them again); a round only looks its events'
/// resources up, orders them by its own plan (the stages change from round to round), and
/// lays the filtered rows and summary lanes out. A filter change lays the rows out again from
/// the kept resources. One thread at a time: the Gantt's builder thread (GanttBuilder).
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
        int a = 0;                     ///< the node (a link's lower node id)
        int b = 0;                     ///< a link's higher node id
        QString prefix;                ///< the cluster's label and a space when grouped
        QString base;                  ///< the node's name (not a link)
        std::array<QString, 2> labels; ///< the row label; a link's: a→b, b→a
        QStringList deviceIds;
        // This round's (valid while stamp is the cache's).
        unsigned stamp = 0;
        int slot = 0;           ///< the cluster's place among the round's clusters
        int position = 0;       ///< the row's place in its cluster
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

    /// Scratch of layout(), kept for its capacity: busy intervals per (cluster slot, lane), and
    /// one cluster's lanes merged.
    std::vector<std::vector<std::pair<double, double>>> m_laneBusy;
    std::vector<std::pair<double, double>> m_allBusy;
    std::vector<int> m_eventResource; ///< per event of the round: its resource

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

} // namespace collapipe
