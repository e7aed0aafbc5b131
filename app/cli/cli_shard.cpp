// SPDX-License-Identifier: MIT
#include "cli_shard.h"

#include <QRegularExpression>

namespace collapipe::cli {
namespace {

bool envInt(const char *name, int *out, bool *present, QString *error)
{
    *present = qEnvironmentVariableIsSet(name);
    if (!*present) {
        return true;
    }
    bool ok = false;
    const QString text = qEnvironmentVariable(name);
    *out = text.trimmed().toInt(&ok);
    if (!ok || *out < 0) {
        *error = QStringLiteral("%1: expected a non-negative integer (got '%2')")
                     .arg(QLatin1String(name), text);
        return false;
    }
    return true;
}

} // namespace

bool resolveShard(const QString &option, Shard *shard, QString *error)
{
    *shard = Shard{};
    if (!option.isEmpty()) {
        static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d+)\\s*/\\s*(\\d+)\\s*$"));
        const QRegularExpressionMatch m = pattern.match(option);
        bool okIndex = false;
        bool okCount = false;
        if (m.hasMatch()) {
            shard->index = m.captured(1).toInt(&okIndex);
            shard->count = m.captured(2).toInt(&okCount);
        }
        shard->origin = QStringLiteral("--shard %1").arg(option);
        if (!okIndex || !okCount) {
            *error = QStringLiteral("--shard: expected i/N, e.g. 0/4 (got '%1')").arg(option);
            return false;
        }
    } else {
        int id = 0;
        int count = 0;
        int first = 0;
        bool hasId = false;
        bool hasCount = false;
        bool hasMin = false;
        if (!envInt("SLURM_ARRAY_TASK_ID", &id, &hasId, error)
            || !envInt("SLURM_ARRAY_TASK_COUNT", &count, &hasCount, error)
            || !envInt("SLURM_ARRAY_TASK_MIN", &first, &hasMin, error)) {
            return false;
        }
        if (!hasId || !hasCount) {
            return true; // not in a job array: the whole experiment
        }
        // An array need not start at 0 (--array=1-4): the shard is the task's place in it.
        shard->index = id - first;
        shard->count = count;
        shard->origin = QStringLiteral("SLURM_ARRAY_TASK_ID=%1 (min %2) of "
                                       "SLURM_ARRAY_TASK_COUNT=%3")
                            .arg(id)
                            .arg(first)
                            .arg(count);
    }
    if (shard->count < 1 || shard->index < 0 || shard->index >= shard->count) {
        *error = QStringLiteral("%1: shard %2 of %3 does not exist (expected 0 <= i < N, N >= 1)")
                     .arg(shard->origin)
                     .arg(shard->index)
                     .arg(shard->count);
        return false;
    }
    return true;
}

} // namespace collapipe::cli
