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

/// `given`: --shard was on the command line (then `option` is its value, which may be empty and
/// is then refused). Without it, a Slurm job array's task: its place among the array's ids
/// (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP of
/// SLURM_ARRAY_TASK_COUNT; an array whose ids are not such an even range (--array=1,3,8), or a
/// task id with no count, is refused rather than guessed, since a wrong guess would run some
/// points twice and others never. False + message naming the option or the variables and values.
bool resolveShard(bool given, const QString &option, Shard *shard, QString *error);

} // namespace collapipe::cli
