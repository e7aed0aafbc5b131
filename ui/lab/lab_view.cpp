// SPDX-License-Identifier: MIT
#include "ui/lab/lab_view.h"

#include "core/scenario/scenario_json.h"
#include "ui/export/plot_export.h"
#include "ui/lab/lab_canvas_mark.h"
#include "ui/lab/lab_chart.h"
#include "ui/lab/lab_loader.h"
#include "ui/lab/lab_source_model.h"
#include "ui/lab/lab_step_export.h"
#include "ui/lab/lab_tensor_panel.h"
#include "ui/lab/lab_trace_loader.h"
#include "ui/lab/lab_what_if_bar.h"
#include "ui/plots/gantt_plot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace collapipe {

namespace {

constexpr int kMaxSchedules = 4; ///< side by side; more would not read at 1280 px
constexpr int kPresetSource = LabSourceModel::kPresetData;
constexpr int kMaxSchedulesWithTensor = 3;

} // namespace

LabView::LabView(QWidget *parent)
    : QWidget(parent)
    , m_loader(new LabLoader(this))
    , m_source(new QComboBox)
    , m_sourceModel(new LabSourceModel(this))
    , m_computeOnly(new QCheckBox(tr("Compute only")))
    , m_previous(new QToolButton)
    , m_play(new QToolButton)
    , m_next(new QToolButton)
    , m_speed(new QSlider(Qt::Horizontal))
    , m_speedLabel(new QLabel)
    , m_stepLabel(new QLabel)
    , m_status(new QLabel)
    , m_chartRow(new QHBoxLayout)
    , m_playTimer(new QTimer(this))
    , m_replan(new QTimer(this))
    , m_traces(new LabTraceLoader(this))
    , m_tensor(new LabTensorPanel)
    , m_whatIf(new LabWhatIfBar)
    , m_stepExport(new LabStepExport(this, this))
    , m_whatIfButton(new QToolButton)
    , m_tensorButton(new QToolButton)
{
    setObjectName(QStringLiteral("pipelineLab"));
    m_source->setObjectName(QStringLiteral("labSource"));
    m_source->setModel(m_sourceModel);
    if (auto *list = qobject_cast<QListView *>(m_source->view())) {
        list->setUniformItemSizes(true); // the popup lays out 10,000 rows without measuring each
    }
    m_source->setToolTip(tr("The cluster whose plan the Lab shows: one of the scenario on the "
                            "canvas (planned as its round 0), or the teaching preset"));
    m_computeOnly->setObjectName(QStringLiteral("labComputeOnly"));
    m_computeOnly->setToolTip(tr("Compute only: links, the CU and the edge take no time and are "
                                 "hidden (the textbook picture). Off: with every link."));
    m_previous->setText(tr("◀ Previous"));
    m_previous->setToolTip(tr("Step back one op"));
    m_next->setText(tr("Next ▶"));
    m_next->setToolTip(tr("Step to the next op"));
    m_play->setText(tr("Play"));
    m_play->setCheckable(true);
    m_play->setObjectName(QStringLiteral("labPlay"));
    m_speed->setObjectName(QStringLiteral("labSpeed"));
    m_speed->setRange(1, 20);
    m_speed->setValue(4);
    m_speed->setMaximumWidth(140);
    m_speed->setMinimumWidth(80); // the toolbar's first item to shrink at 1280 px
    m_speed->setToolTip(tr("Play speed, ops per second"));
    m_stepLabel->setObjectName(QStringLiteral("labStep"));
    m_stepLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Four schedules make a long line: wrap it rather than widen the Lab past a 1280-pixel screen.
    m_stepLabel->setWordWrap(true);
    m_status->setWordWrap(true);
    auto *exportButton = new QToolButton;
    exportButton->setText(tr("Export"));
    exportButton->setObjectName(QStringLiteral("labExport"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    QAction *exportPicture = exportMenu->addAction(tr("Side by side as PNG, SVG or PDF…"));
    QAction *exportSteps = exportMenu->addAction(tr("Every step as numbered PNGs…"));
    exportButton->setMenu(exportMenu);
    m_whatIfButton->setText(tr("What if"));
    m_whatIfButton->setObjectName(QStringLiteral("labWhatIfToggle"));
    m_whatIfButton->setCheckable(true);
    m_whatIfButton->setToolTip(tr("Change a stage's speed or a link's rate and watch every "
                                  "schedule re-time (the scenario stays as it is)"));
    m_tensorButton->setText(tr("Tensor"));
    m_tensorButton->setCheckable(true);
    m_tensorButton->setChecked(true);
    m_tensorButton->setToolTip(tr("Show the tensor the current op computed in the real trainer"));
    m_whatIf->setVisible(false);
    m_tensor->setMinimumWidth(240);
    m_tensor->setMaximumWidth(300);

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Plan of")));
    controls->addWidget(m_source, 1);
    for (const LabScheduleKind &kind : labSchedules()) {
        auto *box = new QCheckBox(kind.name);
        // GPipe and 1F1B open side by side (the classic pair); the others on request.
        box->setChecked(m_scheduleBoxes.size() < 2);
        box->setToolTip(tr("Show %1 (one to four schedules side by side)").arg(kind.name));
        m_scheduleBoxes << box;
        controls->addWidget(box);
        connect(box, &QCheckBox::toggled, this, [this, box](bool on) {
            const auto checked = std::count_if(m_scheduleBoxes.begin(), m_scheduleBoxes.end(),
                [](const QCheckBox *b) { return b->isChecked(); });
            if ((!on && checked == 0) || (on && checked > kMaxSchedules)) {
                box->setChecked(!on); // keep one to four
                return;
            }
            rebuildCharts();
        });
    }
    controls->addSpacing(12);
    controls->addWidget(m_computeOnly);
    controls->addSpacing(12);
    controls->addWidget(m_previous);
    controls->addWidget(m_play);
    controls->addWidget(m_next);
    controls->addWidget(m_speed);
    controls->addWidget(m_speedLabel);
    // The step line shares its row with the panel toggles and export: the first row was already
    // as wide as a 1280-pixel screen allows.
    auto *stepRow = new QHBoxLayout;
    stepRow->addWidget(m_stepLabel, 1);
    stepRow->addWidget(m_whatIfButton, 0, Qt::AlignTop);
    stepRow->addWidget(m_tensorButton, 0, Qt::AlignTop);
    stepRow->addWidget(exportButton, 0, Qt::AlignTop);
    auto *body = new QHBoxLayout;
    body->addLayout(m_chartRow, 1);
    body->addWidget(m_tensor);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addLayout(stepRow);
    layout->addWidget(m_status);
    layout->addWidget(m_whatIf);
    layout->addLayout(body, 1);
    connect(m_whatIfButton, &QToolButton::toggled, m_whatIf, &QWidget::setVisible);
    connect(m_tensorButton, &QToolButton::toggled, this, [this](bool on) {
        m_tensor->setVisible(on && m_tensorButton->isEnabled());
        updateTensorPanel();
    });
    connect(m_whatIf, &LabWhatIfBar::whatIfChanged, this, &LabView::setWhatIf);
    connect(m_whatIf, &LabWhatIfBar::applyRequested, this, &LabView::applySpeedsRequested);
    connect(m_traces, &LabTraceLoader::traceReady, this, &LabView::updateTensorPanel);
    connect(m_tensor, &LabTensorPanel::scheduleChanged, this, [this] {
        updateTensorPanel();
        Q_EMIT canvasMarkChanged();
    });

    m_replan->setSingleShot(true);
    m_replan->setInterval(250); // edits come in bursts (a drag, typing): plan once after them
    connect(m_replan, &QTimer::timeout, this, &LabView::requestPlan);
    connect(m_loader, &LabLoader::planReady, this, &LabView::showPlan);
    connect(m_source, &QComboBox::activated, this, &LabView::requestPlan);
    // Rebuilt, not toggled in place: the shared time axis depends on the mode.
    connect(m_computeOnly, &QCheckBox::toggled, this, &LabView::rebuildCharts);
    connect(m_previous, &QToolButton::clicked, this, &LabView::previousStep);
    connect(m_next, &QToolButton::clicked, this, &LabView::nextStep);
    connect(m_play, &QToolButton::toggled, this, &LabView::setPlaying);
    connect(m_playTimer, &QTimer::timeout, this, [this] {
        if (m_step + 1 >= stepCount()) {
            setPlaying(false);
            return;
        }
        nextStep();
    });
    const auto applySpeed = [this](int opsPerSecond) {
        m_playTimer->setInterval(1000 / std::max(1, opsPerSecond));
        m_speedLabel->setText(tr("%1 ops/s").arg(opsPerSecond));
    };
    connect(m_speed, &QSlider::valueChanged, this, applySpeed);
    applySpeed(m_speed->value());
    connect(exportSteps, &QAction::triggered, this, &LabView::exportStepsInteractively);
    connect(exportPicture, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the Lab"),
            QDir::home().filePath(QStringLiteral("pipeline-lab.png")),
            tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
        QString error;
        if (!path.isEmpty() && !exportSideBySide(path, &error)) {
            QMessageBox::warning(this, tr("Export the Lab"), error);
        }
    });
    setScenarioSource([this]() -> const Scenario & { return m_ownScenario; });
    updateStepText();
}

QString LabView::defaultPresetPath() const
{
    return QDir(bundledScenarioDir()).filePath(QStringLiteral("pipeline_lab.json"));
}

void LabView::fillSources()
{
    const QVariant current = m_source->currentData();
    m_sourceModel->scenarioChanged();
    const int keep = current.isValid() ? m_sourceModel->rowOfData(current.toInt()) : -1;
    m_source->setCurrentIndex(keep >= 0 ? keep : m_source->count() - 1);
}

void LabView::setScenario(const Scenario &scenario)
{
    m_ownScenario = scenario;
    setScenarioSource([this]() -> const Scenario & { return m_ownScenario; });
}

void LabView::setScenarioSource(std::function<const Scenario &()> source)
{
    m_scenario = std::move(source);
    m_sourceModel->setScenarioSource(m_scenario);
    scenarioChanged();
}

void LabView::scenarioChanged()
{
    fillSources();
    if (m_requested && m_source->currentData().toInt() != kPresetSource) {
        m_replan->start();
    }
}

void LabView::showPreset()
{
    m_source->setCurrentIndex(m_sourceModel->rowOfData(kPresetSource));
    requestPlan();
}

void LabView::showCluster(int cluster)
{
    const int index = cluster == kPresetSource ? -1 : m_sourceModel->rowOfData(cluster);
    if (index >= 0) {
        m_source->setCurrentIndex(index);
        requestPlan();
    }
}

void LabView::activate()
{
    if (!m_requested) {
        requestPlan();
    }
}

void LabView::requestPlan()
{
    m_requested = true;
    m_replan->stop();
    const int source = m_source->currentData().toInt();
    m_status->setText(tr("Planning…"));
    // The scenario is copied (to the planner's thread) only when one of its clusters is planned.
    static const Scenario none;
    m_loader->request(source == kPresetSource ? none : m_scenario(), source,
        source == kPresetSource ? defaultPresetPath() : QString(), labSchedules());
}

void LabView::showPlan(const LabPlan &plan)
{
    m_stepExport->cancel(); // its steps were of the old plan
    m_plan = plan;
    m_traces->setPlan(plan);
    m_whatIf->setPlan(plan);
    if (plan.ok && !m_whatIf->whatIf().isIdentity()) {
        QString error;
        retimeLabPlan(&m_plan, m_whatIf->whatIf(), &error); // the user's factors stay on
    }
    if (plan.ok) {
        QStringList stages;
        for (int j = 0; j < plan.stageNames.size(); ++j) {
            stages << QStringLiteral("S%1 %2").arg(j).arg(plan.stageNames[j]);
        }
        m_status->setText(tr("%1 · one local iteration · %2. The number on a bar is its "
                             "micro-batch; hover a bubble figure for its definition.")
                              .arg(plan.title, stages.join(QStringLiteral(", "))));
    } else {
        m_status->setText(tr("Nothing to show: %1").arg(plan.error));
    }
    rebuildCharts();
    Q_EMIT planShown(plan.ok);
}

void LabView::rebuildCharts()
{
    qDeleteAll(m_charts);
    m_charts.clear();
    if (!m_plan.ok) {
        m_tensor->setSchedules({});
        updateTensorPanel();
        updateStepText();
        Q_EMIT canvasMarkChanged();
        return;
    }
    // One time scale for every chart, so their lengths compare at a glance.
    double end = 0.0;
    std::vector<int> shown;
    for (int i = 0; i < int(m_plan.schedules.size()); ++i) {
        if (i < m_scheduleBoxes.size() && m_scheduleBoxes[i]->isChecked()) {
            const LabSchedule &s = m_plan.schedules[std::size_t(i)];
            end = std::max(end, m_computeOnly->isChecked() ? s.computeOnlyMakespanS : s.makespanS);
            shown.push_back(i);
        }
    }
    for (int i : shown) {
        auto *chart = new LabChart;
        chart->setComputeOnly(m_computeOnly->isChecked());
        chart->setSchedule(m_plan, i, end);
        installPlotExportMenu(chart);
        m_chartRow->addWidget(chart, 1);
        m_charts << chart;
    }
    QStringList names;
    for (const LabChart *chart : std::as_const(m_charts)) {
        names << chart->scheduleName();
    }
    m_tensor->setSchedules(names);
    // Beside four charts the panel would push the Lab past a 1280-pixel screen (each chart needs
    // ~260 px): it shows with one to three.
    const bool room = m_charts.size() <= kMaxSchedulesWithTensor;
    m_tensorButton->setEnabled(room);
    m_tensorButton->setToolTip(room
            ? tr("Show the tensor the current op computed in the real trainer")
            : tr("The tensor panel shows beside one to three schedules: uncheck one"));
    m_tensor->setVisible(room && m_tensorButton->isChecked());
    setStep(m_step);
}

void LabView::setWhatIf(const LabWhatIf &whatIf)
{
    if (!m_plan.ok) {
        return;
    }
    QString error;
    if (!retimeLabPlan(&m_plan, whatIf, &error)) {
        m_status->setText(tr("What if: %1").arg(error));
        return;
    }
    rebuildCharts(); // the shared time axis follows the new makespans
}

std::optional<LabStepMark> LabView::canvasMark() const
{
    const int which = m_tensor->currentSchedule();
    if (m_source->currentData().toInt() == kPresetSource || which < 0 || which >= m_charts.size()) {
        return std::nullopt;
    }
    const LabChart *chart = m_charts[which];
    const LabEvent *op = chart->currentOp();
    if (!op || chart->scheduleIndex() >= int(m_plan.schedules.size())) {
        return std::nullopt;
    }
    return labStepMark(m_plan, m_plan.schedules[std::size_t(chart->scheduleIndex())].kind, *op);
}

void LabView::updateTensorPanel()
{
    const int which = m_tensor->currentSchedule();
    if (!m_tensorButton->isChecked() || !m_tensorButton->isEnabled()) {
        return; // hidden: the trainer does not run for nobody
    }
    if (which < 0 || which >= m_charts.size()) {
        m_tensor->showMessage(QString(), tr("No schedule is shown."));
        Q_EMIT tensorShown();
        return;
    }
    const LabChart *chart = m_charts[which];
    const LabEvent *op = chart->currentOp();
    if (!op) {
        m_tensor->showMessage(QString(),
            tr("Press Next ▶: the op of each step runs in the real trainer and its output "
               "tensor shows here."));
        Q_EMIT tensorShown();
        return;
    }
    const QString header = tr("%1: %2 of micro-batch %3 on S%4")
                               .arg(chart->scheduleName(), opName(op->op))
                               .arg(op->microbatch)
                               .arg(op->stage);
    const LabTrace *trace = m_traces->trace(chart->scheduleIndex());
    if (!trace) {
        m_tensor->showMessage(header,
            tr("Running one local iteration of %1 in the trainer…").arg(chart->scheduleName()));
    } else if (!trace->executed) {
        m_tensor->showMessage(header, trace->message);
    } else if (const LabOpTensor *t = trace->find(op->stage, op->microbatch, op->op, op->chunk)) {
        m_tensor->showTensor(chart->scheduleName(), *op, chart->chunks(), *t);
    } else {
        m_tensor->showMessage(header, tr("The trainer ran no such op in this schedule."));
    }
    Q_EMIT tensorShown();
}

void LabView::exportStepsInteractively()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Export every step into a folder"), QDir::homePath());
    if (folder.isEmpty()) {
        return;
    }
    QString error;
    if (!m_stepExport->start(folder, &error)) {
        QMessageBox::warning(this, tr("Export every step"), error);
        return;
    }
    auto *progress = new QProgressDialog(
        tr("Writing step_001.png … into %1").arg(QDir::toNativeSeparators(folder)), tr("Cancel"), 0,
        m_stepExport->total(), this);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setMinimumDuration(300);
    connect(progress, &QProgressDialog::canceled, m_stepExport, &LabStepExport::cancel);
    connect(m_stepExport, &LabStepExport::progressed, progress, &QProgressDialog::setValue);
    connect(m_stepExport, &LabStepExport::finished, progress,
        [this, progress, folder](bool ok, const QString &message) {
            progress->close();
            if (!ok && message != tr("cancelled")) {
                QMessageBox::warning(this, tr("Export every step"), message);
            } else if (ok) {
                m_status->setText(tr("%1 step images written to %2")
                                      .arg(m_stepExport->total())
                                      .arg(QDir::toNativeSeparators(folder)));
            }
        });
}

