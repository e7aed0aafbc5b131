// SPDX-License-Identifier: MIT
#include "ui/plots/round_plot.h"

#include "core/scenario/scenario.h"
#include "ui/export/plot_export.h"
#include "ui/plots/axis_range.h"
#include "ui/plots/axis_ticks.h"
#include "ui/plots/fitted_legend.h"
#include "ui/plots/reference_legend_item.h"
#include "ui/plots/title_fit.h"

#include <QMouseEvent>
#include <QToolTip>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace collapipe {

namespace {

/// Rounds are integers: integer ticks only (no "2.5"), as many as the axis' pixels hold.
QSharedPointer<QCPAxisTicker> roundTicker()
{
    return QSharedPointer<FittedTicker>::create(true);
}

QSharedPointer<QCPAxisTicker> timeTicker()
{
    return QSharedPointer<FittedTicker>::create(false);
}

} // namespace

RoundPlot::RoundPlot(const QString &title, QWidget *parent)
    : QCustomPlot(parent)
{
    plotLayout()->insertRow(0);
    // 8 pt: the title gets only the axis rect's column (not a legend's beside it) and must fit
    // that at 1280 px.
    m_title = new QCPTextElement(this, title, QFont(font().family(), 8, QFont::Bold));
    plotLayout()->addElement(0, 0, m_title);
    m_fullTitle = title;
    xAxis->setLabel(tr("round"));
    xAxis->setTicker(roundTicker());
    legend->setVisible(false); // shown by flush() once it has entries
    // ensureSeries() adds legend entries only up to one past the crowded limit: with a series
    // per device (1,000 at 100 x 10) QCustomPlot's legend grid grows in O(n²) (issue [7/7]).
    setAutoAddPlottableToLegend(false);
    legend->setFont(QFont(font().family(), 8));
    legend->setBrush(QBrush(Qt::white));
    legend->setRowSpacing(0);
    // Beside or below the plot the legend's box is its entries' size, not its layout cell's.
    keepLegendFitted(this);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    // Wheel zooms the round axis only; drag is reserved for the cursor (linked selection).
    setInteractions(QCP::iRangeZoom);
    axisRect()->setRangeZoom(Qt::Horizontal);
    setNoAntialiasingOnDrag(true);
    m_cursor = new QCPItemStraightLine(this);
    m_cursor->setPen(QPen(QColor(200, 0, 0), 1));
    m_cursor->setVisible(false);
    m_cursor->setSelectable(false);
    m_cursor->setProperty(kExportOmittedProperty, true); // a UI selection: not exported
    // 8 pt tick labels, the tick step following each axis' pixel length (updateLayout).
    for (QCPAxis *axis : {xAxis, yAxis, yAxis2}) {
        axis->setTickLabelFont(QFont(font().family(), 8));
        axis->setLabelFont(QFont(font().family(), 8));
        if (axis != xAxis) {
            axis->setTicker(timeTicker());
        }
    }
    // Before the first round: a neutral 0–1 frame and a note, not QCustomPlot's 0–5.
    m_empty = new QCPItemText(this);
    m_empty->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_empty->position->setCoords(0.5, 0.5);
    m_empty->setText(emptyNoteForms().front());
    m_empty->setTextAlignment(Qt::AlignHCenter);
    m_empty->setColor(QColor(120, 120, 120));
    m_empty->setSelectable(false);
    // On white, above the grid (the reference lines hide while the note shows).
    m_empty->setBrush(QBrush(Qt::white));
    m_empty->setPadding(QMargins(3, 1, 3, 1));
    m_empty->setLayer(QStringLiteral("legend"));
    for (QCPAxis *axis : {xAxis, yAxis, yAxis2}) {
        axis->setRange(0.0, 1.0);
    }
    setMouseTracking(true);
    // An explicit minimum: QCustomPlot's own hint grows with the title's text, and a long title
    // (or one that changes with the data) would widen the dock and the window past the screen.
    setMinimumSize(220, 120);
    m_markers = std::make_unique<ChurnMarkers>(this);
    // The axis margins are known after a layout only: the reserved height follows them (a
    // change resizes the panel once; unchanged, nothing happens).
    connect(this, &QCustomPlot::afterLayout, this, &RoundPlot::reserveLegendRoom);
    connect(this, &QCustomPlot::afterLayout, this, &RoundPlot::fitEmptyNote);
}

RoundPlot::~RoundPlot() = default;

