// SPDX-License-Identifier: MIT
#include "ui/experiments/experiments_view.h"

#include "core/experiment/experiment_metrics.h"
#include "core/experiment/experiment_time_to_accuracy.h"
#include "core/scenario/scenario_json.h"
#include "ui/experiments/experiment_draft.h"
#include "ui/experiments/experiment_form.h"
#include "ui/experiments/experiment_job.h"
#include "ui/export/plot_export.h"
#include "ui/figures/axis_curve_figure.h"
#include "ui/figures/pareto_figure.h"
#include "ui/figures/policy_figure.h"
#include "ui/figures/regime_map_figure.h"
#include "ui/figures/time_to_accuracy_figure.h"
#include "ui/runs/store_loader.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace collapipe {
namespace {

/// Finished points are read back and drawn at most this often (style.md rule 5).
constexpr int kReloadMs = 250;

QCustomPlot *makePlot(const QString &name)
{
    auto *plot = new QCustomPlot;
    plot->setObjectName(name);
    plot->setMinimumSize(360, 260);
    installPlotExportMenu(plot);
    return plot;
}

QWidget *withChoices(QCustomPlot *plot, const QList<QPair<QString, QComboBox *>> &choices)
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(2, 2, 2, 2);
    if (!choices.isEmpty()) {
        auto *row = new QHBoxLayout;
        for (const auto &[label, combo] : choices) {
            row->addWidget(new QLabel(label));
            row->addWidget(combo, 1);
        }
        layout->addLayout(row);
    }
    layout->addWidget(plot, 1);
    return page;
}

} // namespace

