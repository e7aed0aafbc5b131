// SPDX-License-Identifier: MIT
// TopologyScene's chunked build (issue [7/7] "The UI thread never blocks"): a new scenario of
// 100,000 devices opened from the shown window made ~300,000 items, 10,000 hulls, the level of
// detail and the label pass in one go, ~2.5 s of a frozen window. Here the same work runs in
// turns of the event loop, none longer than buildStepMs(): the old items are reused where the new
// scenario has their ids again (issue #16: a reopen deleted ~300,000 items in one clear() and had
// Qt sort as many new ones, 0.3–0.5 s and ~0.2 s of a frozen window), else they go a part per
// turn before any new item is made (hidden and restacked first, then deleted in the order that
// costs Qt's lists nothing: one clear() held the GUI thread ~0.65 s when another file's ids
// came), the items cluster by cluster (each cluster's hull and glyph with it), the old items not
// reused (a part per turn), then
// what finishEdit() does for the whole scene (link order, flags, scene rect), then the views fit
// the topology (topologyBuilt), then the level of detail cluster by cluster and the label pass
// item by item (CanvasLabelPass) at the final zoom.
// The result equals rebuild()'s at once (tests/ui_canvas/tst_canvas_open).
#include "ui/canvas/canvas_labels.h"
#include "ui/canvas/cluster_glyph_item.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/item_fade.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"
#include "ui/model/topology_document.h"

#include <QGraphicsView>

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

