// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_plot.h"

#include "ui/plots/axis_ticks.h"
#include "ui/plots/cluster_labels.h"
#include "ui/plots/cluster_row_filter.h"
#include "ui/plots/gantt_bars_item.h"

#include <QMouseEvent>
#include <QToolTip>

#include <algorithm>
#include <array>
#include <limits>

namespace collapipe {

namespace {

constexpr double kBarHalfHeight = 0.36;
constexpr int kMinimumHeight = 200; ///< px, with no round or few rows

constexpr int kClickSlopPx = 4; ///< a press and release this close are a click, not a drag
const QColor kLaneColor(238, 238, 238);
const QColor kSummaryLaneColor(222, 228, 232);
const QColor kMatchLaneColor(255, 240, 160); ///< a search match
/// A summary row's lanes (compute, transfers, upload) fill most of the row's height.
constexpr double kSummaryHalfHeight = 0.45;
constexpr double kSummaryLaneStep = 2 * kSummaryHalfHeight / kGanttLanes;
constexpr double kSummaryLaneGap = 0.03;

} // namespace

QColor GanttPlot::kindColor(EventKind kind)
{
    switch (kind) {
    case EventKind::Embed:
        return QColor(150, 150, 150);
    case EventKind::Forward:
        return QColor(31, 119, 180);
    case EventKind::Backward:
        return QColor(255, 127, 14);
    case EventKind::SendActivation:
        return QColor(44, 160, 44);
    case EventKind::SendGradient:
        return QColor(214, 39, 40);
    case EventKind::DecoderForward:
        return QColor(148, 103, 189);
    case EventKind::DecoderBackward:
        return QColor(227, 119, 194);
    case EventKind::Upload:
        return QColor(140, 86, 75);
    case EventKind::Aggregate:
        return QColor(23, 190, 207);
    }
    return Qt::black;
}

QList<EventKind> GanttPlot::legendKinds()
{
    return {EventKind::Forward, EventKind::Backward, EventKind::SendActivation,
        EventKind::SendGradient, EventKind::Embed, EventKind::DecoderForward,
        EventKind::DecoderBackward, EventKind::Upload, EventKind::Aggregate};
}

QColor GanttPlot::laneColor(GanttLane lane)
{
    switch (lane) {
    case GanttLane::Compute:
        return kindColor(EventKind::Forward);
    case GanttLane::Transfer:
        return kindColor(EventKind::SendActivation);
    case GanttLane::Upload:
        return kindColor(EventKind::Upload);
    }
    return Qt::black;
}

QColor GanttPlot::laneShade(GanttLane lane, int busy, int of)
{
    // One of many busy: a light tint; all of them: the full colour.
    const double share = of > 0 ? std::clamp(double(busy) / of, 0.0, 1.0) : 1.0;
    const double w = 0.45 + 0.55 * share;
    const QColor c = laneColor(lane);
    return QColor(int(std::lround(255 + (c.red() - 255) * w)),
        int(std::lround(255 + (c.green() - 255) * w)),
        int(std::lround(255 + (c.blue() - 255) * w)));
}

QString GanttPlot::laneName(GanttLane lane)
{
    switch (lane) {
    case GanttLane::Compute:
        return tr("compute");
    case GanttLane::Transfer:
        return tr("transfers");
    case GanttLane::Upload:
        return tr("upload + aggregate");
    }
    return {};
}

QString GanttPlot::kindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Embed:
        return tr("embed");
    case EventKind::Forward:
        return tr("forward");
    case EventKind::Backward:
        return tr("backward");
    case EventKind::SendActivation:
        return tr("send activation");
    case EventKind::SendGradient:
        return tr("send gradient");
    case EventKind::DecoderForward:
        return tr("edge fwd");
    case EventKind::DecoderBackward:
        return tr("edge bwd");
    case EventKind::Upload:
        return tr("upload");
    case EventKind::Aggregate:
        return tr("aggregate");
    }
    return {};
}

