// SPDX-License-Identifier: MIT
#pragma once

#include "core/sim/step_round.h"
#include "core/types/shared_round.h"
#include "ui/plots/gantt_bars_item.h"
#include "ui/plots/gantt_row_cache.h"
#include "ui/plots/gantt_rows.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace collapipe {

class ClusterRowFilter;

/// A bar of the Gantt as the tooltip finds it: an event, or a summary row's merged span.
struct GanttBar
{
    TimelineEvent event; ///< for a summary span: its start and end only
    int row = 0;
    bool summary = false;
};

/// What GanttPlot asks of a round: the record, and for a live round whose timeline was left to
/// be built on demand (RunController::timelineInputs()) what it is built from.
struct GanttRequest
{
    SharedRound record;
    std::shared_ptr<const RoundTimelineInputs> timeline; ///< set: record's events built from it
    bool newRound = true; ///< false: the shown round laid out again (a filter change)
    bool animate = false; ///< sweep the new round in (Watch mode) …
    std::size_t sweepEventLimit = std::size_t(-1); ///< … unless it has more events than this
};

/// A round laid out for drawing (GanttBuilder's result): everything GanttPlot shows but the
/// paint. Made on the builder's thread, handed to the GUI thread by value.
struct GanttBuild
{
    quint64 generation = 0; ///< GanttPlot's request counter when asked (stale ones are dropped)
    GanttRequest request;
    SharedRound record; ///< with its events (built here when the request's were deferred)
    QHash<int, QString> edgeTails;
    double end = 0.0;      ///< the last event's end (s)
    double shownEnd = 0.0; ///< the time range drawn at first (zoomed to the pipeline)
    QString titleText;
    QString summary;
    GanttLayout layout; ///< its rows (rowOfEvent consumed by the rects)
    std::vector<GanttBarsItem::Rect> rects;
    std::vector<GanttBar> bars;
    QStringList rowLabels;
    bool decidedExpansion = false; ///< this round decided the filter's default expansion
    bool timelineBuilt = false;    ///< the events were built here (RoundTimelineInputs)
    Qt::HANDLE thread = nullptr;   ///< the thread that made it (tests: never the GUI thread)
};

/// GanttPlot's round building off the GUI thread (issue "the UI thread never blocks"): a round
/// of 1,000 clusters × 10 devices took the GUI thread ~0.3–1 s to build its timeline (a live
/// round not stored: roundEvents()), lay its rows out and make its ~150,000 rects. The same
/// pattern as StoreLoader: a worker QObject on a QThread of its own, the work posted to it by a
/// queued call and the result posted back by another, dropped when the requester is gone.
/// One build runs at a time, in the order posted; GanttPlot posts at most one and keeps only the
/// newest request beside it. The row cache (GanttRowCache) lives here and is touched only by
/// the builder's thread.
class GanttBuilder : public QObject
{
    Q_OBJECT

public:
    explicit GanttBuilder(QObject *parent = nullptr);
    /// Waits for the build in progress, then stops the thread.
    ~GanttBuilder() override;

    /// Builds `request` under `filter` (a snapshot, owned from here on: it is moved to the
    /// builder's thread) and calls `done` on this builder's thread with the result, unless
    /// `context` is gone by then.
    void build(quint64 generation, GanttRequest request, std::unique_ptr<ClusterRowFilter> filter,
        QObject *context, std::function<void(std::shared_ptr<GanttBuild>)> done);
    /// The builder's thread (tests).
    QThread *thread() const { return m_thread; }
    /// The row cache: read it only while no build runs (GanttPlot::isBuilding() false).
    const GanttRowCache &rowCache() const { return m_state.cache; }
    /// Timelines built from RoundTimelineInputs since construction.
    int timelinesBuilt() const { return m_timelinesBuilt.load(std::memory_order_relaxed); }

    /// What the builds keep from one to the next (the builder's thread's alone).
    struct State
    {
        GanttRowCache cache;
        /// The last round whose events were built here and what from: shown again, kept.
        std::shared_ptr<const RoundTimelineInputs> lastInputs;
        SharedRound lastBuilt;
    };
    /// The build itself, on the builder's thread (tests may call it on theirs with a state of
    /// their own).
    static std::shared_ptr<GanttBuild> make(
        GanttRequest request, ClusterRowFilter &filter, State &state);

private:
    QThread *m_thread;
    QObject *m_worker; ///< lives on m_thread: the target of queued work
    State m_state;
    std::atomic<int> m_timelinesBuilt{0};
};

} // namespace collapipe
