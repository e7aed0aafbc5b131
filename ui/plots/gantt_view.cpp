// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_view.h"

#include "ui/plots/axis_ticks.h"
#include "ui/plots/cluster_filter_bar.h"
#include "ui/plots/gantt_plot.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace collapipe {

GanttView::GanttView(QWidget *parent)
    : QWidget(parent)
    , m_plot(new GanttPlot)
    , m_bar(new ClusterFilterBar(m_plot->filter()))
    , m_scroll(new QScrollArea)
    , m_strip(new QCustomPlot)
    , m_legend(new QLabel)
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
    // The time axis strip: the plot's x axis (range, ticks, label with its unit) alone.
    m_strip->setObjectName(QStringLiteral("ganttAxisStrip"));
    m_strip->yAxis->setVisible(false);
    m_strip->xAxis->grid()->setVisible(false);
    m_strip->xAxis->setLabel(m_plot->xAxis->label());
    m_strip->xAxis->setRange(m_plot->xAxis->range());
    m_strip->xAxis->setTicker(QSharedPointer<FittedTicker>::create());
    m_strip->axisRect()->setAutoMargins(QCP::msBottom);
    const QFontMetrics labelFm(m_strip->xAxis->labelFont());
    const QFontMetrics tickFm(m_strip->xAxis->tickLabelFont());
    m_strip->setFixedHeight(labelFm.height() + tickFm.height() + 24);
    m_strip->setVisible(false);
    layout->addWidget(m_strip);
    // The colour legend: fixed under the rows, whatever they are scrolled to.
    m_plot->setLegendForExportsOnly(true);
    m_legend->setObjectName(QStringLiteral("ganttLegend"));
    m_legend->setWordWrap(true);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setContentsMargins(6, 0, 6, 2);
    m_legend->setFont(QFont(font().family(), 8));
    layout->addWidget(m_legend);
    updateLegend(false);
    setMinimumSize(360, 220);
    connect(m_plot, &GanttPlot::rowsChanged, this, &GanttView::updateCount);
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), m_strip,
        [this](const QCPRange &range) {
            m_strip->xAxis->setRange(range);
            m_strip->replot(QCustomPlot::rpQueuedReplot);
        });
    connect(m_plot, &QCustomPlot::afterReplot, this, &GanttView::syncStrip);
    // The strip's ticks follow its length as the plot's do (the same ticks at the same x).
    connect(m_strip, &QCustomPlot::afterLayout, this, [this] {
        if (fitAxisTicks(m_strip->xAxis)) {
            m_strip->replot(QCustomPlot::rpQueuedReplot);
        }
    });
    updateCount();
}

QCPAxis *GanttView::stripAxis() const
{
    return m_strip->xAxis;
}

void GanttView::syncStrip()
{
    // The plot fills the viewport unless its rows need more (GanttPlot::fitRowHeight): then its
    // own time axis is below the fold and the strip shows the time scale instead.
    const bool overflow = m_plot->height() > m_scroll->viewport()->height() + 1;
    if (overflow != m_strip->isVisible()) {
        m_strip->setVisible(overflow);
    }
    if (!overflow) {
        return;
    }
    const QRect rect = m_plot->axisRect()->rect();
    const int left = m_strip->mapFrom(this, m_plot->mapTo(this, rect.topLeft())).x();
    const int right
        = m_strip->width() - 1 - m_strip->mapFrom(this, m_plot->mapTo(this, rect.topRight())).x();
    const QMargins margins(std::max(left, 0), 0, std::max(right, 0), 0);
    if (m_strip->axisRect()->margins().left() != margins.left()
        || m_strip->axisRect()->margins().right() != margins.right()
        || m_strip->xAxis->range() != m_plot->xAxis->range()) {
        m_strip->axisRect()->setMargins(margins);
        m_strip->xAxis->setRange(m_plot->xAxis->range());
        m_strip->replot(QCustomPlot::rpQueuedReplot);
    }
}

void GanttView::updateLegend(bool lanes)
{
    auto swatch = [](const QColor &c, const QString &name) {
        // An entry never wraps inside itself, only between entries.
        return QStringLiteral("<span style=\"color:%1\">&#9632;</span>&nbsp;%2")
            .arg(
                c.name(), name.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;")));
    };
    QStringList kinds;
    for (EventKind k : GanttPlot::legendKinds()) {
        kinds << swatch(GanttPlot::kindColor(k), GanttPlot::kindName(k));
    }
    QString html = kinds.join(QStringLiteral(" &nbsp;"));
    if (lanes) {
        QStringList parts;
        for (int lane = 0; lane < kGanttLanes; ++lane) {
            const auto l = static_cast<GanttLane>(lane);
            parts << swatch(GanttPlot::laneColor(l), GanttPlot::laneName(l));
        }
        // Short (the dock is ~300 px tall at 1280 x 800); the tooltip has the whole story.
        html += QStringLiteral("<br>")
            + tr("cluster rows (▸ ▾), lanes top to bottom: %1; paler: fewer busy at once")
                  .arg(parts.join(QStringLiteral(" &nbsp;")));
    }
    m_legend->setToolTip(lanes
            ? tr("A cluster's summary row has a thin lane per kind of resource: compute (its "
                 "devices, control unit and edge server), transfers (activations and gradients "
                 "on its links) and upload + aggregate. A stretch is paler when fewer of the "
                 "cluster's resources of that kind are busy at once; hover a row for the counts.")
            : QString());
    m_legend->setText(html);
    m_legendHasLanes = lanes;
}

void GanttView::updateCount()
{
    bool lanes = false;
    for (int row = 0; row < m_plot->rowCount() && !lanes; ++row) {
        lanes = m_plot->isSummaryRow(row);
    }
    if (lanes != m_legendHasLanes) {
        updateLegend(lanes);
    }
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
