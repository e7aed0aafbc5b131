// SPDX-License-Identifier: MIT
#include "cli_shard.h"

#include <QRegularExpression>

#include <cstdint>

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

bool resolveShard(bool given, const QString &option, Shard *shard, QString *error)
{
    *shard = Shard{};
    if (given) {
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
        int step = 1;
        int last = 0;
        bool hasId = false;
        bool hasCount = false;
        bool hasMin = false;
        bool hasStep = false;
        bool hasMax = false;
        if (!envInt("SLURM_ARRAY_TASK_ID", &id, &hasId, error)
            || !envInt("SLURM_ARRAY_TASK_COUNT", &count, &hasCount, error)
            || !envInt("SLURM_ARRAY_TASK_MIN", &first, &hasMin, error)
            || !envInt("SLURM_ARRAY_TASK_STEP", &step, &hasStep, error)
            || !envInt("SLURM_ARRAY_TASK_MAX", &last, &hasMax, error)) {
            return false;
        }
        if (!hasId && !hasCount) {
            return true; // not in a job array: the whole experiment
        }
        if (!hasId || !hasCount) {
            // Running the whole experiment in every task of an array would repeat every point
            // N times; refusing is the only safe reading.
            *error
                = QStringLiteral("%1%2 is set but %3 is not: cannot tell which shard this "
                                 "task is; pass --shard i/N")
                      .arg(
                          QLatin1String(hasId ? "SLURM_ARRAY_TASK_ID=" : "SLURM_ARRAY_TASK_COUNT="))
                      .arg(hasId ? id : count)
                      .arg(QLatin1String(hasId ? "SLURM_ARRAY_TASK_COUNT" : "SLURM_ARRAY_TASK_ID"));
            return false;
        }
        // An array need not start at 0 (--array=1-4) nor step by 1 (--array=0-6:2): the shard
        // is the task's place in it.
        shard->origin = QStringLiteral("SLURM_ARRAY_TASK_ID=%1 (min %2, step %3) of "
                                       "SLURM_ARRAY_TASK_COUNT=%4")
                            .arg(id)
                            .arg(first)
                            .arg(step)
                            .arg(count);
        const bool evenRange = step >= 1 && (id - first) % step == 0
            && (!hasMax || std::int64_t(first) + std::int64_t(count - 1) * step == last);
        if (!evenRange) {
            *error = QStringLiteral("%1%2: the array's task ids are not an even range from MIN "
                                    "by STEP, so this task's shard is unknown; submit "
                                    "--array=0-(N-1) or pass --shard i/N")
                         .arg(shard->origin,
                             hasMax ? QStringLiteral(", SLURM_ARRAY_TASK_MAX=%1").arg(last)
                                    : QString());
            return false;
        }
        shard->index = (id - first) / step;
        shard->count = count;
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
