// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"
#include "core/types/shared_round.h"
#include "ui/plots/churn_markers.h"
#include "ui/plots/series_buffer.h"

#include <QHash>
#include <QPen>
#include <QSet>
#include <QString>
#include <QStringList>
#include <qcustomplot.h>

#include <deque>
#include <limits>
#include <memory>
#include <vector>

namespace collapipe {

struct Scenario;

/// Base of the live plot panels: a QCustomPlot whose x axis is the round (or simulated time) and
/// whose series are bounded SeriesBuffers (style.md rules 5-6). Data arrives in two steps so a
/// burst of rounds costs one paint: appendRounds() only fills the buffers; flush() hands the new
/// points to QCustomPlot (addData(..., alreadySorted = true)), updates the cached ranges and asks
/// for a queued replot. A click or drag picks a round (roundPicked); setSelectedRound() moves
/// the cursor line. GUI thread only.
class RoundPlot : public QCustomPlot
{
    Q_OBJECT

public:
    explicit RoundPlot(const QString &title, QWidget *parent = nullptr);
    ~RoundPlot() override;

    /// Buffers the rounds' values; no repaint until flush().
    void appendRounds(const std::vector<RoundRecord> &records);
    /// As appendRounds() for one round (the hub's shared records).
    void appendRound(const RoundRecord &record);
    /// Pushes buffered points to the graphs, rescales (unless the user zoomed) and queues a replot.
    void flush();
    /// Drops all data (a new run or a replay).
    virtual void clearData();
    /// Budgets, capacities and names that do not travel in RoundRecord.
    virtual void setScenario(const Scenario &scenario);

    void setXAxisMode(XAxisMode mode);
    XAxisMode xAxisMode() const { return m_mode; }
    /// Moves the cursor line to `round` (−1 hides it).
    void setSelectedRound(int round);
    int selectedRound() const { return m_selectedRound; }
    /// Window of rounds each series keeps (default SeriesBuffer::kDefaultCapacity).
    void setCapacity(std::size_t points);

    int seriesCount() const { return static_cast<int>(m_series.size()); }
    const SeriesBuffer &seriesBuffer(int index) const { return m_series[index].buffer; }
    QString seriesName(int index) const { return m_series[index].graph->name(); }
    /// Index of the series named `name`, or −1.
    int seriesIndex(const QString &name) const;
    /// Rounds received (the shared key axis of every series).
    std::size_t roundCount() const { return m_keys.size(); }
    /// The round nearest to the x coordinate `x` in the current mode, or −1 when empty.
    int roundAt(double x) const;
    /// The full title; shownTitle() is what fits the plot's width on one line: the whole
    /// title, else shortened at a clause or a word (fitTitleText; the full title as the title's
    /// tooltip) — issue [1/7], 1280 × 800: "…y queues Q(t) [J]" was cut at both ends; issue
    /// #16: "Energy queues Q(t) [J], - - bud…" lost its unit mid-word.
    QString title() const;
    QString shownTitle() const;
    /// True while the "no data yet" note shows (before the first round).
    bool showsEmptyState() const;
    /// The run's churn markers (dropout, re-plan, deadline miss, rejoin) drawn on this panel.
    const ChurnMarkers &churnMarkers() const { return *m_markers; }
    ChurnMarkers &churnMarkers() { return *m_markers; }
    /// Where the series legend is: inside the axis rect, beside it (right), or in a row below it
    /// (a legend beside the plot that would leave it less than ~45 % of the panel's width).
    enum class LegendPlace {
        Inside,
        Beside,
        Below
    };
    LegendPlace legendPlace() const { return m_legendPlace; }

    /// A per-device panel (energy, queues, memory) draws one series per device up to this many
    /// devices; above it, the mean, the max and a min–max band over all devices, plus one series
    /// per device of the picked clusters only (issue [7/7]: 100,000 devices; a series per device
    /// was unreadable and QCustomPlot's graph list made creating and deleting them quadratic).
    static constexpr int kDeviceSeriesLimit = 48;
    /// How the left value axis scales. Auto: logarithmic while the data's largest value is more
    /// than kLogSpanRatio times its smallest positive one (a few devices that spend far more
    /// squash every other curve onto the axis line), else linear. Only panels that offer it
    /// (offersLogScale(): energy) ever go logarithmic.
    enum class ValueScale {
        Auto,
        Linear,
        Log
    };
    static constexpr double kLogSpanRatio = 100.0;
    void setValueScale(ValueScale scale);
    ValueScale valueScale() const { return m_valueScale; }
    bool offersLogScale() const { return m_offersLog; }
    /// True while the left value axis is logarithmic.
    bool valueAxisIsLog() const;

