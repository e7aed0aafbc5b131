// SPDX-License-Identifier: MIT
// TopologyDocument's primitive changes: the only code that writes the Scenario. The undo commands
// call these; each emits its typed signal, then changed(), then revalidates.
#include "core/scenario/availability_trace.h"
#include "ui/model/field_access.h"
#include "ui/model/topology_document.h"

#include <QDir>
#include <QFileInfo>

namespace collapipe {

void TopologyDocument::applyInsertEdgeServer(int index, const EdgeServer &server)
{
    auto &servers = m_scenario.topology.edgeServers;
    servers.insert(servers.begin() + index, server);
    m_index.invalidate();
    Q_EMIT itemAdded({ItemKind::EdgeServer, server.id});
    finishChange();
}

EdgeServer TopologyDocument::applyTakeEdgeServer(int index)
{
    auto &servers = m_scenario.topology.edgeServers;
    const ItemRef ref{ItemKind::EdgeServer, servers[size_t(index)].id};
    Q_EMIT itemAboutToBeRemoved(ref);
    EdgeServer server = servers[size_t(index)];
    servers.erase(servers.begin() + index);
    m_index.invalidate();
    Q_EMIT itemRemoved(ref);
    finishChange();
    return server;
}

void TopologyDocument::applyInsertCluster(int index, const Cluster &cluster)
{
    auto &clusters = m_scenario.topology.clusters;
    clusters.insert(clusters.begin() + index, cluster);
    m_index.invalidate();
    Q_EMIT itemAdded({ItemKind::Cluster, cluster.id});
    finishChange();
}

Cluster TopologyDocument::applyTakeCluster(int index)
{
    auto &clusters = m_scenario.topology.clusters;
    const ItemRef ref{ItemKind::Cluster, clusters[size_t(index)].id};
    Q_EMIT itemAboutToBeRemoved(ref);
    Cluster cluster = clusters[size_t(index)];
    clusters.erase(clusters.begin() + index);
    m_index.invalidate();
    Q_EMIT itemRemoved(ref);
    finishChange();
    return cluster;
}

void TopologyDocument::applyInsertDevice(int clusterIndex, int deviceIndex, const Device &device)
{
    auto &devices = m_scenario.topology.clusters[size_t(clusterIndex)].devices;
    devices.insert(devices.begin() + deviceIndex, device);
    m_index.devicesShifted(m_scenario.topology, clusterIndex, deviceIndex, QString());
    Q_EMIT itemAdded({ItemKind::Device, device.id});
    finishChange();
}

Device TopologyDocument::applyTakeDevice(int clusterIndex, int deviceIndex)
{
    auto &devices = m_scenario.topology.clusters[size_t(clusterIndex)].devices;
    const ItemRef ref{ItemKind::Device, devices[size_t(deviceIndex)].id};
    Q_EMIT itemAboutToBeRemoved(ref);
    Device device = devices[size_t(deviceIndex)];
    devices.erase(devices.begin() + deviceIndex);
    m_index.devicesShifted(m_scenario.topology, clusterIndex, deviceIndex, ref.id);
    Q_EMIT itemRemoved(ref);
    finishChange();
    return device;
}

void TopologyDocument::applyPosition(const ItemRef &ref, Position position)
{
    Topology &t = m_scenario.topology;
    const TopologyIndex::Slot *slot = slotOf(ref);
    if (!slot) {
        return;
    }
    if (ref.kind == ItemKind::EdgeServer) {
        t.edgeServers[size_t(slot->outer)].position = position;
    } else if (ref.kind == ItemKind::ControlUnit) {
        t.clusters[size_t(slot->outer)].controlUnit.position = position;
    } else if (ref.kind == ItemKind::Device) {
        t.clusters[size_t(slot->outer)].devices[size_t(slot->inner)].position = position;
    } else {
        return;
    }
    Q_EMIT itemMoved(ref);
    finishChange();
}

void TopologyDocument::applyClusterEdgeServer(int clusterIndex, const QString &edgeServerId)
{
    Cluster &cluster = m_scenario.topology.clusters[size_t(clusterIndex)];
    cluster.edgeServerId = edgeServerId;
    Q_EMIT clusterConnected(cluster.id, edgeServerId);
    finishChange();
}

void TopologyDocument::applyProperty(const ItemRef &ref, const QString &key, const QVariant &value)
{
    BoundField field;
    if (!findBoundField(ref, key, &field) || !field.set(m_scenario, value)) {
        return;
    }
    if (key == QLatin1String("id")) {
        m_index.invalidate();
    }
    if (key.startsWith(QLatin1String("availability."))) {
        reloadTraces(); // a trace named or chosen (or undone) brings its rows with it
    }
    Q_EMIT propertyChanged(ref, key);
    if (key == QLatin1String("x_m") || key == QLatin1String("y_m")) {
        Q_EMIT itemMoved(ref);
    }
    finishChange();
}

void TopologyDocument::reloadTraces()
{
    m_traceProblems.clear();
    const QString folder
        = m_filePath.isEmpty() ? QDir::currentPath() : QFileInfo(m_filePath).absolutePath();
    loadAvailabilityTraces(folder, &m_scenario, &m_traceProblems);
}

} // namespace collapipe
