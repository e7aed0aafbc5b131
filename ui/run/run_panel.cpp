// SPDX-License-Identifier: MIT
#include "ui/run/run_panel.h"

#include "core/optimizer/policy.h"
#include "core/store/run_store.h"
#include "ui/model/topology_document.h"
#include "ui/plots/gantt_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/run/churn_status_label.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QShortcut>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace collapipe {

namespace {

/// The field table's "auto" value index: right after the schedule kinds (scenario_fields.cpp).
constexpr int kAutoScheduleIndex = static_cast<int>(ScheduleKind::ZeroBubbleV) + 1;

constexpr int kWatchRefreshMs = 40; ///< ~25 Hz (style.md rule 5)
constexpr int kFastRefreshMs = 250; ///< 4 Hz: the plots stay cheap at any round rate

} // namespace

QString RunPanel::sessionStatusWord(int status)
{
    switch (static_cast<SessionStatus>(status)) {
    case SessionStatus::Completed:
        return tr("completed");
    case SessionStatus::Stopped:
        return tr("stopped");
    case SessionStatus::Failed:
        return tr("failed");
    }
    return QString();
}

RunPanel::RunPanel(RunController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    auto *form = new QFormLayout;
    m_policy = new QComboBox;
    m_policy->addItems(policyNames());
    m_policy->setToolTip(tr("Decision policy: dssda (Lyapunov, spec §6) or a baseline (spec §8)"));
    m_v = new QDoubleSpinBox;
    m_v->setRange(0.0, 1e9);
    m_v->setDecimals(3);
    m_v->setKeyboardTracking(false); // one edit per value typed, not per keystroke
    m_v->setToolTip(tr("Lyapunov weight V ≥ 0 on latency against the energy queues (spec §5)"));
    m_rounds = new QSpinBox;
    m_rounds->setRange(1, 10'000'000);
    m_rounds->setKeyboardTracking(false);
    m_rounds->setToolTip(tr("Rounds (time slots t) to run, 1–10⁷"));
    m_seed = new QSpinBox;
    m_seed->setRange(0, 2'000'000'000);
    m_seed->setKeyboardTracking(false);
    m_seed->setToolTip(tr("Seed of the channel fading, the data split and the trainer"));
    m_schedule = new QComboBox;
    // Item data = the value index of the field table's "schedule" (the kinds, then "auto").
    m_schedule->addItem(tr("GPipe"), static_cast<int>(ScheduleKind::GPipe));
    m_schedule->addItem(tr("1F1B"), static_cast<int>(ScheduleKind::OneFOneB));
    m_schedule->addItem(tr("Interleaved"), static_cast<int>(ScheduleKind::Interleaved));
    m_schedule->addItem(tr("ZB-H1"), static_cast<int>(ScheduleKind::ZeroBubbleH1));
    m_schedule->addItem(tr("ZB-V"), static_cast<int>(ScheduleKind::ZeroBubbleV));
    m_schedule->addItem(tr("Auto"), kAutoScheduleIndex);
    m_schedule->setToolTip(tr("Pipeline schedule (spec §2.3): 1F1B holds fewer activations; "
                              "interleaved runs v chunks per device (optimizer.interleave); "
                              "Auto lets DSSDA choose per round"));
    m_train = new QCheckBox(tr("train the model"));
    m_train->setToolTip(tr("On: real Eigen training (loss, accuracy, measured memory). "
                           "Off: the cost model alone (fast)"));
    m_storeEvents = new QCheckBox(tr("store the Gantt timeline"));
    m_storeEvents->setChecked(true);
    m_storeEvents->setToolTip(tr("On: every round's pipeline timeline is stored, so a replay "
                                 "shows its Gantt. Off: the live Gantt still shows each round, "
                                 "the stored run has no timeline (as collapipe run --events off); "
                                 "much faster for large scenarios (~75,000 events a round at "
                                 "1,000 devices)"));
    m_mode = new QComboBox;
    m_mode->addItem(tr("Watch"), static_cast<int>(Mode::Watch));
    m_mode->addItem(tr("Fast"), static_cast<int>(Mode::Fast));
    m_mode->setToolTip(tr("Watch: every round drawn, Gantt animated (a round of more than about "
                          "130 devices is drawn at once while the run goes). Fast: plots "
                          "refreshed 4×/s"));
    auto *dbRow = new QHBoxLayout;
    m_db = new QLineEdit;
    m_db->setToolTip(tr("SQLite run database the run is stored in"));
    auto *browse = new QToolButton;
    browse->setText(QStringLiteral("…"));
    dbRow->addWidget(m_db);
    dbRow->addWidget(browse);
    form->addRow(tr("Policy"), m_policy);
    form->addRow(tr("V"), m_v);
    form->addRow(tr("Rounds"), m_rounds);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Schedule"), m_schedule);
    form->addRow(QString(), m_train);
    form->addRow(QString(), m_storeEvents);
    form->addRow(tr("Mode"), m_mode);
    form->addRow(tr("Database"), dbRow);

    m_start = new QPushButton(tr("Start"));
    m_pause = new QPushButton(tr("Pause"));
    m_step = new QPushButton(tr("Step"));
    m_stop = new QPushButton(tr("Stop"));
    m_start->setToolTip(tr("Start the run (Space)"));
    m_pause->setToolTip(tr("Pause / resume before the next round (Space)"));
    m_step->setToolTip(tr("Run exactly one round, then pause"));
    m_stop->setToolTip(tr("Stop the run; finished rounds stay stored"));
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_start, m_pause, m_step, m_stop}) {
        buttons->addWidget(b);
    }
    m_progress = new QProgressBar;
    // The count is in the status line below (progressText): text drawn over the bar's chunk is
    // half unreadable in several styles.
    m_progress->setTextVisible(false);
    m_status = new QLabel(tr("idle"));
    m_status->setObjectName(QStringLiteral("runStatus"));
    m_status->setWordWrap(true);
    m_reason = new QLabel;
    m_reason->setWordWrap(true);
    m_reason->setStyleSheet(QStringLiteral("color: #b00020"));
    m_reason->setVisible(false);
    m_churn = new ChurnStatusLabel(m_controller);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_churn);
    layout->addWidget(m_reason);
    layout->addStretch(1);

    if (QString error, path = RunStore::defaultPath(&error); !path.isEmpty()) {
        m_db->setText(path);
    }
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Run database"), m_db->text(),
            tr("SQLite (*.sqlite *.db)"), nullptr, QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty()) {
            m_db->setText(path);
        }
    });
    connect(m_start, &QPushButton::clicked, this, &RunPanel::startRun);
    connect(m_pause, &QPushButton::clicked, m_controller, &RunController::togglePause);
    connect(m_step, &QPushButton::clicked, this, &RunPanel::stepRun);
    connect(m_stop, &QPushButton::clicked, m_controller, &RunController::stop);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &RunPanel::applyMode);
    connect(m_controller, &RunController::stateChanged, this, &RunPanel::updateButtons);
    connect(m_controller, &RunController::progressChanged, this, &RunPanel::updateProgress);
    connect(m_controller, &RunController::runFinished, this, &RunPanel::onFinished);
    auto *space = new QShortcut(QKeySequence(Qt::Key_Space), this);
    space->setContext(Qt::WindowShortcut);
    connect(space, &QShortcut::activated, this, &RunPanel::startOrPause);
    loadSettings(Scenario{});
    updateButtons();
}