    /// True while this panel draws aggregates instead of a series per device.
    bool aggregatesDevices() const { return m_aggregate; }
    /// The clusters (indices) whose devices get a series of their own in the aggregate view,
    /// at most kDeviceSeriesLimit devices (the first ones in scenario order). `history` (the
    /// hub's newest rounds) back-fills the new series; none: they start with the next round.
    void setPickedClusters(const QSet<int> &clusters, const std::deque<SharedRound> *history);
    QSet<int> pickedClusters() const { return m_picked; }
    /// Devices that have a series of their own in the aggregate view now.
    int pickedSeriesCount() const { return m_pickedSeries; }

Q_SIGNALS:
    void roundPicked(int round);

protected:
    void setTitle(const QString &title);
    /// Called for each new record; subclasses append one value per series via appendPoint().
    virtual void takeRound(const RoundRecord &record) = 0;
    /// After new data went to the graphs (or all was cleared), before the replot is queued.
    virtual void dataChanged() { }
    /// Creates (once) the series called `key`, returns its index.
    int ensureSeries(
        const QString &key, const QString &name, const QPen &pen, QCPAxis *valueAxis = nullptr);
    void appendPoint(int series, const RoundRecord &record, double value);
    QCPGraph *graphOf(int series) const { return m_series[series].graph; }
    /// A dashed horizontal reference (budget, capacity) that the autoscale includes; with a
    /// `legendName` the legend names it too.
    void setReferenceLine(const QString &key, double value, const QPen &pen,
        QCPAxis *valueAxis = nullptr, const QString &legendName = QString());
    void clearReferenceLines();
    /// The left axis may go logarithmic (setValueScale; positive values that can be skewed).
    void offerLogScale() { m_offersLog = true; }
    /// Values start at zero on this axis (latency, energy, memory).
    void setIncludeZero(QCPAxis *axis, bool include);
    /// Moves the legend out of the axis rect to its right (for panels whose data fills the rect).
    void placeLegendOutside();
    /// Moves the legend to the right of the axis rect in a small font, entries in rows of
    /// `columns` (per-device panels: every device named without covering a curve).
    void placeLegendBeside(int columns);
    /// More legend entries than this hide the legend (it would cover the data); the hover
    /// tooltip still names every series. Inside the axis rect 8; beside it 48.
    int maxLegendEntries() const { return m_maxLegendEntries; }
    static QColor seriesColor(int index);

    /// One value of a device in a round, for takeDeviceRound().
    using DeviceValue = double (*)(const DeviceRound &device);
    /// Per-device panels: chooses per-device series (at most kDeviceSeriesLimit devices) or the
    /// aggregates; subclasses call it from setScenario() with the scenario's device count, and
    /// it removes the series of the previous layout. `unit` names the value in the legend.
    void setDeviceLayout(int devices, DeviceValue value, QCPAxis *valueAxis = nullptr);
    /// Appends `record`'s values: one point per device series, or the aggregates plus the picked
    /// devices' series. A record with more devices than the layout switches to aggregates.
    void takeDeviceRound(const RoundRecord &record);
    /// Removes every series (graphs and buffers) and every reference line.
    void removeAllSeries();
    static QString deviceKey(const DeviceRound &device);
    static QString deviceLabel(const DeviceRound &device);

    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    /// QCustomPlot's layout, then the tick steps fitted to the axes' new pixel lengths (and the
    /// layout again when they changed): tick labels never run into each other at any size.
    void updateLayout() override;

private:
    struct Series
    {
        SeriesBuffer buffer;
        QCPGraph *graph = nullptr;
    };
    struct Reference
    {
        QCPItemStraightLine *line = nullptr;
        QCPAbstractLegendItem *legendItem = nullptr; ///< when the legend names the line
        QCPAxis *axis = nullptr;
        double value = 0.0;
    };

