// SPDX-License-Identifier: MIT
#include "ui/lab/lab_trace_loader.h"

#include <QMetaObject>
#include <QPointer>
#include <QThread>

namespace collapipe {

LabTraceLoader::LabTraceLoader(QObject *parent)
    : QObject(parent)
    , m_cancel(std::make_shared<std::atomic_bool>(false))
{
    qRegisterMetaType<LabTrace>("collapipe::LabTrace");
}

LabTraceLoader::~LabTraceLoader()
{
    m_cancel->store(true);
    for (QThread *t : std::as_const(m_threads)) {
        t->wait();
        delete t;
    }
}

void LabTraceLoader::setPlan(const LabPlan &plan)
{
    m_cancel->store(true); // the running traces are of the old plan
    m_cancel = std::make_shared<std::atomic_bool>(false);
    ++m_generation;
    m_plan = plan;
    m_cache.clear();
    m_running.clear();
}

const LabTrace *LabTraceLoader::trace(int schedule)
{
    const auto it = m_cache.constFind(schedule);
    if (it != m_cache.constEnd()) {
        return &it.value();
    }
    if (!m_plan.ok || schedule < 0 || schedule >= int(m_plan.schedules.size())
        || m_running.contains(schedule)) {
        return nullptr;
    }
    m_running.insert(schedule);
    const quint64 generation = m_generation;
    const std::shared_ptr<std::atomic_bool> cancel = m_cancel;
    const LabScheduleKind kind = m_plan.schedules[std::size_t(schedule)].kind;
    const Scenario scenario = m_plan.scenario;
    const ClusterDecision decision = m_plan.decision;
    const int cluster = m_plan.cluster;
    QPointer<LabTraceLoader> self(this);
    QThread *thread = QThread::create([=] {
        const LabTrace trace = traceLabSchedule(scenario, cluster, decision, kind.schedule,
            kind.chunks, [cancel] { return cancel->load(); });
        // The loader outlives its threads (its destructor waits): `self` is valid here.
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, schedule, trace] { self->deliver(generation, schedule, trace); },
            Qt::QueuedConnection);
    });
    m_threads << thread;
    connect(thread, &QThread::finished, this, [this, thread] {
        m_threads.removeOne(thread);
        thread->deleteLater();
    });
    thread->start(QThread::LowPriority);
    return nullptr;
}

void LabTraceLoader::deliver(quint64 generation, int schedule, const LabTrace &trace)
{
    if (generation != m_generation) {
        return; // a trace of a plan no longer shown
    }
    m_running.remove(schedule);
    m_cache.insert(schedule, trace);
    Q_EMIT traceReady(schedule);
}

} // namespace collapipe
