// SPDX-License-Identifier: MIT
#include "core/experiment/reproduce_set.h"

#include "core/experiment/experiment_report.h"
#include "core/experiment/reproduce_claims.h"
#include "core/scenario/scenario_json.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace collapipe {

QString reproduceSetDir()
{
    const QString scenarios = bundledScenarioDir();
    if (scenarios.isEmpty()) {
        return QString();
    }
    const QString dir = QDir::cleanPath(scenarios + QStringLiteral("/../experiments/reproduce"));
    return QFileInfo(dir).isDir() ? dir : QString();
}

bool loadReproduceSet(const QString &dir, bool quick, std::vector<ReproducePart> *parts,
    std::vector<ExperimentProblem> *problems)
{
    const QDir folder(dir);
    if (dir.isEmpty() || !folder.exists()) {
        problems->push_back({QStringLiteral("experiments"),
            QStringLiteral("no reproduction set folder '%1'").arg(dir)});
        return false;
    }
    const QStringList files
        = folder.entryList({QStringLiteral("*.json")}, QDir::Files | QDir::Readable, QDir::Name);
    if (files.isEmpty()) {
        problems->push_back({QStringLiteral("experiments"),
            QStringLiteral("'%1' holds no experiment files (*.json)").arg(dir)});
        return false;
    }
    bool ok = true;
    for (const QString &name : files) {
        ReproducePart part;
        part.file = folder.absoluteFilePath(name);
        std::vector<ExperimentProblem> found;
        if (!loadExperimentFile(part.file, &part.spec, &found)) {
            for (ExperimentProblem &p : found) {
                p.path = name + QLatin1Char(':') + p.path;
                problems->push_back(p);
            }
            ok = false;
            continue;
        }
        if (quick) {
            part.spec = quickExperimentSpec(part.spec);
        }
        parts->push_back(part);
    }
    return ok;
}

ExperimentSpec quickExperimentSpec(const ExperimentSpec &spec)
{
    constexpr std::size_t kSeeds = 2;
    constexpr int kRounds = 10;
    ExperimentSpec quick = spec;
    if (quick.seeds.size() > kSeeds) {
        quick.seeds.resize(kSeeds);
    }
    quick.rounds = std::min(quick.rounds.value_or(spec.base.training.rounds), kRounds);
    quick.train = false;
    // Only what the claims compare: DSSDA and the baselines (the ablations are context).
    QStringList compared;
    for (const QString &policy : spec.policies) {
        if (policy == reproducePolicy() || reproduceBaselines().contains(policy)) {
            compared << policy;
        }
    }
    if (!compared.isEmpty()) {
        quick.policies = compared;
    }
    for (ExperimentAxis &axis : quick.axes) {
        const std::size_t n = axis.size();
        if (n <= 3) {
            continue;
        }
        for (AxisColumn &column : axis.columns) {
            column.values = {column.values[0], column.values[n / 2], column.values[n - 1]};
        }
    }
    return quick;
}

std::vector<std::pair<QString, QString>> reproducePartCsvs(
    const ExperimentSpec &spec, const std::vector<StoredPoint> &points)
{
    std::vector<std::pair<QString, QString>> files;
    files.emplace_back(QStringLiteral("axis_curves.csv"), axisCurvesCsv(points, spec.metrics));
    if (spec.axes.empty()) {
        files.emplace_back(
            QStringLiteral("policy_summary.csv"), policySummaryCsv(points, spec.metrics));
    }
    files.emplace_back(QStringLiteral("regime_map.csv"), regimeMapCsv(points, spec.metrics));
    files.emplace_back(QStringLiteral("pareto.csv"), paretoCsv(points));
    return files;
}

} // namespace collapipe
