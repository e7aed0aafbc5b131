// SPDX-License-Identifier: MIT
#include "reproduce_run_info.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSysInfo>
#include <QThread>

namespace collapipe::cli {
namespace {

QString cpuModel()
{
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (!file.open(QIODevice::ReadOnly)) {
        return QSysInfo::currentCpuArchitecture();
    }
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("model name")) {
            return QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
        }
    }
    return QSysInfo::currentCpuArchitecture();
}

/// git's output in the source tree, or empty.
QString git(const QStringList &args)
{
    QProcess p;
    p.setProgram(QStringLiteral("git"));
    p.setArguments(QStringList{QStringLiteral("-C"), QStringLiteral(COLLAPIPE_SOURCE_DIR)} + args);
    p.start();
    if (!p.waitForFinished(5000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        return QString();
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace

QString machineDescription()
{
    return QStringLiteral("%1 · %2 · %3 · %4 · %5 logical cores")
        .arg(QSysInfo::machineHostName(), QSysInfo::prettyProductName(),
            QSysInfo::currentCpuArchitecture(), cpuModel())
        .arg(QThread::idealThreadCount());
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly)) {
        return QStringLiteral("unknown");
    }
    const QStringList parts = QString::fromUtf8(file.readAll()).split(QLatin1Char(' '));
    return parts.size() >= 3 ? parts.mid(0, 3).join(QLatin1Char(' ')) : QStringLiteral("unknown");
}

QString sourceCommit()
{
    if (!QFileInfo::exists(QStringLiteral(COLLAPIPE_SOURCE_DIR "/.git"))) {
        return QStringLiteral("unknown (built outside a git checkout)");
    }
    const QString head
        = git({QStringLiteral("rev-parse"), QStringLiteral("--short=10"), QStringLiteral("HEAD")});
    if (head.isEmpty()) {
        return QStringLiteral("unknown (git did not answer)");
    }
    const QString dirty = git({QStringLiteral("status"), QStringLiteral("--porcelain"),
        QStringLiteral("--untracked-files=no")});
    return dirty.isEmpty() ? head : head + QStringLiteral(" + local changes");
}

} // namespace collapipe::cli
