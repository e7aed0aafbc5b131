// SPDX-License-Identifier: MIT
#include "ui/lab/lab_loader.h"

#include "core/scenario/scenario_json.h"

#include <QMetaObject>
#include <QPointer>
#include <QThread>

namespace collapipe {

LabLoader::LabLoader(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<LabPlan>("collapipe::LabPlan");
}

LabLoader::~LabLoader()
{
    for (QThread *t : std::as_const(m_threads)) {
        t->wait();
        delete t;
    }
}

void LabLoader::request(const Scenario &scenario, int cluster, const QString &presetPath,
    const std::vector<LabScheduleKind> &schedules)
{
    const quint64 id = ++m_request;
    QPointer<LabLoader> self(this);
    QThread *thread = QThread::create([self, id, scenario, cluster, presetPath, schedules] {
        LabPlan plan;
        Scenario preset;
        std::vector<ScenarioProblem> problems;
        if (presetPath.isEmpty()) {
            plan = buildLabPlan(scenario, cluster, schedules);
        } else if (loadScenarioFile(presetPath, &preset, &problems)) {
            plan = buildLabPlan(preset, 0, schedules);
        } else {
            plan.error = problems.empty() ? presetPath : problems.front().toString();
        }
        // The loader outlives its threads (its destructor waits), so `self` is valid here; the
        // plan crosses to the UI thread by value.
        QMetaObject::invokeMethod(
            self.data(), [self, id, plan] { self->deliver(id, plan); }, Qt::QueuedConnection);
    });
    m_threads << thread;
    connect(thread, &QThread::finished, this, [this, thread] {
        m_threads.removeOne(thread);
        thread->deleteLater();
    });
    thread->start();
}

void LabLoader::deliver(quint64 request, const LabPlan &plan)
{
    if (request == m_request) {
        Q_EMIT planReady(plan);
    }
}

} // namespace collapipe
