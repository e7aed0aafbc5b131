// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"
#include "core/types/shared_round.h"
#include "ui/plots/series_buffer.h"

#include <QHash>
#include <QStringList>

#include <array>
#include <vector>

class QCustomPlot;
class QCPAxis;
class QCPBars;
class QCPLegend;

/// Churn markers on the live plots (issue [6/7] "A scenario that lives"): a vertical line at
/// every round with a dropout, a re-plan, a deadline miss or a rejoin, read from the rounds' own
/// churn fields (the stored run's `device_rounds.present`, `cluster_rounds.dropouts` and
/// `.aggregated`, live or replayed alike).
namespace collapipe {

enum class ChurnKind {
    Dropout,      ///< a device present at the previous round's start is away at this one's
    Replan,       ///< a device holding blocks left mid-round: its cluster's plan failed over
    DeadlineMiss, ///< a cluster over training.deadline_s, left out of this round's FedAvg
    Rejoin        ///< a device away at the previous round's start is back at this one's
};
inline constexpr int kChurnKinds = 4;

/// One marker: a round and what happened in it (the devices or clusters it concerns).
struct ChurnEvent
{
    int round = 0;
    double timeS
        = 0.0; ///< the round's simulated clock (RoundRecord::simTimeS), as the plots key it
    ChurnKind kind = ChurnKind::Dropout;
    QStringList who; ///< device ids (dropout, rejoin) or cluster indices (re-plan, deadline miss)

    double key(XAxisMode mode) const { return mode == XAxisMode::Round ? round : timeS; }
};

/// Finds a run's churn events round by round (records in round order). Remembers who was present
/// in the previous round; every device is present before round 0 (core/MODEL.md "Churn").
class ChurnDetector
{
public:
    /// Appends `record`'s events to `out`, at most one per kind.
    void take(const RoundRecord &record, std::vector<ChurnEvent> *out);
    void clear() { m_present.clear(); }
    /// Calls of take() in this process, by every detector (tests count them).
    static long long takeCount();

    /// "dropout", "re-plan", "deadline miss", "rejoin"; short: "drop", "re-plan", "late", "back".
    static QString kindName(ChurnKind kind);
    static QString shortName(ChurnKind kind);

private:
    QHash<QString, bool> m_present; ///< device id (or cluster/device) → present last round
};

/// One detection per round for all the panels of a PlotHub (issue [7/7] "The Studio keeps up
/// with the engine": each of the ~6 panels ran its own detector on every round, ~1,000 device
/// lookups each). The hub takes each batch once, before it hands the batch to its panels; their
/// markers copy the batch's events from here. GUI thread only.
class ChurnFeed
{
public:
    /// Detects the events of `batch` (records in round order, continuing the previous batch).
    void take(const std::vector<SharedRound> &batch);
    /// Appends the events of round `round` of the last batch to `out` (none: nothing happened);
    /// false when `round` was not in the last batch.
    bool copyEvents(int round, std::vector<ChurnEvent> *out) const;
    void clear();

private:
    ChurnDetector m_detector;
    std::vector<ChurnEvent> m_events; ///< the last batch's, in round order
    std::vector<int> m_rounds;        ///< the last batch's rounds
    bool m_sorted = true;             ///< m_rounds ascending (then m_events are too)
};

/// The one marker layer every RoundPlot carries (ui/plots/round_plot.h): per kind a light 1 px
/// line over the full height and a strong 3 px flag at the top (bar series on a hidden value axis
/// of their own, drawn above the data), the kinds side by side around the round, and a legend
/// row of its own under the plot naming each kind that occurred with its count (two rows, then
/// short names, then under the legend beside the plot as the panel narrows). Bounded like the series: appendRound() only detects, flush()
/// hands the new markers over, markers left of the plot's window are dropped, and clear() (a new
/// run or a replay) removes every marker and the legend row. GUI thread only.
class ChurnMarkers
{
public:
    explicit ChurnMarkers(QCustomPlot *plot);

    /// Detects `record`'s events, or takes them from the feed when one is set and has the round.
    void appendRound(const RoundRecord &record);
    /// The hub's shared detection (nullptr: detect here). Not owned; set it before the first
    /// round of a run, never in the middle of one (the own detector would miss who was away).
    void setFeed(const ChurnFeed *feed) { m_feed = feed; }
    /// Hands the markers found since the last flush to the bars; drops those keyed before
    /// `windowStart` (the plot's oldest kept round or time). No replot (the plot queues one).
    void flush(XAxisMode mode, double windowStart);
    void clear();
    void setXAxisMode(XAxisMode mode);
    /// The width (px) the legend row may take: the axis rect's column. Called on resize;
    /// `force`: the plot's own legend moved (beside or below the plot), fit again.
    void fitWidth(int available, bool force = false);

    /// Markers drawn, in all or of one kind (the bars' data points).
    int markerCount() const;
    int markerCount(ChurnKind kind) const;
    const std::vector<ChurnEvent> &events() const { return m_events; }
    /// The legend row under the plot, or nullptr while there is no marker.
    const QCPLegend *legend() const { return m_legend; }
    /// "dropout: a, b" lines for the hover text of `round`.
    QStringList describe(int round) const;

private:
    void draw(const ChurnEvent &event);
    void ensureLegend();
    void removeLegend();
    void applyWrap();
    void placeLegend(int column);
    void updateLegendNames();

    QCustomPlot *m_plot;
    QCPAxis *m_axis = nullptr;
    std::array<QCPBars *, kChurnKinds> m_lines{}; ///< light, full height
    std::array<QCPBars *, kChurnKinds> m_flags{}; ///< strong, the top tenth; named in the legend
    QCPLegend *m_legend = nullptr;
    std::array<int, kChurnKinds> m_legendCounts{}; ///< the counts the legend names
    int m_available = 0;                           ///< px for the legend row, 0 = unknown
    int m_row = 0;    ///< the legend's layout row (right under the axis rect's)
    int m_column = 0; ///< 0: under the axis rect; 1: under a legend beside it (narrow panels)
    ChurnDetector m_detector;
    const ChurnFeed *m_feed = nullptr;
    std::vector<ChurnEvent> m_events; ///< in round order; [m_flushed, end) not yet drawn
    std::size_t m_flushed = 0;
    XAxisMode m_mode = XAxisMode::Round;
};

} // namespace collapipe
