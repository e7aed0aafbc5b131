// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment.h"
#include "core/experiment/experiment_analysis.h"

#include <QString>

#include <utility>
#include <vector>

/// The reproduction set of `collapipe reproduce` (issue [5/7]): every experiment file of one
/// folder (resources/experiments/reproduce), in file-name order, and its quick variant.
namespace collapipe {

/// The bundled set's folder: "reproduce" beside the bundled scenarios' "../experiments"
/// (installed or in the source tree, as bundledScenarioDir() finds them); empty when absent.
QString reproduceSetDir();

/// One experiment of the set: its file and the spec as it will run.
struct ReproducePart
{
    QString file; ///< absolute path
    ExperimentSpec spec;
};

/// Reads every *.json of `dir` (sorted by name). `quick` applies quickExperimentSpec() to each.
/// False + every problem, each prefixed with its file, when a file is wrong or none is there.
bool loadReproduceSet(const QString &dir, bool quick, std::vector<ReproducePart> *parts,
    std::vector<ExperimentProblem> *problems);

/// The quick variant of an experiment: at most 2 seeds, at most 10 rounds, each axis cut to its
/// first, middle and last value (a zipped group cut alike), training off, and only the policies
/// the claims compare (DSSDA and the baselines; the ablations go) when the file has any of them,
/// so every comparison of the claims table still has both sides.
ExperimentSpec quickExperimentSpec(const ExperimentSpec &spec);

/// The CSVs written for one part (file name, text), in the order the report links them:
/// axis_curves.csv, policy_summary.csv (only when the part has no axes: its per-policy means,
/// as `collapipe report` writes them), regime_map.csv, pareto.csv, over `spec`'s metrics.
std::vector<std::pair<QString, QString>> reproducePartCsvs(
    const ExperimentSpec &spec, const std::vector<StoredPoint> &points);

} // namespace collapipe
