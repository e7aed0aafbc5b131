// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// How a run ended and how a stored run's state is named (issue [5/6]). Here, below sim and store,
/// because the engine reports a SessionStatus and the store keeps a RunStatus, and neither of the
/// two modules may include the other.
namespace collapipe {

/// How a Session's run ended.
enum class SessionStatus {
    Completed, ///< every planned round ran
    Stopped,   ///< stop was requested (or cancelRequested() returned true)
    Failed     ///< a round could not be computed (infeasible decision, NaN loss, ...)
};

/// Life cycle of a stored run. A run is inserted as Running and finalised by its writer; a run
/// still Running whose writer process is gone becomes Interrupted when a writer next opens the
/// store (readers report it as Interrupted without storing it).
enum class RunStatus {
    Running,
    Completed,
    Stopped,
    Failed,
    Interrupted
};

/// The stored status of a run the engine ended with `status` (CLI and Studio both store runs).
inline RunStatus runStatusFor(SessionStatus status)
{
    switch (status) {
    case SessionStatus::Completed:
        return RunStatus::Completed;
    case SessionStatus::Stopped:
        return RunStatus::Stopped;
    case SessionStatus::Failed:
        return RunStatus::Failed;
    }
    return RunStatus::Failed;
}

/// "running", "completed", ... (the strings stored in runs.status and printed by the CLI).
inline QString runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return QStringLiteral("running");
    case RunStatus::Completed:
        return QStringLiteral("completed");
    case RunStatus::Stopped:
        return QStringLiteral("stopped");
    case RunStatus::Failed:
        return QStringLiteral("failed");
    case RunStatus::Interrupted:
        return QStringLiteral("interrupted");
    }
    return QStringLiteral("running");
}

/// Parses a stored status; false for an unknown string.
inline bool parseRunStatus(const QString &text, RunStatus *status)
{
    for (RunStatus s : {RunStatus::Running, RunStatus::Completed, RunStatus::Stopped,
             RunStatus::Failed, RunStatus::Interrupted}) {
        if (runStatusName(s) == text) {
            *status = s;
            return true;
        }
    }
    return false;
}

} // namespace collapipe
