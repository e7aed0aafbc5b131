// SPDX-License-Identifier: MIT
#include "ui/plots/cluster_labels.h"

#include "core/scenario/scenario.h"

namespace collapipe {

QStringList clusterIds(const Scenario &scenario)
{
    QStringList ids;
    for (const Cluster &c : scenario.topology.clusters) {
        ids << c.id;
    }
    return ids;
}

QString clusterLabel(const QStringList &ids, int index)
{
    const QString id = ids.value(index);
    return id.isEmpty() ? QStringLiteral("cluster[%1]").arg(index) : id;
}

} // namespace collapipe
