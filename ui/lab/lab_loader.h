// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/lab/lab_schedule_source.h"

#include <QList>
#include <QObject>

class QThread;

namespace collapipe {

/// Builds LabPlans off the UI thread (architecture.md: the UI never computes and never waits):
/// a policy's decision can take a while on a big cluster. Each request runs on its own short
/// thread; only the newest request's plan is delivered (older ones are stale).
class LabLoader : public QObject
{
    Q_OBJECT

public:
    explicit LabLoader(QObject *parent = nullptr);
    /// Waits for the running requests (each takes milliseconds).
    ~LabLoader() override;

    /// Plans `cluster` of `scenario`; `presetPath` non-empty: plans cluster 0 of that file instead.
    void request(const Scenario &scenario, int cluster, const QString &presetPath,
        const std::vector<LabScheduleKind> &schedules);
    bool isBusy() const { return !m_threads.isEmpty(); }

Q_SIGNALS:
    /// The newest request's plan (ok or with its error), on the UI thread.
    void planReady(const collapipe::LabPlan &plan);

private:
    void deliver(quint64 request, const LabPlan &plan);

    QList<QThread *> m_threads;
    quint64 m_request = 0;
};

} // namespace collapipe
