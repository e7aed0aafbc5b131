// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"
#include "ui/runs/store_loader.h"

#include <QAbstractTableModel>

#include <vector>

namespace collapipe {

/// The runs of a store with their key results (issue [6/6] "Runs browser"): id, name, status,
/// policy, pipeline schedule (from the stored scenario: runs that differ only in it must be told
/// apart, issue [1/7] #9), seed, date, rounds, simulated time, mean latency, total energy, final
/// loss and accuracy.
class RunsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        NameColumn,
        StatusColumn,
        PolicyColumn,
        ScheduleColumn,
        SeedColumn,
        CreatedColumn,
        RoundsColumn,
        SimTimeColumn,
        LatencyColumn,
        EnergyColumn,
        LossColumn,
        AccuracyColumn,
        ColumnCount
    };

    explicit RunsModel(QObject *parent = nullptr);

    /// Shows `runs` (read off the UI thread by StoreLoader::listRuns).
    void setRuns(std::vector<RunListEntry> runs);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const RunInfo &run(int row) const { return m_runs[static_cast<std::size_t>(row)].info; }
    /// Row of run `id`, or −1.
    int rowOf(qint64 id) const;

private:
    std::vector<RunListEntry> m_runs;
};

} // namespace collapipe
