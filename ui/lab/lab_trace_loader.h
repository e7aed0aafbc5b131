// SPDX-License-Identifier: MIT
#pragma once

#include "ui/lab/lab_schedule_source.h"
#include "ui/lab/lab_trace.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include <atomic>
#include <memory>

class QThread;

namespace collapipe {

/// Runs the trainer for the Lab's tensor panel off the UI thread and keeps the results: one
/// LabTrace per (schedule, cluster) of the plan shown, computed once (traceLabSchedule() on a
/// short thread of its own) and then served from the cache. A new plan (setPlan) cancels the
/// running traces and empties the cache; a what-if re-timing does not (it changes times only,
/// not what the ops compute).
class LabTraceLoader : public QObject
{
    Q_OBJECT

public:
    explicit LabTraceLoader(QObject *parent = nullptr);
    /// Cancels the running traces and waits for them (each stops at its next op).
    ~LabTraceLoader() override;

    /// The plan whose schedules are traced from now on.
    void setPlan(const LabPlan &plan);
    /// The trace of schedule `schedule` (index into the plan's schedules), null until ready;
    /// starts it if it is neither cached nor running.
    const LabTrace *trace(int schedule);
    bool isRunning(int schedule) const { return m_running.contains(schedule); }
    bool isBusy() const { return !m_threads.isEmpty(); }

Q_SIGNALS:
    /// Schedule `schedule`'s trace is in the cache (on the UI thread).
    void traceReady(int schedule);

private:
    void deliver(quint64 generation, int schedule, const LabTrace &trace);

    LabPlan m_plan;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QHash<int, LabTrace> m_cache;
    QSet<int> m_running;
    QList<QThread *> m_threads;
};

} // namespace collapipe