bool RoundPlot::showsEmptyState() const
{
    return m_empty->visible();
}

QString RoundPlot::title() const
{
    return m_fullTitle;
}

QString RoundPlot::shownTitle() const
{
    return m_title->text();
}

void RoundPlot::setTitle(const QString &title)
{
    m_fullTitle = title;
    fitTitle();
}

void RoundPlot::fitTitle()
{
    // The title's column is the axis rect's: a legend placed beside the plot takes the rest. A
    // title wider than its column forced the layout wider than the widget (both ends clipped,
    // the legend pushed out).
    const bool moved = placeLegend();
    int available = width() - 8;
    if (legend->visible() && m_legendPlace == LegendPlace::Beside) {
        available -= legend->minimumOuterSizeHint().width();
    }
    if (m_markers) {
        m_markers->fitWidth(available, moved);
    }
    // Shortened at a clause or a word, never cut inside one (at 1280 × 800 the elided titles
    // lost their units: "Energy queues Q(t) [J], - - bud…"); the whole title is the tooltip.
    const QString shown = fitTitleText(m_fullTitle, m_title->font(), available);
    if (shown != m_title->text()) {
        m_title->setText(shown);
        replot(rpQueuedReplot);
    }
    reserveLegendRoom();
}

void RoundPlot::reserveLegendRoom()
{
    // The axis rect's row as QCustomPlot lays it out: its minimum plus the margins it computed
    // for the tick labels and the axis label at the last layout (its size hint leaves them out).
    constexpr int kAxisRowMin = 90;
    constexpr int kMinHeight = 120; // the panel's own minimum (see the constructor)
    const QMargins axisMargins = axisRect()->margins();
    int row = std::max(kAxisRowMin,
        std::max(axisRect()->minimumSize().height(), 50) + axisMargins.top()
            + axisMargins.bottom());
    int below = 0;
    if (legend->visible() && m_legendPlace == LegendPlace::Beside) {
        row = std::max(row, legend->minimumOuterSizeHint().height());
    } else if (legend->visible() && m_legendPlace == LegendPlace::Below) {
        below = legend->minimumOuterSizeHint().height();
    }
    // Through the base: QCPTextElement makes its override protected.
    int needed
        = std::max(m_title->outerRect().height(),
              static_cast<const QCPLayoutElement *>(m_title)->minimumOuterSizeHint().height())
        + row + below;
    if (const QCPLegend *markers = m_markers ? m_markers->legend() : nullptr;
        markers && markers->itemCount() > 0) {
        needed += markers->minimumOuterSizeHint().height();
    }
    needed += plotLayout()->rowSpacing() * (plotLayout()->rowCount() - 1) + 2 * kLegendEdgeMargin;
    needed = std::max(needed + 4, kMinHeight);
    if (needed != minimumHeight()) {
        setMinimumHeight(needed);
    }
}

void RoundPlot::resizeEvent(QResizeEvent *event)
{
    fitTitle();
    QCustomPlot::resizeEvent(event);
    // fitTitle() may grow the panel (its minimum height) during this event, before it is shown:
    // QCustomPlot took the event's size, stale by then, and no second event came. The panel
    // was laid out for 120 px in 133 (an axis rect too short for its label, or tick labels
    // above the panel's top).
    if (viewport() != rect()) {
        setViewport(rect());
        replot(QCustomPlot::rpQueuedReplot);
    }
}

void RoundPlot::appendRounds(const std::vector<RoundRecord> &records)
{
    for (const RoundRecord &r : records) {
        appendRound(r);
    }
}

void RoundPlot::appendRound(const RoundRecord &record)
{
    m_keys.append(record.round, record.simTimeS, 0.0);
    takeRound(record);
    m_markers->appendRound(record);
}

int RoundPlot::ensureSeries(
    const QString &key, const QString &name, const QPen &pen, QCPAxis *valueAxis)
{
    const auto it = m_seriesByKey.constFind(key);
    if (it != m_seriesByKey.constEnd()) {
        return it.value();
    }
    QCPGraph *graph = addGraph(xAxis, valueAxis ? valueAxis : yAxis);
    if (legendEntries() <= m_maxLegendEntries) {
        graph->addToLegend(); // one past the limit still says "crowded": no legend shown
    }
    graph->setName(name);
    QPen p = pen;
    p.setWidth(1); // thick pens are QCustomPlot's main slowdown (style.md rule 6)
    graph->setPen(p);
    graph->setAdaptiveSampling(true);
    m_series.push_back({SeriesBuffer(m_keys.capacity()), graph});
    const int index = static_cast<int>(m_series.size()) - 1;
    m_seriesByKey.insert(key, index);
    legend->setVisible(legendEntries() > 0 && legendEntries() <= m_maxLegendEntries);
    fitTitle();
    return index;
}

