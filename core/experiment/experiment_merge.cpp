// SPDX-License-Identifier: MIT
#include "core/experiment/experiment_merge.h"

#include "core/store/run_reader.h"
#include "core/store/run_store.h"
#include "core/store/run_writer.h"

#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <memory>
#include <vector>

namespace collapipe {
namespace {

struct Shard
{
    QString path;
    std::unique_ptr<RunStore> store;
    std::vector<RunInfo> runs;
};

std::unique_ptr<RunStore> openReadOnly(const QString &path, QString *error)
{
    StoreOptions options;
    options.readOnly = true;
    options.create = false;
    return RunStore::open(path, error, options);
}

/// The one experiment id of `runs`; empty when there are none. False + message naming `path`
/// when a run belongs to no experiment (`allowPlain` false) or to two experiments.
bool experimentOf(const QString &path, const std::vector<RunInfo> &runs, bool allowPlain,
    QString *id, QString *error)
{
    id->clear();
    for (const RunInfo &run : runs) {
        if (!run.point.isSet()) {
            if (allowPlain) {
                continue;
            }
            *error = QStringLiteral("%1: run %2 is not part of an experiment: not a shard "
                                    "database (written by collapipe experiment --shard)")
                         .arg(path)
                         .arg(run.id);
            return false;
        }
        if (id->isEmpty()) {
            *id = run.point.experimentId;
        } else if (*id != run.point.experimentId) {
            *error = QStringLiteral("%1: holds runs of two experiments (%2 and %3)")
                         .arg(path, *id, run.point.experimentId);
            return false;
        }
    }
    return true;
}

} // namespace

bool copyCompletedRun(RunStore *from, const RunInfo &info, RunStore *to,
    const ExperimentPointTag &point, const QString &name, const QString &message, QString *error,
    std::int64_t *newId)
{
    RunReader reader(from);
    RunMeta meta;
    std::vector<RoundRecord> rounds;
    if (!reader.scenarioJson(info.id, &meta.scenarioJson, error)
        || !reader.rounds(info.id, &rounds, error, RoundEverything)) {
        return false;
    }
    meta.name = name;
    meta.scenarioName = info.scenarioName;
    meta.policy = info.policy;
    meta.seed = info.seed;
    meta.train = info.train;
    meta.roundsPlanned = info.roundsPlanned;
    meta.version = info.version;
    meta.point = point;
    RunWriter writer(to);
    std::int64_t id = 0;
    if (!writer.beginRun(meta, &id, error)) {
        return false;
    }
    for (const RoundRecord &r : rounds) {
        if (!writer.appendRound(r, error)) {
            return false;
        }
    }
    if (newId) {
        *newId = id;
    }
    return writer.finish(RunStatus::Completed, message, error);
}

bool mergeExperimentShards(
    const QString &outPath, const QStringList &shardPaths, MergeSummary *summary, QString *error)
{
    *summary = MergeSummary{};
    const QString outCanonical = QFileInfo(outPath).canonicalFilePath();
    std::vector<Shard> shards;
    QString firstShard;
    for (const QString &path : shardPaths) {
        if (!outCanonical.isEmpty() && QFileInfo(path).canonicalFilePath() == outCanonical) {
            *error = QStringLiteral("%1: is the output database; name it once, as OUT").arg(path);
            return false;
        }
        Shard shard;
        shard.path = path;
        shard.store = openReadOnly(path, error);
        if (!shard.store || !RunReader(shard.store.get()).listRuns(&shard.runs, error)) {
            return false;
        }
        QString id;
        if (!experimentOf(path, shard.runs, false, &id, error)) {
            return false;
        }
        if (!id.isEmpty() && summary->experimentId.isEmpty()) {
            summary->experimentId = id;
            firstShard = path;
        } else if (!id.isEmpty() && id != summary->experimentId) {
            *error = QStringLiteral("%1: a shard of another experiment (%2; %3 holds %4): "
                                    "refusing to mix experiments")
                         .arg(path, id, firstShard, summary->experimentId);
            return false;
        }
        shards.push_back(std::move(shard));
    }
    if (QFileInfo::exists(outPath)) {
        std::unique_ptr<RunStore> existing = openReadOnly(outPath, error);
        std::vector<RunInfo> runs;
        QString id;
        if (!existing || !RunReader(existing.get()).listRuns(&runs, error)
            || !experimentOf(outPath, runs, true, &id, error)) {
            return false;
        }
        if (!id.isEmpty() && !summary->experimentId.isEmpty() && id != summary->experimentId) {
            *error = QStringLiteral("%1: holds experiment %2, the shards experiment %3: "
                                    "refusing to mix experiments")
                         .arg(outPath, id, summary->experimentId);
            return false;
        }
    }

    std::unique_ptr<RunStore> out = RunStore::open(outPath, error);
    if (!out) {
        return false;
    }
    QSet<QString> done;
    if (!summary->experimentId.isEmpty()) {
        std::vector<RunInfo> runs;
        if (!RunReader(out.get()).listRuns(&runs, error)) {
            return false;
        }
        for (const RunInfo &run : runs) {
            if (run.point.experimentId == summary->experimentId
                && run.status == RunStatus::Completed) {
                done.insert(run.point.fingerprint);
            }
        }
    }
    for (Shard &shard : shards) {
        // Point order, then storage order: OUT's ids follow the experiment.
        std::sort(shard.runs.begin(), shard.runs.end(), [](const RunInfo &a, const RunInfo &b) {
            return a.point.index != b.point.index ? a.point.index < b.point.index : a.id < b.id;
        });
        for (const RunInfo &run : shard.runs) {
            if (run.status != RunStatus::Completed) {
                ++summary->incomplete;
            } else if (done.contains(run.point.fingerprint)) {
                ++summary->duplicates;
            } else if (!copyCompletedRun(shard.store.get(), run, out.get(), run.point, run.name,
                           run.message, error)) {
                *error = QStringLiteral("%1: run %2: %3").arg(shard.path).arg(run.id).arg(*error);
                return false;
            } else {
                done.insert(run.point.fingerprint);
                ++summary->copied;
            }
        }
    }
    return true;
}

} // namespace collapipe
