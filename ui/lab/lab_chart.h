// SPDX-License-Identifier: MIT
#pragma once

#include "ui/lab/lab_schedule_source.h"

#include <QList>
#include <QRectF>
#include <qcustomplot.h>

#include <memory>
#include <vector>

namespace collapipe {

class LabMemoryStrip;

/// One schedule of the Pipeline Lab: its iteration as a Gantt (one row per device stage; with
/// links also the CU, each hop and the edge), every compute bar labelled with its micro-batch
/// (the label is left out where the bar is too thin for it; the tooltip stays), the textbook
/// and simulated bubbles in the header (hover each for its definition), the current step's op
/// outlined with a time cursor, and the memory strip below (LabMemoryStrip).
/// Stepping: step k is the k-th compute op to start in the timeline shown (ties by stage); every
/// schedule has the same 2·S·M compute ops, so step k exists in every chart.
class LabChart : public QCustomPlot
{
    Q_OBJECT

public:
    /// Header parts a tooltip defines.
    enum class Bubble {
        Textbook,
        ComputeOnly,
        WithLinks
    };

    explicit LabChart(QWidget *parent = nullptr);
    ~LabChart() override;

    /// Shows schedule `index` of `plan`; the time axis ends at `endS` (shared by the charts side
    /// by side so their lengths compare; ≤ 0: this schedule's own end).
    void setSchedule(const LabPlan &plan, int index, double endS);
    void setComputeOnly(bool computeOnly);
    bool isComputeOnly() const { return m_computeOnly; }
    /// Highlights step `step` (−1: none; clamped to the ops).
    void setStep(int step);
    int step() const { return m_step; }
    int stepCount() const { return int(m_ops.size()); }
    /// The op of the current step, null when none.
    const LabEvent *currentOp() const;
    /// The cursor's time: the end of the current op (−1 with none).
    double cursorS() const;
    /// Micro-batches stashed on `stage` at the cursor.
    int stashedAtCursor(int stage) const;
    QStringList rowLabels() const { return m_rowLabels; }
    /// The legend's entries (bar kinds), in order.
    QStringList legendNames() const;
    /// The events drawn as bars now (compute only: the devices' F and B alone).
    const std::vector<LabEvent> &shownEvents() const { return m_shown; }
    QStringList memoryLaneLabels() const;
    /// Pixel rects of the micro-batch labels drawn now, and how many bars have a label.
    QList<QRectF> visibleLabelRects() const;
    int labelledBarCount() const { return int(m_labels.size()); }
    QString bubbleText(Bubble which) const;
    QString bubbleToolTip(Bubble which) const;
    /// The vertical distance between two Gantt rows on screen (px).
    double rowPixels() const;
    QString scheduleName() const { return m_name; }
    /// Index of the schedule shown in the plan's schedules.
    int scheduleIndex() const { return m_index; }
    /// v of the schedule shown (1, or 2 for interleaved v = 2 and ZB-V).
    int chunks() const;

protected:
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    struct Label
    {
        QCPItemText *text = nullptr;
        LabEvent op;
        int row = 0;
    };
    void rebuild();
    int rowOf(const LabEvent &e) const;
    void placeLabels();
    void placeHighlight();

    LabPlan m_plan;
    int m_index = 0;
    double m_endS = 0.0;
    bool m_computeOnly = false;
    int m_step = -1;
    QString m_name;
    std::vector<LabEvent> m_shown; ///< events of the current mode
    std::vector<LabEvent> m_ops;   ///< compute ops in stepping order
    QStringList m_rowLabels;
    std::vector<Label> m_labels;
    std::vector<QCPItemRect *> m_items;     ///< lanes and bars, rebuilt with the mode
    std::vector<QCPGraph *> m_legendGraphs; ///< one empty graph per bar kind, for the legend
    QCPItemRect *m_highlight = nullptr;
    QCPItemStraightLine *m_cursor = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPTextElement *m_bubbles[3] = {};
    std::unique_ptr<LabMemoryStrip> m_memory;
};

} // namespace collapipe
