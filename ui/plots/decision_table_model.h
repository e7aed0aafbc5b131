// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QStringList>

#include <vector>

namespace collapipe {

/// The decision of the selected round, one row per device (issue [6/6] "decision table"): the
/// encoder blocks δ it holds, micro-batches M, bandwidth share β, power p, the SNR and rate of
/// its outgoing link, memory against capacity, energy and queue backlog, and its cluster's
/// pipeline schedule this round (DSSDA may choose it per round and cluster). Memory comes three ways:
/// predicted at the profiled width (GB, the one checked against capacity), predicted at the
/// trainer's width and measured in the trainer (MB; only these two are comparable).
/// A cluster whose edge server ran an encoder tail (ClusterDecision::Mode::EdgeTail) gets one
/// more row after its devices: "edge server", blocks c–L−1 and the edge's predicted memory.
/// Churn and the deadline (core/MODEL.md "Churn", "Deadline") are marked: an absent device's
/// stage reads "away" and its row is grey; the cluster column shows " ✕ sat out" or " ✕ late"
/// (left out of FedAvg, rows grey) and " ⟳n" for n mid-round dropouts, explained in its tooltip.
/// Display strings carry units; Qt::UserRole gives the raw SI value (for sorting and CSV), an
/// invalid QVariant where an edge row has no value.
class DecisionTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        ClusterColumn,
        DeviceColumn,
        StageColumn,
        BlocksColumn,
        MicrobatchesColumn,
        ScheduleColumn, ///< the cluster's pipeline schedule ("interleaved v=2"); raw: its name
        BandwidthColumn,
        PowerColumn,
        SnrColumn,
        RateColumn,
        MemoryColumn,
        TrainerMemoryColumn,
        MeasuredColumn,
        CapacityColumn,
        EnergyColumn,
        QueueColumn,
        ColumnCount
    };

    explicit DecisionTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int round() const { return m_round; }
    /// The device rows of the shown round (edge rows excluded), in record order.
    const std::vector<DeviceRound> &devices() const { return m_devices; }
    /// True for the table rows that describe an edge server's encoder tail.
    bool isEdgeRow(int row) const;
    /// The cluster (index) of a table row; −1 outside the rows.
    int clusterOfRow(int row) const;
    /// The device of a table row; null for an edge row or outside the rows.
    const DeviceRound *deviceOfRow(int row) const;
    /// Every cluster of the shown round (schedules, churn and deadline marks).
    const std::vector<ClusterRound> &clusters() const { return m_clusters; }
    /// The shown round's record of `cluster`, or null.
    const ClusterRound *clusterRound(int cluster) const;

    /// The cluster ids of the run's scenario: the cluster column shows them (clusterLabel).
    void setClusterIds(const QStringList &ids);

public Q_SLOTS:
    void setRecord(const collapipe::RoundRecord &record);
    void clear();

private:
    /// A table row: a device (index into m_devices) or an edge tail (into m_edges).
    struct Row
    {
        int device = -1;
        int edge = -1;
    };

    std::vector<DeviceRound> m_devices;
    std::vector<ClusterRound> m_edges;    ///< clusters with edgeFirstBlock ≥ 0
    std::vector<ClusterRound> m_clusters; ///< every cluster of the round (their schedules)
    std::vector<Row> m_rows;
    QStringList m_clusterIds;
    int m_round = -1;
};

} // namespace collapipe
