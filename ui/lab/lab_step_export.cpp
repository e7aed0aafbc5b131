// SPDX-License-Identifier: MIT
#include "ui/lab/lab_step_export.h"

#include "ui/lab/lab_view.h"

#include <QDir>
#include <QTimer>

namespace collapipe {

LabStepExport::LabStepExport(LabView *view, QObject *parent)
    : QObject(parent)
    , m_view(view)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(0);
    connect(m_timer, &QTimer::timeout, this, &LabStepExport::writeNext);
}

QString LabStepExport::fileName(int step, int total)
{
    const int width = std::max(3, int(QString::number(total).size()));
    return QStringLiteral("step_%1.png").arg(step + 1, width, 10, QLatin1Char('0'));
}

bool LabStepExport::start(const QString &folder, QString *error)
{
    if (isRunning()) {
        *error = tr("an export is already running");
        return false;
    }
    m_total = m_view->stepCount();
    if (m_total <= 0) {
        *error = tr("nothing to export: the Lab shows no schedule");
        return false;
    }
    if (!QDir().mkpath(folder)) {
        *error = tr("%1: cannot create the folder").arg(QDir::toNativeSeparators(folder));
        return false;
    }
    m_folder = folder;
    m_next = 0;
    m_restoreStep = m_view->step();
    m_timer->start();
    return true;
}

bool LabStepExport::isRunning() const
{
    return m_timer->isActive();
}

void LabStepExport::cancel()
{
    if (isRunning()) {
        finish(false, tr("cancelled"));
    }
}

void LabStepExport::writeNext()
{
    if (m_next >= m_total) {
        finish(true, QString());
        return;
    }
    m_view->setStep(m_next);
    QString error;
    const QString path = QDir(m_folder).filePath(fileName(m_next, m_total));
    if (!m_view->exportSideBySide(path, &error, LabView::kStepImageDpi)) {
        finish(false, error);
        return;
    }
    ++m_next;
    Q_EMIT progressed(m_next, m_total);
}

void LabStepExport::finish(bool ok, const QString &message)
{
    m_timer->stop();
    m_view->setStep(m_restoreStep);
    Q_EMIT finished(ok, message);
}

} // namespace collapipe
