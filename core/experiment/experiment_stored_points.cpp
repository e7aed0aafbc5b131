// SPDX-License-Identifier: MIT
#include "core/experiment/experiment_stored_points.h"

#include "core/store/run_reader.h"

#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace collapipe {

bool storedExperimentIds(RunStore *store, QStringList *ids, QString *error)
{
    std::vector<RunInfo> runs;
    if (!RunReader(store).listRuns(&runs, error)) {
        return false;
    }
    ids->clear();
    for (const RunInfo &run : runs) {
        if (run.point.isSet() && !ids->contains(run.point.experimentId)) {
            ids->append(run.point.experimentId);
        }
    }
    return true;
}

bool loadStoredPoints(
    RunStore *store, const QString &experimentId, std::vector<StoredPoint> *points, QString *error)
{
    RunReader reader(store);
    std::vector<RunInfo> runs;
    if (!reader.listRuns(&runs, error)) {
        return false;
    }
    points->clear();
    QSet<QString> seen; // listRuns is newest first: the first completed run of a point wins
    for (const RunInfo &run : runs) {
        if (run.point.experimentId != experimentId || run.status != RunStatus::Completed
            || seen.contains(run.point.fingerprint)) {
            continue;
        }
        seen.insert(run.point.fingerprint);
        StoredPoint p;
        p.index = run.point.index;
        p.fingerprint = run.point.fingerprint;
        p.policy = run.policy;
        p.seed = run.seed;
        p.runId = run.id;
        QJsonParseError parseError;
        const QJsonDocument doc
            = QJsonDocument::fromJson(run.point.coordinatesJson.toUtf8(), &parseError);
        if (!run.point.coordinatesJson.isEmpty() && !doc.isObject()) {
            *error = QStringLiteral("run %1: point_coordinates is not a JSON object (got \"%2\")")
                         .arg(run.id)
                         .arg(run.point.coordinatesJson.left(80));
            return false;
        }
        p.coordinates = doc.object();
        if (!reader.summary(run.id, &p.summary, error)) {
            return false;
        }
        // Only runs that evaluated have a trace: cost-only points skip the rounds query.
        if (std::isfinite(p.summary.finalAccuracy)) {
            std::vector<RoundRecord> rounds;
            if (!reader.rounds(run.id, &rounds, error)) {
                return false;
            }
            for (const RoundRecord &r : rounds) {
                if (std::isfinite(r.accuracy)) {
                    p.accuracyTrace.push_back({r.simTimeS, r.accuracy});
                }
            }
        }
        points->push_back(p);
    }
    std::sort(points->begin(), points->end(),
        [](const StoredPoint &a, const StoredPoint &b) { return a.index < b.index; });
    return true;
}

} // namespace collapipe
