// SPDX-License-Identifier: MIT
#include "ui/lab/lab_source_model.h"

#include "core/scenario/scenario.h"

namespace collapipe {

LabSourceModel::LabSourceModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void LabSourceModel::setScenarioSource(std::function<const Scenario &()> source)
{
    m_source = std::move(source);
    scenarioChanged();
}

void LabSourceModel::scenarioChanged()
{
    const int clusters = m_source ? int(m_source().topology.clusters.size()) : 0;
    if (clusters != m_clusters) {
        beginResetModel();
        m_clusters = clusters;
        endResetModel();
    } else if (clusters > 0) {
        Q_EMIT dataChanged(index(0), index(clusters - 1)); // ids or device counts may differ
    }
}

int LabSourceModel::rowOfData(int data) const
{
    if (data == kPresetData) {
        return m_clusters;
    }
    return data >= 0 && data < m_clusters ? data : -1;
}

int LabSourceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_clusters + 1;
}

QVariant LabSourceModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() > m_clusters
        || (role != Qt::DisplayRole && role != Qt::UserRole)) {
        return QVariant();
    }
    const int row = index.row();
    if (row == m_clusters) {
        return role == Qt::UserRole ? QVariant(kPresetData)
                                    : QVariant(tr("teaching preset · pipeline_lab.json"));
    }
    if (role == Qt::UserRole) {
        return row;
    }
    // Between a document change and scenarioChanged() the count may be stale: read safely.
    const auto &clusters = m_source().topology.clusters;
    if (std::size_t(row) >= clusters.size()) {
        return QVariant();
    }
    const Cluster &cluster = clusters[std::size_t(row)];
    return tr("this scenario · cluster %1 (%2 devices)")
        .arg(cluster.id)
        .arg(cluster.devices.size());
}

} // namespace collapipe
