// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

/// How run views name a cluster (issue [1/7] #7). Round records carry the cluster's index in the
/// scenario; people know clusters by the ids and names the canvas shows ("c1", "Lab"). Every run
/// view (Gantt, decision table, plots) names clusters through clusterLabel(), never by index.
namespace collapipe {

struct Scenario;

/// The cluster ids of `scenario` in index order.
QStringList clusterIds(const Scenario &scenario);

/// The id of cluster `index` ("c1"); "cluster[<index>]" (the JSON path) when the scenario of the
/// run is not known, so an index is never mistaken for an id.
QString clusterLabel(const QStringList &ids, int index);

} // namespace collapipe
