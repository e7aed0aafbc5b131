// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QCPAxis;
class QCustomPlot;
class QScrollArea;

namespace collapipe {

class ClusterFilterBar;
class GanttPlot;

/// The Gantt dock's content (issue [7/7]): the cluster filter bar (search, picker, expand and
/// collapse all, what is shown) fixed above the GanttPlot, which scrolls when its rows need more
/// height than the dock has. While it scrolls, a time-axis strip (the plot's time range, its
/// unit, aligned to its axis rect) is fixed below the scrolling rows, so the time scale is never
/// below the fold (a 100-cluster round at 1280 x 800).
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

private:
    void updateCount();
    /// Shows the strip while the plot overflows the viewport; aligns its range and margins.
    void syncStrip();

    GanttPlot *m_plot;
    ClusterFilterBar *m_bar;
    QScrollArea *m_scroll;
    QCustomPlot *m_strip;
};

} // namespace collapipe
