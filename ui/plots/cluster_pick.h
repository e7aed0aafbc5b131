// SPDX-License-Identifier: MIT
#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

namespace collapipe {

/// What the plots bar's "devices of clusters" field picked, or why it could not read it.
struct ClusterPick
{
    QSet<int> clusters; ///< cluster indices (scenario order); empty when `error` is set
    QString error;      ///< names the token it could not read; empty when all were read
    bool ok() const { return error.isEmpty(); }
};

/// Reads the plots bar's cluster field against the scenario's cluster ids (index order), the way
/// the canvas names clusters ("c7", "n2", "library"):
///   - an id, case-insensitive: "C7";
///   - a number: the cluster whose id ends in it ("7" → "c7"; an error when ids of several
///     prefixes end in it, e.g. "a7" and "b7");
///   - a range of ids or numbers: "c1..c4", "c1-c4", "c1–c4", "1-5" (every cluster whose id has
///     that prefix and a number in the range, ends included, in either order; missing numbers
///     are skipped); between ids without numbers ("library..cafe") the clusters between them in
///     scenario order.
/// Tokens are separated by commas, semicolons or spaces ("1-5, 8"). One bad token makes the
/// whole pick an error that names it (nothing half-picked).
ClusterPick parseClusterPick(const QString &text, const QStringList &ids);

} // namespace collapipe
