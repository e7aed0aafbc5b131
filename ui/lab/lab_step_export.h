// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

class QTimer;

namespace collapipe {

class LabView;

/// Writes the Lab's step sequence as numbered images (issue [4/7] "The Lab"): step_001.png …
/// step_NNN.png in a folder, one per step, the shown schedules side by side as
/// LabView::exportSideBySide() draws them. Rendering needs the widgets, so it runs on the UI
/// thread one step per event-loop turn (a zero-interval timer): the window stays responsive,
/// progress is reported after each file and cancel() stops before the next. The Lab's step is
/// restored at the end.
class LabStepExport : public QObject
{
    Q_OBJECT

public:
    explicit LabStepExport(LabView *view, QObject *parent = nullptr);

    /// Starts writing into `folder` (created if missing). False + message if it cannot be.
    bool start(const QString &folder, QString *error);
    void cancel();
    bool isRunning() const;
    int total() const { return m_total; }
    /// "step_001.png" for step index 0 (width grows past 999 steps).
    static QString fileName(int step, int total);

Q_SIGNALS:
    /// `done` files of `total` written.
    void progressed(int done, int total);
    /// All written (ok), or stopped: cancelled (message "cancelled") or a file failed (names it).
    void finished(bool ok, const QString &message);

private:
    void writeNext();
    void finish(bool ok, const QString &message);

    LabView *m_view;
    QTimer *m_timer;
    QString m_folder;
    int m_next = 0;
    int m_total = 0;
    int m_restoreStep = -1;
};

} // namespace collapipe
