// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QScrollArea;

namespace collapipe {

class ClusterFilterBar;
class GanttPlot;

/// The Gantt dock's content (issue [7/7]): the cluster filter bar (search, picker, expand and
/// collapse all, what is shown) fixed above the GanttPlot, which scrolls when its rows need more
/// height than the dock has.
class GanttView : public QWidget
{
    Q_OBJECT

public:
    explicit GanttView(QWidget *parent = nullptr);

    GanttPlot *plot() const { return m_plot; }
    ClusterFilterBar *filterBar() const { return m_bar; }
    QScrollArea *scrollArea() const { return m_scroll; }
    QSize sizeHint() const override { return {520, 460}; }

private:
    void updateCount();

    GanttPlot *m_plot;
    ClusterFilterBar *m_bar;
    QScrollArea *m_scroll;
};

} // namespace collapipe