void RunPanel::setScenarioSource(
    std::function<Scenario()> scenario, std::function<QString()> invalidReason)
{
    m_scenario = std::move(scenario);
    m_invalidHook = std::move(invalidReason);
    if (m_scenario) {
        loadSettings(m_scenario());
    }
    const QString reason = m_invalidHook ? m_invalidHook() : QString();
    setValidity(reason.isEmpty(), reason);
}

void RunPanel::attachDocument(TopologyDocument *document)
{
    m_document = document;
    setScenarioSource([document] { return document->scenario(); },
        [document] { return document->validityReason(); });
    connect(document, &TopologyDocument::validityChanged, this, &RunPanel::setValidity);
    connect(document, &TopologyDocument::scenarioReset, this,
        [this, document] { loadSettings(document->scenario()); });
    // The scenario is the one source of truth for policy, V, rounds, seed, schedule and training
    // (shown also in Scenario settings): the panel follows every change of it (edits elsewhere,
    // undo, redo) and writes its own edits back as undoable property changes.
    connect(
        document, &TopologyDocument::propertyChanged, this, [this, document](const ItemRef &ref) {
            if (ref.kind == ItemKind::Settings) {
                loadSettings(document->scenario());
            }
        });
    const ItemRef optimizer{ItemKind::Settings, QStringLiteral("optimizer")};
    const ItemRef training{ItemKind::Settings, QStringLiteral("training")};
    auto write = [this](const ItemRef &ref, const QString &key, const QVariant &value) {
        if (m_loading || !m_document) {
            return;
        }
        QString error;
        if (!m_document->setProperty(ref, key, value, &error)) {
            m_status->setText(error);
        }
        loadSettings(m_document->scenario()); // a refused value shows the stored one again
    };
    connect(
        m_policy, &QComboBox::currentTextChanged, this, [write, optimizer](const QString &text) {
            write(optimizer, QStringLiteral("policy"), text);
        });
    connect(m_v, &QDoubleSpinBox::valueChanged, this,
        [write, optimizer](double v) { write(optimizer, QStringLiteral("v"), v); });
    connect(m_schedule, &QComboBox::currentIndexChanged, this, [this, write, optimizer] {
        write(optimizer, QStringLiteral("schedule"), m_schedule->currentData().toInt());
    });
    connect(m_rounds, &QSpinBox::valueChanged, this,
        [write, training](int v) { write(training, QStringLiteral("rounds"), v); });
    connect(m_seed, &QSpinBox::valueChanged, this,
        [write, training](int v) { write(training, QStringLiteral("seed"), v); });
    connect(m_train, &QCheckBox::toggled, this,
        [write, training](bool on) { write(training, QStringLiteral("train"), on ? 1 : 0); });
    setValidity(document->isValid(), document->validityReason());
}