    void rescale();
    /// Shows or hides the "no data yet" note, the reference lines the other way round.
    void setEmptyShown(bool empty);
    /// rescale() while no round is shown (a reference line or the series changed).
    void rescaleWhileEmpty();
    /// The "no data yet" note's forms, longest first; fitEmptyNote() shows the longest that
    /// fits the axis rect's width.
    static QStringList emptyNoteForms();
    void fitEmptyNote();
    /// Makes the left axis logarithmic or linear for the value range `range` (valueScale());
    /// true when it is logarithmic (its range set here).
    bool fitValueScale(const ValueRange &range);
    void placeCursor();
    void pickAt(const QPointF &pos);
    QString hoverText(int round) const;
    /// Fits the title (fitTitleText) to the width its layout column gets (the plot less a
    /// legend beside it).
    void fitTitle();
    /// The minimum height that holds the title, the legend beside the plot and the churn-marker
    /// row with an axis rect of its own: at small sizes the panel grows (its scroll area
    /// scrolls) instead of clipping the legend rows.
    void reserveLegendRoom();
    /// Puts an outside legend beside the axis rect or, when that leaves the plot too narrow,
    /// below it in as many columns as the width holds. True when it moved.
    bool placeLegend();
    void setLegendForm(LegendPlace place);
    /// A hidden legend beside or below the plot leaves the plot layout (its cell stays empty),
    /// a shown one returns to its cell. QCustomPlot lays hidden elements out too: the hidden
    /// legend of an empty panel kept its column, so the title (elided to the panel's width) ran
    /// out of the narrower column on the left, and a legend without entries (a scenario
    /// without devices) capped the axis rect's row at the legend's own 4 px.
    void syncLegendSlot();
    /// The legend's entries (its grid's non-empty cells).
    int legendEntries() const;
    /// Gives the axis rect the height of its longest vertical axis label.
    void fitAxisRectToLabels();

    /// Aggregate view: the series of the mean, max and min (the band), or −1.
    struct Aggregate
    {
        int band = -1;
        int max = -1;
        int mean = -1;
    };
    void ensureAggregate(int devices);
    void takePicked(const RoundRecord &record);

    std::vector<Series> m_series;
    DeviceValue m_deviceValue = nullptr;
    QCPAxis *m_deviceAxis = nullptr;
    Aggregate m_aggregateSeries;
    QSet<int> m_picked;
    int m_pickedSeries = 0;
    int m_aggregateDevices = 0; ///< the device count the aggregate legend names
    bool m_aggregate = false;
    QHash<QString, int> m_seriesByKey;
    QHash<QString, Reference> m_references;
    QHash<QCPAxis *, bool> m_includeZero;
    SeriesBuffer m_keys; ///< one point per round: (round, time); the value is unused
    QCPTextElement *m_title = nullptr;
    QString m_fullTitle;
    QCPItemStraightLine *m_cursor = nullptr;
    QCPItemText *m_empty = nullptr; ///< "no data yet" while there is none
    std::unique_ptr<ChurnMarkers> m_markers;
    int m_maxLegendEntries = 8;
    LegendPlace m_legendPlace = LegendPlace::Inside;
    int m_besideColumns = 0; ///< the legend's wrap beside the plot (0: one column)
    int m_legendRow = -1;    ///< the row a hidden legend left (syncLegendSlot)
    XAxisMode m_mode = XAxisMode::Round;
    int m_selectedRound = -1;
    bool m_followData = true; ///< false once the user zooms; a double click restores it
    ValueScale m_valueScale = ValueScale::Auto;
    bool m_offersLog = false;
    double m_minPositive = std::numeric_limits<double>::infinity(); ///< of every value appended
    QString m_linearLabel; ///< the left axis' label while linear
};

/// A scenario's device count and the mean of their energy budgets Ē (0 without devices): what
/// the energy and queue panels draw as one budget line once they aggregate devices.
struct DeviceBudgetMean
{
    int devices = 0;
    double meanBudgetJ = 0.0;
};
DeviceBudgetMean deviceBudgetMean(const Scenario &scenario);

} // namespace collapipe
