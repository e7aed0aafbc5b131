// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"
#include "core/types/shared_round.h"
#include "ui/plots/gantt_builder.h"
#include "ui/plots/gantt_row_cache.h"
#include "ui/plots/gantt_row_labels.h"
#include "ui/plots/gantt_rows.h"

#include <QHash>
#include <QVariantAnimation>
#include <qcustomplot.h>

#include <cmath>
#include <optional>
#include <vector>

namespace collapipe {

class GanttBarsItem;
struct Scenario;

/// The pipeline Gantt of one round (spec §2.3): one row per resource (control unit, each device
/// in stage order, each link between them, the edge server), grouped by cluster; forward,
/// backward, transfer, decoder, upload and aggregation bars in distinct colours on a light
/// lane, so idle gaps (bubbles) read as empty lane. The title gives each cluster's makespan and
/// bubble fraction. In animated mode (Watch) a new round is drawn as a sweep over ~0.6 s.
/// When a cluster's edge server ran an encoder tail (EdgeTail), its edge row is labelled with
/// the blocks ("edge · blocks 4–11 + head") and so is the tooltip of its bars.
/// With several clusters (issue [7/7]) each cluster has a summary row, its busy spans merged,
/// that a click expands to its resource rows and collapses again; filter() picks clusters and
/// searches ids and names (matching rows on a yellow lane). A round of up to
/// ClusterRowFilter::kExpandedRowLimit rows opens expanded, a larger one collapsed.
/// A round is built (its deferred timeline, its rows, a rect per bar) off the GUI thread by a
/// GanttBuilder: the plot shows the last round built until the one asked for arrives, at most
/// one build runs and only the newest request waits beside it (older ones are dropped, as are
/// results asked for before a clearRound()).
class GanttPlot : public QCustomPlot
{
    Q_OBJECT

public:
    /// A bar's half height in rows.
    static constexpr double kBarHalfHeight = 0.36;
    explicit GanttPlot(QWidget *parent = nullptr);
    ~GanttPlot() override;

    void setAnimated(bool animated) { m_animated = animated; }
    bool isAnimated() const { return m_animated; }
    int round() const { return m_round; }
    /// Number of rows (resources) and bars drawn for the current round.
    int rowCount() const { return static_cast<int>(m_rowLabels.size()); }
    /// The vertical distance between two rows on screen (px); at least a label's height.
    double rowPixels() const
    {
        return std::abs(yAxis->coordToPixel(1.0) - yAxis->coordToPixel(0.0));
    }
    int barCount() const { return static_cast<int>(m_bars.size()); }
    QStringList rowLabels() const { return m_rowLabels; }
    QString summary() const { return m_summary; }
    /// "blocks c–L−1 + head" for a cluster whose edge ran an encoder tail this round, else empty.
    QString edgeTailText(int cluster) const { return m_edgeTails.value(cluster); }
    static QColor kindColor(EventKind kind);
    QSize sizeHint() const override { return {520, 420}; }
    static QString kindName(EventKind kind);
    /// The kinds the colour legend names, in its order.
    static QList<EventKind> legendKinds();
    /// A summary lane's colour, and its shade with `busy` of its `of` resources busy (darker:
    /// more of them).
    static QColor laneColor(GanttLane lane);
    static QColor laneShade(GanttLane lane, int busy, int of);
    static QString laneName(GanttLane lane);
    /// Keeps the legend row under the plot for exports only: a GanttView shows the legend on
    /// screen in a fixed strip of its own (always in view, however the rows scroll), while an
    /// exported figure (laid out at another size than the widget's) still names its colours.
    void setLegendForExportsOnly(bool exportsOnly);
    /// The summary row `row`'s tooltip at time `t` (s): per lane, how many of the cluster's
    /// resources are busy then and how long in the round; empty for another row.
    QString summaryText(int row, double t) const;
    /// The rows as laid out (labels, summary lanes).
    const std::vector<GanttRow> &rows() const { return m_rows; }
    /// The resource rows kept across rounds (builds() and reuses() count layouts); read it only
    /// while isBuilding() is false (the builder's thread uses it).
    const GanttRowCache &rowCache() const { return m_builder->rowCache(); }
    /// Shows `request`'s round once built off the GUI thread (setSharedRecord() asks for a
    /// record as it is; a live round not stored passes what its events are built from).
    void showRound(GanttRequest request);
    /// A round is being built or waits to be (the plot still shows the previous one).
    bool isBuilding() const { return m_inFlight || m_next.has_value(); }
    /// Requests made (rounds, filter changes, clears): a build asked for before the last one is
    /// dropped when it arrives.
    quint64 generation() const { return m_generation; }
    /// Builds shown, and builds dropped because a newer request (or a clear) came first.
    int buildsShown() const { return m_buildsShown; }
    int buildsDropped() const { return m_buildsDropped; }
    /// The thread that built the shown round (never the GUI thread); null before the first.
    Qt::HANDLE lastBuildThread() const { return m_lastBuildThread; }
    /// The builder's thread.
    QThread *builderThread() const { return m_builder->thread(); }
    /// Timelines built from a live round's RoundTimelineInputs since construction.
    int timelinesBuilt() const { return m_builder->timelinesBuilt(); }

