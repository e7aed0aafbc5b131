// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractListModel>

#include <functional>

namespace collapipe {

struct Scenario;

/// The Lab's source picker (issue #16, "the Studio opens 100,000 devices"): one row per cluster
/// of the scenario on the canvas ("this scenario · cluster c3 (10 devices)", data: the cluster's
/// index), then the teaching preset (data: kPresetRow's -1). Rows are read from the scenario when
/// a view asks for them: opening 10,000 clusters neither copies the scenario nor makes 10,000
/// combo entries (the box filled one entry at a time took ~0.1 s of the open).
class LabSourceModel : public QAbstractListModel
{
    Q_OBJECT

public:
    static constexpr int kPresetData = -1;

    explicit LabSourceModel(QObject *parent = nullptr);

    /// Where the rows come from; it must stay valid until the next call (the document's).
    void setScenarioSource(std::function<const Scenario &()> source);
    /// The scenario changed: a new cluster count resets the rows, the same count refreshes them.
    void scenarioChanged();
    int clusterCount() const { return m_clusters; }
    /// The row showing the cluster of this index (its data), or the preset's row for -1; -1 if
    /// none.
    int rowOfData(int data) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    std::function<const Scenario &()> m_source;
    int m_clusters = 0; ///< cluster rows shown (the scenario's count at the last change)
};

} // namespace collapipe
