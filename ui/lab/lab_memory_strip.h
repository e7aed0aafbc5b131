// SPDX-License-Identifier: MIT
#pragma once

#include "ui/lab/lab_schedule_source.h"

#include <QStringList>

#include <vector>

class QCPAxisRect;
class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;

namespace collapipe {

/// The memory strip under a Lab chart: one lane per pipeline stage showing the activations it
/// holds over time (micro-batches whose forward ended and whose backward has not, the stash of
/// spec §2.4), filled up to M micro-batches at the lane's full height so schedules compare at one
/// scale, and a cursor whose per-stage count is written in the lane's label. Lives in an axis
/// rect of the chart's QCustomPlot (so it zooms and exports with the chart); owns no widget.
class LabMemoryStrip
{
public:
    /// Adds the axis rect as row `row` of `plot`'s layout.
    LabMemoryStrip(QCustomPlot *plot, int row);

    QCPAxisRect *axisRect() const { return m_rect; }
    /// Draws `ops` (compute events) for `stageNames.size()` stages, scaled to `microbatches`.
    void setOps(const std::vector<LabEvent> &ops, const QStringList &stageNames, int microbatches);
    /// Moves the cursor to `t` seconds (negative: hidden) and relabels the lanes.
    void setCursor(double t);
    /// Micro-batches stashed on `stage` at the cursor (0 with no cursor).
    int valueAtCursor(int stage) const;
    QStringList laneLabels() const { return m_laneLabels; }

private:
    void relabel();

    QCustomPlot *m_plot;
    QCPAxisRect *m_rect;
    QCPItemStraightLine *m_cursor;
    std::vector<QCPGraph *> m_graphs; ///< per stage: the fill, then its baseline
    std::vector<LabEvent> m_ops;
    QStringList m_stageNames;
    QStringList m_laneLabels;
    double m_cursorS = -1.0;
};

} // namespace collapipe
