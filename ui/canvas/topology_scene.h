// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/canvas/lab_step_item.h"
#include "ui/model/item_ref.h"

#include <QDeadlineTimer>
#include <QGraphicsScene>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <future>
#include <memory>
#include <optional>
#include <vector>

namespace collapipe {

/// A scenario position (metres) as a scene point: the scene's unit is the metre.
inline QPointF toScenePoint(const Position &p)
{
    return QPointF(p.xM, p.yM);
}

class AbstractTool;
class CanvasLabelPass;
struct Cluster;
class ClusterGlyphItem;
class ClusterHullItem;
class LinkItem;
class NodeItem;
class RunOverlay;
struct RoundRecord;
class TopologyDocument;

/// The topology canvas (style.md rule 8): one item per edge server, control unit, device, link and
/// cluster hull, built from a TopologyDocument and kept in sync through its change signals.
/// Scene units are metres. Mouse events go to the active tool, which edits the document.
class TopologyScene : public QGraphicsScene
{
    Q_OBJECT
public:
    explicit TopologyScene(TopologyDocument *document, QObject *parent = nullptr);
    ~TopologyScene() override;

    TopologyDocument *document() const { return m_document; }

    /// Number of node items of a kind (edge servers, control units, devices) or hulls (clusters).
    int itemCount(ItemKind kind) const;
    /// Number of link items of a kind (0 = D2D, 1 = D2E).
    int linkCount(bool d2e) const;
    NodeItem *nodeItem(const ItemRef &ref) const { return m_nodes.value(ref); }
    ClusterHullItem *hullItem(const QString &clusterId) const { return m_hulls.value(clusterId); }
    /// The glyph standing for a cluster when zoomed out (see levelOfDetail()).
    ClusterGlyphItem *glyphItem(const QString &clusterId) const
    {
        return m_glyphs.value(clusterId);
    }
    const QHash<QString, ClusterGlyphItem *> &glyphItems() const { return m_glyphs; }
    /// Level of detail of a cluster (issue [7/7] "Scale"): 0 = drawn as one glyph, 1 = hull,
    /// control unit, devices and links; in between both cross-fade, so zooming in brings the
    /// detail back gradually. Decided per cluster by the room its devices have on screen: the
    /// extent of its members in pixels over √(device count), glyph below kGlyphRoomPx, full
    /// detail above kDetailRoomPx. Labels follow the level that dominates (≥ 0.5).
    double levelOfDetail(const QString &clusterId) const { return m_detail.value(clusterId, 1.0); }
    static constexpr double kGlyphRoomPx = 12.0;
    static constexpr double kDetailRoomPx = 20.0;
    /// Opacity of a glyph's link to its edge server (1 at full detail).
    static constexpr double kGlyphLinkOpacity = 0.35;

    ItemRefList selectedRefs() const;
    void selectRefs(const ItemRefList &refs);
    /// The topmost node or hull under a scene position; null ref if none.
    ItemRef refAt(const QPointF &scenePos) const;
    /// The cluster whose hull contains the point, else the one with the nearest control unit.
    QString clusterNear(const QPointF &scenePos) const;
    QString edgeServerNear(const QPointF &scenePos) const;

    void setTool(AbstractTool *tool);
    AbstractTool *tool() const { return m_tool; }

    bool snapEnabled() const { return m_snap; }
    void setSnapEnabled(bool enabled) { m_snap = enabled; }
    /// Grid step for snapping, metres.
    double snapStepM() const { return 5.0; }
    QPointF snapped(const QPointF &scenePos) const;

