// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment_analysis.h"

#include <QString>
#include <QStringList>

#include <vector>

/// Reads an experiment's completed points from a database for the analysis
/// (experiment_analysis.h): the one place `collapipe report` and the Studio load them.
namespace collapipe {

class RunStore;

/// The experiment ids of the database's runs, in the order first met (newest run first).
bool storedExperimentIds(RunStore *store, QStringList *ids, QString *error);

/// Every point of experiment `experimentId` whose run is stored `completed` (the newest such run
/// when a point was run twice), in index order, each with its summary. Runs that are not
/// completed are not points yet and are left out. A coordinates column that is not a JSON
/// object is an error naming the run.
bool loadStoredPoints(
    RunStore *store, const QString &experimentId, std::vector<StoredPoint> *points, QString *error);

} // namespace collapipe