GanttPlot::GanttPlot(QWidget *parent)
    : QCustomPlot(parent)
    , m_filter(new ClusterRowFilter(this))
    , m_drawn(new GanttBarsItem(this))
{
    setObjectName(QStringLiteral("pipeline-gantt"));
    plotLayout()->insertRow(0);
    m_title = new QCPTextElement(
        this, tr("Pipeline Gantt — no round selected"), QFont(font().family(), 10, QFont::Bold));
    plotLayout()->addElement(0, 0, m_title);
    xAxis->setLabel(tr("time in round [s]"));
    xAxis->setTicker(QSharedPointer<FittedTicker>::create());
    yAxis->setRangeReversed(true); // first resource on top
    yAxis->grid()->setVisible(false);
    yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    yAxis->setTickLabelFont(QFont(font().family(), 8)); // the rows' height follows it
    // The row names are drawn for the rows in sight by m_drawn (GanttRowLabels); the axis keeps
    // its tick marks and, through its padding, the names' margin.
    yAxis->setTickLabels(false);
    m_basePadding = yAxis->padding();
    m_labelText.setFont(yAxis->tickLabelFont());
    m_labelText.setColor(yAxis->tickLabelColor());
    m_drawn->setRowLabels(&m_labelText);
    setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
    axisRect()->setRangeZoom(Qt::Horizontal);
    axisRect()->setRangeDrag(Qt::Horizontal);
    // Legend entries: one empty, filled graph per kind (items have no legend of their own).
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(3); // 5 per row clipped the names in a dock of ~450 px
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(2, 0, legend);
    plotLayout()->setRowStretchFactor(2, 0.001);
    for (EventKind k : legendKinds()) {
        QCPGraph *g = addGraph();
        g->setName(kindName(k));
        g->setPen(QPen(kindColor(k).darker(140)));
        g->setBrush(kindColor(k));
    }
    m_sweep.setStartValue(0.0);
    m_sweep.setDuration(600);
    connect(&m_sweep, &QVariantAnimation::valueChanged, this,
        [this](const QVariant &v) { sweepTo(v.toDouble()); });
    setMouseTracking(true);
    // Explicit, so the title (it grows with the round's text) never sets the window's width.
    setMinimumSize(300, kMinimumHeight);
    // Another scenario's clusters: the shown round belongs to the previous run (and must not
    // decide the new run's default expansion).
    connect(m_filter, &ClusterRowFilter::clustersChanged, this, &GanttPlot::clearRound);
    for (auto signal : {&ClusterRowFilter::changed, &ClusterRowFilter::expansionChanged}) {
        connect(m_filter, signal, this, [this] {
            if (m_round >= 0) {
                rebuild(false);
            }
        });
    }
}

GanttPlot::~GanttPlot()
{
    if (legend && legend->layout() != plotLayout()) {
        delete legend; // out of the layout on screen: nobody else owns it
    }
}

void GanttPlot::updateLayout()
{
    // An export lays the plot out at the page's size (QCustomPlot's toPixmap/savePdf set the
    // viewport, then draw): the legend row is there; on screen the view's strip has it.
    if (legend) {
        const bool wanted = !m_legendForExportsOnly || viewport().size() != size();
        const bool placed = legend->layout() == plotLayout();
        if (wanted && !placed) {
            const int row = plotLayout()->rowCount();
            plotLayout()->addElement(row, 0, legend);
            plotLayout()->setRowStretchFactor(row, 0.001);
        } else if (!wanted && placed) {
            plotLayout()->take(legend);
            plotLayout()->simplify();
        }
        legend->setVisible(wanted);
    }
    QCustomPlot::updateLayout();
    for (int pass = 0; pass < 3 && fitAxisTicks(xAxis); ++pass) {
        QCustomPlot::updateLayout(); // ticks for the axis' new length
    }
}

