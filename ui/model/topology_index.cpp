// SPDX-License-Identifier: MIT
#include "ui/model/topology_index.h"

namespace collapipe {

const TopologyIndex::Slot *TopologyIndex::find(const Topology &topology, const ItemRef &ref) const
{
    if (m_stale) {
        rebuild(topology);
    }
    const auto it = m_slots.constFind(ref);
    return it == m_slots.cend() ? nullptr : &it.value();
}

void TopologyIndex::devicesShifted(
    const Topology &topology, int clusterIndex, int deviceIndex, const QString &removed)
{
    if (m_stale) {
        return; // the next lookup rebuilds everything anyway
    }
    const auto &devices = topology.clusters[static_cast<size_t>(clusterIndex)].devices;
    if (!removed.isEmpty()) {
        const auto it = m_slots.find({ItemKind::Device, removed});
        if (it == m_slots.end() || it->outer != clusterIndex || it->inner != deviceIndex) {
            m_stale = true; // a repeated id: let a full rebuild decide which one wins
            return;
        }
        m_slots.erase(it);
    }
    for (size_t d = static_cast<size_t>(deviceIndex); d < devices.size(); ++d) {
        Slot &slot = m_slots[{ItemKind::Device, devices[d].id}];
        if (slot.outer >= 0 && (slot.outer != clusterIndex || slot.inner < deviceIndex)) {
            m_stale = true; // this id also names a device elsewhere
            return;
        }
        slot = {clusterIndex, static_cast<int>(d)};
    }
}

void TopologyIndex::rebuild(const Topology &topology) const
{
    m_slots.clear();
    size_t count = topology.edgeServers.size() + 2 * topology.clusters.size();
    for (const Cluster &c : topology.clusters) {
        count += c.devices.size();
    }
    m_slots.reserve(static_cast<qsizetype>(count));
    // The first of repeated ids wins, as in a scan in file order.
    const auto keepFirst = [this](const ItemRef &ref, Slot slot) {
        if (!m_slots.contains(ref)) {
            m_slots.insert(ref, slot);
        }
    };
    for (size_t i = 0; i < topology.edgeServers.size(); ++i) {
        keepFirst(
            {ItemKind::EdgeServer, topology.edgeServers[i].id}, Slot{static_cast<int>(i), -1});
    }
    for (size_t c = 0; c < topology.clusters.size(); ++c) {
        const Cluster &cluster = topology.clusters[c];
        const int ci = static_cast<int>(c);
        keepFirst({ItemKind::Cluster, cluster.id}, Slot{ci, -1});
        keepFirst({ItemKind::ControlUnit, cluster.controlUnit.id}, Slot{ci, -1});
        for (size_t d = 0; d < cluster.devices.size(); ++d) {
            keepFirst({ItemKind::Device, cluster.devices[d].id}, Slot{ci, static_cast<int>(d)});
        }
    }
    m_stale = false;
}

} // namespace collapipe