ExperimentsView::ExperimentsView(QWidget *parent)
    : QWidget(parent)
    , m_form(new ExperimentForm)
    , m_tabs(new QTabWidget)
    , m_curvePlot(makePlot(QStringLiteral("experimentCurves")))
    , m_policyPlot(makePlot(QStringLiteral("experimentPolicies")))
    , m_regimePlot(makePlot(QStringLiteral("experimentRegimeMap")))
    , m_paretoPlot(makePlot(QStringLiteral("experimentPareto")))
    , m_accuracyPlot(makePlot(QStringLiteral("experimentTimeToAccuracy")))
    , m_curveMetric(new QComboBox)
    , m_curveAxis(new QComboBox)
    , m_policyMetric(new QComboBox)
    , m_regimeMetric(new QComboBox)
    , m_jobs(new QSpinBox)
    , m_run(new QPushButton(tr("Run")))
    , m_stop(new QPushButton(tr("Stop")))
    , m_progress(new QProgressBar)
    , m_status(new QLabel)
    , m_reloadTimer(new QTimer(this))
    , m_thread(new QThread(this))
    , m_job(new ExperimentJob)
{
    for (QComboBox *metric : {m_curveMetric, m_policyMetric, m_regimeMetric}) {
        for (const ExperimentMetric &m : experimentMetrics()) {
            metric->addItem(QString::fromUtf8(m.key));
        }
        connect(metric, &QComboBox::currentIndexChanged, this, &ExperimentsView::redraw);
    }
    connect(m_curveAxis, &QComboBox::currentIndexChanged, this, &ExperimentsView::redraw);
    m_tabs->addTab(
        withChoices(m_curvePlot, {{tr("Metric"), m_curveMetric}, {tr("along"), m_curveAxis}}),
        tr("Along an axis"));
    m_tabs->addTab(withChoices(m_policyPlot, {{tr("Metric"), m_policyMetric}}), tr("Per policy"));
    m_tabs->setTabToolTip(1,
        tr("An experiment of policies and seeds alone (no axes): each policy's mean over seeds "
           "with its 95 % interval"));
    m_tabs->addTab(withChoices(m_regimePlot, {{tr("Metric"), m_regimeMetric}}), tr("Regime map"));
    m_tabs->addTab(withChoices(m_paretoPlot, {}), tr("Latency–energy"));
    m_tabs->addTab(withChoices(m_accuracyPlot, {}), tr("Time to accuracy"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &ExperimentsView::redraw);
    connectClicks(m_curvePlot, &m_curveRuns);
    connectClicks(m_policyPlot, &m_policyRuns);
    connectClicks(m_paretoPlot, &m_paretoRuns);
    connectClicks(m_accuracyPlot, &m_accuracyRuns);

    m_jobs->setRange(1, 64);
    m_jobs->setValue(std::max(1, QThread::idealThreadCount()));
    m_jobs->setToolTip(tr("Worker threads (collapipe experiment --jobs)"));
    auto *useCanvas = new QPushButton(tr("Use canvas"));
    useCanvas->setToolTip(tr("Take the base scenario from the canvas as it is now"));
    auto *load = new QPushButton(tr("Load…"));
    auto *save = new QPushButton(tr("Save…"));
    m_stop->setEnabled(false);
    connect(useCanvas, &QPushButton::clicked, this, &ExperimentsView::useCanvasScenario);
    connect(m_run, &QPushButton::clicked, this, [this] {
        QString error;
        if (!startRun(&error)) {
            QMessageBox::warning(this, tr("Experiment"), error);
        }
    });
    connect(m_stop, &QPushButton::clicked, this, &ExperimentsView::stopRun);
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save experiment"), QString(), tr("Experiment files (*.json)"));
        QString error;
        if (!path.isEmpty() && !saveExperiment(path, &error)) {
            QMessageBox::warning(this, tr("Save experiment"), error);
        }
    });
    connect(load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Load experiment"), QString(), tr("Experiment files (*.json)"));
        QString error;
        if (!path.isEmpty() && !loadExperiment(path, &error)) {
            QMessageBox::warning(this, tr("Load experiment"), error);
        }
    });
    auto *files = new QHBoxLayout;
    files->addWidget(useCanvas);
    files->addWidget(load);
    files->addWidget(save);
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(new QLabel(tr("Jobs")));
    runRow->addWidget(m_jobs);
    runRow->addWidget(m_run);
    runRow->addWidget(m_stop);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(4, 4, 4, 4);
    leftLayout->addWidget(m_form, 1);
    leftLayout->addLayout(files);
    leftLayout->addLayout(runRow);
    leftLayout->addWidget(m_progress);
    leftLayout->addWidget(m_status);
    auto *splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({380, 900});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(kReloadMs);
    connect(m_reloadTimer, &QTimer::timeout, this, &ExperimentsView::reloadPoints);
    m_job->moveToThread(m_thread);
    connect(
        m_job, &ExperimentJob::started, this, &ExperimentsView::onStarted, Qt::QueuedConnection);
    connect(m_job, &ExperimentJob::pointFinished, this, &ExperimentsView::onPointFinished,
        Qt::QueuedConnection);
    connect(
        m_job, &ExperimentJob::finished, this, &ExperimentsView::onFinished, Qt::QueuedConnection);
    m_thread->start();
    setStatus(tr("Pick fields, values, policies and seeds, then Run."));
    redraw();
}

ExperimentsView::~ExperimentsView()
{
    // Runs in progress stop after their round; the thread ends when the runner returns.
    m_job->requestStop();
    m_thread->quit();
    m_thread->wait();
    delete m_job; // its thread has ended: nothing else can touch it
}

QString ExperimentsView::statusText() const
{
    return m_status->text();
}

void ExperimentsView::setStatus(const QString &text)
{
    m_status->setText(text);
}

