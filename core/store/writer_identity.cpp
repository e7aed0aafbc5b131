// SPDX-License-Identifier: MIT
#include "core/store/writer_identity.h"

#include <QFile>
#include <QSysInfo>

#include <cerrno>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace collapipe {

namespace {

std::int64_t processStartTicks(std::int64_t pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) {
        return 0;
    }
    const QByteArray line = stat.readAll();
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const qsizetype close = line.lastIndexOf(')');
    if (close < 0) {
        return 0;
    }
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    // After ')' the fields start at field 3 (state); starttime is field 22 -> index 19.
    if (fields.size() < 20) {
        return 0;
    }
    return fields.at(19).toLongLong();
}

} // namespace

WriterIdentity currentWriter()
{
    WriterIdentity id;
    id.pid = ::getpid();
    id.host = QSysInfo::machineHostName();
    id.startTicks = processStartTicks(id.pid);
    return id;
}

bool writerAlive(const WriterIdentity &writer)
{
    if (writer.pid <= 0 || writer.host != QSysInfo::machineHostName()) {
        return writer.pid > 0; // another machine (shared folder): we cannot tell, assume alive
    }
    if (::kill(pid_t(writer.pid), 0) != 0 && errno == ESRCH) {
        return false;
    }
    if (writer.startTicks != 0) {
        const std::int64_t now = processStartTicks(writer.pid);
        if (now != 0 && now != writer.startTicks) {
            return false; // the pid was reused by a newer process
        }
    }
    // A zombie (killed, not yet reaped by its parent) still answers kill(0): it will never write.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(writer.pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray line = stat.readAll();
        const qsizetype close = line.lastIndexOf(')');
        if (close >= 0 && close + 2 < line.size() && line.at(close + 2) == 'Z') {
            return false;
        }
    }
    return true;
}

} // namespace collapipe