    /// Called by the view when the zoom changes; hull padding and labels are sized in pixels.
    void setMetresPerPixel(double metresPerPixel);
    double metresPerPixel() const { return m_metresPerPixel; }
    /// A fresh id for one drag; the document merges moves with the same id into one undo step.
    /// It also starts the drag's cheap steps (issue [7/7]: a drag step on 1,000 devices must fit
    /// a 60 Hz frame): until endDrag(), an edit that only moves items does not run the whole
    /// label pass (moved labels keep their sides and move with their items); the labels settle
    /// kDragSettleMs after the last step (the user paused) and at endDrag(). Any other edit, or
    /// a zoom, lays them out at once as usual.
    int nextDragId();
    /// The drag is over (the mouse is released): the labels settle now if a step left them
    /// stale, and the document validates the moves it deferred (TopologyDocument::validateNow).
    void endDrag();
    bool isDragging() const { return m_dragging; }
    /// True while a drag step has left the labels unsettled (see nextDragId()).
    bool areLabelsStale() const { return m_labelsStale; }
    static constexpr int kDragSettleMs = 250;
    /// The pause that settles the labels (tests lengthen it: a slow machine must not settle
    /// them between two steps).
    void setDragSettleDelay(int ms) { m_dragSettle->setInterval(ms); }
    /// Whole label passes run so far (tests: a drag step runs none).
    int labelPassCount() const { return m_labelPasses; }
    /// A scene of at least this many nodes whose views are all hidden (a file opened before the
    /// window shows) defers its label pass until a view shows or zooms: the view fits the
    /// topology at its final size then, and a pass at the old scale would be thrown away
    /// (issue [7/7]: two of the three passes of opening 100,000 devices).
    static constexpr int kDeferLabelsNodes = 2000;
    /// True while the label pass waits for a view to show (see kDeferLabelsNodes).
    bool areLabelsDeferred() const { return m_labelsDeferred; }
    /// Runs the deferred label pass, if any (TopologyView::showEvent).
    void layoutDeferredLabels();

    /// A new scenario of at least this many nodes while a view shows (File ▸ Open from the
    /// window) is built across event-loop turns, no turn longer than buildStepMs() (issue [7/7]
    /// "the UI thread never blocks": at 100,000 devices making the items, the hulls, the level of
    /// detail and the label pass held the GUI thread ~2.5 s). The built scene equals the one
    /// rebuild() makes at once (tests/ui_canvas/tst_canvas_open). Meanwhile the views keep their
    /// last picture (buildStarted()), a document change starts the build over when the edit
    /// ends, and showRound(), selectRefs() and clearRound() of a round that moved nodes complete
    /// it first. The old items whose ids the new scenario has again are reused (a reopen of the
    /// same file reuses every one: nothing to delete, nothing for Qt to sort again); the others
    /// are deleted a part per turn (Sweep) when few, else none is reused and every old item goes
    /// a part per turn before the new ones are made: hidden and restacked (Hide), Qt's top-level
    /// list sorted once (Restack), then deleted in an order that costs Qt's lists O(1) each
    /// (Delete; one QGraphicsScene::clear() held the GUI thread ~0.65 s at 100,000 devices).
    /// Opening another big file still holds it for Qt's sorts by stacking order (Restack, and the
    /// Sort stage for the new items, ~0.2 s).
    static constexpr int kChunkedBuildNodes = 2000;
    static constexpr int kBuildStepMs = 40;
    bool isBuilding() const { return m_build != nullptr; }
    /// True while the build has not made every item yet (before topologyBuilt()).
    bool isMakingItems() const
    {
        return m_build
            && (m_build->stage == ChunkedBuild::Stage::Clear
                || m_build->stage == ChunkedBuild::Stage::Hide
                || m_build->stage == ChunkedBuild::Stage::Restack
                || m_build->stage == ChunkedBuild::Stage::Delete
                || m_build->stage == ChunkedBuild::Stage::Items);
    }
    /// Completes a chunked build at once (no-op when none is under way).
    void finishBuildNow();
    int buildStepMs() const { return m_buildStepMs; }
    /// Tests shorten it to force many steps on a small scenario: each turn does at least one
    /// unit of work (a cluster's items, its level of detail, a stage), so 0 ms makes one a turn.
    void setBuildStepMs(int ms) { m_buildStepMs = ms; }
    /// Tests move the size from which a build goes in steps (kChunkedBuildNodes): down to build
    /// a small scenario in steps, up to build a big one at once as before.
    void setChunkedBuildNodes(int nodes) { m_chunkedBuildNodes = nodes; }
    /// Event-loop turns the last chunked build took (tests).
    int buildSteps() const { return m_buildSteps; }
    /// A chunked build reuses the old items whose ids the new scenario has again (a reopen of
    /// the same file reuses all of them), unless more than this many old items would be left
    /// over: those are deleted one by one, each O(items) in Qt's lists, so past it the build
    /// deletes all old items at once as before (one QGraphicsScene::clear()).
    static constexpr int kPiecewiseDeleteLimit = 3000;
    int piecewiseDeleteLimit() const { return m_piecewiseDeleteLimit; }
    /// Tests and benchmarks move it (0: nothing is reused unless every old item is; -1: nothing
    /// is reused).
    void setPiecewiseDeleteLimit(int items) { m_piecewiseDeleteLimit = items; }
    /// Old items the last chunked build reused (tests).
    int reusedItems() const { return m_reusedItems; }

