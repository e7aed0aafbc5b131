// SPDX-License-Identifier: MIT
// RoundPlot's per-device panels (energy, queues, memory): a series per device up to
// kDeviceSeriesLimit devices, otherwise the mean, the max and a min–max band over all devices
// plus a series per device of the picked clusters (issue [7/7]: 100,000 devices).
#include "ui/plots/round_plot.h"

#include <QLocale>

#include <cmath>
#include <limits>

namespace collapipe {

namespace round_plot_devices {

/// Key prefix of the picked devices' series (the aggregates' keys start with "all/").
const QString &pickPrefix()
{
    static const QString prefix = QStringLiteral("pick/");
    return prefix;
}

/// Picked devices with a series of their own: with the three aggregates, the legend beside the
/// plot (at most 48 entries) still names every series.
constexpr int kPickedSeriesLimit = RoundPlot::kDeviceSeriesLimit - 8;

} // namespace round_plot_devices

void RoundPlot::removeAllSeries()
{
    // From the newest: QCustomPlot looks a graph up in its lists from the front, so each
    // removal is short; the count is bounded by kDeviceSeriesLimit anyway.
    for (auto it = m_series.rbegin(); it != m_series.rend(); ++it) {
        removeGraph(it->graph);
    }
    m_series.clear();
    m_seriesByKey.clear();
    clearReferenceLines();
    m_aggregateSeries = {};
    m_pickedSeries = 0;
    m_minPositive = std::numeric_limits<double>::infinity();
    legend->setVisible(false);
    rescaleWhileEmpty();
}

void RoundPlot::setDeviceLayout(int devices, DeviceValue value, QCPAxis *valueAxis)
{
    removeAllSeries();
    m_deviceValue = value;
    m_deviceAxis = valueAxis;
    m_aggregate = devices > kDeviceSeriesLimit;
    m_aggregateDevices = devices;
    if (m_aggregate) {
        if (m_legendPlace == LegendPlace::Inside) {
            // The band fills the axis rect (memory): its legend goes beside or below the plot.
            placeLegendBeside(1);
        }
        ensureAggregate(devices);
    }
}

void RoundPlot::ensureAggregate(int devices)
{
    if (m_aggregateSeries.mean >= 0) {
        return;
    }
    const QString n = QLocale().toString(devices);
    // Created band first: QCustomPlot paints in creation order, the lines go over the band.
    m_aggregateSeries.band = ensureSeries(QStringLiteral("all/min"),
        tr("min–max band, %1 devices").arg(n), QPen(QColor(170, 170, 170)), m_deviceAxis);
    m_aggregateSeries.max = ensureSeries(QStringLiteral("all/max"), tr("max of %1 devices").arg(n),
        QPen(QColor(110, 110, 110)), m_deviceAxis);
    m_aggregateSeries.mean = ensureSeries(
        QStringLiteral("all/mean"), tr("mean of %1 devices").arg(n), QPen(Qt::black), m_deviceAxis);
    // The mean reads first: 2 px (three graphs; the 1 px rule is for a graph per device).
    graphOf(m_aggregateSeries.mean)->setPen(QPen(Qt::black, 2));
    QCPGraph *band = graphOf(m_aggregateSeries.band);
    band->setBrush(QBrush(QColor(225, 225, 225))); // opaque: translucent fills are slow
    band->setChannelFillGraph(graphOf(m_aggregateSeries.max));
}

void RoundPlot::takeDeviceRound(const RoundRecord &record)
{
    if (!m_deviceValue) {
        return;
    }
    const int devices = static_cast<int>(record.devices.size());
    if (!m_aggregate && devices > kDeviceSeriesLimit) {
        // A record larger than the scenario the layout was made for.
        setDeviceLayout(devices, m_deviceValue, m_deviceAxis);
    }
    if (!m_aggregate) {
        for (const DeviceRound &d : record.devices) {
            const int s = ensureSeries(
                deviceKey(d), deviceLabel(d), QPen(seriesColor(seriesCount())), m_deviceAxis);
            appendPoint(s, record, m_deviceValue(d));
        }
        return;
    }
    double sum = 0.0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    int count = 0;
    for (const DeviceRound &d : record.devices) {
        const double v = m_deviceValue(d);
        if (std::isfinite(v)) {
            sum += v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            ++count;
            if (v > 0.0) { // a log axis' lower end: the band's min may be a device at 0
                m_minPositive = std::min(m_minPositive, v);
            }
        }
    }
    if (count > 0) {
        appendPoint(m_aggregateSeries.band, record, lo);
        appendPoint(m_aggregateSeries.max, record, hi);
        appendPoint(m_aggregateSeries.mean, record, sum / count);
    }
    takePicked(record);
}

void RoundPlot::takePicked(const RoundRecord &record)
{
    if (m_picked.isEmpty() || !m_aggregate) {
        return;
    }
    for (const DeviceRound &d : record.devices) {
        if (!m_picked.contains(d.cluster)) {
            continue;
        }
        const QString key = round_plot_devices::pickPrefix() + deviceKey(d);
        int s = -1;
        if (const auto it = m_seriesByKey.constFind(key); it != m_seriesByKey.constEnd()) {
            s = it.value();
        } else if (m_pickedSeries < round_plot_devices::kPickedSeriesLimit) {
            s = ensureSeries(key, deviceLabel(d), QPen(seriesColor(m_pickedSeries)), m_deviceAxis);
            ++m_pickedSeries;
        } else {
            continue;
        }
        appendPoint(s, record, m_deviceValue(d));
    }
}

void RoundPlot::setPickedClusters(const QSet<int> &clusters, const std::deque<SharedRound> *history)
{
    if (clusters == m_picked) {
        return;
    }
    // The picked series come after the aggregates: drop them from the newest.
    const int keep = m_aggregate ? m_aggregateSeries.mean + 1 : seriesCount();
    while (seriesCount() > keep) {
        removeGraph(m_series.back().graph);
        m_series.pop_back();
    }
    for (auto it = m_seriesByKey.begin(); it != m_seriesByKey.end();) {
        it = it.value() >= keep ? m_seriesByKey.erase(it) : std::next(it);
    }
    m_pickedSeries = 0;
    m_picked = clusters;
    if (history) {
        for (const SharedRound &r : *history) {
            takePicked(*r);
        }
    }
    flush();
}

} // namespace collapipe
