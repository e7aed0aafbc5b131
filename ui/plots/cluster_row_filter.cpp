// SPDX-License-Identifier: MIT
#include "ui/plots/cluster_row_filter.h"

#include "core/scenario/scenario.h"
#include "ui/plots/cluster_labels.h"

namespace collapipe {

ClusterRowFilter::ClusterRowFilter(QObject *parent)
    : QObject(parent)
{ }

void ClusterRowFilter::setScenario(const Scenario &scenario)
{
    QStringList names;
    names.reserve(qsizetype(scenario.topology.clusters.size()));
    NamedDevices namedDevices;
    for (const Cluster &c : scenario.topology.clusters) {
        names << c.name;
        for (const Device &d : c.devices) {
            if (!d.name.isEmpty()) {
                namedDevices.emplaceBack(d.id, d.name); // shared strings: no copy of the text
            }
        }
    }
    applyClusters(collapipe::clusterIds(scenario), names, std::move(namedDevices));
}

void ClusterRowFilter::setClusterIds(const QStringList &ids)
{
    applyClusters(ids, {}, {});
}

void ClusterRowFilter::applyClusters(
    const QStringList &ids, const QStringList &names, NamedDevices namedDevices)
{
    m_names = names;
    m_namedDevices = std::move(namedDevices);
    m_deviceNames.clear();
    m_deviceNamesBuilt = false;
    if (ids == m_ids) {
        Q_EMIT changed(); // names may differ; rows are rebuilt either way
        return;
    }
    m_ids = ids;
    m_picked.clear();
    m_search.clear();
    m_toggled.clear();
    m_defaultDecided = false;
    Q_EMIT clustersChanged();
    Q_EMIT changed();
}

QString ClusterRowFilter::clusterTitle(int cluster) const
{
    const QString id = clusterLabel(m_ids, cluster);
    const QString name = m_names.value(cluster);
    return name.isEmpty() || name == id ? id : QStringLiteral("%1 %2").arg(id, name);
}

void ClusterRowFilter::setPickedClusters(const QSet<int> &clusters)
{
    if (clusters == m_picked) {
        return;
    }
    m_picked = clusters;
    Q_EMIT changed();
}

void ClusterRowFilter::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search) {
        return;
    }
    m_search = trimmed;
    Q_EMIT changed();
}

bool ClusterRowFilter::matches(const QString &text) const
{
    return isSearching() && text.contains(m_search, Qt::CaseInsensitive);
}

bool ClusterRowFilter::clusterMatches(int cluster) const
{
    return matches(clusterLabel(m_ids, cluster)) || matches(m_names.value(cluster));
}

bool ClusterRowFilter::deviceMatches(const QString &deviceId) const
{
    if (!isSearching()) {
        return false;
    }
    if (matches(deviceId)) {
        return true;
    }
    if (!m_deviceNamesBuilt) {
        m_deviceNames.reserve(m_namedDevices.size());
        for (const auto &[id, name] : m_namedDevices) {
            m_deviceNames.insert(id, name);
        }
        m_deviceNamesBuilt = true;
    }
    return matches(m_deviceNames.value(deviceId));
}

bool ClusterRowFilter::noteRound(int fullRowCount)
{
    if (m_defaultDecided) {
        return false;
    }
    m_defaultDecided = true;
    const bool expanded = fullRowCount <= kExpandedRowLimit;
    const bool differs = expanded != m_defaultExpanded;
    m_defaultExpanded = expanded;
    return differs;
}

bool ClusterRowFilter::isExpanded(int cluster) const
{
    return m_defaultExpanded != m_toggled.contains(cluster);
}

void ClusterRowFilter::setExpanded(int cluster, bool expanded)
{
    if (expanded == isExpanded(cluster)) {
        return;
    }
    if (m_toggled.contains(cluster)) {
        m_toggled.remove(cluster);
    } else {
        m_toggled.insert(cluster);
    }
    Q_EMIT expansionChanged();
}

void ClusterRowFilter::setAllExpanded(bool expanded)
{
    m_defaultDecided = true;
    m_defaultExpanded = expanded;
    m_toggled.clear();
    Q_EMIT expansionChanged();
}

std::unique_ptr<ClusterRowFilter> ClusterRowFilter::snapshot() const
{
    auto copy = std::make_unique<ClusterRowFilter>();
    copy->m_ids = m_ids;
    copy->m_names = m_names;
    copy->m_namedDevices = m_namedDevices;
    copy->m_deviceNames = m_deviceNames; // shared, if made; else the copy makes its own
    copy->m_deviceNamesBuilt = m_deviceNamesBuilt;
    copy->m_picked = m_picked;
    copy->m_search = m_search;
    copy->m_toggled = m_toggled;
    copy->m_defaultExpanded = m_defaultExpanded;
    copy->m_defaultDecided = m_defaultDecided;
    return copy;
}

void ClusterRowFilter::reset()
{
    m_picked.clear();
    m_search.clear();
    m_toggled.clear();
    m_defaultDecided = false;
    Q_EMIT changed();
}

} // namespace collapipe