void GanttPlot::setLegendForExportsOnly(bool exportsOnly)
{
    m_legendForExportsOnly = exportsOnly;
    fitRowHeight();
    replot(QCustomPlot::rpQueuedReplot);
}

QString GanttPlot::summaryText(int row, double t) const
{
    if (!isSummaryRow(row)) {
        return {};
    }
    const GanttRow &r = m_rows[std::size_t(row)];
    const double round = std::max(m_end, 1e-9);
    QStringList lines{tr("%1 at %2 s").arg(m_rowLabels.value(row)).arg(t, 0, 'g', 5)};
    for (int lane = 0; lane < kGanttLanes; ++lane) {
        const auto l = static_cast<GanttLane>(lane);
        const int of = r.laneResources[std::size_t(lane)];
        if (of == 0) {
            continue;
        }
        int busy = 0;
        for (const LaneSpan &span : r.lanes) {
            if (span.lane == l && t >= span.start && t < span.end) {
                busy = std::min(span.busy, of);
                break;
            }
        }
        lines << tr("%1: %2 of %3 busy now; some busy %4 s (%5 % of the round)")
                     .arg(laneName(l))
                     .arg(busy)
                     .arg(of)
                     .arg(r.laneBusyS[std::size_t(lane)], 0, 'g', 4)
                     .arg(100.0 * r.laneBusyS[std::size_t(lane)] / round, 0, 'f', 1);
    }
    lines << tr("click to %1").arg(m_filter->isExpanded(r.cluster) ? tr("collapse") : tr("expand"));
    return lines.join(QLatin1Char('\n'));
}

void GanttPlot::fitRowHeight()
{
    // Issue [1/7], 1280 x 800: with many devices per cluster the rows (and their labels) ran into
    // each other. Each row gets at least its label's line; the dock scrolls beyond that. The
    // plot's own overhead (title, legend, time axis) is what it takes beside the axis rect.
    const int rowPx = QFontMetrics(yAxis->tickLabelFont()).height() + 2;
    const int rows = std::max(rowCount(), 1);
    const int overhead = std::max(0, height() - axisRect()->height());
    const int rowsPx = int(std::ceil(rowPx * (rows + 0.4))); // the range adds 0.7 - 0.3 rows
    setMinimumHeight(std::max(kMinimumHeight, rowsPx + std::max(overhead, 120)));
}

void GanttPlot::removeItems()
{
    m_sweep.stop();
    m_drawn->clearRects();
    m_drawn->setSweep(std::numeric_limits<double>::infinity());
    m_bars.clear();
    m_rowLabels.clear();
    m_rows.clear();
}

void GanttPlot::forgetRound()
{
    removeItems();
    m_edgeTails.clear();
    m_record = std::make_shared<const RoundRecord>();
    m_round = -1;
    m_fullRowCount = m_clusterCount = m_shownClusters = 0;
    m_summary.clear();
}

QString GanttPlot::noteHeadline(const QString &note)
{
    // The title carries what the note says in a few words (an export keeps it): the whole note,
    // ~130 characters, ran past both edges of a 570-pixel Gantt at 1280 × 800, and the view
    // shows it whole, wrapped, above the rows (GanttView).
    QString head = note.section(QLatin1Char(':'), 0, 0).trimmed();
    const qsizetype bracket = head.indexOf(QLatin1String(" ("));
    if (bracket > 0) {
        head.truncate(bracket);
    }
    return head;
}

void GanttPlot::setTimelineNote(const QString &note)
{
    if (note == m_note) {
        return;
    }
    m_note = note;
    m_title->setText(
        note.isEmpty() ? m_titleText : m_titleText + QLatin1Char('\n') + noteHeadline(note));
    replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT timelineNoteChanged(note);
}

void GanttPlot::clearRound()
{
    forgetRound();
    m_titleText = tr("Pipeline Gantt — no round selected");
    m_title->setText(m_titleText);
    setTimelineNote(QString());
    qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker())->clear();
    m_labelText.setLabels({});
    yAxis->setPadding(m_basePadding);
    fitRowHeight();
    replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT rowsChanged();
}

