// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QStringListModel;

namespace collapipe {

class EnergyPlot;
class LatencyPlot;
class LossPlot;
class MemoryPlot;
class PlotHub;
class QueuePlot;
class RoundPlot;

/// The five live panels in a grid with a shared x-axis switch (round / simulated time), all fed
/// and cursor-linked by one PlotHub. Each panel has "Export plot…" in its context menu.
class PlotsView : public QWidget
{
    Q_OBJECT

public:
    explicit PlotsView(QWidget *parent = nullptr);
    ~PlotsView() override;

    PlotHub *hub() const { return m_hub; }
    QueuePlot *queuePlot() const { return m_queue; }
    LatencyPlot *latencyPlot() const { return m_latency; }
    MemoryPlot *memoryPlot() const { return m_memory; }
    LossPlot *lossPlot() const { return m_loss; }
    EnergyPlot *energyPlot() const { return m_energy; }
    /// Above RoundPlot::kDeviceSeriesLimit devices the energy, queue and memory panels draw
    /// aggregates; the clusters typed here (ids, numbers, ranges: "c1..c4, 8") get a series per
    /// device.
    QLineEdit *clusterPick() const { return m_pick; }
    /// Reads `text` (parseClusterPick) and picks those clusters in the per-device panels.
    /// Returns the number of clusters picked, or −1 when a token names no cluster: the pick
    /// stays as it was and pickError() names the token (shown beside the field).
    int pickClusters(const QString &text);
    QString pickError() const;
    /// The panels in display order.
    QList<RoundPlot *> panels() const;
    /// Modest, so docking it never grows the main window past the screen.
    QSize sizeHint() const override { return {760, 520}; }

private:
    PlotHub *m_hub;
    QueuePlot *m_queue;
    LatencyPlot *m_latency;
    MemoryPlot *m_memory;
    LossPlot *m_loss;
    EnergyPlot *m_energy;
    QComboBox *m_axis;
    QLineEdit *m_pick;
    QLabel *m_pickError;
    QStringListModel *m_clusterIds;
};

} // namespace collapipe
