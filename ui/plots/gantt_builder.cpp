// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_builder.h"

#include "ui/plots/cluster_labels.h"
#include "ui/plots/cluster_row_filter.h"
#include "ui/plots/gantt_plot.h"

#include <QPointer>

#include <algorithm>
#include <array>

namespace collapipe {

namespace gantt_builder_detail {

constexpr double kBarHalfHeight = GanttPlot::kBarHalfHeight;
const QColor kLaneColor(238, 238, 238);
const QColor kSummaryLaneColor(222, 228, 232);
const QColor kMatchLaneColor(255, 240, 160); ///< a search match
/// A summary row's lanes (compute, transfers, upload) fill most of the row's height.
constexpr double kSummaryHalfHeight = 0.45;
constexpr double kSummaryLaneStep = 2 * kSummaryHalfHeight / kGanttLanes;
constexpr double kSummaryLaneGap = 0.03;

/// The round's title and summary (GanttPlot::summary()), its time range; `build` has its record.
void describe(GanttBuild &build, const QStringList &clusterIds)
{
    const RoundRecord &record = *build.record;
    for (const ClusterRound &c : record.clusters) {
        if (c.edgeFirstBlock >= 0) {
            build.edgeTails.insert(c.cluster,
                GanttPlot::tr("blocks %1–%2 + head").arg(c.edgeFirstBlock).arg(c.edgeLastBlock));
        }
    }
    double end = 0.0;
    double pipelineEnd = 0.0;
    for (const TimelineEvent &e : record.events) {
        end = std::max(end, e.endS);
        if (e.kind != EventKind::Upload && e.kind != EventKind::Aggregate) {
            pipelineEnd = std::max(pipelineEnd, e.endS);
        }
    }
    build.end = end;
    // A round without events (its timeline not stored or not read) still spans its latency:
    // a 1-ns axis ("2·10⁻¹⁰ … 1·10⁻⁹ s") under the note said nothing.
    const double laneEnd = end > 0.0 ? end : (record.latencyS > 0.0 ? record.latencyS : 1.0);
    QStringList parts;
    double minMakespan = 1e300, maxMakespan = 0.0, minBubble = 1.0, maxBubble = 0.0;
    for (const ClusterRound &c : record.clusters) {
        parts << GanttPlot::tr("%1: makespan %2 s, bubble %3 %")
                     .arg(clusterLabel(clusterIds, c.cluster))
                     .arg(c.makespanS, 0, 'g', 4)
                     .arg(100.0 * c.bubbleFraction, 0, 'f', 1);
        if (build.edgeTails.contains(c.cluster)) {
            parts.last() += GanttPlot::tr(", edge runs %1").arg(build.edgeTails.value(c.cluster));
        }
        minMakespan = std::min(minMakespan, c.makespanS);
        maxMakespan = std::max(maxMakespan, c.makespanS);
        minBubble = std::min(minBubble, c.bubbleFraction);
        maxBubble = std::max(maxBubble, c.bubbleFraction);
    }
    build.summary = GanttPlot::tr("Round %1 — T = %2 s; %3")
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
    QString title
        = GanttPlot::tr("Round %1 · T = %2 s").arg(record.round).arg(record.latencyS, 0, 'g', 4);
    if (!record.clusters.empty()) {
        // Its own line: the plot's minimum width no longer follows the title, so keep lines short.
        title += GanttPlot::tr("\nmakespan %1 s · bubble %2 %")
                     .arg(range(minMakespan, maxMakespan, 3, 1.0),
                         range(minBubble, maxBubble, 1, 100.0));
    }
    // Upload and aggregation can take far longer than the pipeline; start zoomed on the pipeline
    // so forward/backward bars and bubbles are readable (wheel or drag shows the rest).
    build.shownEnd = laneEnd;
    if (pipelineEnd > 0.0 && pipelineEnd < 0.3 * laneEnd) {
        build.shownEnd = pipelineEnd;
        title += GanttPlot::tr("\nzoomed to the pipeline: 0–%1 s of %2 s")
                     .arg(pipelineEnd, 0, 'g', 3)
                     .arg(laneEnd, 0, 'g', 4);
    }
    build.titleText = title;
}

/// The rows under `filter`, and a rect per lane, summary stretch and shown event.
void layOut(GanttBuild &build, ClusterRowFilter &filter, GanttRowCache &cache)
{
    const RoundRecord &record = *build.record;
    build.layout = cache.layout(record, filter, build.edgeTails);
    if (filter.noteRound(build.layout.fullRowCount)) {
        // The first round after a reset decided another expansion than the layout assumed.
        build.layout = cache.layout(record, filter, build.edgeTails);
    }
    build.decidedExpansion = true; // the snapshot's default is decided now (GanttPlot copies it)
    const std::vector<GanttRow> &rows = build.layout.rows;
    const double laneEnd
        = build.end > 0.0 ? build.end : (record.latencyS > 0.0 ? record.latencyS : 1.0);
    std::vector<GanttBarsItem::Rect> &rects = build.rects;
    rects.clear();
    rects.reserve(2 * rows.size() + record.events.size());
    build.rowLabels.reserve(qsizetype(rows.size()));
    for (int row = 0; row < int(rows.size()); ++row) {
        const GanttRow &r = rows[std::size_t(row)];
        build.rowLabels << r.label;
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
                shadesOfLane[busy] = GanttPlot::laneShade(
                    span.lane, span.busy, r.laneResources[std::size_t(lane)]);
            }
            rects.push_back({span.start, span.end, top, top + kSummaryLaneStep - kSummaryLaneGap,
                shadesOfLane[busy], QColor(), true});
        }
        for (const auto &[start, end] : r.spans) {
            TimelineEvent span;
            span.cluster = r.cluster;
            span.startS = start;
            span.endS = end;
            build.bars.push_back({span, row, true});
        }
    }
    std::array<QColor, 16> fills;
    std::array<QColor, 16> pens;
    for (std::size_t i = 0; i < record.events.size(); ++i) {
        const int row = build.layout.rowOfEvent[i];
        if (row < 0) {
            continue; // its cluster is collapsed or filtered out
        }
        const TimelineEvent &e = record.events[i];
        const auto k = std::size_t(e.kind) % fills.size();
        if (!fills[k].isValid()) {
            fills[k] = GanttPlot::kindColor(e.kind);
            pens[k] = fills[k].darker(140);
        }
        rects.push_back({e.startS, e.endS, row - kBarHalfHeight, row + kBarHalfHeight, fills[k],
            pens[k], true});
        build.bars.push_back({e, row, false});
    }
    build.layout.rowOfEvent = {}; // consumed: not carried to the GUI thread
}

} // namespace gantt_builder_detail

