// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// Which shard of an experiment this process runs: `--shard i/N`, or a Slurm job array's task
/// (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT) when the option is
/// not given, so `collapipe experiment FILE` in an sbatch --array script needs no arithmetic.
namespace collapipe::cli {

struct Shard
{
    int index = 0;  ///< 0 <= index < count
    int count = 1;  ///< 1: the whole experiment
    QString origin; ///< "--shard 1/4" or "SLURM_ARRAY_TASK_ID=1 ...", for messages
    bool isSharded() const { return count > 1; }
};

/// `option` is the --shard value, empty when not given. False + message naming the option or the
/// environment variable and the value.
bool resolveShard(const QString &option, Shard *shard, QString *error);

} // namespace collapipe::cli
