// SPDX-License-Identifier: MIT
#include "ui/experiments/experiment_job.h"

#include "core/experiment/experiment.h"
#include "core/experiment/experiment_runner.h"
#include "core/store/run_store.h"

#include <QCoreApplication>

#include <memory>

namespace collapipe {
namespace {

/// Forwards the runner's reports as the job's signals (calls are serialised by the runner).
class JobObserver : public ExperimentObserver
{
public:
    explicit JobObserver(ExperimentJob *job)
        : m_job(job)
    { }
    void pointFinished(const ExperimentPoint &point, const PointOutcome &outcome) override
    {
        Q_EMIT m_job->pointFinished(point.index, outcome.runId, int(outcome.status));
    }

private:
    ExperimentJob *m_job;
};

} // namespace

ExperimentJob::ExperimentJob(QObject *parent)
    : QObject(parent)
{ }

void ExperimentJob::start(
    const QByteArray &json, const QString &baseDir, const QString &dbPath, int jobs)
{
    m_control.reset();
    ExperimentSpec spec;
    std::vector<ExperimentProblem> problems;
    std::vector<ExperimentPoint> points;
    if (!readExperiment(json, baseDir, &spec, &points, &problems)) {
        QStringList lines;
        for (const ExperimentProblem &p : problems) {
            lines << p.toString();
        }
        Q_EMIT finished(0, 0, 0, lines.join(QLatin1Char('\n')));
        return;
    }
    QString error;
    std::unique_ptr<RunStore> store = RunStore::open(dbPath, &error);
    const QString id = experimentId(points);
    ExperimentRunOptions options;
    options.jobs = jobs;
    options.name = spec.name;
    options.experimentId = id;
    options.version = QCoreApplication::applicationVersion();
    options.storeEvents = spec.events;
    ResumePlan plan;
    if (!store || !planResume(store.get(), points, options, &plan, &error)) {
        Q_EMIT finished(0, 0, 0, error);
        return;
    }
    const std::vector<ExperimentPoint> &pending = plan.pending;
    Q_EMIT started(id, int(points.size()), int(pending.size()));
    JobObserver observer(this);
    const QString path = store->path();
    store.reset(); // the workers open their own connections
    const ExperimentRunSummary summary
        = runExperimentPoints(path, pending, options, &m_control, &observer);
    QString message;
    if (summary.failed > 0 || summary.stopped > 0) {
        message = tr("%1 point(s) not completed (%2 failed, %3 stopped); Run again resumes")
                      .arg(summary.failed + summary.stopped)
                      .arg(summary.failed)
                      .arg(summary.stopped);
    }
    Q_EMIT finished(summary.completed, summary.failed, summary.stopped, message);
}

} // namespace collapipe
