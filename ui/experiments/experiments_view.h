// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"
#include "core/scenario/scenario.h"
#include "ui/figures/figure_runs.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QThread;
class QTimer;

namespace collapipe {

class ExperimentForm;
class ExperimentJob;
struct ExperimentDraft;

/// The Studio's Experiments view (issue [5/7]): build an experiment over the canvas scenario's
/// fields, run it on a worker thread with the CLI's runner (ExperimentJob), and watch the report's
/// figures (ui/figures, the same drawing as `collapipe report`) fill as points finish. Finished
/// points are read back off the UI thread (StoreLoader) at most every 250 ms, then only the
/// visible figure is redrawn. A click on a plotted point opens its run (lowest seed) as a replay.
class ExperimentsView : public QWidget
{
    Q_OBJECT

public:
    explicit ExperimentsView(QWidget *parent = nullptr);
    ~ExperimentsView() override;

    /// The database runs are stored in (the run panel's).
    void setDatabasePath(const QString &path) { m_dbPath = path; }
    QString databasePath() const { return m_dbPath; }
    /// Where "Use canvas" takes the base scenario from.
    void setCanvasScenario(std::function<Scenario()> canvas) { m_canvas = std::move(canvas); }

    ExperimentForm *form() const { return m_form; }
    QTabWidget *tabs() const { return m_tabs; }
    QCustomPlot *curvePlot() const { return m_curvePlot; }
    QCustomPlot *policyPlot() const { return m_policyPlot; }
    QCustomPlot *regimePlot() const { return m_regimePlot; }
    QCustomPlot *paretoPlot() const { return m_paretoPlot; }
    QCustomPlot *accuracyPlot() const { return m_accuracyPlot; }
    QComboBox *curveMetric() const { return m_curveMetric; }
    QComboBox *curveAxis() const { return m_curveAxis; }
    QComboBox *policyMetric() const { return m_policyMetric; }
    const std::vector<StoredPoint> &points() const { return m_points; }
    const figures::FigureRuns &curveRuns() const { return m_curveRuns; }
    const figures::FigureRuns &policyRuns() const { return m_policyRuns; }
    bool isRunning() const { return m_running; }
    QString statusText() const;

    /// The non-interactive parts of the buttons (tests call them). All return at once.
    void useCanvasScenario();
    bool startRun(QString *error = nullptr);
    void stopRun();
    bool saveExperiment(const QString &path, QString *error);
    /// Loads an experiment file into the form. Unless a run is in progress, the figures of the
    /// previous experiment are cleared: they no longer belong to what the form shows.
    bool loadExperiment(const QString &path, QString *error);

Q_SIGNALS:
    /// A plotted point was clicked: replay this run.
    void openRunRequested(const QString &dbPath, qint64 runId);
    /// The run ended and its last points are drawn; `message` empty on success.
    void runFinished(const QString &message);

private:
    void onStarted(const QString &experimentId, int total, int pending);
    void onPointFinished();
    void onFinished(int completed, int failed, int stopped, const QString &message);
    void reloadPoints();
    void refreshChoices();
    void redraw();
    void connectClicks(QCustomPlot *plot, const figures::FigureRuns *runs);
    void setStatus(const QString &text);

    ExperimentForm *m_form;
    QTabWidget *m_tabs;
    QCustomPlot *m_curvePlot;
    QCustomPlot *m_policyPlot; ///< experiments without axes: metric per policy, 95 % CI bars
    QCustomPlot *m_regimePlot;
    QCustomPlot *m_paretoPlot;
    QCustomPlot *m_accuracyPlot;
    QComboBox *m_curveMetric;
    QComboBox *m_curveAxis;
    QComboBox *m_policyMetric;
    QComboBox *m_regimeMetric;
    QSpinBox *m_jobs;
    QPushButton *m_run;
    QPushButton *m_stop;
    QProgressBar *m_progress;
    QLabel *m_status;
    QTimer *m_reloadTimer;
    QThread *m_thread;
    ExperimentJob *m_job;
    std::function<Scenario()> m_canvas;
    QString m_dbPath;
    QString m_experimentId;
    QString m_finishMessage;
    bool m_running = false;
    bool m_finishPending = false; ///< the run ended: emit runFinished once its points are drawn
    int m_done = 0;
    quint64 m_reloadSerial = 0; ///< reads of the points asked for so far
    quint64 m_finalReload = 0;  ///< the read after the run ended: runFinished follows it
    std::vector<StoredPoint> m_points;
    figures::FigureRuns m_curveRuns;
    figures::FigureRuns m_policyRuns;
    figures::FigureRuns m_paretoRuns;
    figures::FigureRuns m_accuracyRuns;
};

} // namespace collapipe
