// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractItemModel>

#include <vector>

namespace collapipe {

class ClusterRowFilter;
class DecisionTableModel;

/// The decision table grouped by cluster (issue [7/7]): one summary row per cluster over the
/// DecisionTableModel's device and edge rows, which are its children. The summary row gives the
/// cluster's segments (active devices, stages, blocks), micro-batches, schedule, Σ bandwidth,
/// Σ power, weakest link, largest memory, Σ energy and Σ queue, and a status column (last) for
/// what churn and the deadline did this round (issue [6/7]): "sat out", "late" (left out of
/// FedAvg), "⟳n re-planned" after mid-round dropouts. The filter picks clusters and searches ids
/// and names; matching rows get a yellow background; in a cluster that does not match, only the
/// matching children are kept and the view opens it (isForcedOpen).
class DecisionTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    /// The column after the source's columns.
    static int statusColumn();

    DecisionTreeModel(
        DecisionTableModel *source, ClusterRowFilter *filter, QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// The cluster (index) of a summary row.
    int clusterOfRow(int row) const;
    /// A search kept only some of this cluster's rows: the view shows them open.
    bool isForcedOpen(int row) const;
    /// Source rows of the round (every device and edge row) plus one per cluster.
    int fullRowCount() const { return m_fullRowCount; }
    int clusterCount() const { return m_clusterCount; }
    /// The source row behind a child index (−1 for a summary row).
    int sourceRow(const QModelIndex &index) const;

private:
    struct Group
    {
        int cluster = 0;
        std::vector<int> rows;    ///< source rows shown under it
        std::vector<int> allRows; ///< every source row of the cluster (the summary's inputs)
        bool clusterHit = false;
        bool forcedOpen = false;
        int devices = 0; ///< all its device rows (shown or not)
    };
    void rebuild();
    QVariant summaryData(const Group &g, int column, int role) const;
    QVariant childData(const Group &g, int row, int column, int role) const;

    DecisionTableModel *m_source;
    ClusterRowFilter *m_filter;
    std::vector<Group> m_groups;
    int m_fullRowCount = 0;
    int m_clusterCount = 0;
};

} // namespace collapipe
