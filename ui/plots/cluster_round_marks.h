// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <QString>

/// How run views mark what churn and the deadline did to a cluster in a round (core/MODEL.md
/// "Churn", "Deadline"; issue [6/7]): the decision table's cluster column and summary rows, and
/// the Gantt's summary rows all use these.
namespace collapipe {

/// " ✕ sat out", " ✕ late", " ⟳1" (n mid-round dropouts, re-planned); "" when untouched.
QString clusterRoundMark(const ClusterRound &c);

/// The sentences behind the mark (tooltip): why it was left out, what the dropouts cost.
QString clusterRoundMarkTip(const ClusterRound &c);

/// True when churn or the deadline touched the cluster this round.
inline bool isClusterRoundMarked(const ClusterRound &c)
{
    return c.satOut || !c.aggregated || c.dropouts > 0;
}

} // namespace collapipe