int LabView::stepCount() const
{
    // Schedules may differ in op count (a B/W split has 3·S·M ops, the others 2·S·v·M): step k
    // runs to the longest, and a chart with fewer ops stays on its last one (LabChart::setStep).
    int n = 0;
    for (const LabChart *chart : m_charts) {
        n = std::max(n, chart->stepCount());
    }
    return n;
}

void LabView::setStep(int step)
{
    m_step = stepCount() == 0 ? -1 : std::clamp(step, -1, stepCount() - 1);
    QStringList counts;
    bool differ = false;
    for (LabChart *chart : std::as_const(m_charts)) {
        chart->setStep(m_step);
        counts << tr("%1: %2 ops").arg(chart->scheduleName()).arg(chart->stepCount());
        differ = differ || chart->stepCount() != stepCount();
    }
    updateTensorPanel();
    Q_EMIT canvasMarkChanged();
    m_stepLabel->setToolTip(differ
            ? tr("The schedules have different op counts (%1): the step runs to the longest; a "
                 "chart with fewer ops stays on its last op.")
                  .arg(counts.join(QStringLiteral(", ")))
            : QString());
    updateStepText();
}

void LabView::nextStep()
{
    setStep(m_step + 1);
}

void LabView::previousStep()
{
    setStep(m_step - 1);
}

