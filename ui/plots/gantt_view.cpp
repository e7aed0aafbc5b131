// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_view.h"

#include "ui/plots/cluster_filter_bar.h"
#include "ui/plots/gantt_plot.h"

#include <QScrollArea>
#include <QVBoxLayout>

namespace collapipe {

GanttView::GanttView(QWidget *parent)
    : QWidget(parent)
    , m_plot(new GanttPlot)
    , m_bar(new ClusterFilterBar(m_plot->filter()))
    , m_scroll(new QScrollArea)
{
    setObjectName(QStringLiteral("ganttView"));
    m_scroll->setObjectName(QStringLiteral("ganttScroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_plot);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(m_bar);
    layout->addWidget(m_scroll, 1);
    setMinimumSize(360, 220);
    connect(m_plot, &GanttPlot::rowsChanged, this, &GanttView::updateCount);
    updateCount();
}

void GanttView::updateCount()
{
    if (m_plot->round() < 0) {
        m_bar->setCountText(QString());
        return;
    }
    m_bar->setCountText(tr("%1 of %2 clusters · %3 of %4 rows")
                            .arg(m_plot->shownClusterCount())
                            .arg(m_plot->clusterCount())
                            .arg(m_plot->rowCount())
                            .arg(m_plot->fullRowCount()));
}

} // namespace collapipe