void RunPanel::setPlotHub(PlotHub *hub, GanttPlot *gantt)
{
    m_hub = hub;
    m_gantt = gantt;
    connect(m_controller, &RunController::roundShared, hub, &PlotHub::appendShared);
    applyMode();
}

void RunPanel::setDatabasePath(const QString &path)
{
    m_db->setText(path);
}

QString RunPanel::databasePath() const
{
    return m_db->text();
}

void RunPanel::loadSettings(const Scenario &scenario)
{
    const QScopedValueRollback<bool> loading(m_loading, true);
    int policy = m_policy->findText(scenario.optimizer.policy);
    if (policy < 0 && !scenario.optimizer.policy.isEmpty()) {
        // A policy typed in Scenario settings is shown as it is (validation names it if unknown).
        m_policy->addItem(scenario.optimizer.policy);
        policy = m_policy->count() - 1;
    }
    if (policy >= 0) {
        m_policy->setCurrentIndex(policy);
    }
    m_v->setValue(scenario.optimizer.v);
    m_rounds->setValue(scenario.training.rounds);
    m_seed->setValue(static_cast<int>(scenario.training.seed));
    m_schedule->setCurrentIndex(m_schedule->findData(scenario.optimizer.autoSchedule
            ? kAutoScheduleIndex
            : static_cast<int>(scenario.optimizer.schedule)));
    m_train->setChecked(scenario.training.train);
}

RunPanel::Mode RunPanel::mode() const
{
    return static_cast<Mode>(m_mode->currentData().toInt());
}

void RunPanel::setMode(Mode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(static_cast<int>(mode)));
}

void RunPanel::applyMode()
{
    const bool watch = mode() == Mode::Watch;
    if (m_hub) {
        m_hub->setRefreshInterval(watch ? kWatchRefreshMs : kFastRefreshMs);
        m_hub->setLeadingFlush(watch); // each paced round drawn in the pause after it
    }
    if (m_gantt) {
        m_gantt->setAnimated(watch);
    }
    if (m_controller->isActive()) {
        m_controller->setRoundDelay(watch ? kWatchRoundDelayMs : 0);
    }
}

RunRequest RunPanel::currentRequest() const
{
    RunRequest request;
    request.scenario = m_scenario ? m_scenario() : Scenario{};
    if (!m_document) {
        // With a document the fields mirror it (it holds the user's choice): nothing to override.
        Scenario &s = request.scenario;
        s.optimizer.policy = m_policy->currentText();
        s.optimizer.v = m_v->value();
        s.training.rounds = m_rounds->value();
        s.training.seed = static_cast<std::uint64_t>(m_seed->value());
        const int schedule = m_schedule->currentData().toInt();
        s.optimizer.autoSchedule = schedule == kAutoScheduleIndex;
        if (!s.optimizer.autoSchedule) {
            s.optimizer.schedule = static_cast<ScheduleKind>(schedule);
        }
        s.training.train = m_train->isChecked();
    }
    request.scenarioPath = m_document ? m_document->filePath() : QString();
    request.dbPath = m_db->text();
    request.roundDelayMs = mode() == Mode::Watch ? kWatchRoundDelayMs : 0;
    request.storeEvents = m_storeEvents->isChecked();
#ifdef COLLAPIPE_VERSION_STRING
    request.version = QStringLiteral(COLLAPIPE_VERSION_STRING);
#endif
    return request;
}

bool RunPanel::canStart() const
{
    return m_invalidReason.isEmpty() && m_scenario
        && m_controller->state() == RunController::State::Idle;
}

void RunPanel::setValidity(bool valid, const QString &reason)
{
    m_invalidReason
        = valid ? QString() : (reason.isEmpty() ? tr("the scenario is invalid") : reason);
    updateButtons();
}

