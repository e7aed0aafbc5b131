// SPDX-License-Identifier: MIT
#include "ui/lab/lab_view.h"

#include "core/scenario/scenario_json.h"
#include "ui/export/plot_export.h"
#include "ui/lab/lab_chart.h"
#include "ui/lab/lab_loader.h"
#include "ui/plots/gantt_plot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace collapipe {

namespace {

constexpr int kMaxSchedules = 4; ///< side by side; more would not read at 1280 px
constexpr int kPresetSource = -1;

} // namespace

LabView::LabView(QWidget *parent)
    : QWidget(parent)
    , m_loader(new LabLoader(this))
    , m_source(new QComboBox)
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
{
    setObjectName(QStringLiteral("pipelineLab"));
    m_source->setObjectName(QStringLiteral("labSource"));
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
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save the schedules side by side as PNG, SVG or PDF"));

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
    controls->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(m_stepLabel);
    layout->addWidget(m_status);
    layout->addLayout(m_chartRow, 1);

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
    connect(exportButton, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the Lab"),
            QDir::home().filePath(QStringLiteral("pipeline-lab.png")),
            tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
        QString error;
        if (!path.isEmpty() && !exportSideBySide(path, &error)) {
            QMessageBox::warning(this, tr("Export the Lab"), error);
        }
    });
    fillSources();
    updateStepText();
}

QString LabView::defaultPresetPath() const
{
    return QDir(bundledScenarioDir()).filePath(QStringLiteral("pipeline_lab.json"));
}

void LabView::fillSources()
{
    const QVariant current = m_source->currentData();
    m_source->clear();
    for (std::size_t c = 0; c < m_scenario.topology.clusters.size(); ++c) {
        const Cluster &cluster = m_scenario.topology.clusters[c];
        m_source->addItem(tr("this scenario · cluster %1 (%2 devices)")
                              .arg(cluster.id)
                              .arg(cluster.devices.size()),
            int(c));
    }
    m_source->addItem(tr("teaching preset · pipeline_lab.json"), kPresetSource);
    const int keep = m_source->findData(current);
    m_source->setCurrentIndex(keep >= 0 ? keep : m_source->count() - 1);
}

void LabView::setScenario(const Scenario &scenario)
{
    m_scenario = scenario;
    fillSources();
    if (m_requested && m_source->currentData().toInt() != kPresetSource) {
        m_replan->start();
    }
}

void LabView::showPreset()
{
    m_source->setCurrentIndex(m_source->findData(kPresetSource));
    requestPlan();
}

void LabView::showCluster(int cluster)
{
    const int index = m_source->findData(cluster);
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
    m_loader->request(m_scenario, source, source == kPresetSource ? defaultPresetPath() : QString(),
        labSchedules());
}

void LabView::showPlan(const LabPlan &plan)
{
    m_plan = plan;
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
        updateStepText();
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
    setStep(m_step);
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

bool LabView::exportSideBySide(const QString &path, QString *error) const
{
    QList<QCustomPlot *> plots;
    for (LabChart *chart : m_charts) {
        plots << chart;
    }
    // 6.5 in per schedule, the height of a page's half: readable printed, and in a slide.
    const PlotExportSize size{6.5 * std::max<qsizetype>(1, plots.size()), 6.0, 150};
    return exportPlotsSideBySide(plots, path, error, size);
}

} // namespace collapipe
