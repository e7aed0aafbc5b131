// SPDX-License-Identifier: MIT
#pragma once

#include "core/sim/run_control.h"

#include <QByteArray>
#include <QObject>
#include <QString>

namespace collapipe {

/// Runs an experiment file's points for the Studio on a worker thread (style.md rule 4): the
/// same steps as `collapipe experiment FILE --db DB` (parse and validate, expand, skip points
/// already stored completed, runExperimentPoints on `jobs` threads), reporting by signals that
/// the view receives queued. Move it to a QThread and call start() by queued connection.
class ExperimentJob : public QObject
{
    Q_OBJECT

public:
    explicit ExperimentJob(QObject *parent = nullptr);

    /// Thread-safe: no new point starts, runs in progress stop after their round (`stopped`).
    void requestStop() { m_control.requestStop(); }

public Q_SLOTS:
    /// `json`: an experiment file's text; `baseDir` resolves a relative scenario path.
    void start(const QByteArray &json, const QString &baseDir, const QString &dbPath, int jobs);

Q_SIGNALS:
    /// The points are valid and about to run: `total` in the experiment, `pending` to run now.
    void started(const QString &experimentId, int total, int pending);
    /// A point ended (status: a SessionStatus value). From a runner thread: connect queued.
    void pointFinished(int index, qint64 runId, int status);
    /// Everything ended; `message` is empty on success, else says what failed (bad input names
    /// the field and the value, one problem per line).
    void finished(int completed, int failed, int stopped, const QString &message);

private:
    RunControl m_control;
};

} // namespace collapipe