void ExperimentsView::useCanvasScenario()
{
    if (!m_canvas) {
        return;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(scenarioToJson(m_canvas()));
    m_form->setBaseScenario(doc.object(), tr("the canvas scenario (saved inline)"));
}

bool ExperimentsView::startRun(QString *error)
{
    const auto fail = [&](const QString &message) {
        if (error) {
            *error = message;
        }
        setStatus(message);
        return false;
    };
    if (m_running) {
        return fail(tr("An experiment is running: stop it first."));
    }
    if (m_dbPath.isEmpty()) {
        return fail(tr("No run database: set one in the Run panel."));
    }
    ExperimentDraft draft = m_form->draft();
    if (draft.scenario.isNull() || draft.scenario.isUndefined()) {
        useCanvasScenario();
        draft = m_form->draft();
    }
    QByteArray json;
    QString problem;
    if (!draftToJson(draft, &json, &problem)) {
        return fail(problem);
    }
    m_running = true;
    m_finishPending = false;
    m_done = 0;
    m_points.clear();
    m_experimentId.clear();
    m_run->setEnabled(false);
    m_stop->setEnabled(true);
    m_progress->setRange(0, 0); // busy until the points are counted
    setStatus(tr("Checking the experiment…"));
    redraw();
    const QString db = m_dbPath;
    const int jobs = m_jobs->value();
    QMetaObject::invokeMethod(
        m_job, [job = m_job, json, db, jobs] { job->start(json, QString(), db, jobs); },
        Qt::QueuedConnection);
    return true;
}

void ExperimentsView::stopRun()
{
    if (m_running) {
        m_job->requestStop();
        setStatus(tr("Stopping after the rounds in progress…"));
    }
}

bool ExperimentsView::saveExperiment(const QString &path, QString *error)
{
    ExperimentDraft draft = m_form->draft();
    if (draft.scenario.isNull() || draft.scenario.isUndefined()) {
        useCanvasScenario();
        draft = m_form->draft();
    }
    QByteArray json;
    if (!draftToJson(draft, &json, error)) {
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    setStatus(tr("Saved %1 (collapipe experiment runs it as is).").arg(QFileInfo(path).fileName()));
    return true;
}

bool ExperimentsView::loadExperiment(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    ExperimentDraft draft;
    QString problem;
    if (!draftFromJson(file.readAll(), QFileInfo(path).absolutePath(), &draft, &problem)) {
        *error = tr("%1: %2").arg(path, problem);
        return false;
    }
    m_form->setDraft(draft);
    if (!m_running) {
        // Another experiment: the figures of the last one go (a late read of it is dropped too).
        m_points.clear();
        m_experimentId.clear();
        refreshChoices();
        redraw();
    }
    setStatus(tr("Loaded %1.").arg(QFileInfo(path).fileName()));
    return true;
}

void ExperimentsView::onStarted(const QString &experimentId, int total, int pending)
{
    m_experimentId = experimentId;
    m_done = total - pending;
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(m_done);
    setStatus(tr("Experiment %1: %2 point(s), %3 already stored, %4 to run.")
                  .arg(experimentId)
                  .arg(total)
                  .arg(total - pending)
                  .arg(pending));
    reloadPoints(); // points a previous run stored show at once
}

void ExperimentsView::onPointFinished()
{
    m_progress->setValue(++m_done);
    if (!m_reloadTimer->isActive()) {
        m_reloadTimer->start();
    }
}

void ExperimentsView::onFinished(int completed, int failed, int stopped, const QString &message)
{
    m_running = false;
    m_run->setEnabled(true);
    m_stop->setEnabled(false);
    if (m_progress->maximum() == 0) {
        m_progress->setRange(0, 1);
    }
    m_finishMessage = message;
    setStatus(message.isEmpty()
            ? tr("Done: %1 point(s) completed. Click a point to open its run.").arg(completed)
            : tr("%1 completed, %2 failed, %3 stopped. %4")
                  .arg(completed)
                  .arg(failed)
                  .arg(stopped)
                  .arg(message));
    if (m_experimentId.isEmpty()) { // refused before anything ran
        Q_EMIT runFinished(message);
        return;
    }
    m_reloadTimer->stop();
    m_finishPending = true;
    reloadPoints();
    m_finalReload = m_reloadSerial; // an earlier read still in flight holds fewer points
}

void ExperimentsView::reloadPoints()
{
    if (m_experimentId.isEmpty()) {
        return;
    }
    const quint64 serial = ++m_reloadSerial;
    StoreLoader::instance()->loadExperimentPoints(
        m_dbPath, m_experimentId, this, [this, serial](ExperimentPointsData data) {
            if (data.experimentId != m_experimentId) {
                return; // a previous experiment's late answer
            }
            if (data.ok) {
                m_points = std::move(data.points);
                refreshChoices();
                redraw();
            } else {
                setStatus(data.error);
            }
            if (m_finishPending && serial == m_finalReload) {
                m_finishPending = false;
                Q_EMIT runFinished(m_finishMessage);
            }
        });
}

void ExperimentsView::refreshChoices()
{
    QStringList axes;
    for (const QStringList &axis : analysisAxes(m_points)) {
        axes << axisName(axis);
    }
    QStringList current;
    for (int i = 0; i < m_curveAxis->count(); ++i) {
        current << m_curveAxis->itemText(i);
    }
    if (axes != current) {
        const QSignalBlocker block(m_curveAxis);
        const QString kept = m_curveAxis->currentText();
        m_curveAxis->clear();
        m_curveAxis->addItems(axes);
        m_curveAxis->setCurrentIndex(std::max(0, int(axes.indexOf(kept))));
    }
}

void ExperimentsView::redraw()
{
    const std::vector<QStringList> axes = analysisAxes(m_points);
    switch (m_tabs->currentIndex()) {
    case 0: {
        const int a = m_curveAxis->currentIndex();
        if (a >= 0 && a < int(axes.size())) {
            figures::drawAxisCurves(m_curvePlot, m_points, axes[std::size_t(a)],
                m_curveMetric->currentText(), &m_curveRuns);
        } else {
            figures::drawAxisCurves(
                m_curvePlot, {}, {}, m_curveMetric->currentText(), &m_curveRuns);
        }
        m_curvePlot->replot(QCustomPlot::rpQueuedReplot);
        break;
    }
    case 1:
        figures::drawPolicySummary(
            m_policyPlot, m_points, m_policyMetric->currentText(), &m_policyRuns);
        m_policyPlot->replot(QCustomPlot::rpQueuedReplot);
        break;
    case 2:
        if (axes.size() >= 2) {
            const QStringList settings = figures::regimeMapSettings(m_points, axes[0], axes[1]);
            figures::drawRegimeMap(m_regimePlot, m_points, axes[0], axes[1],
                m_regimeMetric->currentText(), settings.value(0));
        } else {
            figures::drawRegimeMap(m_regimePlot, {}, {}, {}, m_regimeMetric->currentText());
        }
        m_regimePlot->replot(QCustomPlot::rpQueuedReplot);
        break;
    case 3:
        figures::drawParetoFronts(m_paretoPlot, m_points, &m_paretoRuns);
        m_paretoPlot->replot(QCustomPlot::rpQueuedReplot);
        break;
    case 4: {
        const double target = defaultTargetAccuracy(m_points);
        figures::drawTimeToAccuracy(
            m_accuracyPlot, m_points, std::isfinite(target) ? target : 0.5, &m_accuracyRuns);
        m_accuracyPlot->replot(QCustomPlot::rpQueuedReplot);
        break;
    }
    default:
        break;
    }
}

void ExperimentsView::connectClicks(QCustomPlot *plot, const figures::FigureRuns *runs)
{
    connect(plot, &QCustomPlot::plottableClick, this,
        [this, runs](QCPAbstractPlottable *plottable, int dataIndex, QMouseEvent *) {
            const std::vector<std::int64_t> ids = runs->at(plottable, dataIndex);
            if (!ids.empty()) {
                setStatus(tr("Opening run %1 (%2 seed(s) behind this point; the first seed's run).")
                              .arg(ids.front())
                              .arg(ids.size()));
                Q_EMIT openRunRequested(m_dbPath, ids.front());
            }
        });
}

} // namespace collapipe
