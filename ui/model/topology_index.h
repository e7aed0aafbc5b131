// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/model/item_ref.h"

#include <QHash>

namespace collapipe {

/// Where an item sits in a Topology, found by hashing its ref instead of scanning every cluster
/// (issue [7/7] "Scale": opening 100,000 devices looked each one up linearly). Kept by
/// TopologyDocument next to its Scenario: a device inserted or taken updates only its cluster's
/// entries; other structural changes mark the index stale and the next lookup rebuilds it, O(N).
/// Ids should be unique; where a file repeats one, the first item in file order wins, as a linear
/// scan would find it.
class TopologyIndex
{
public:
    /// Edge server: outer = its index. Cluster and control unit: outer = the cluster's index.
    /// Device: outer = its cluster's index, inner = its index in the cluster.
    struct Slot
    {
        int outer = -1;
        int inner = -1;
    };

    /// The slot of ref, or null when the topology has no such item.
    const Slot *find(const Topology &topology, const ItemRef &ref) const;
    /// Any change that shifts servers or clusters (or renames an item).
    void invalidate() { m_stale = true; }
    /// A device was inserted at or taken from deviceIndex of cluster clusterIndex (`removed`
    /// is the taken device's id, empty on insert).
    void devicesShifted(
        const Topology &topology, int clusterIndex, int deviceIndex, const QString &removed);

private:
    void rebuild(const Topology &topology) const;

    mutable QHash<ItemRef, Slot> m_slots;
    mutable bool m_stale = true;
};

} // namespace collapipe