void RunPanel::startRun()
{
    if (!canStart()) {
        return;
    }
    const RunRequest request = currentRequest();
    QString error;
    if (!m_controller->start(request, &error)) {
        m_status->setText(error);
        return;
    }
    // The worker sets the session up meanwhile (issue [7/7]: ~40 ms of plot series for 1,000
    // devices no longer delay the engine's start); its rounds reach the GUI thread only after
    // this returns, so the views are empty for them.
    // The Gantt first: the scenario's cluster ids would lay the previous run's round out again
    // only for clearRound() to drop it.
    if (m_gantt) {
        m_gantt->clearRound();
    }
    if (m_hub) {
        m_hub->clear();
        m_hub->setScenario(request.scenario);
    }
    m_runLeftBehind = false;
    m_progress->setRange(0, request.scenario.training.rounds);
    m_progress->setValue(0);
    m_status->setText(tr("starting…"));
    Q_EMIT runStarted(request);
}

void RunPanel::startOrPause()
{
    if (m_controller->isActive()) {
        m_controller->togglePause();
    } else {
        startRun();
    }
}

void RunPanel::stepRun()
{
    if (m_controller->isActive()) {
        m_controller->step();
        return;
    }
    if (!canStart()) {
        return;
    }
    // Idle: start held before round 0, then let one round through.
    const RunRequest request = currentRequest();
    if (m_hub) {
        m_hub->clear();
        m_hub->setScenario(request.scenario);
    }
    QString error;
    if (m_controller->start(request, &error, true)) {
        m_runLeftBehind = false;
        m_progress->setRange(0, request.scenario.training.rounds);
        m_progress->setValue(0);
        m_controller->step();
        Q_EMIT runStarted(request);
    } else {
        m_status->setText(error);
    }
}

void RunPanel::updateButtons()
{
    const RunController::State state = m_controller->state();
    const bool idle = state == RunController::State::Idle;
    m_start->setEnabled(canStart());
    m_pause->setEnabled(
        state == RunController::State::Running || state == RunController::State::Paused);
    m_pause->setText(state == RunController::State::Paused ? tr("Resume") : tr("Pause"));
    m_step->setEnabled(state == RunController::State::Paused
        || state == RunController::State::Running || canStart());
    m_stop->setEnabled(!idle && state != RunController::State::Stopping);
    for (QWidget *w : std::initializer_list<QWidget *>{
             m_policy, m_v, m_rounds, m_seed, m_schedule, m_train, m_storeEvents, m_db}) {
        w->setEnabled(idle);
    }
    const bool blocked = idle && !m_invalidReason.isEmpty();
    m_reason->setVisible(blocked);
    m_reason->setText(blocked ? tr("Cannot run: %1").arg(m_invalidReason) : QString());
    m_start->setToolTip(
        blocked ? tr("Cannot run: %1").arg(m_invalidReason) : tr("Start the run (Space)"));
}

void RunPanel::updateProgress(const RunProgress &p)
{
    if (m_runLeftBehind) {
        return; // the previous scenario's run, stopping
    }
    m_progress->setRange(0, std::max(p.roundsPlanned, 1));
    m_progress->setValue(p.roundsDone);
    m_status->setText(progressText(p));
}

void RunPanel::clearStatus()
{
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_churn->forgetRun();
    if (m_controller->isActive()) {
        // The run belongs to the previous scenario (its caller stops it): none of its progress,
        // counts or outcome may stay here as if it were the new scenario's.
        m_runLeftBehind = true;
        m_status->setText(tr("stopping the previous scenario's run…"));
        return;
    }
    m_status->setText(tr("idle"));
}

void RunPanel::onFinished(int status, const QString &message, qint64 runId)
{
    if (m_runLeftBehind) {
        // Another scenario is open: the panel is idle for it, and only says where the previous
        // scenario's run went.
        m_runLeftBehind = false;
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_status->setText(runId != 0
                ? tr("idle · the previous scenario's run (%1) is stored as run %2")
                      .arg(sessionStatusWord(status))
                      .arg(runId)
                : tr("idle · the previous scenario's run (%1) was not stored")
                      .arg(sessionStatusWord(status)));
        updateButtons();
        return;
    }
    if (m_hub) {
        m_hub->flushNow();
    }
    QString text = sessionStatusWord(status);
    if (runId != 0) {
        text += tr(" · stored as run %1").arg(runId);
    }
    if (!message.isEmpty()) {
        text += QStringLiteral(": ") + message;
    }
    m_status->setText(text);
    updateButtons();
}

} // namespace collapipe