void RoundPlot::appendPoint(int series, const RoundRecord &record, double value)
{
    m_series[series].buffer.append(record.round, record.simTimeS, value);
    if (value > 0.0) {
        m_minPositive = std::min(m_minPositive, value); // for the log scale's lower end
    }
}

int RoundPlot::seriesIndex(const QString &name) const
{
    for (int i = 0; i < seriesCount(); ++i) {
        if (m_series[i].graph->name() == name) {
            return i;
        }
    }
    return -1;
}

void RoundPlot::flush()
{
    QVector<QCPGraphData> batch;
    for (Series &s : m_series) {
        if (s.buffer.takeTrimmed()) {
            if (s.buffer.isEmpty()) {
                s.graph->data()->clear();
            } else {
                s.graph->data()->removeBefore(s.buffer.front().key(m_mode));
            }
        }
        const std::size_t first = s.buffer.firstPending();
        batch.resize(static_cast<qsizetype>(s.buffer.size() - first));
        for (std::size_t i = first; i < s.buffer.size(); ++i) {
            const SeriesPoint &p = s.buffer.at(i);
            batch[static_cast<qsizetype>(i - first)] = QCPGraphData(p.key(m_mode), p.value);
        }
        if (!batch.isEmpty()) {
            s.graph->data()->add(batch, true);
        }
        s.buffer.markFlushed();
    }
    m_keys.takeTrimmed();
    m_keys.markFlushed();
    m_markers->flush(m_mode,
        m_keys.isEmpty() ? -std::numeric_limits<double>::infinity() : m_keys.front().key(m_mode));
    dataChanged();
    setEmptyShown(m_keys.isEmpty());
    // No legend while empty (an empty frame) or crowded (it would hide the data).
    legend->setVisible(legendEntries() > 0 && legendEntries() <= m_maxLegendEntries);
    fitTitle();
    if (m_followData) {
        rescale();
    }
    placeCursor();
    replot(QCustomPlot::rpQueuedReplot);
}

void RoundPlot::clearData()
{
    for (Series &s : m_series) {
        s.buffer.clear();
        s.graph->data()->clear();
    }
    m_keys.clear();
    m_minPositive = std::numeric_limits<double>::infinity();
    m_markers->clear();
    m_selectedRound = -1;
    m_followData = true;
    dataChanged();
    legend->setVisible(false);
    fitTitle();
    rescale();
    placeCursor();
    replot(QCustomPlot::rpQueuedReplot);
}

void RoundPlot::setScenario(const Scenario &) { }

void RoundPlot::setCapacity(std::size_t points)
{
    m_keys.setCapacity(points);
    for (Series &s : m_series) {
        s.buffer.setCapacity(points);
    }
}

void RoundPlot::setXAxisMode(XAxisMode mode)
{
    if (mode == m_mode) {
        return;
    }
    m_mode = mode;
    xAxis->setLabel(mode == XAxisMode::Round ? tr("round") : tr("simulated time [s]"));
    xAxis->setTicker(mode == XAxisMode::Round ? roundTicker() : timeTicker());
    // Rebuild every graph from its buffer with the other key.
    QVector<QCPGraphData> all;
    for (Series &s : m_series) {
        all.resize(static_cast<qsizetype>(s.buffer.size()));
        for (std::size_t i = 0; i < s.buffer.size(); ++i) {
            const SeriesPoint &p = s.buffer.at(i);
            all[static_cast<qsizetype>(i)] = QCPGraphData(p.key(mode), p.value);
        }
        s.graph->data()->set(all, true);
    }
    m_markers->setXAxisMode(mode);
    m_followData = true;
    rescale();
    placeCursor();
    replot(QCustomPlot::rpQueuedReplot);
}

void RoundPlot::setSelectedRound(int round)
{
    m_selectedRound = round;
    placeCursor();
    replot(QCustomPlot::rpQueuedReplot);
}

