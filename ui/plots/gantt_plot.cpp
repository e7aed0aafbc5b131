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

constexpr int kMinimumHeight = 200; ///< px, with no round or few rows

constexpr int kClickSlopPx = 4; ///< a press and release this close are a click, not a drag

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
    , m_builder(new GanttBuilder(this))
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
        connect(m_filter, signal, this, &GanttPlot::rebuild);
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
    if (m_notePending) {
        m_pendingNote = note; // the round asked for, shown with it when it arrives
        return;
    }
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
    // A build on its way belongs to what was shown before: dropped when it arrives.
    ++m_generation;
    m_next.reset();
    m_inFlightRequest = {}; // a filter change must not ask for it again
    forgetRound();
    m_titleText = tr("Pipeline Gantt — no round selected");
    m_title->setText(m_titleText);
    m_notePending = false;
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
    GanttRequest request;
    request.record = shared;
    request.animate = m_animated;
    showRound(std::move(request));
}

void GanttPlot::showRound(GanttRequest request)
{
    if (!request.record) {
        clearRound();
        return;
    }
    request.newRound = true;
    // The shown round keeps its note until this one arrives; the caller may give this one its
    // own now (setTimelineNote()).
    m_notePending = true;
    m_pendingNote.clear();
    ++m_generation;
    post(std::move(request));
}

void GanttPlot::rebuild()
{
    if (m_next) {
        return; // it takes the filter as it is when it is posted
    }
    if (m_inFlight) {
        if (!m_inFlightRequest.record) {
            return; // cleared since it was asked for
        }
        // Built under the previous filter: asked again (its result is dropped).
        ++m_generation;
        m_next = m_inFlightRequest;
        return;
    }
    if (m_round < 0) {
        return;
    }
    GanttRequest request;
    request.record = m_record; // with its events
    request.newRound = false;
    ++m_generation;
    post(std::move(request));
}

void GanttPlot::post(GanttRequest request)
{
    if (m_inFlight) {
        if (m_next) {
            ++m_buildsDropped; // never built: a newer one replaces it
        }
        m_next = std::move(request);
        return;
    }
    m_inFlight = true;
    m_inFlightRequest = request;
    m_builder->build(m_generation, std::move(request), m_filter->snapshot(), this,
        [this](std::shared_ptr<GanttBuild> build) { onBuilt(build); });
}

void GanttPlot::onBuilt(const std::shared_ptr<GanttBuild> &build)
{
    m_inFlight = false;
    m_inFlightRequest = {};
    if (build->generation == m_generation) {
        apply(*build);
    } else {
        ++m_buildsDropped; // the user moved on (another round, filter, run or scenario)
    }
    if (m_next) {
        GanttRequest next = std::move(*m_next);
        m_next.reset();
        post(std::move(next));
    }
}

void GanttPlot::apply(GanttBuild &build)
{
    ++m_buildsShown;
    m_lastBuildThread = build.thread;
    removeItems();
    m_record = build.record;
    m_edgeTails = build.edgeTails;
    m_round = m_record->round;
    m_end = build.end;
    m_summary = build.summary;
    m_titleText = build.titleText;
    if (build.request.newRound && m_notePending) {
        m_notePending = false;
        setTimelineNote(m_pendingNote); // the view's note strip follows (timelineNoteChanged)
    }
    m_title->setText(
        m_note.isEmpty() ? m_titleText : m_titleText + QLatin1Char('\n') + noteHeadline(m_note));
    if (build.request.newRound) {
        xAxis->setRange(0.0, build.shownEnd * 1.02);
    }
    if (build.decidedExpansion) {
        m_filter->noteRound(build.layout.fullRowCount); // as the snapshot decided
    }
    m_rows = std::move(build.layout.rows); // ~70,000 lane spans at 100 x 10: not copied
    m_fullRowCount = build.layout.fullRowCount;
    m_clusterCount = build.layout.clusterCount;
    m_shownClusters = build.layout.shownClusters;
    m_rowLabels = std::move(build.rowLabels);
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
    ticker->clear();
    for (int row = 0; row < int(m_rowLabels.size()); ++row) {
        ticker->addTick(row, m_rowLabels[row]);
    }
    m_bars = std::move(build.bars);
    m_drawn->setRects(std::move(build.rects));
    yAxis->setPadding(
        m_basePadding + yAxis->tickLabelPadding() + m_labelText.setLabels(m_rowLabels));
    yAxis->setRange(-0.7, std::max(rowCount(), 1) - 0.3);
    yAxis->setRangeReversed(true);
    fitRowHeight();
    const bool animate = build.request.newRound && build.request.animate
        && m_record->events.size() <= build.request.sweepEventLimit;
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
    for (const GanttBar &b : m_bars) {
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
