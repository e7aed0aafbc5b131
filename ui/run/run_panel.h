// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/run/run_controller.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace collapipe {

class ChurnStatusLabel;
class PlotHub;
class GanttPlot;
class TopologyDocument;

/// The run dock (issue [6/6] "Run it live"): policy, V, rounds, seed, schedule, training on/off,
/// Watch/Fast mode and the database; Start, Pause, Step, Stop (Space = Start/Pause); a progress
/// bar with rounds/s, simulated time and ETA. Start is disabled, with the reason shown, while
/// the scenario is invalid. The panel only edits a RunRequest and drives a RunController; the
/// controller's rounds go to the PlotHub.
class RunPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Mode {
        Watch, ///< every round drawn, Gantt animated (RunWorkspace::kLiveSweepEventLimit), paced
        Fast   ///< plots refreshed at a bounded rate, no pacing
    };
    /// Watch mode's pause before each round (~8 rounds/s at most, each one visible).
    static constexpr int kWatchRoundDelayMs = 120;

    explicit RunPanel(RunController *controller, QWidget *parent = nullptr);

    /// Where the scenario comes from and why it cannot run ("" = valid). Without a document.
    void setScenarioSource(
        std::function<Scenario()> scenario, std::function<QString()> invalidReason);
    /// The editor's document (scenario(), validityChanged, scenarioReset). The document then holds
    /// policy, V, rounds, seed, schedule and training: the fields show its values and follow every
    /// change (Scenario settings, undo), and an edit here is an undoable change of the document.
    void attachDocument(TopologyDocument *document);
    /// Rounds go to `hub`, the selected round animates in `gantt` (both optional).
    void setPlotHub(PlotHub *hub, GanttPlot *gantt = nullptr);
    void setDatabasePath(const QString &path);
    QString databasePath() const;

    /// The request Start would send now: the document's scenario as it is, or without a document
    /// the source's scenario with the panel's fields.
    RunRequest currentRequest() const;
    Mode mode() const;
    void setMode(Mode mode);
    /// Fills the fields from a scenario's optimizer/training settings.
    void loadSettings(const Scenario &scenario);
    bool canStart() const;
    QString invalidReason() const { return m_invalidReason; }

    // Widgets exposed for tests and screenshots.
    QPushButton *startButton() const { return m_start; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *stepButton() const { return m_step; }
    QPushButton *stopButton() const { return m_stop; }
    QLabel *reasonLabel() const { return m_reason; }
    ChurnStatusLabel *churnLabel() const { return m_churn; }
    QSpinBox *roundsBox() const { return m_rounds; }
    QCheckBox *trainBox() const { return m_train; }
    QCheckBox *storeEventsBox() const { return m_storeEvents; }
    QComboBox *policyBox() const { return m_policy; }
    QComboBox *scheduleBox() const { return m_schedule; }

public Q_SLOTS:
    void setValidity(bool valid, const QString &reason);
    void startRun();
    void startOrPause();
    void stepRun();
    /// Back to "idle" with an empty bar and no churn counts (another scenario was opened). During
    /// a run (being stopped by the caller) the run's later progress is ignored and its end only
    /// says where it was stored: nothing of it stays as if it were the new scenario's.
    void clearStatus();

Q_SIGNALS:
    /// A run was started with this request (e.g. so the canvas can follow it).
    void runStarted(const collapipe::RunRequest &request);

private:
    void updateButtons();
    void updateProgress(const RunProgress &progress);
    void onFinished(int status, const QString &message, qint64 runId);
    void applyMode();
    static QString sessionStatusWord(int status);

    RunController *m_controller;
    PlotHub *m_hub = nullptr;
    GanttPlot *m_gantt = nullptr;
    std::function<Scenario()> m_scenario;
    std::function<QString()> m_invalidHook;
    TopologyDocument *m_document = nullptr; ///< set by attachDocument: the one source of truth
    bool m_loading = false;                 ///< loadSettings is filling the fields
    bool m_runLeftBehind = false; ///< the active run is the previous scenario's (clearStatus)
    QString m_invalidReason;
    QComboBox *m_policy = nullptr;
    QDoubleSpinBox *m_v = nullptr;
    QSpinBox *m_rounds = nullptr;
    QSpinBox *m_seed = nullptr;
    QComboBox *m_schedule = nullptr;
    QCheckBox *m_train = nullptr;
    QCheckBox *m_storeEvents = nullptr;
    QComboBox *m_mode = nullptr;
    QLineEdit *m_db = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_step = nullptr;
    QPushButton *m_stop = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_reason = nullptr;
    ChurnStatusLabel *m_churn = nullptr; ///< clusters left out of FedAvg in this run
};

} // namespace collapipe
