// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/pipeline_hop_item.h"
#include "ui/model/item_ref.h"

#include <QHash>
#include <QList>

#include <vector>

namespace collapipe {

class DeviceRunBadge;
class TopologyScene;

/// One drawn hop of the shown round, for tests and tooltips.
struct PipelineHop
{
    ItemRef from;
    ItemRef to;
    PipelineHopItem::Kind kind = PipelineHopItem::Kind::D2D;
    double rateBps = 0.0; ///< NaN for the control unit's hop (not in RoundRecord)
};

/// The canvas during a run or a replay (issue [6/6] "Run it live"): per device its segment chip,
/// load and memory gauges (DeviceRunBadge), idle devices dimmed, and the round's pipeline hops
/// as arrows (PipelineHopItem), and at each edge server the encoder tail it ran for the clusters
/// in EdgeTail mode (EdgeRunBadge, "Campus cafe: blocks 4–11"). Owned by TopologyScene, driven through
/// TopologyScene::showRound()/clearRound().
///
/// Devices are matched by DeviceRound::deviceId, so the overlay survives document edits: when
/// the scene rebuilds its items, the overlay recreates its own and re-applies the last round;
/// devices the round does not name are drawn plain. Items are created once per scene rebuild and
/// then only updated, so showRound() is cheap enough for every round of a live run (~30 Hz).
/// Views only: nothing here changes the document. UI thread only.
class RunOverlay
{
public:
    explicit RunOverlay(TopologyScene *scene);
    ~RunOverlay();
    RunOverlay(const RunOverlay &) = delete;
    RunOverlay &operator=(const RunOverlay &) = delete;

    void showRound(const RoundRecord &record);
    /// Hides everything and restores the plain editing view.
    void clearRound();
    bool isShown() const { return m_shown; }
    /// Index of the shown round, −1 when none.
    int round() const { return m_shown ? m_round : -1; }

    /// The badge of a device, null if the scene has no such device or no round was shown since
    /// the last rebuild. Hidden (not null) when the shown round does not name the device.
    DeviceRunBadge *badge(const QString &deviceId) const;
    /// The edge-tail chip of an edge server, null as for badge(). Hidden when none of the
    /// clusters it serves ran a tail on it in the shown round.
    EdgeRunBadge *edgeBadge(const QString &serverId) const;
    /// The device badges shown now, for the canvas's label layout pass (which places their chips).
    QList<DeviceRunBadge *> shownBadges() const;
    /// The edge-tail chips shown now (servers that ran a tail), for the same pass.
    QList<EdgeRunBadge *> shownEdgeBadges() const;
    /// Builds the tooltip of `deviceId`'s badge for the shown round if it has none yet. Tooltips
    /// are built on hover (TopologyScene::helpEvent), not for every device in every round: a
    /// round of 1,000 devices formatted 1,000 rich-text tooltips nobody looked at (issue [7/7]).
    /// A badge's toolTip() is empty until then.
    void ensureToolTip(const QString &deviceId);
    /// As above for the device `badge` belongs to.
    void ensureToolTip(const DeviceRunBadge *badge);
    /// The hops drawn for the shown round, cluster by cluster in data-flow order.
    QList<PipelineHop> activeHops() const;

    // Hooks for TopologyScene.
    /// The scene is about to delete all items (including the overlay's): forget them.
    void sceneAboutToClear();
    /// Items of the scene are about to be created or deleted (an edit): the overlay deletes
    /// none of its own (one by one that was O(n) each in the scene's list), hides its hops and
    /// waits for sceneRebuilt(); items whose node goes die with it and are forgotten.
    void dropItems();
    /// The scene has new items: the overlay keeps its items of the nodes that stayed, makes
    /// them for new nodes (matched by id) and re-applies the shown round.
    void sceneRebuilt();
    /// Overlay items made and items kept by sceneRebuilt() since construction (tests).
    int itemsCreated() const { return m_itemsCreatedCount; }
    int itemsReused() const { return m_itemsReused; }
    /// Positions or zoom changed: follow them.
    void syncGeometry();

private:
    struct BadgeEntry
    {
        DeviceRunBadge *badge = nullptr;
        bool seen = false;
        std::size_t device = 0; ///< its row in m_devices while seen
        bool tipBuilt = false;  ///< its tooltip is the shown round's (else empty)
    };

    void ensureItems();
    /// Every item forgets its destruction callback (the overlay stops tracking them).
    void disarmItems();
    void apply();
    void applyHops();
    void applyEdgeTails();
    void applyClusterLoads();
    /// The document's index of the record's cluster `cluster`, found through its devices (the
    /// record's index may be stale after edits), −1 if none of them is still on the canvas.
    int documentCluster(int cluster) const;
    EdgeRunBadge::Side clearestSide(const QString &serverId) const;
    void addHop(const ItemRef &from, const ItemRef &to, PipelineHopItem::Kind kind, double rateBps,
        const DeviceRound *source);
    void setPlainLinksDimmed(bool dimmed);

    TopologyScene *m_scene;
    bool m_itemsCreated = false;
    QHash<QString, BadgeEntry> m_badges;
    QHash<QString, EdgeRunBadge *> m_edgeBadges; ///< by edge server id
    /// Pool: one per possible hop; null where the scene deleted one (refilled by ensureItems()).
    std::vector<PipelineHopItem *> m_hopItems;
    int m_itemsCreatedCount = 0;
    int m_itemsReused = 0;
    std::vector<PipelineHop> m_hops; ///< m_hops[i] is drawn by m_hopItems[i]

    // The shown round. Only the device rows are kept: the events would be copied 30×/s for nothing.
    bool m_shown = false;
    int m_round = 0;
    double m_latencyS = 0.0;
    std::vector<DeviceRound> m_devices;
    std::vector<ClusterRound> m_clusters;
    std::vector<int> m_order; ///< scratch: active devices by (cluster, stage)
};

} // namespace collapipe