    /// The cluster ids of the run's scenario (clusterLabel): rows and summary name clusters by
    /// them. Redraws the shown round.
    void setClusterIds(const QStringList &ids);
    /// The run's scenario: cluster ids, and cluster and device names for the search.
    void setScenario(const Scenario &scenario);

    /// Which clusters and rows are shown (picks, search, expansion); owned by the plot.
    ClusterRowFilter *filter() const { return m_filter; }
    /// Rows the shown round would have with every cluster expanded and nothing filtered.
    int fullRowCount() const { return m_fullRowCount; }
    int clusterCount() const { return m_clusterCount; }
    int shownClusterCount() const { return m_shownClusters; }
    bool isSummaryRow(int row) const;
    /// The cluster a row belongs to (−1 outside the rows).
    int clusterOfRow(int row) const;
    bool isHighlightedRow(int row) const;
    /// Clicks a summary row: expands or collapses its cluster (as a mouse click does).
    void toggleRow(int row);
    /// A note on the shown round (its title's last line and the view's fixed note), e.g. that
    /// its timeline is no longer in memory; empty: none. Cleared by the next round. Given while
    /// a round asked for is still being built, it is that round's, shown when it arrives.
    void setTimelineNote(const QString &note);
    QString timelineNote() const { return m_note; }
    /// The note's first clause, as the title shows it ("Round 2 has no timeline").
    static QString noteHeadline(const QString &note);

Q_SIGNALS:
    /// The rows were laid out again (a new round or a filter change).
    void rowsChanged();
    void timelineNoteChanged(const QString &note);

public Q_SLOTS:
    /// Shows a copy of `record` (callers that keep theirs).
    void setRecord(const collapipe::RoundRecord &record);
    /// Shows `record`, held without a copy (a live run's round).
    void setSharedRecord(const collapipe::SharedRound &record);
    void clearRound();

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    /// Replots when rows the last draw skipped (out of sight then) come into sight: a scroll or
    /// a taller dock (GanttBarsItem::drawnPixels()).
    void paintEvent(QPaintEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    /// QCustomPlot's layout, then the time axis' tick step fitted to its pixel length.
    void updateLayout() override;

private:
    /// Grows the minimum height so each row keeps at least a label's line (the dock scrolls).
    void fitRowHeight();
    /// Lays the shown (or asked for) round out again under the filter (a filter change).
    void rebuild();
    /// Hands `request` to the builder now, or keeps it as the next one while a build runs.
    void post(GanttRequest request);
    void onBuilt(const std::shared_ptr<GanttBuild> &build);
    /// Shows a round built for the current generation.
    void apply(GanttBuild &build);
    void removeItems();
    /// The shown round's state dropped, without a redraw (setSharedRecord() draws the next).
    void forgetRound();
    void sweepTo(double t);

    std::vector<GanttBar> m_bars;
    QStringList m_rowLabels;
    GanttRowLabels m_labelText; ///< drawn by m_drawn for the rows in sight
    int m_basePadding = 0;      ///< the y axis' own padding (the labels' width is added)
    std::vector<GanttRow> m_rows;
    ClusterRowFilter *m_filter;
    GanttBuilder *m_builder; ///< owned (a child)
    quint64 m_generation = 0;
    bool m_inFlight = false;            ///< a build posted and not back yet …
    GanttRequest m_inFlightRequest;     ///< … of this request
    std::optional<GanttRequest> m_next; ///< the newest request since (the others dropped)
    int m_buildsShown = 0;
    int m_buildsDropped = 0;
    Qt::HANDLE m_lastBuildThread = nullptr;
    GanttBarsItem *m_drawn; ///< paints every lane and bar (owned by the plot)
    int m_fullRowCount = 0;
    int m_clusterCount = 0;
    int m_shownClusters = 0;
    QPoint m_pressPos;
    SharedRound m_record = std::make_shared<
        const RoundRecord>(); ///< the shown round (never null) (redrawn when the cluster ids change)
    QHash<int, QString> m_edgeTails; ///< cluster → "blocks c–L−1 + head"
    QString m_summary;
    QString m_note;
    bool m_notePending = false; ///< a new round is asked for: setTimelineNote() is its note …
    QString m_pendingNote;      ///< … shown with it
    QString m_titleText;        ///< the title without the note
    QCPTextElement *m_title = nullptr;
    QVariantAnimation m_sweep;
    double m_end = 0.0;
    int m_round = -1;
    bool m_animated = false;
    bool m_legendForExportsOnly = false;
};

} // namespace collapipe
