// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QCPAxis;
class QCustomPlot;
class QLabel;
class QScrollArea;

namespace collapipe {

class ClusterFilterBar;
class GanttPlot;

/// The Gantt dock's content (issue [7/7]): the cluster filter bar (search, picker, expand and
/// collapse all, what is shown) fixed above the GanttPlot, which scrolls when its rows need more
/// height than the dock has. While it scrolls, a time-axis strip (the plot's time range, its
/// unit, aligned to its axis rect) is fixed below the scrolling rows, so the time scale is never
/// below the fold (a 100-cluster round at 1280 x 800). Below it the colour legend, also fixed:
/// it named the bars from under the last row, out of view as soon as the rows scrolled.
class GanttView : public QWidget
{
    Q_OBJECT

public:
    explicit GanttView(QWidget *parent = nullptr);

    GanttPlot *plot() const { return m_plot; }
    ClusterFilterBar *filterBar() const { return m_bar; }
    QScrollArea *scrollArea() const { return m_scroll; }
    QSize sizeHint() const override { return {520, 460}; }
    /// The fixed time-axis strip below the scrolling rows (shown while the rows overflow).
    QCustomPlot *axisStrip() const { return m_strip; }
    /// Its time axis: the plot's range and label ("time in round [s]").
    QCPAxis *stripAxis() const;
    /// The fixed colour legend under the rows (and the time-axis strip): each bar kind and, in
    /// a round with summary rows, what their lanes and shades mean. One line at every width
    /// (at 1280 x 800 it wrapped to three, leaving ~6 rows of campus-day in view): full names,
    /// then short ones, then as many short entries as fit and "…"; its tooltip always names
    /// every colour in full.
    QLabel *legendStrip() const { return m_legend; }
    /// The shown round's note (GanttPlot::timelineNote), fixed above the rows; hidden if none.
    QLabel *noteStrip() const { return m_note; }
    /// The legend's form now: 0 full names, 1 short kinds, 2 short kinds and lanes, 3 the
    /// shortest names, 4 elided (the tooltip names them all).
    int legendForm() const { return m_legendForm; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateCount();
    /// Shows the strip while the plot overflows the viewport; aligns its range and margins.
    void syncStrip();

    GanttPlot *m_plot;
    ClusterFilterBar *m_bar;
    QScrollArea *m_scroll;
    QCustomPlot *m_strip;
    QLabel *m_legend;
    QLabel *m_note;
    /// Tick fits of the strip since its last change (at most kStripRefitPasses replots).
    int m_stripRefits = 0;
    static constexpr int kStripRefitPasses = 3;
    bool m_legendHasLanes = false;
    int m_legendForm = 0;
    int m_legendWidth = -1; ///< the width the legend's form was chosen for
    void updateLegend(bool lanes);
};

} // namespace collapipe