bool GanttPlot::isSummaryRow(int row) const
{
    return row >= 0 && row < int(m_rows.size()) && m_rows[std::size_t(row)].summary;
}

int GanttPlot::clusterOfRow(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)].cluster : -1;
}

bool GanttPlot::isHighlightedRow(int row) const
{
    return row >= 0 && row < int(m_rows.size()) && m_rows[std::size_t(row)].highlighted;
}

void GanttPlot::toggleRow(int row)
{
    if (isSummaryRow(row)) {
        m_filter->toggleExpanded(clusterOfRow(row));
    }
}

void GanttPlot::setClusterIds(const QStringList &ids)
{
    m_filter->setClusterIds(ids); // redraws the shown round (changed())
}

void GanttPlot::setScenario(const Scenario &scenario)
{
    m_filter->setScenario(scenario);
}

void GanttPlot::setRecord(const RoundRecord &record)
{
    setSharedRecord(shareRoundCopy(record));
}

void GanttPlot::setSharedRecord(const SharedRound &shared)
{
    if (!shared) {
        clearRound();
        return;
    }
    // Not clearRound(): its fit to no rows shrank the widget and rebuild() grew it back, two
    // resizes (new paint buffers of the whole tall plot, an extra replot) for every round.
    forgetRound();
    m_record = shared;
    const RoundRecord &record = *shared;
    m_round = record.round;
    for (const ClusterRound &c : record.clusters) {
        if (c.edgeFirstBlock >= 0) {
            m_edgeTails.insert(
                c.cluster, tr("blocks %1–%2 + head").arg(c.edgeFirstBlock).arg(c.edgeLastBlock));
        }
    }
    m_end = 0.0;
    for (const TimelineEvent &e : record.events) {
        m_end = std::max(m_end, e.endS);
    }
    // A round without events (its timeline not stored or not read) still spans its latency:
    // a 1-ns axis ("2·10⁻¹⁰ … 1·10⁻⁹ s") under the note said nothing.
    const double laneEnd = m_end > 0.0 ? m_end : (record.latencyS > 0.0 ? record.latencyS : 1.0);
    const QStringList clusterIds = m_filter->clusterIds();
    QStringList parts;
    double minMakespan = 1e300, maxMakespan = 0.0, minBubble = 1.0, maxBubble = 0.0;
    for (const ClusterRound &c : record.clusters) {
        parts << tr("%1: makespan %2 s, bubble %3 %")
                     .arg(clusterLabel(clusterIds, c.cluster))
                     .arg(c.makespanS, 0, 'g', 4)
                     .arg(100.0 * c.bubbleFraction, 0, 'f', 1);
        if (m_edgeTails.contains(c.cluster)) {
            parts.last() += tr(", edge runs %1").arg(m_edgeTails.value(c.cluster));
        }
        minMakespan = std::min(minMakespan, c.makespanS);
        maxMakespan = std::max(maxMakespan, c.makespanS);
        minBubble = std::min(minBubble, c.bubbleFraction);
        maxBubble = std::max(maxBubble, c.bubbleFraction);
    }
    m_summary = tr("Round %1 — T = %2 s; %3")
                    .arg(record.round)
                    .arg(record.latencyS, 0, 'g', 4)
                    .arg(parts.join(QStringLiteral("; ")));
    // The title stays short (it sets the widget's minimum width); per-cluster detail is in
    // summary().
    auto range = [](double lo, double hi, int decimals, double scale) {
        return qFuzzyCompare(lo, hi) ? QString::number(lo * scale, 'f', decimals)
                                     : QStringLiteral("%1–%2")
                                           .arg(lo * scale, 0, 'f', decimals)
                                           .arg(hi * scale, 0, 'f', decimals);
    };
    QString title = tr("Round %1 · T = %2 s").arg(record.round).arg(record.latencyS, 0, 'g', 4);
    if (!record.clusters.empty()) {
        // Its own line: the plot's minimum width no longer follows the title, so keep lines short.
        title += tr("\nmakespan %1 s · bubble %2 %")
                     .arg(range(minMakespan, maxMakespan, 3, 1.0),
                         range(minBubble, maxBubble, 1, 100.0));
    }
    // Upload and aggregation can take far longer than the pipeline; start zoomed on the pipeline
    // so forward/backward bars and bubbles are readable (wheel or drag shows the rest).
    double pipelineEnd = 0.0;
    for (const TimelineEvent &e : record.events) {
        if (e.kind != EventKind::Upload && e.kind != EventKind::Aggregate) {
            pipelineEnd = std::max(pipelineEnd, e.endS);
        }
    }
    double shownEnd = laneEnd;
    if (pipelineEnd > 0.0 && pipelineEnd < 0.3 * laneEnd) {
        shownEnd = pipelineEnd;
        title += tr("\nzoomed to the pipeline: 0–%1 s of %2 s")
                     .arg(pipelineEnd, 0, 'g', 3)
                     .arg(laneEnd, 0, 'g', 4);
    }
    m_titleText = title;
    m_title->setText(title);
    setTimelineNote(QString());
    xAxis->setRange(0.0, shownEnd * 1.02);
    rebuild(m_animated);
}

