// SPDX-License-Identifier: MIT
#include "ui/plots/plots_view.h"

#include "ui/export/plot_export.h"
#include "ui/plots/energy_plot.h"
#include "ui/plots/latency_plot.h"
#include "ui/plots/loss_plot.h"
#include "ui/plots/memory_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/queue_plot.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace collapipe {

PlotsView::PlotsView(QWidget *parent)
    : QWidget(parent)
    , m_hub(new PlotHub(this))
    , m_queue(new QueuePlot)
    , m_latency(new LatencyPlot)
    , m_memory(new MemoryPlot)
    , m_loss(new LossPlot)
    , m_energy(new EnergyPlot)
    , m_axis(new QComboBox)
{
    m_axis->addItem(tr("round"), static_cast<int>(XAxisMode::Round));
    m_axis->addItem(tr("simulated time"), static_cast<int>(XAxisMode::SimTime));
    m_axis->setToolTip(tr("x axis of every panel: round index t or the simulated clock (s)"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("x axis:")));
    bar->addWidget(m_axis);
    auto *hint = new QLabel(tr("click or drag a plot to select a round · wheel zooms · "
                               "double-click follows the data · right-click exports"));
    hint->setStyleSheet(QStringLiteral("color: gray"));
    hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // never widens the dock
    bar->addWidget(hint, 1);

    auto *grid = new QGridLayout;
    grid->setSpacing(2);
    grid->addWidget(m_latency, 0, 0);
    grid->addWidget(m_queue, 0, 1);
    grid->addWidget(m_memory, 1, 0);
    grid->addWidget(m_energy, 1, 1);
    grid->addWidget(m_loss, 2, 0, 1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);

    for (RoundPlot *p : panels()) {
        m_hub->addPanel(p);
        installPlotExportMenu(p);
    }
    connect(m_axis, &QComboBox::currentIndexChanged, this,
        [this] { m_hub->setXAxisMode(static_cast<XAxisMode>(m_axis->currentData().toInt())); });
}

QList<RoundPlot *> PlotsView::panels() const
{
    return {m_latency, m_queue, m_memory, m_energy, m_loss};
}

} // namespace collapipe