void RoundPlot::placeCursor()
{
    if (m_selectedRound < 0 || m_keys.isEmpty()) {
        m_cursor->setVisible(false);
        return;
    }
    double x = m_selectedRound;
    if (m_mode == XAxisMode::SimTime) {
        const std::size_t i = m_keys.lowerBound(XAxisMode::Round, m_selectedRound);
        if (i >= m_keys.size()) {
            m_cursor->setVisible(false);
            return;
        }
        x = m_keys.at(i).timeS;
    }
    m_cursor->point1->setCoords(x, 0.0);
    m_cursor->point2->setCoords(x, 1.0);
    m_cursor->setVisible(true);
}

int RoundPlot::roundAt(double x) const
{
    if (m_keys.isEmpty()) {
        return -1;
    }
    std::size_t i = m_keys.lowerBound(m_mode, x);
    if (i >= m_keys.size()) {
        i = m_keys.size() - 1;
    } else if (i > 0
        && std::abs(m_keys.at(i - 1).key(m_mode) - x) < std::abs(m_keys.at(i).key(m_mode) - x)) {
        --i;
    }
    return static_cast<int>(m_keys.at(i).round);
}

void RoundPlot::rescale()
{
    setEmptyShown(m_keys.isEmpty());
    if (m_keys.isEmpty()) {
        xAxis->setRange(0.0, 1.0);
    } else {
        double lo = m_keys.front().key(m_mode);
        double hi = m_keys.back().key(m_mode);
        if (hi - lo <= 0.0) {
            lo -= 1.0;
            hi += 1.0;
        }
        const double pad = m_mode == XAxisMode::Round ? 0.5 : 0.0;
        xAxis->setRange(lo - pad, hi + pad);
    }
    // Value ranges from the cached buffer ranges (QCPGraph::getValueRange would scan all points).
    QHash<QCPAxis *, ValueRange> ranges;
    auto include = [&ranges](QCPAxis *axis, double lo, double hi) {
        ValueRange &r = ranges[axis];
        r = r.valid ? ValueRange{std::min(r.lower, lo), std::max(r.upper, hi), true}
                    : ValueRange{lo, hi, true};
    };
    for (const Series &s : m_series) {
        const ValueRange r = s.buffer.valueRange();
        if (r.valid && s.graph->visible()) {
            include(s.graph->valueAxis(), r.lower, r.upper);
        }
    }
    for (const Reference &ref : std::as_const(m_references)) {
        include(ref.axis, ref.value, ref.value);
    }
    if (fitValueScale(ranges.value(yAxis))) {
        ranges.remove(yAxis); // a log axis: ranged by fitValueScale()
    }
    // A value axis without data (accuracy before the first evaluation) shows 0–1, not 0–5.
    for (QCPAxis *axis : {yAxis, yAxis2}) {
        if (!ranges.contains(axis) && axis->scaleType() == QCPAxis::stLinear) {
            axis->setRange(0.0, 1.0);
        }
    }
    for (auto it = ranges.begin(); it != ranges.end(); ++it) {
        const auto [lo, hi]
            = paddedRange(it.value().lower, it.value().upper, m_includeZero.value(it.key(), false));
        it.key()->setRange(lo, hi);
    }
}

void RoundPlot::setReferenceLine(const QString &key, double value, const QPen &pen,
    QCPAxis *valueAxis, const QString &legendName)
{
    Reference &ref = m_references[key];
    if (!ref.line) {
        ref.line = new QCPItemStraightLine(this);
        ref.line->setSelectable(false);
    }
    ref.axis = valueAxis ? valueAxis : yAxis;
    ref.value = value;
    QPen p = pen;
    p.setWidth(1);
    p.setStyle(Qt::DashLine);
    ref.line->setPen(p);
    ref.line->point1->setAxes(xAxis, ref.axis);
    ref.line->point2->setAxes(xAxis, ref.axis);
    ref.line->point1->setCoords(0.0, value);
    ref.line->point2->setCoords(1.0, value);
    ref.line->setVisible(!m_empty->visible());
    if (!legendName.isEmpty() && !ref.legendItem) {
        ref.legendItem = new ReferenceLegendItem(legend, legendName, p);
        legend->addItem(ref.legendItem);
    }
    rescaleWhileEmpty();
}

void RoundPlot::rescaleWhileEmpty()
{
    // Without data the references alone frame the value axes: another scenario's budget or
    // limit shows at once, not the previous run's range (rounds rescale in flush()).
    if (m_keys.isEmpty() && m_followData) {
        rescale();
        replot(QCustomPlot::rpQueuedReplot);
    }
}