void GanttPlot::rebuild(bool animate)
{
    removeItems();
    const RoundRecord &record = *m_record;
    GanttLayout shown = m_rowCache.layout(record, *m_filter, m_edgeTails);
    if (m_filter->noteRound(shown.fullRowCount)) {
        // The first round after a reset decided another expansion than the layout assumed.
        shown = m_rowCache.layout(record, *m_filter, m_edgeTails);
    }
    m_rows = std::move(shown.rows); // ~70,000 lane spans at 100 x 10: not copied
    m_fullRowCount = shown.fullRowCount;
    m_clusterCount = shown.clusterCount;
    m_shownClusters = shown.shownClusters;
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
    ticker->clear();
    const double laneEnd = m_end > 0.0 ? m_end : (record.latencyS > 0.0 ? record.latencyS : 1.0);
    // The last round's buffer again (~150,000 rects at 100 x 10): a fresh one page-faulted its
    // ~10 MB in every round.
    std::vector<GanttBarsItem::Rect> rects = m_drawn->takeRects();
    rects.reserve(m_rows.size() + record.events.size());
    for (int row = 0; row < int(m_rows.size()); ++row) {
        const GanttRow &r = m_rows[std::size_t(row)];
        m_rowLabels << r.label;
        ticker->addTick(row, r.label);
        const QColor lane
            = r.highlighted ? kMatchLaneColor : (r.summary ? kSummaryLaneColor : kLaneColor);
        rects.push_back({0.0, laneEnd, row - kBarHalfHeight - 0.06, row + kBarHalfHeight + 0.06,
            lane, QColor(), false});
        if (r.highlighted) { // the label too: a summary row's lane hides under its bars
            rects.push_back(
                {0.0, 0.0, row - 0.5, row + 0.5, kMatchLaneColor, QColor(), false, true});
        }
        // Summary rows: a thin lane per kind of resource, shaded by how many are busy (the
        // shades of a row computed once each: a 100-cluster round has ~70,000 stretches).
        std::array<std::vector<QColor>, kGanttLanes> shades;
        for (const LaneSpan &span : r.lanes) {
            const int lane = static_cast<int>(span.lane);
            const double top = row - kSummaryHalfHeight + lane * kSummaryLaneStep;
            auto &shadesOfLane = shades[std::size_t(lane)];
            const auto busy = std::size_t(std::max(span.busy, 0));
            if (shadesOfLane.size() <= busy) {
                shadesOfLane.resize(busy + 1);
            }
            if (!shadesOfLane[busy].isValid()) {
                shadesOfLane[busy]
                    = laneShade(span.lane, span.busy, r.laneResources[std::size_t(lane)]);
            }
            rects.push_back({span.start, span.end, top, top + kSummaryLaneStep - kSummaryLaneGap,
                shadesOfLane[busy], QColor(), true});
        }
        for (const auto &[start, end] : r.spans) {
            TimelineEvent span;
            span.cluster = r.cluster;
            span.startS = start;
            span.endS = end;
            m_bars.push_back({span, row, true});
        }
    }
    for (std::size_t i = 0; i < record.events.size(); ++i) {
        const int row = shown.rowOfEvent[i];
        if (row < 0) {
            continue; // its cluster is collapsed or filtered out
        }
        const TimelineEvent &e = record.events[i];
        rects.push_back({e.startS, e.endS, row - kBarHalfHeight, row + kBarHalfHeight,
            kindColor(e.kind), kindColor(e.kind).darker(140), true});
        m_bars.push_back({e, row, false});
    }
    m_drawn->setRects(std::move(rects));
    yAxis->setPadding(
        m_basePadding + yAxis->tickLabelPadding() + m_labelText.setLabels(m_rowLabels));
    yAxis->setRange(-0.7, std::max(rowCount(), 1) - 0.3);
    yAxis->setRangeReversed(true);
    fitRowHeight();
    if (animate && !m_bars.empty()) {
        m_sweep.setEndValue(m_end);
        sweepTo(0.0);
        m_sweep.start();
    }
    replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT rowsChanged();
}

