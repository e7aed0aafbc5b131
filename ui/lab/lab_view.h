// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/canvas/lab_step_item.h"
#include "ui/lab/lab_schedule_source.h"

#include <QList>
#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace collapipe {

class LabChart;
class LabLoader;
class LabSourceModel;
class LabStepExport;
class LabTensorPanel;
class LabTraceLoader;
class LabWhatIfBar;

/// The Pipeline Lab (issue [4/7] "The Lab"): one to four schedules of one cluster side by side,
/// on the same devices and links, for ONE local iteration; a source picker (a cluster of the
/// scenario on the canvas, or the bundled teaching preset pipeline_lab.json), "compute only"
/// (links, CU and edge free and hidden) or "with links", and op-by-op stepping (previous, next,
/// play at a chosen speed) that highlights step k in every chart — the k-th compute op to start
/// in each schedule's own timeline — with the memory strip's cursor at that op's end.
/// Plans come from LabLoader (off the UI thread); the view only draws them. Beside the charts,
/// the tensor panel shows what the real trainer computed in the current op (LabTraceLoader, off
/// the UI thread, cached per schedule); the what-if bar re-times every chart from factors on
/// the stages' speeds and the links' rates without touching the scenario; the step sequence
/// exports as numbered PNGs (LabStepExport).
class LabView : public QWidget
{
    Q_OBJECT

public:
    explicit LabView(QWidget *parent = nullptr);

    /// The scenario on the canvas, as a copy; replanned (coalesced) when one of its clusters is
    /// shown. LabWorkspace passes the document's instead (setScenarioSource): no copy per edit.
    void setScenario(const Scenario &scenario);
    /// Where the scenario on the canvas is read from (it must stay valid: the document's); call
    /// scenarioChanged() after each change of it. The scenario is copied only to plan one of its
    /// clusters (issue #16: the open of 100,000 devices copied it twice and filled the source
    /// picker with 10,000 entries one by one).
    void setScenarioSource(std::function<const Scenario &()> source);
    void scenarioChanged();
    /// Shows the teaching preset (true) or cluster `cluster` of the scenario (source picker).
    void showPreset();
    void showCluster(int cluster);
    /// Plans the selected source now if nothing is shown yet (the dock was opened).
    void activate();

    QList<LabChart *> charts() const { return m_charts; }
    const LabPlan &plan() const { return m_plan; }
    QComboBox *sourceBox() const { return m_source; }
    LabSourceModel *sourceModel() const { return m_sourceModel; }
    QCheckBox *computeOnlyBox() const { return m_computeOnly; }
    QList<QCheckBox *> scheduleBoxes() const { return m_scheduleBoxes; }
    QSlider *speedSlider() const { return m_speed; }
    QToolButton *playButton() const { return m_play; }
    QString stepText() const;
    int step() const { return m_step; }
    /// Steps of the longest schedule shown (a chart with fewer ops clamps to its last).
    int stepCount() const;
    QLabel *stepLabel() const { return m_stepLabel; }
    /// Writes the charts side by side (png, svg or pdf by suffix; PNG at `dpi`).
    bool exportSideBySide(const QString &path, QString *error, int dpi = 150) const;
    /// The numbered step images are smaller than a figure for print: ~1 MB each would add up.
    static constexpr int kStepImageDpi = 100;

    LabTensorPanel *tensorPanel() const { return m_tensor; }
    LabTraceLoader *traceLoader() const { return m_traces; }
    LabWhatIfBar *whatIfBar() const { return m_whatIf; }
    LabStepExport *stepExport() const { return m_stepExport; }
    QToolButton *whatIfButton() const { return m_whatIfButton; }
    QToolButton *tensorButton() const { return m_tensorButton; }
    /// Re-times every schedule with `whatIf` (the what-if bar calls it on each change).
    void setWhatIf(const LabWhatIf &whatIf);
    /// The current op of the schedule the tensor panel follows, for the canvas: empty with no
    /// step, or when the Lab shows the teaching preset (not on the canvas).
    std::optional<LabStepMark> canvasMark() const;
    QString defaultPresetPath() const;

public Q_SLOTS:
    void nextStep();
    void previousStep();
    void setStep(int step);
    void setPlaying(bool playing);

Q_SIGNALS:
    /// A plan is shown (ok) or its error is (the charts are cleared).
    void planShown(bool ok);
    /// The step, the schedule followed or the plan changed: canvasMark() may differ.
    void canvasMarkChanged();
    /// The tensor panel shows something new (a tensor, or why there is none).
    void tensorShown();
    /// "Apply speeds" of the what-if bar: stage j's device should be stageSpeed[j] times faster.
    void applySpeedsRequested(const collapipe::LabWhatIf &whatIf);

private:
    void requestPlan();
    void showPlan(const LabPlan &plan);
    void rebuildCharts();
    void fillSources();
    void updateStepText();
    void updateTensorPanel();
    void exportStepsInteractively();

    Scenario m_ownScenario; ///< setScenario()'s copy
    std::function<const Scenario &()> m_scenario;
    LabPlan m_plan;
    LabLoader *m_loader;
    QComboBox *m_source;
    LabSourceModel *m_sourceModel;
    QList<QCheckBox *> m_scheduleBoxes;
    QCheckBox *m_computeOnly;
    QToolButton *m_previous;
    QToolButton *m_play;
    QToolButton *m_next;
    QSlider *m_speed;
    QLabel *m_speedLabel;
    QLabel *m_stepLabel;
    QLabel *m_status;
    QHBoxLayout *m_chartRow;
    QList<LabChart *> m_charts;
    QTimer *m_playTimer;
    QTimer *m_replan;
    LabTraceLoader *m_traces;
    LabTensorPanel *m_tensor;
    LabWhatIfBar *m_whatIf;
    LabStepExport *m_stepExport;
    QToolButton *m_whatIfButton;
    QToolButton *m_tensorButton;
    int m_step = -1;
    bool m_requested = false;
};

} // namespace collapipe
