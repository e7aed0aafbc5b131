// SPDX-License-Identifier: MIT
#include "ui/plots/churn_markers.h"

#include "ui/plots/axis_ticks.h"

#include <qcustomplot.h>

#include <algorithm>
#include <iterator>

namespace collapipe {

namespace churn_markers {

/// Each marker is a thin light line over the whole height (which data it crosses) and a strong
/// flag at the top (which kind), both a fixed number of pixels wide at every zoom; the kinds of
/// one round sit side by side, 4 px apart for lines and flags alike (width + spacing).
constexpr double kLineWidthPx = 1.0;
constexpr double kFlagWidthPx = 3.0;
constexpr double kPitchPx = 4.0;
constexpr double kFlagBase = 0.9; ///< flags cover the top tenth of the axis rect

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

QString ChurnDetector::shortName(ChurnKind kind)
{
    switch (kind) {
    case ChurnKind::Dropout:
        return QObject::tr("drop");
    case ChurnKind::Replan:
        return QObject::tr("re-plan");
    case ChurnKind::DeadlineMiss:
        return QObject::tr("late");
    case ChurnKind::Rejoin:
        return QObject::tr("back");
    }
    return {};
}

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

namespace churn_markers {
long long takeCalls = 0; ///< GUI thread only, like the detectors
} // namespace churn_markers

long long ChurnDetector::takeCount()
{
    return churn_markers::takeCalls;
}

void ChurnDetector::take(const RoundRecord &record, std::vector<ChurnEvent> *out)
{
    ++churn_markers::takeCalls;
    std::array<QStringList, kChurnKinds> who;
    for (const DeviceRound &d : record.devices) {
        const QString name = deviceName(d);
        // One hash lookup a device a round (1,000 devices: 20,000 in 20 rounds), not two.
        const auto it = m_present.find(name);
        const bool was = it == m_present.end() || it.value(); // present before round 0
        if (was && !d.present) {
            who[static_cast<int>(ChurnKind::Dropout)] << name;
        } else if (!was && d.present) {
            who[static_cast<int>(ChurnKind::Rejoin)] << name;
        }
        if (it == m_present.end()) {
            m_present.insert(name, d.present);
        } else {
            it.value() = d.present;
        }
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

void ChurnFeed::take(const std::vector<SharedRound> &batch)
{
    m_events.clear();
    m_rounds.clear();
    m_rounds.reserve(batch.size());
    for (const SharedRound &r : batch) {
        m_detector.take(*r, &m_events);
        m_rounds.push_back(r->round);
    }
    m_sorted = std::is_sorted(m_rounds.begin(), m_rounds.end());
}

bool ChurnFeed::copyEvents(int round, std::vector<ChurnEvent> *out) const
{
    if (!m_sorted) { // no front end sends that; still right
        if (std::find(m_rounds.begin(), m_rounds.end(), round) == m_rounds.end()) {
            return false;
        }
        std::copy_if(m_events.begin(), m_events.end(), std::back_inserter(*out),
            [round](const ChurnEvent &e) { return e.round == round; });
        return true;
    }
    if (!std::binary_search(m_rounds.begin(), m_rounds.end(), round)) {
        return false;
    }
    // A batch comes in round order (a run, a replay): the round's events are one stretch.
    const auto first = std::lower_bound(m_events.begin(), m_events.end(), round,
        [](const ChurnEvent &e, int r) { return e.round < r; });
    for (auto it = first; it != m_events.end() && it->round == round; ++it) {
        out->push_back(*it);
    }
    return true;
}

void ChurnFeed::clear()
{
    m_detector.clear();
    m_events.clear();
    m_rounds.clear();
    m_sorted = true;
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
    const auto makeGroup = [plot](double width) {
        auto *group = new QCPBarsGroup(plot);
        group->setSpacingType(QCPBarsGroup::stAbsolute);
        group->setSpacing(kPitchPx - width);
        return group;
    };
    const auto makeBars
        = [&](ChurnKind kind, double width, const QColor &color, double base, QCPBarsGroup *group) {
              auto *bars = new QCPBars(plot->xAxis, m_axis);
              bars->removeFromLegend(plot->legend); // the plot's legend names its series only
              bars->setLayer(QStringLiteral("churn"));
              bars->setName(ChurnDetector::kindName(kind));
              bars->setWidthType(QCPBars::wtAbsolute);
              bars->setWidth(width);
              bars->setBaseValue(base);
              bars->setPen(Qt::NoPen);
              bars->setBrush(color);
              bars->setAntialiased(false);
              bars->setAntialiasedFill(false);
              bars->setSelectable(QCP::stNone);
              bars->setBarsGroup(group);
              return bars;
          };
    QCPBarsGroup *lines = makeGroup(kLineWidthPx);
    QCPBarsGroup *flags = makeGroup(kFlagWidthPx);
    for (int k = 0; k < kChurnKinds; ++k) {
        const auto kind = static_cast<ChurnKind>(k);
        const QColor strong = colorOf(kind);
        // Opaque and light (translucency is slow, style.md rule 6): the data stays readable.
        const QColor light((strong.red() + 2 * 255) / 3, (strong.green() + 2 * 255) / 3,
            (strong.blue() + 2 * 255) / 3);
        m_lines[static_cast<std::size_t>(k)] = makeBars(kind, kLineWidthPx, light, 0.0, lines);
    }
    for (int k = 0; k < kChurnKinds; ++k) { // created last: drawn over the lines
        const auto kind = static_cast<ChurnKind>(k);
        m_flags[static_cast<std::size_t>(k)]
            = makeBars(kind, kFlagWidthPx, colorOf(kind), kFlagBase, flags);
    }
}

void ChurnMarkers::draw(const ChurnEvent &e)
{
    const auto k = static_cast<std::size_t>(e.kind);
    m_lines[k]->addData(e.key(m_mode), 1.0);
    m_flags[k]->addData(e.key(m_mode), 1.0 - kFlagBase);
}

void ChurnMarkers::appendRound(const RoundRecord &record)
{
    if (!m_feed || !m_feed->copyEvents(record.round, &m_events)) {
        m_detector.take(record, &m_events);
    }
}

void ChurnMarkers::flush(XAxisMode mode, double windowStart)
{
    m_mode = mode;
    for (std::size_t i = m_flushed; i < m_events.size(); ++i) {
        draw(m_events[i]);
    }
    m_flushed = m_events.size();
    // The series' window (SeriesBuffer capacity) bounds the markers too.
    const auto kept = std::find_if(m_events.begin(), m_events.end(),
        [&](const ChurnEvent &e) { return e.key(mode) >= windowStart; });
    if (kept != m_events.begin()) {
        m_flushed -= static_cast<std::size_t>(kept - m_events.begin());
        m_events.erase(m_events.begin(), kept);
        for (std::size_t k = 0; k < kChurnKinds; ++k) {
            m_lines[k]->data()->removeBefore(windowStart);
            m_flags[k]->data()->removeBefore(windowStart);
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
    for (std::size_t k = 0; k < kChurnKinds; ++k) {
        m_lines[k]->data()->clear();
        m_flags[k]->data()->clear();
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
    for (std::size_t k = 0; k < kChurnKinds; ++k) {
        m_lines[k]->data()->clear();
        m_flags[k]->data()->clear();
    }
    for (std::size_t i = 0; i < m_flushed; ++i) {
        draw(m_events[i]);
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
    return m_flags[static_cast<std::size_t>(kind)]->dataCount();
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
        // Right under the axis rect (a device legend moved below the plot goes under it).
        m_row = layout->rowCount();
        for (int i = 0; i < layout->elementCount(); ++i) {
            if (layout->elementAt(i) == m_plot->axisRect()) {
                int column = 0;
                layout->indexToRowCol(i, m_row, column);
                ++m_row;
                break;
            }
        }
        if (m_row < layout->rowCount()) {
            layout->insertRow(m_row);
        }
        m_column = 0;
        layout->addElement(m_row, 0, m_legend);
        layout->setRowStretchFactor(m_row, 0.001);
        m_legend->setLayer(QStringLiteral("legend"));
        m_legend->setFont(QFont(m_plot->font().family(), 7));
        m_legend->setIconSize(8, 8);
        m_legend->setIconTextPadding(3);
        m_legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        m_legend->setMargins(QMargins(2, 0, 2, 3));
        m_legend->setColumnSpacing(4);
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
        counts[static_cast<std::size_t>(k)] = m_flags[static_cast<std::size_t>(k)]->dataCount();
    }
    if (counts == m_legendCounts && m_legend->itemCount() > 0) {
        return;
    }
    m_legendCounts = counts;
    m_legend->clearItems();
    for (int k = 0; k < kChurnKinds; ++k) {
        QCPBars *bars = m_flags[static_cast<std::size_t>(k)];
        if (bars->dataCount() > 0) {
            bars->addToLegend(m_legend);
        }
    }
    applyWrap();
}

void ChurnMarkers::fitWidth(int available, bool force)
{
    if (available != m_available || force) {
        m_available = available;
        applyWrap();
    }
}

void ChurnMarkers::applyWrap()
{
    if (!m_legend) {
        return;
    }
    // The widest form that fits the axis rect's column (a legend wider than its column pushes
    // the layout past the widget: entries were cut off at 1600 and 1280 px); short names read
    // "drop ×10", "late ×6", "back ×9" (the hover text has the full story).
    struct Form
    {
        bool shortNames;
        int columns;
    };
    // One row first (the panels are short at 1280 × 800): full names, then short ones.
    static constexpr std::array<Form, 4> forms{
        {{false, kChurnKinds}, {true, kChurnKinds}, {false, 2}, {true, 2}}};
    const auto apply = [this](const Form &form) {
        for (int k = 0; k < kChurnKinds; ++k) {
            const auto kind = static_cast<ChurnKind>(k);
            QCPBars *bars = m_flags[static_cast<std::size_t>(k)];
            bars->setName(QStringLiteral("%1 ×%2").arg(
                form.shortNames ? ChurnDetector::shortName(kind) : ChurnDetector::kindName(kind),
                QString::number(bars->dataCount())));
        }
        m_legend->setWrap(form.columns);
        m_legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
        return m_available <= 0 || m_legend->minimumOuterSizeHint().width() <= m_available;
    };
    for (const Form &form : forms) {
        if (apply(form)) {
            placeLegend(0);
            return;
        }
    }
    // Too narrow even so (a panel with a device legend beside it at 1280 px): under that legend,
    // in its column, which is wide enough for the short form.
    const bool beside = m_plot->legend->visible() && legendBesideAxisRect(m_plot);
    placeLegend(beside ? 1 : 0);
}

void ChurnMarkers::placeLegend(int column)
{
    if (column == m_column) {
        return;
    }
    QCPLayoutGrid *layout = m_plot->plotLayout();
    layout->take(m_legend);
    layout->addElement(m_row, column, m_legend);
    m_column = column;
}

} // namespace collapipe
