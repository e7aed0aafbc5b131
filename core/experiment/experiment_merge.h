// SPDX-License-Identifier: MIT
#pragma once

#include "core/store/run_info.h"

#include <QString>
#include <QStringList>

#include <cstdint>

/// `collapipe merge OUT SHARD...` (issue [5/7]): the shard databases of one experiment (written
/// by `collapipe experiment --shard i/N`) into one. Only runs stored `completed` are copied (an
/// unfinished point is rerun by resuming its shard, not merged half-done), each point once: a
/// fingerprint already completed in OUT or in an earlier shard is skipped. Runs keep their name,
/// scenario, status message, point tag and every round, cluster, device and event row bit for
/// bit; they get new ids (in point order) and OUT's creation time.
namespace collapipe {

struct MergeSummary
{
    QString experimentId;
    int copied = 0;     ///< runs copied into OUT
    int duplicates = 0; ///< completed runs whose point OUT already had
    int incomplete = 0; ///< runs not completed (interrupted, stopped, failed): not copied
};

/// Checks every shard before writing anything: each must open as a run database (read-only, so
/// a shard is never changed), hold only experiment runs, and all of them of one experiment, the
/// same in every shard and as the experiment runs OUT already holds. False + a message naming
/// the file otherwise (OUT is then untouched; a new OUT is not created). OUT may not be a shard.
bool mergeExperimentShards(
    const QString &outPath, const QStringList &shardPaths, MergeSummary *summary, QString *error);

class RunStore;

/// Copies the run `info` of `from` (its scenario and every round, cluster, device and event row,
/// bit for bit) into `to` as a new run stored `completed`, tagged `point`, named `name`, with
/// `message`; program version, policy, seed and planned rounds are the original's. `from` and
/// `to` may be one store (resume reuses a run of the same scenario that way). `newId` (optional)
/// gets the copy's id.
bool copyCompletedRun(RunStore *from, const RunInfo &info, RunStore *to,
    const ExperimentPointTag &point, const QString &name, const QString &message, QString *error,
    std::int64_t *newId = nullptr);

} // namespace collapipe