void LabView::setPlaying(bool playing)
{
    if (playing && m_step + 1 >= stepCount()) {
        setStep(-1); // play from the start again
    }
    playing ? m_playTimer->start() : m_playTimer->stop();
    m_play->setChecked(playing);
    m_play->setText(playing ? tr("Pause") : tr("Play"));
}

QString LabView::stepText() const
{
    return m_stepLabel->text();
}

void LabView::updateStepText()
{
    m_previous->setEnabled(m_step >= 0);
    m_next->setEnabled(m_step + 1 < stepCount());
    if (m_step < 0) {
        m_stepLabel->setText(stepCount() > 0
                ? tr("Step 0 / %1 — press Next ▶ to run the first op").arg(stepCount())
                : QString());
        return;
    }
    QStringList parts;
    for (const LabChart *chart : m_charts) {
        const LabEvent *op = chart->currentOp();
        if (op) {
            parts << tr("%1: %2 of micro-batch %3%6 on S%4 at %5 s")
                         .arg(chart->scheduleName(), opName(op->op))
                         .arg(op->microbatch)
                         .arg(op->stage)
                         .arg(op->startS, 0, 'g', 3)
                         .arg(chart->chunks() > 1 ? tr(", chunk %1").arg(op->chunk) : QString());
        }
    }
    m_stepLabel->setText(tr("Step %1 / %2 — %3")
                             .arg(m_step + 1)
                             .arg(stepCount())
                             .arg(parts.join(QStringLiteral(" · "))));
}

bool LabView::exportSideBySide(const QString &path, QString *error, int dpi) const
{
    QList<QCustomPlot *> plots;
    for (LabChart *chart : m_charts) {
        plots << chart;
    }
    // 6.5 in per schedule, the height of a page's half: readable printed, and in a slide.
    const PlotExportSize size{6.5 * std::max<qsizetype>(1, plots.size()), 6.0, dpi};
    return exportPlotsSideBySide(plots, path, error, size);
}

} // namespace collapipe
