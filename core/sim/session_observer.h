// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"
#include "core/types/run_status.h"

#include <QString>

/// How a Session reports to its front end (style.md rule 3): a small interface core owns. The CLI
/// implements it by printing and storing; the GUI by an adapter that emits queued Qt signals.
namespace collapipe {

/// All callbacks run on the thread that runs the Session (the worker thread in the GUI). Default
/// implementations do nothing, so an observer overrides only what it needs.
class SessionObserver
{
public:
    virtual ~SessionObserver() = default;
    /// After a round is complete; the record is the full value (copy it to keep it).
    virtual void roundFinished(const RoundRecord &record) { Q_UNUSED(record); }
    /// A human-readable progress or warning line (no trailing newline).
    virtual void log(const QString &line) { Q_UNUSED(line); }
    /// Once, when run() returns. `message` says why for Stopped/Failed, empty when Completed.
    virtual void runFinished(SessionStatus status, const QString &message)
    {
        Q_UNUSED(status);
        Q_UNUSED(message);
    }
    /// Polled before every round and, while training, before every micro-batch; true stops the
    /// run as if requestStop() was called (a round cut short is discarded, not recorded).
    virtual bool cancelRequested() const { return false; }
};

} // namespace collapipe