    /// Bounding rectangle of the topology in metres (items only, no margin).
    QRectF topologyRect() const;

    /// The run view (issue [6/6] "Run it live"): shows one round of a live or replayed run on the
    /// canvas — each device's segment ("blocks i–j" / "idle"), load and memory gauges, idle
    /// devices dimmed, the round's pipeline hops as arrows. Cheap enough for every round at
    /// ~30 Hz (items are reused); devices are matched by id, so the view survives document edits.
    /// Editing works as usual meanwhile. See RunOverlay.
    void showRound(const RoundRecord &record);
    /// Back to the plain editing view.
    void clearRound();
    bool isShowingRound() const;
    /// Where a node is drawn: its position in the shown round when mobility moved it, else the
    /// document's.
    Position shownPosition(const ItemRef &ref) const;
    RunOverlay *runOverlay() const { return m_overlay.get(); }
    /// The Pipeline Lab's current op (issue [4/7]): a ring on the device that computes it and an
    /// arrow to where its output goes (LabStepItem). Kept by ids, so it survives a rebuild; a
    /// mark naming no item on the canvas draws nothing.
    void showLabStep(const LabStepMark &mark);
    void clearLabStep();
    const std::optional<LabStepMark> &labStep() const { return m_labStep; }
    /// The item drawing the mark; null when none is shown.
    LabStepItem *labStepItem() const { return m_labStepItem; }
    /// The plain D2D (control unit to device) and D2E (control unit to server) link items.
    const QList<LinkItem *> &linkItems() const { return m_links; }
    /// Lays the labels out again (layoutCanvasLabels: no label overlaps another or an icon at the
    /// current zoom); runs after every geometry or zoom change, and after the run overlay shows or
    /// hides link distances.
    void layoutLabels();

Q_SIGNALS:
    void selectedRefsChanged(const collapipe::ItemRefList &refs);
    void statusMessage(const QString &message);
    /// showRound() drew `record` / clearRound() ran (the waypoint path follows the round).
    void roundShown(const collapipe::RoundRecord &record);
    void roundCleared();
    /// A chunked build starts: views stop repainting the canvas until buildFinished() (a frame
    /// of a half-built scene, at full detail before the level of detail is applied, cost up to
    /// seconds at 100,000 devices, and the old picture under the busy dialog says as much).
    void buildStarted();
    /// A chunked build has made every item (before laying out labels): views fit the topology
    /// now, so the labels are laid out once, at the final zoom.
    void topologyBuilt();
    /// A chunked build is complete: labels laid out, selection restored (also when a change
    /// made rebuild() finish it at once; a build started over emits it once, at its end).
    void buildFinished();

protected:
    /// Tooltips are built when asked for (hover), not for every item on every change.
    void helpEvent(QGraphicsSceneHelpEvent *event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;

private:
    // Following the document (topology_scene_sync.cpp). Issue [7/7] "Scale": each change
    // touches only the items it names; the work that depends on all of them (hull shapes, link
    // order, label layout, scene rect, run overlay) waits for the document's changed(), which
    // comes once per edit however many items the edit touched.
    void rebuild();
    // The chunked build (topology_scene_build.cpp).
    struct ChunkedBuild
    {
        enum class Stage {
            /// Reuse or not (planReuse()); if not, the old scenario's items go in the Hide,
            /// Restack and Delete stages before Items
            Clear,
            Items,
            Finish,
            Fit,
            Detail,
            Labels,
            /// Qt sorts the top-level items by stacking order before it draws or finds any:
            /// here, in a turn of its own, not in the first frame (issue #16).
            Sort,
            /// The old items no item of the new scenario reused, deleted a part per turn.
            Sweep,
            /// Not reused (another file's ids): the old items are hidden (nothing stale drawn or
            /// hit) and stacked in the order Delete deletes them, a part per turn,
            Hide,
            /// then Qt sorts its top-level list by that stacking order, a turn of its own,
            Restack,
            /// then they are deleted a part per turn, each from the front of Qt's top-level
            /// list and the back of its index (sorted by address): O(1) in both, where clear()
            /// deleting them all at once held the GUI thread ~0.65 s at 100,000 devices.
            Delete
        };
        Stage stage = Stage::Clear;
        std::size_t next = 0; ///< the next cluster (Items, Detail)
        /// The previous scenario's items by id (issue #16, reuse): an item whose id the new
        /// scenario has again is taken from here and set up for it instead of made anew, so a
        /// reopen neither deletes ~300,000 items (one QGraphicsScene::clear(), 0.3–0.5 s) nor
        /// makes Qt sort them all by stacking order again (~0.2 s). What is left here after the
        /// Items stage is deleted in the Sweep stage, a part per turn. When more would be left
        /// than piecewiseDeleteLimit() (each deletion costs O(items) in Qt's lists), the Clear
        /// stage deletes every old item at once as before and nothing is reused.
        QHash<ItemRef, NodeItem *> spareNodes;
        QHash<QString, ClusterHullItem *> spareHulls;
        QHash<QString, ClusterGlyphItem *> spareGlyphs;
        QHash<QString, LinkItem *> spareDeviceLinks;
        QHash<QString, LinkItem *> spareServerLinks;
        bool reuse = true; ///< decided in the Clear stage
        int madeItems = 0; ///< items made anew by the build (0: Qt has nothing to sort again)
        QList<QGraphicsItem *> reusedAtReset; ///< edge servers taken at the reset
        std::vector<QGraphicsItem *> doomed;  ///< the Sweep stage's list
        /// Hide, Restack, Delete: the old top-level items not reused, in the order they go
        /// (by address, highest first; a cluster's label after its hull, which deletes it
        /// unless the scene has it).
        std::vector<QGraphicsItem *> cleared;
        std::size_t nextCleared = 0; ///< the next to hide (Hide) or to delete (Delete)
        std::size_t nextDoomed = 0;
        /// The scene's items when rebuild() started the build (Clear deletes them; an item added
        /// meanwhile, by another view's reset, stays).
        QList<QGraphicsItem *> oldItems;
        ItemRefList selection; ///< restored at the end, as rebuild() does
        std::unique_ptr<CanvasLabelPass> labels;
        /// Nodes and hulls in the label pass's order, sorted on a worker.
        std::future<std::pair<QList<NodeItem *>, QList<ClusterHullItem *>>> labelOrder;
    };
    bool shouldBuildInChunks() const;
    /// The old items (the scene's and those of `previous`, a build under way) become spares.
    void startChunkedBuild(const ItemRefList &selection, std::unique_ptr<ChunkedBuild> previous);
    /// The Clear stage's choice: true (reuse) when at most piecewiseDeleteLimit() old items
    /// would be left over for the Sweep stage.
    bool planReuse() const;
    /// The Sweep stage's list: glyphs before their hulls, hulls before their labels.
    void collectDoomed();
    /// Old items of the spares, set up as a new one would be (null when none).
    NodeItem *takeSpareNode(const ItemRef &ref);
    LinkItem *takeSpareLink(QHash<QString, LinkItem *> *spares, const QString &key);
    /// The old hull and glyph of a cluster id, both or neither.
    void takeSpareCluster(
        const QString &clusterId, ClusterHullItem **hull, ClusterGlyphItem **glyph);
    /// The Clear stage when nothing is reused: the old items to delete (ChunkedBuild::cleared).
    void planClear(const QList<QGraphicsItem *> &oldItems);
    void addEdgeServerItems();
    /// One turn of the build: works until the deadline; false when the build is complete.
    bool buildStep(const QDeadlineTimer &deadline);
    void scheduleBuildStep();
    /// A document change during the build: the build starts over once the edit ends.
    bool restartBuildOnChange();
    /// True (and the pass marked deferred) when the label pass can wait for a view to show.
    bool deferLabelsWhileHidden();
    void onItemAdded(const ItemRef &ref);
    void onItemAboutToBeRemoved(const ItemRef &ref);
    void onItemMoved(const ItemRef &ref);
    void onPropertyChanged(const ItemRef &ref, const QString &key);
    void onClusterConnected(const QString &clusterId);
    /// Finishes an edit: dirty hulls, link order, labels, scene rect, overlay, selection.
    void finishEdit();
    void addClusterItems(const Cluster &cluster);
    void addDeviceItems(const QString &deviceId, const Cluster &cluster);
    void addNode(NodeItem *node);
    void deleteNode(const ItemRef &ref);
    void deleteLink(QHash<QString, LinkItem *> *links, const QString &key);
    /// Label and look of a node from the document.
    void refreshNode(NodeItem *node);
    /// Creates, moves or deletes a cluster's link to its edge server.
    void syncServerLink(const Cluster &cluster);
    void syncClusterLinks(const Cluster &cluster);
    /// Items are about to be created or deleted: tools and the run overlay let go of theirs.
    void beginStructureChange();
    const Cluster *clusterOf(const ItemRef &ref) const;
    /// Sets every cluster's level of detail for the current zoom (see levelOfDetail()); clusters
    /// whose level did not change are not touched, unless their members changed.
    void applyLevelOfDetail();
    void setClusterDetail(const Cluster &cluster, double detail);
    /// All positions again (the shown round moved nodes, or stopped moving them).
    void syncGeometry();
    /// The hull's outline and the glyph's place and size from the cluster's members.
    void refreshHull(const Cluster &cluster);
    void applyClusterLevelOfDetail(const Cluster &cluster);
    /// Hull padding and link labels of a cluster at the current zoom (see setMetresPerPixel).
    void sizeClusterItems(const Cluster &cluster);
    void updateSceneRect();
    void updateFlags();
    void placeLabStep();

    TopologyDocument *m_document;
    AbstractTool *m_tool = nullptr;
    QHash<ItemRef, NodeItem *> m_nodes;
    QHash<QString, ClusterHullItem *> m_hulls;
    QHash<QString, ClusterGlyphItem *> m_glyphs; ///< by cluster id
    QHash<QString, double> m_detail;             ///< level of detail applied, by cluster id
    QHash<QString, LinkItem *> m_deviceLinks;    ///< D2D, by device id
    QHash<QString, LinkItem *> m_serverLinks;    ///< D2E, by cluster id
    QList<LinkItem *> m_links;                   ///< both, in document order (the label pass's)
    QSet<QString> m_dirtyHulls;                  ///< cluster ids whose hull waits for finishEdit
    bool m_linksReordered = false;
    bool m_structureChanging = false;
    bool m_selectionChanged = false;
    bool m_needsRebuild = false;
    bool m_editPending = false; ///< a change since the last finishEdit
    double m_metresPerPixel = 1.0;
    QRectF m_sceneRect; ///< set by updateSceneRect(); null before the first
    bool m_snap = false;
    bool m_rebuilding = false;
    int m_dragSerial = 0;
    bool m_dragging = false;       ///< between nextDragId() and endDrag()
    bool m_labelsStale = false;    ///< a drag step skipped the label pass
    bool m_labelsDeferred = false; ///< no view shown yet (see kDeferLabelsNodes)
    bool m_nonMoveEdit = false;    ///< the pending edit did more than move items
    int m_labelPasses = 0;
    QList<NodeItem *> m_labelNodes;        ///< m_nodes in the label pass's order
    QList<ClusterHullItem *> m_labelHulls; ///< m_hulls in the label pass's order
    bool m_labelOrderStale = true;         ///< nodes or hulls came or went since
    QTimer *m_dragSettle = nullptr;        ///< settles the labels once a drag pauses
    std::unique_ptr<RunOverlay> m_overlay;
    std::unique_ptr<ChunkedBuild> m_build; ///< a chunked build under way, else null
    QTimer *m_buildTimer = nullptr;        ///< the build's next turn
    int m_buildStepMs = kBuildStepMs;
    int m_chunkedBuildNodes = kChunkedBuildNodes;
    int m_buildSteps = 0;
    int m_piecewiseDeleteLimit = kPiecewiseDeleteLimit;
    int m_reusedItems = 0;
    QHash<ItemRef, Position> m_roundPositions; ///< moved nodes of the shown round (views only)
    std::optional<LabStepMark> m_labStep;
    LabStepItem *m_labStepItem = nullptr; ///< owned by the scene's item list
};

} // namespace collapipe
