// SPDX-License-Identifier: MIT
#include "ui/plots/churn_markers.h"

#include <qcustomplot.h>

#include <algorithm>

namespace collapipe {

namespace churn_markers {

/// Bars are this many pixels wide at every zoom, kinds 1 px apart (a round reads as one group).
constexpr double kBarWidthPx = 2.0;
constexpr double kBarSpacingPx = 1.0;

QColor colorOf(ChurnKind kind)
{
    // Tableau 10 red, orange, purple and green: apart from each other and from the cursor's
    // darker red on white; the same for every panel.
    switch (kind) {
    case ChurnKind::Dropout:
        return QColor(214, 39, 40);
    case ChurnKind::Replan:
        return QColor(255, 127, 14);
    case ChurnKind::DeadlineMiss:
        return QColor(148, 103, 189);
    case ChurnKind::Rejoin:
        return QColor(44, 160, 44);
    }
    return Qt::black;
}

QString deviceName(const DeviceRound &d)
{
    return d.deviceId.isEmpty() ? QStringLiteral("%1/%2").arg(d.cluster).arg(d.device) : d.deviceId;
}

QString clusterName(const ClusterRound &c)
{
    return QStringLiteral("cluster %1").arg(c.cluster);
}

} // namespace churn_markers

using namespace churn_markers;

QString ChurnDetector::kindName(ChurnKind kind)
{
    switch (kind) {
    case ChurnKind::Dropout:
        return QObject::tr("dropout");
    case ChurnKind::Replan:
        return QObject::tr("re-plan");
    case ChurnKind::DeadlineMiss:
        return QObject::tr("deadline miss");
    case ChurnKind::Rejoin:
        return QObject::tr("rejoin");
    }
    return {};
}

void ChurnDetector::take(const RoundRecord &record, std::vector<ChurnEvent> *out)
{
    std::array<QStringList, kChurnKinds> who;
    for (const DeviceRound &d : record.devices) {
        const QString name = deviceName(d);
        const bool was = m_present.value(name, true); // everyone is present before round 0
        if (was && !d.present) {
            who[static_cast<int>(ChurnKind::Dropout)] << name;
        } else if (!was && d.present) {
            who[static_cast<int>(ChurnKind::Rejoin)] << name;
        }
        m_present.insert(name, d.present);
    }
    for (const ClusterRound &c : record.clusters) {
        if (c.dropouts > 0) {
            who[static_cast<int>(ChurnKind::Replan)]
                << QObject::tr("%1 (%n left mid-round)", nullptr, c.dropouts).arg(clusterName(c));
        }
        if (!c.aggregated && !c.satOut) {
            who[static_cast<int>(ChurnKind::DeadlineMiss)] << clusterName(c);
        }
    }
    for (int k = 0; k < kChurnKinds; ++k) {
        if (!who[k].isEmpty()) {
            out->push_back({record.round, record.simTimeS, static_cast<ChurnKind>(k), who[k]});
        }
    }
}

ChurnMarkers::ChurnMarkers(QCustomPlot *plot)
    : m_plot(plot)
{
    // A value axis of their own, hidden, 0–1: the bars span the axis rect whatever the data's
    // range, and the plot's autoscale never sees them.
    m_axis = plot->axisRect()->addAxis(QCPAxis::atRight);
    m_axis->setVisible(false);
    m_axis->grid()->setVisible(false);
    m_axis->setRange(0.0, 1.0);
    if (!plot->layer(QStringLiteral("churn"))) {
        plot->addLayer(
            QStringLiteral("churn"), plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    }
    m_group = new QCPBarsGroup(plot);
    m_group->setSpacingType(QCPBarsGroup::stAbsolute);
    m_group->setSpacing(kBarSpacingPx);
    for (int k = 0; k < kChurnKinds; ++k) {
        const auto kind = static_cast<ChurnKind>(k);
        auto *bars = new QCPBars(plot->xAxis, m_axis);
        bars->removeFromLegend(plot->legend); // the plot's legend names its series only
        bars->setLayer(QStringLiteral("churn"));
        bars->setName(ChurnDetector::kindName(kind));
        bars->setWidthType(QCPBars::wtAbsolute);
        bars->setWidth(kBarWidthPx);
        bars->setPen(Qt::NoPen);
        bars->setBrush(colorOf(kind));
        bars->setAntialiased(false);
        bars->setAntialiasedFill(false);
        bars->setSelectable(QCP::stNone);
        bars->setBarsGroup(m_group);
        m_bars[static_cast<std::size_t>(k)] = bars;
    }
}

void ChurnMarkers::appendRound(const RoundRecord &record)
{
    m_detector.take(record, &m_events);
}

void ChurnMarkers::flush(XAxisMode mode, double windowStart)
{
    m_mode = mode;
    for (std::size_t i = m_flushed; i < m_events.size(); ++i) {
        const ChurnEvent &e = m_events[i];
        m_bars[static_cast<std::size_t>(e.kind)]->addData(e.key(mode), 1.0);
    }
    m_flushed = m_events.size();
    // The series' window (SeriesBuffer capacity) bounds the markers too.
    const auto kept = std::find_if(m_events.begin(), m_events.end(),
        [&](const ChurnEvent &e) { return e.key(mode) >= windowStart; });
    if (kept != m_events.begin()) {
        m_flushed -= static_cast<std::size_t>(kept - m_events.begin());
        m_events.erase(m_events.begin(), kept);
        for (QCPBars *bars : m_bars) {
            bars->data()->removeBefore(windowStart);
        }
    }
    if (markerCount() > 0) {
        ensureLegend();
    } else {
        removeLegend();
    }
}

void ChurnMarkers::clear()
{
    for (QCPBars *bars : m_bars) {
        bars->data()->clear();
    }
    m_events.clear();
    m_flushed = 0;
    m_detector.clear();
    removeLegend();
}

void ChurnMarkers::removeLegend()
{
    if (m_legend) {
        m_plot->plotLayout()->remove(m_legend); // deletes it and its items
        m_plot->plotLayout()->simplify();
        m_legend = nullptr;
    }
}

void ChurnMarkers::setXAxisMode(XAxisMode mode)
{
    m_mode = mode;
    for (QCPBars *bars : m_bars) {
        bars->data()->clear();
    }
    for (std::size_t i = 0; i < m_flushed; ++i) {
        const ChurnEvent &e = m_events[i];
        m_bars[static_cast<std::size_t>(e.kind)]->addData(e.key(mode), 1.0);
    }
}

int ChurnMarkers::markerCount() const
{
    int n = 0;
    for (int k = 0; k < kChurnKinds; ++k) {
        n += markerCount(static_cast<ChurnKind>(k));
    }
    return n;
}

int ChurnMarkers::markerCount(ChurnKind kind) const
{
    return m_bars[static_cast<std::size_t>(kind)]->dataCount();
}

QStringList ChurnMarkers::describe(int round) const
{
    QStringList lines;
    const auto first = std::lower_bound(m_events.begin(), m_events.end(), round,
        [](const ChurnEvent &e, int r) { return e.round < r; });
    for (auto it = first; it != m_events.end() && it->round == round; ++it) {
        lines << QStringLiteral("%1: %2").arg(
            ChurnDetector::kindName(it->kind), it->who.join(QStringLiteral(", ")));
    }
    return lines;
}

void ChurnMarkers::ensureLegend()
{
    if (!m_legend) {
        // A row of its own under the axis rect: the plot's own legend may be hidden (too many
        // series) or beside the plot, and the markers must be named on every panel.
        m_legend = new QCPLegend;
        QCPLayoutGrid *layout = m_plot->plotLayout();
        const int row = layout->rowCount();
        layout->addElement(row, 0, m_legend);
        layout->setRowStretchFactor(row, 0.001);
        m_legend->setLayer(QStringLiteral("legend"));
        m_legend->setFont(QFont(m_plot->font().family(), 7));
        m_legend->setIconSize(10, 8);
        m_legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        m_legend->setWrap(kChurnKinds);
        m_legend->setMargins(QMargins(2, 0, 2, 1));
        m_legend->setColumnSpacing(6);
        m_legend->setRowSpacing(0);
        m_legend->setBorderPen(Qt::NoPen);
        m_legend->setBrush(Qt::NoBrush);
        m_legend->setSelectableParts(QCPLegend::spNone);
    }
    updateLegendNames();
}

void ChurnMarkers::updateLegendNames()
{
    // In kind order, only the kinds that occurred, each with its count in the window; rebuilt
    // only when a count changed (a flush without a new marker costs nothing here).
    std::array<int, kChurnKinds> counts{};
    for (int k = 0; k < kChurnKinds; ++k) {
        counts[static_cast<std::size_t>(k)] = m_bars[static_cast<std::size_t>(k)]->dataCount();
    }
    if (counts == m_legendCounts && m_legend->itemCount() > 0) {
        return;
    }
    m_legendCounts = counts;
    m_legend->clearItems();
    for (int k = 0; k < kChurnKinds; ++k) {
        QCPBars *bars = m_bars[static_cast<std::size_t>(k)];
        const int n = bars->dataCount();
        bars->setName(QStringLiteral("%1 ×%2").arg(
            ChurnDetector::kindName(static_cast<ChurnKind>(k)), QString::number(n)));
        if (n > 0) {
            bars->addToLegend(m_legend);
        }
    }
}

} // namespace collapipe
