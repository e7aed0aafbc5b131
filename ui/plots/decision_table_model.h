// SPDX-License-Identifier: MIT
#pragma once

#include "core/sim/round_record.h"

#include <QAbstractTableModel>
#include <QColor>

#include <vector>

namespace collapipe {

/// The decision of the selected round, one row per device (issue [6/6] "decision table"): the
/// encoder blocks δ it holds, micro-batches M, bandwidth share β, power p, the SNR and rate of
/// its outgoing link, memory predicted/measured against capacity, energy and queue backlog.
/// Display strings carry units; Qt::UserRole gives the raw SI value (for sorting and CSV).
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
        BandwidthColumn,
        PowerColumn,
        SnrColumn,
        RateColumn,
        MemoryColumn,
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
    const std::vector<DeviceRound> &devices() const { return m_devices; }

public Q_SLOTS:
    void setRecord(const collapipe::RoundRecord &record);
    void clear();

private:
    std::vector<DeviceRound> m_devices;
    int m_round = -1;
};

} // namespace collapipe
