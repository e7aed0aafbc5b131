// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <memory>
#include <utility>

namespace collapipe {

struct Scenario;

/// What a per-cluster run view (the Gantt, the decision table) shows of a round with many
/// clusters (issue [7/7], 100 clusters × 10 devices): the clusters picked (none picked: all), a
/// search text matched against cluster and device ids and names, and which clusters are expanded
/// from their one summary row to their devices and links. Each view owns one; the view rebuilds
/// its rows on changed().
///
/// Expansion starts from a default decided on the first round after a reset: a round whose
/// fully expanded rows fit kExpandedRowLimit opens expanded (default.json), a larger one
/// collapsed. A search shows the clusters whose id or name matches (as they are) and, in the
/// clusters that do not match, only the rows that do, opened.
class ClusterRowFilter : public QObject
{
    Q_OBJECT

public:
    /// A round with at most this many rows, every cluster expanded, opens expanded.
    static constexpr int kExpandedRowLimit = 40;

    explicit ClusterRowFilter(QObject *parent = nullptr);

    /// The run's clusters and devices. Another cluster list than the last one resets picks,
    /// search and expansion (nothing of the previous run's scenario stays); the same list (the
    /// same scenario run again) keeps them.
    void setScenario(const Scenario &scenario);
    /// Cluster ids only (tests, synthetic rounds); same reset rule as setScenario().
    void setClusterIds(const QStringList &ids);
    QStringList clusterIds() const { return m_ids; }
    int clusterCount() const { return int(m_ids.size()); }
    /// "c17" or "c17 Lab" (id and name, when it has one).
    QString clusterTitle(int cluster) const;

    void setPickedClusters(const QSet<int> &clusters);
    QSet<int> pickedClusters() const { return m_picked; }
    bool isPicked(int cluster) const { return m_picked.isEmpty() || m_picked.contains(cluster); }

    void setSearchText(const QString &text);
    QString searchText() const { return m_search; }
    bool isSearching() const { return !m_search.isEmpty(); }
    /// `text` contains the search text (case-insensitive); false with no search.
    bool matches(const QString &text) const;
    bool clusterMatches(int cluster) const;
    /// The device's id or its scenario name matches.
    bool deviceMatches(const QString &deviceId) const;
    /// Whether the device id → name lookup has been made (the first device search after a
    /// setScenario() makes it; tests).
    bool deviceNameIndexBuilt() const { return m_deviceNamesBuilt; }

    /// Called by the view with the fully expanded row count of each round: the first round after
    /// a reset fixes the default expansion. True when this call decided it (lay out again).
    bool noteRound(int fullRowCount);
    bool isExpanded(int cluster) const;
    void setExpanded(int cluster, bool expanded);
    void toggleExpanded(int cluster) { setExpanded(cluster, !isExpanded(cluster)); }
    void setAllExpanded(bool expanded);

    /// Forgets picks, search and expansion (the next round decides the default again).
    void reset();
    /// A copy of the filter as it is now, without a parent or connections: what the Gantt's
    /// builder lays a round out under on its own thread (GanttBuilder).
    std::unique_ptr<ClusterRowFilter> snapshot() const;

Q_SIGNALS:
    /// Picks, search or the cluster list changed: the rows are laid out again.
    void changed();
    /// Only the expansion changed (a tree view opens or closes rows in place).
    void expansionChanged();
    /// The cluster list changed (another scenario): the picker rebuilds its entries, the views
    /// drop the round they show (emitted before changed()).
    void clustersChanged();

private:
    using NamedDevices = QList<std::pair<QString, QString>>;
    void applyClusters(const QStringList &ids, const QStringList &names, NamedDevices namedDevices);

    QStringList m_ids;
    QStringList m_names;
    /// (device id, name) of the devices that have a name, in scenario order. Hashed only when a
    /// search first asks (m_deviceNames): at 100,000 devices the two views' hashes took ~0.3 s
    /// of the GUI thread on every File > Open, for a search that rarely comes.
    NamedDevices m_namedDevices;
    mutable QHash<QString, QString> m_deviceNames; ///< device id → name, made from the above
    mutable bool m_deviceNamesBuilt = false;
    QSet<int> m_picked;
    QString m_search;
    QSet<int> m_toggled; ///< clusters whose expansion differs from the default
    bool m_defaultExpanded = true;
    bool m_defaultDecided = false;
};

} // namespace collapipe