void RoundPlot::clearReferenceLines()
{
    for (const Reference &ref : std::as_const(m_references)) {
        removeItem(ref.line);
        if (ref.legendItem) {
            legend->removeItem(ref.legendItem);
        }
    }
    m_references.clear();
}

void RoundPlot::updateLayout()
{
    syncLegendSlot();
    fitAxisRectToLabels();
    QCustomPlot::updateLayout();
    for (int pass = 0; pass < 3; ++pass) {
        bool changed = false;
        for (QCPAxis *axis : {xAxis, yAxis, yAxis2}) {
            changed = fitAxisTicks(axis) || changed;
        }
        if (!changed) {
            break;
        }
        QCustomPlot::updateLayout(); // new ticks, new labels, new margins
    }
}

void RoundPlot::setIncludeZero(QCPAxis *axis, bool include)
{
    m_includeZero.insert(axis, include);
}

QColor RoundPlot::seriesColor(int index)
{
    // Tableau 10: distinct on white and for the common colour-vision deficiencies.
    static const std::array<QColor, 10> colors = {QColor(31, 119, 180), QColor(255, 127, 14),
        QColor(44, 160, 44), QColor(214, 39, 40), QColor(148, 103, 189), QColor(140, 86, 75),
        QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34), QColor(23, 190, 207)};
    return colors[static_cast<std::size_t>(index) % colors.size()];
}

QString RoundPlot::deviceKey(const DeviceRound &device)
{
    return QStringLiteral("%1/%2").arg(device.cluster).arg(device.device);
}

QString RoundPlot::deviceLabel(const DeviceRound &device)
{
    return device.deviceId.isEmpty()
        ? QStringLiteral("cluster[%1] device[%2]").arg(device.cluster).arg(device.device)
        : device.deviceId;
}

void RoundPlot::pickAt(const QPointF &pos)
{
    const int round = roundAt(xAxis->pixelToCoord(pos.x()));
    if (round >= 0 && round != m_selectedRound) {
        Q_EMIT roundPicked(round);
    }
}

void RoundPlot::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton
        && axisRect()->rect().contains(event->position().toPoint())) {
        pickAt(event->position());
    }
    QCustomPlot::mousePressEvent(event);
}

void RoundPlot::mouseMoveEvent(QMouseEvent *event)
{
    if (m_title->text() != m_fullTitle
        && m_title->outerRect().contains(event->position().toPoint())) {
        QToolTip::showText(event->globalPosition().toPoint(), m_fullTitle, this);
    } else if (axisRect()->rect().contains(event->position().toPoint())) {
        const int round = roundAt(xAxis->pixelToCoord(event->position().x()));
        if (event->buttons() & Qt::LeftButton) {
            pickAt(event->position());
        } else if (round >= 0) {
            QToolTip::showText(event->globalPosition().toPoint(), hoverText(round), this);
        }
    }
    QCustomPlot::mouseMoveEvent(event);
}

void RoundPlot::mouseDoubleClickEvent(QMouseEvent *event)
{
    m_followData = true;
    rescale();
    replot(QCustomPlot::rpQueuedReplot);
    QCustomPlot::mouseDoubleClickEvent(event);
}

void RoundPlot::wheelEvent(QWheelEvent *event)
{
    m_followData = false; // the user looks at a detail: stop following new data
    QCustomPlot::wheelEvent(event);
}

QString RoundPlot::hoverText(int round) const
{
    QStringList lines{tr("round %1").arg(round)};
    for (const Series &s : m_series) {
        const std::size_t i = s.buffer.lowerBound(XAxisMode::Round, round);
        if (i < s.buffer.size() && s.buffer.at(i).round == round && s.graph->visible()) {
            lines << QStringLiteral("%1: %2")
                         .arg(s.graph->name())
                         .arg(s.buffer.at(i).value, 0, 'g', 4);
        }
        if (lines.size() > 16) {
            lines << QStringLiteral("…");
            break;
        }
    }
    lines << m_markers->describe(round);
    return lines.join(QLatin1Char('\n'));
}

DeviceBudgetMean deviceBudgetMean(const Scenario &scenario)
{
    DeviceBudgetMean mean;
    double budgets = 0.0;
    for (const Cluster &cluster : scenario.topology.clusters) {
        mean.devices += static_cast<int>(cluster.devices.size());
        for (const Device &device : cluster.devices) {
            budgets += device.energyBudgetJ;
        }
    }
    mean.meanBudgetJ = mean.devices > 0 ? budgets / mean.devices : 0.0;
    return mean;
}

} // namespace collapipe