namespace collapipe {

namespace topology_scene_build_detail {
/// The stacking order of the old items being cleared: below any item of the scene.
constexpr double kClearedZ = -1e12;
} // namespace topology_scene_build_detail

bool TopologyScene::shouldBuildInChunks() const
{
    const Topology &topology = m_document->scenario().topology;
    std::size_t nodes = topology.edgeServers.size() + topology.clusters.size();
    for (const Cluster &cluster : topology.clusters) {
        nodes += cluster.devices.size();
    }
    if (nodes < std::size_t(std::max(m_chunkedBuildNodes, 0))) {
        return false;
    }
    // Only while the window shows: before it does (a file given at start-up) there is nothing
    // to keep painting, and the label pass waits for the view anyway (kDeferLabelsNodes).
    const QList<QGraphicsView *> shownIn = views();
    return std::any_of(shownIn.begin(), shownIn.end(),
        [](const QGraphicsView *view) { return view->isVisible(); });
}

void TopologyScene::startChunkedBuild(
    const ItemRefList &selection, std::unique_ptr<ChunkedBuild> previous)
{
    // What a build under way had left over, or had made for the scenario as it was, goes with
    // the old items not reused (it may be either).
    std::vector<QGraphicsItem *> leftOver;
    bool clearing = false;
    if (previous) {
        const auto doom = [&leftOver](const auto &spares) {
            for (QGraphicsItem *item : spares) {
                leftOver.push_back(item);
            }
        };
        // Glyphs before their hulls, hulls before their labels (see collectDoomed).
        doom(previous->spareGlyphs);
        for (ClusterHullItem *hull : std::as_const(previous->spareHulls)) {
            leftOver.push_back(hull);
            leftOver.push_back(hull->labelItem());
        }
        doom(previous->spareNodes);
        doom(previous->spareDeviceLinks);
        doom(previous->spareServerLinks);
        leftOver.insert(leftOver.end(), previous->doomed.begin() + qsizetype(previous->nextDoomed),
            previous->doomed.end());
        // A clear under way (Hide, Restack, Delete) left old items in the scene: the new build
        // clears every old item too (they are all in items()), whatever it could reuse.
        clearing = previous->stage == ChunkedBuild::Stage::Hide
            || previous->stage == ChunkedBuild::Stage::Restack
            || previous->stage == ChunkedBuild::Stage::Delete;
        previous.reset(); // waits for its label sort, if any
    }
    m_build = std::make_unique<ChunkedBuild>();
    m_build->selection = selection;
    m_build->doomed = std::move(leftOver);
    m_build->spareNodes = std::exchange(m_nodes, {});
    m_build->spareHulls = std::exchange(m_hulls, {});
    m_build->spareGlyphs = std::exchange(m_glyphs, {});
    m_build->spareDeviceLinks = std::exchange(m_deviceLinks, {});
    m_build->spareServerLinks = std::exchange(m_serverLinks, {});
    m_build->oldItems = items(); // no index: the scene's own list, shared, not copied
    m_build->reuse = m_piecewiseDeleteLimit >= 0 && !clearing;
    m_buildSteps = 0;
    m_reusedItems = 0;
    if (!m_buildTimer) {
        m_buildTimer = new QTimer(this);
        m_buildTimer->setSingleShot(true);
        m_buildTimer->setInterval(0);
        connect(m_buildTimer, &QTimer::timeout, this, [this] {
            if (!m_build) {
                return;
            }
            // The views do not paint during the build (buildStarted()): a pending update of the
            // whole scene has Qt skip marking each item the step changes as dirty, and the
            // queued pass over every item that would collect them after each step (~0.1 s at
            // 100,000 devices when a step touched many, ~20 ms when it touched few).
            update();
            if (buildStep(QDeadlineTimer(m_buildStepMs))) {
                scheduleBuildStep();
            }
        });
    }
    scheduleBuildStep(); // rebuild() emits buildStarted() once the build has its spares
}

void TopologyScene::scheduleBuildStep()
{
    ++m_buildSteps;
    m_buildTimer->start();
}

void TopologyScene::finishBuildNow()
{
    if (!m_build) {
        return;
    }
    m_buildTimer->stop();
    while (m_build && buildStep(QDeadlineTimer(QDeadlineTimer::Forever))) { }
}

bool TopologyScene::restartBuildOnChange()
{
    if (!m_build) {
        return false;
    }
    // The items built so far follow the document as it was: start over when the edit ends
    // (finishEdit() rebuilds), rather than patch a half-built scene.
    m_needsRebuild = true;
    m_editPending = true;
    return true;
}

void TopologyScene::sizeClusterItems(const Cluster &cluster)
{
    if (ClusterHullItem *hull = m_hulls.value(cluster.id)) {
        hull->setMetresPerPixel(m_metresPerPixel);
    }
    if (LinkItem *link = m_serverLinks.value(cluster.id)) {
        link->setMetresPerPixel(m_metresPerPixel);
    }
    for (const Device &device : cluster.devices) {
        if (LinkItem *link = m_deviceLinks.value(device.id)) {
            link->setMetresPerPixel(m_metresPerPixel);
        }
    }
}

NodeItem *TopologyScene::takeSpareNode(const ItemRef &ref)
{
    NodeItem *node = m_build && m_build->reuse ? m_build->spareNodes.take(ref) : nullptr;
    if (node) {
        // What a new item has that the old one may have lost: the label layout and the flags
        // decide again, the run overlay dims again what it dims.
        ++m_reusedItems;
        clearRunOpacity(node);
        node->setLabelSide(NodeItem::LabelSide::Below);
        node->setLabelVisible(true);
        node->setFlagged(false);
    }
    return node;
}

void TopologyScene::takeSpareCluster(
    const QString &clusterId, ClusterHullItem **hull, ClusterGlyphItem **glyph)
{
    if (!m_build->reuse) {
        return;
    }
    // The old cluster of that id: its hull, label and glyph, set up as new ones would be.
    *hull = m_build->spareHulls.take(clusterId);
    *glyph = m_build->spareGlyphs.take(clusterId);
    if (*hull && *glyph && (*glyph)->hull() == *hull) {
        m_reusedItems += 3;
        ClusterLabelItem *label = (*hull)->labelItem();
        clearRunOpacity(*hull);
        clearRunOpacity(label);
        (*hull)->setFlagged(false); // updateFlags() decides
        label->setBelow(false);
        label->setVisible(true);
        (*glyph)->setLoad(-1.0, 0);
        (*glyph)->setFlagged(false);
        (*glyph)->setOpacity(1.0);
        return;
    }
    if (*glyph) {
        m_build->doomed.push_back(*glyph);
    }
    if (*hull) {
        m_build->doomed.push_back(*hull);
        m_build->doomed.push_back((*hull)->labelItem());
    }
    *hull = nullptr;
    *glyph = nullptr;
}

LinkItem *TopologyScene::takeSpareLink(QHash<QString, LinkItem *> *spares, const QString &key)
{
    LinkItem *link = m_build->reuse ? spares->take(key) : nullptr;
    if (link) {
        ++m_reusedItems;
        clearRunOpacity(link);
        link->setShowDistance(true);
        link->setDistanceFits(true);
    }
    return link;
}

bool TopologyScene::planReuse() const
{
    const ChunkedBuild &build = *m_build;
    const Topology &topology = m_document->scenario().topology;
    qsizetype nodes = 0;
    qsizetype clusters = 0;
    qsizetype deviceLinks = 0;
    qsizetype serverLinks = 0;
    for (const Cluster &cluster : topology.clusters) {
        clusters += build.spareHulls.contains(cluster.id) ? 1 : 0;
        nodes += build.spareNodes.contains({ItemKind::ControlUnit, cluster.controlUnit.id}) ? 1 : 0;
        for (const Device &device : cluster.devices) {
            nodes += build.spareNodes.contains({ItemKind::Device, device.id}) ? 1 : 0;
            deviceLinks += build.spareDeviceLinks.contains(device.id) ? 1 : 0;
        }
        serverLinks += m_document->edgeServerIndex(cluster.edgeServerId) >= 0
                && build.spareServerLinks.contains(cluster.id)
            ? 1
            : 0;
    }
    // A hull comes with its label and glyph.
    const qsizetype leftOver = build.spareNodes.size() - nodes
        + 3 * (build.spareHulls.size() - clusters) + build.spareDeviceLinks.size() - deviceLinks
        + build.spareServerLinks.size() - serverLinks + qsizetype(build.doomed.size());
    return leftOver <= m_piecewiseDeleteLimit;
}

void TopologyScene::collectDoomed()
{
    ChunkedBuild &build = *m_build;
    // A glyph draws its hull's colour and a hull deletes its label unless the scene has it: the
    // glyph first, then the hull, then its label.
    for (ClusterGlyphItem *glyph : std::as_const(build.spareGlyphs)) {
        build.doomed.push_back(glyph);
    }
    for (ClusterHullItem *hull : std::as_const(build.spareHulls)) {
        build.doomed.push_back(hull);
        build.doomed.push_back(hull->labelItem());
    }
    for (NodeItem *node : std::as_const(build.spareNodes)) {
        build.doomed.push_back(node); // its run badge (a child) goes with it
    }
    for (LinkItem *link : std::as_const(build.spareDeviceLinks)) {
        build.doomed.push_back(link);
    }
    for (LinkItem *link : std::as_const(build.spareServerLinks)) {
        build.doomed.push_back(link);
    }
    build.spareGlyphs.clear();
    build.spareHulls.clear();
    build.spareNodes.clear();
    build.spareDeviceLinks.clear();
    build.spareServerLinks.clear();
}

void TopologyScene::planClear(const QList<QGraphicsItem *> &oldItems)
{
    ChunkedBuild &build = *m_build;
    // The old items still in the scene: an item added since rebuild() (by another view's reset
    // handler) is not one of them, an old item deleted meanwhile is gone. The list is shared
    // with oldItems unless something was added or removed meanwhile. The old edge servers the
    // reset took for the new scenario stay.
    std::vector<QGraphicsItem *> old;
    {
        const QList<QGraphicsItem *> now = items();
        if (now.constData() == oldItems.constData() && now.size() == oldItems.size()) {
            old.assign(now.cbegin(), now.cend());
        } else {
            std::vector<QGraphicsItem *> before(oldItems.cbegin(), oldItems.cend());
            std::sort(before.begin(), before.end());
            for (QGraphicsItem *item : now) {
                if (std::binary_search(before.begin(), before.end(), item)) {
                    old.push_back(item);
                }
            }
        }
    }
    std::vector<QGraphicsItem *> keep(build.reusedAtReset.cbegin(), build.reusedAtReset.cend());
    std::sort(keep.begin(), keep.end());
    // Children go with their parents (a run badge with its device).
    std::erase_if(old, [&keep](QGraphicsItem *item) {
        return item->parentItem() || std::binary_search(keep.begin(), keep.end(), item);
    });
    // Highest address first: Qt's index (NoIndex) keeps its items sorted by address and deletes
    // from the back of it at no cost. A hull deletes its label unless the scene has it, and the
    // label draws from its hull: each label goes right after its hull (Delete deletes both in
    // one go; they were made one after the other, so their addresses are close).
    std::sort(old.begin(), old.end());
    const auto isOld
        = [&old](QGraphicsItem *item) { return std::binary_search(old.begin(), old.end(), item); };
    QHash<QGraphicsItem *, QGraphicsItem *> labelOf; // hull -> its label
    std::vector<QGraphicsItem *> withHull;           // those labels, by address
    for (QGraphicsItem *item : old) {
        if (auto *label = dynamic_cast<ClusterLabelItem *>(item)) {
            if (label->hull() && isOld(label->hull())) {
                labelOf.insert(label->hull(), item);
                withHull.push_back(item);
            }
        }
    }
    std::vector<QGraphicsItem *> order;
    order.reserve(old.size());
    for (auto it = old.rbegin(); it != old.rend(); ++it) {
        QGraphicsItem *item = *it;
        if (std::binary_search(withHull.begin(), withHull.end(), item)) {
            continue; // goes with its hull
        }
        order.push_back(item);
        if (QGraphicsItem *label = labelOf.value(item)) {
            order.push_back(label);
        }
    }
    build.cleared = std::move(order);
    build.nextCleared = 0;
}

bool TopologyScene::buildStep(const QDeadlineTimer &deadline)
{
    ChunkedBuild &build = *m_build;
    const Topology &topology = m_document->scenario().topology;
    // Each turn does at least one unit of work (a cluster, a stage's step), so a budget of 0 ms
    // builds a cluster a turn instead of none (tests force many turns that way).
    bool progressed = false;
    const auto timeIsUp = [&] { return progressed && deadline.hasExpired(); };
    for (;;) {
        switch (build.stage) {
        case ChunkedBuild::Stage::Clear:
            build.stage = ChunkedBuild::Stage::Items;
            build.reuse = build.reuse && planReuse(); // ~30 ms of lookups at 100,000 devices
            progressed = true;
            if (build.reuse) {
                build.oldItems.clear();
                break; // the items not reused go in the Sweep stage
            }
            // Not reused: the old items go a part per turn (Hide, Restack, Delete).
            m_labStepItem = nullptr; // placeLabStep() makes a new one
            build.spareNodes.clear();
            build.spareHulls.clear();
            build.spareGlyphs.clear();
            build.spareDeviceLinks.clear();
            build.spareServerLinks.clear();
            build.doomed.clear();
            m_reusedItems = int(build.reusedAtReset.size());
            build.stage = ChunkedBuild::Stage::Hide; // planClear() there, in a turn of its own
            if (!deadline.isForever()) {
                return true;
            }
            break;
        case ChunkedBuild::Stage::Hide:
            if (!build.oldItems.isEmpty()) {
                planClear(build.oldItems); // ~50 ms at 100,000 devices
                build.oldItems.clear();
                progressed = true;
            }
            // Out of sight and out of reach at once (the views do not paint meanwhile), and
            // stacked lowest in the order they go: Qt's top-level list, sorted by stacking
            // order, then has the next to go at its front.
            for (; build.nextCleared < build.cleared.size(); ++build.nextCleared) {
                if (timeIsUp()) {
                    return true;
                }
                progressed = true;
                QGraphicsItem *item = build.cleared[build.nextCleared];
                item->setVisible(false);
                item->setZValue(topology_scene_build_detail::kClearedZ + double(build.nextCleared));
            }
            build.stage = ChunkedBuild::Stage::Restack;
            break;
        case ChunkedBuild::Stage::Restack:
            // A turn of its own: any query by area has Qt sort the top-level items by stacking
            // order (the hidden ones are skipped cheaply after that).
            if (progressed && !deadline.isForever()) {
                return true;
            }
            progressed = true;
            if (!build.cleared.empty()) {
                items(QRectF(), Qt::IntersectsItemBoundingRect);
            }
            build.nextCleared = 0;
            build.stage = ChunkedBuild::Stage::Delete;
            break;
        case ChunkedBuild::Stage::Delete:
            for (; build.nextCleared < build.cleared.size(); ++build.nextCleared) {
                if (timeIsUp()) {
                    return true;
                }
                progressed = true;
                QGraphicsItem *item = build.cleared[build.nextCleared];
                QGraphicsItem *label = nullptr;
                if (const auto *hull = dynamic_cast<const ClusterHullItem *>(item); hull
                    && build.nextCleared + 1 < build.cleared.size()
                    && build.cleared[build.nextCleared + 1] == hull->labelItem()) {
                    label = hull->labelItem(); // goes with it, never a turn after
                    ++build.nextCleared;
                }
                delete item;
                delete label;
            }
            build.cleared.clear();
            build.nextCleared = 0;
            build.stage = ChunkedBuild::Stage::Items;
            break;
        case ChunkedBuild::Stage::Items:
            // A cluster is ~2 K + 5 items (K devices): tens of microseconds, so the clock is
            // read once per cluster.
            for (; build.next < topology.clusters.size(); ++build.next) {
                if (timeIsUp()) {
                    return true;
                }
                progressed = true;
                const Cluster &cluster = topology.clusters[build.next];
                addClusterItems(cluster);
                // What finishEdit() would do for the cluster, while it is at hand: its hull, and
                // its links in document order (devices, then the server's).
                refreshHull(cluster);
                m_dirtyHulls.remove(cluster.id);
                for (const Device &device : cluster.devices) {
                    if (LinkItem *link = m_deviceLinks.value(device.id)) {
                        m_links.append(link);
                    }
                }
                if (LinkItem *link = m_serverLinks.value(cluster.id)) {
                    m_links.append(link);
                }
            }
            m_linksReordered = false; // m_links is in document order already
            build.stage = ChunkedBuild::Stage::Sweep;
            collectDoomed();
            break;
        case ChunkedBuild::Stage::Sweep:
            // Each deletion searches and moves Qt's lists of items (~50 µs at 300,000 items):
            // the clock is read after each.
            for (; build.nextDoomed < build.doomed.size(); ++build.nextDoomed) {
                if (timeIsUp()) {
                    return true;
                }
                progressed = true;
                delete build.doomed[build.nextDoomed];
            }
            build.doomed.clear();
            build.nextDoomed = 0;
            build.stage = ChunkedBuild::Stage::Finish;
            break;
        case ChunkedBuild::Stage::Finish:
            if (timeIsUp()) {
                return true;
            }
            progressed = true;
            finishEdit(); // flags, overlay, scene rect; the labels wait (Detail, Labels)
            build.stage = ChunkedBuild::Stage::Fit;
            break;
        case ChunkedBuild::Stage::Fit:
            if (timeIsUp()) {
                return true;
            }
            progressed = true;
            build.stage = ChunkedBuild::Stage::Detail;
            build.next = 0;
            Q_EMIT topologyBuilt(); // the views fit now: the labels are laid out at that zoom
            break;
        case ChunkedBuild::Stage::Detail:
            for (; build.next < topology.clusters.size(); ++build.next) {
                if (timeIsUp()) {
                    return true;
                }
                progressed = true;
                const Cluster &cluster = topology.clusters[build.next];
                sizeClusterItems(cluster); // what setMetresPerPixel() skipped meanwhile
                applyClusterLevelOfDetail(cluster);
            }
            if (m_labelOrderStale && !build.labelOrder.valid()) {
                // Sorting 110,000 nodes by id took ~0.1 s: a worker does it. It only reads the
                // items' refs, which nothing changes during the build.
                build.labelOrder = std::async(std::launch::async,
                    [nodes = m_nodes.values(), hulls = m_hulls.values()]() mutable {
                        sortForLabelLayout(&nodes, &hulls);
                        return std::pair{std::move(nodes), std::move(hulls)};
                    });
            }
            if (build.labelOrder.valid()) {
                if (deadline.isForever()) {
                    build.labelOrder.wait();
                } else if (build.labelOrder.wait_until(
                               deadline.deadline<std::chrono::steady_clock>())
                    != std::future_status::ready) {
                    return true;
                }
                std::tie(m_labelNodes, m_labelHulls) = build.labelOrder.get();
                m_labelOrderStale = false;
                progressed = true;
            }
            build.stage = ChunkedBuild::Stage::Sort;
            break;
        case ChunkedBuild::Stage::Sort:
            // A turn of its own, begun fresh and followed by others (the label pass's), so the
            // window paints and handles events on both sides of it.
            if (progressed && !deadline.isForever()) {
                return true;
            }
            progressed = true;
            // Any query by area makes Qt sort the top-level items by stacking order (~0.15 s at
            // 100,000 devices, mostly cache misses): here rather than in the first frame, which
            // would add it to its own block. The level of detail is applied, so the query skips
            // the faded items cheaply; neither the label pass nor the end adds or restacks an
            // item (a Lab step mark aside), so the frame finds them sorted.
            // A build that made no item (every one reused) leaves Qt nothing to sort: the query
            // would only visit every item (~50 ms at 100,000 devices).
            if (build.madeItems > 0) {
                items(QRectF(), Qt::IntersectsItemBoundingRect);
            }
            // What layoutLabels() does before its pass; the pass itself goes in steps.
            ++m_labelPasses;
            m_labelsStale = false;
            m_labelsDeferred = false;
            build.labels = std::make_unique<CanvasLabelPass>(m_metresPerPixel, m_labelNodes,
                m_labelHulls, m_links, m_overlay->shownBadges(), m_glyphs.values(),
                m_overlay->shownEdgeBadges());
            build.stage = ChunkedBuild::Stage::Labels;
            if (!deadline.isForever()) {
                return true;
            }
            break;
        case ChunkedBuild::Stage::Labels: {
            if (!build.labels->run(deadline)) {
                return true;
            }
            const ItemRefList selection = build.selection;
            m_build.reset();
            m_rebuilding = false;
            m_overlay->syncGeometry();
            placeLabStep();
            selectRefs(selection);
            Q_EMIT buildFinished();
            return false;
        }
        }
    }
}

} // namespace collapipe
