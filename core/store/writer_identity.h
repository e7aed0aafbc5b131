// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <cstdint>

/// Who writes a run, so a later reader can tell a live writer from a dead one (issue [5/6]:
/// "runs left running by a dead process become interrupted"). Private to core/store.
namespace collapipe {

struct WriterIdentity
{
    std::int64_t pid = 0;
    QString host;
    /// Process start time in clock ticks since boot (/proc/PID/stat field 22), 0 if unknown. With
    /// the pid it survives pid reuse: a new process with the same pid has another start time.
    std::int64_t startTicks = 0;
};

WriterIdentity currentWriter();

/// True unless the writer is known to be gone: same host and (no such pid, or the pid now
/// belongs to a process that started at another time). Writers on other hosts count as alive.
bool writerAlive(const WriterIdentity &writer);

} // namespace collapipe