void GanttPlot::sweepTo(double t)
{
    m_drawn->setSweep(t);
    replot(QCustomPlot::rpQueuedReplot);
}

void GanttPlot::paintEvent(QPaintEvent *event)
{
    const QRect drawn = m_drawn->drawnPixels();
    if (!drawn.isNull() && !drawn.contains(visibleRegion().boundingRect())) {
        replot(QCustomPlot::rpQueuedReplot);
    }
    QCustomPlot::paintEvent(event);
}

void GanttPlot::mouseMoveEvent(QMouseEvent *event)
{
    const double t = xAxis->pixelToCoord(event->position().x());
    const double y = yAxis->pixelToCoord(event->position().y());
    for (const Bar &b : m_bars) {
        if (t >= b.event.startS && t <= b.event.endS && std::abs(y - b.row) <= kBarHalfHeight) {
            if (b.summary) {
                QToolTip::showText(event->globalPosition().toPoint(), summaryText(b.row, t), this);
                break;
            }
            QString text = tr("%1, %2\n%3 – %4 s")
                               .arg(m_rowLabels.value(b.row), kindName(b.event.kind))
                               .arg(b.event.startS, 0, 'g', 5)
                               .arg(b.event.endS, 0, 'g', 5);
            if (b.event.microbatch >= 0) {
                text += tr("\nmicro-batch %1").arg(b.event.microbatch);
            }
            if (b.event.resource.kind == ResourceKind::EdgeServer
                && m_edgeTails.contains(b.event.cluster)) {
                text += tr("\nthe edge runs encoder %1").arg(m_edgeTails.value(b.event.cluster));
            }
            QToolTip::showText(event->globalPosition().toPoint(), text, this);
            break;
        }
    }
    QCustomPlot::mouseMoveEvent(event);
}

void GanttPlot::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    QCustomPlot::mousePressEvent(event);
}

void GanttPlot::mouseReleaseEvent(QMouseEvent *event)
{
    QCustomPlot::mouseReleaseEvent(event);
    // A click (not a drag) on a summary row or its label opens or closes the cluster.
    if (event->button() == Qt::LeftButton
        && (event->position().toPoint() - m_pressPos).manhattanLength() <= kClickSlopPx) {
        const int row = int(std::lround(yAxis->pixelToCoord(event->position().y())));
        toggleRow(row);
    }
}

} // namespace collapipe