std::shared_ptr<GanttBuild> GanttBuilder::make(
    GanttRequest request, ClusterRowFilter &filter, State &state)
{
    auto build = std::make_shared<GanttBuild>();
    build->thread = QThread::currentThreadId();
    build->record = request.record;
    if (request.timeline && request.record && request.record->events.empty()) {
        // A live round whose timeline was not stored: its events, as the engine would have put
        // them in the record (roundEvents()); the same round again reuses them.
        if (state.lastInputs == request.timeline && state.lastBuilt
            && state.lastBuilt->round == request.record->round) {
            build->record = state.lastBuilt;
        } else {
            RoundRecord withEvents = *request.record;
            withEvents.events = roundEvents(*request.timeline);
            build->record = shareRound(std::move(withEvents));
            build->timelineBuilt = true;
            state.lastInputs = request.timeline;
            state.lastBuilt = build->record;
        }
    }
    if (!build->record) {
        build->record = std::make_shared<const RoundRecord>();
    }
    gantt_builder_detail::describe(*build, filter.clusterIds());
    gantt_builder_detail::layOut(*build, filter, state.cache);
    build->request = std::move(request);
    return build;
}

GanttBuilder::GanttBuilder(QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_worker(new QObject)
{
    m_thread->setObjectName(QStringLiteral("gantt builder"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
}

GanttBuilder::~GanttBuilder()
{
    m_thread->quit();
    m_thread->wait();
    // The thread has ended: nothing runs on the worker any more, and its undelivered requests
    // go with it (a deleteLater would never run without the thread's event loop).
    delete m_worker;
}

void GanttBuilder::build(quint64 generation, GanttRequest request,
    std::unique_ptr<ClusterRowFilter> filter, QObject *context,
    std::function<void(std::shared_ptr<GanttBuild>)> done)
{
    filter->setParent(nullptr);
    filter->moveToThread(m_thread); // used and deleted there
    QPointer<QObject> receiver(context);
    // Shared: the functors Qt queues are copied.
    auto owned = std::make_shared<std::unique_ptr<ClusterRowFilter>>(std::move(filter));
    auto asked = std::make_shared<GanttRequest>(std::move(request));
    QMetaObject::invokeMethod(
        m_worker,
        [this, generation, owned, asked, receiver, done = std::move(done)]() mutable {
            std::shared_ptr<GanttBuild> result = make(std::move(*asked), **owned, m_state);
            owned->reset();
            result->generation = generation;
            if (result->timelineBuilt) {
                m_timelinesBuilt.fetch_add(1, std::memory_order_relaxed);
            }
            // Back on the builder's thread: deliver unless the requester is gone meanwhile.
            QMetaObject::invokeMethod(
                this,
                [receiver, result = std::move(result), done = std::move(done)]() mutable {
                    if (receiver) {
                        done(std::move(result));
                    }
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace collapipe
