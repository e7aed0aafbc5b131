// SPDX-License-Identifier: MIT
// TopologyScene following its document, item by item (issue [7/7] "Scale"). Before, every add,
// remove or connect rebuilt the whole scene and every move repositioned every node through a
// linear id lookup: a drag was O(N²), a delete of N items N rebuilds. Now a change touches the
// items it names; finishEdit() does the whole-scene work once per edit (the document's changed()
// comes once per undo step). rebuild() stays for a new scenario and is what the incremental
// path must equal (tests/ui_canvas/tst_canvas_incremental).
#include "ui/canvas/abstract_tool.h"
#include "ui/canvas/canvas_labels.h"
#include "ui/canvas/cluster_glyph_item.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/control_unit_item.h"
#include "ui/canvas/device_item.h"
#include "ui/canvas/edge_server_item.h"
#include "ui/canvas/item_fade.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"
#include "ui/model/topology_document.h"

#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace collapipe {

void TopologyScene::rebuild()
{
    // A build under way starts over from the document as it is now (its items go below).
    const ItemRefList selection = m_build ? m_build->selection : selectedRefs();
    const bool wasBuilding = m_build != nullptr;
    std::unique_ptr<ChunkedBuild> previous = std::move(m_build);
    if (previous) {
        m_buildTimer->stop();
    }
    beginStructureChange();
    m_rebuilding = true;
    // In steps, the old items go in the build's first turn (Clear): deleting 300,000 items took
    // ~0.5–1 s, and in this turn the other views reset for the new scenario as well. Or they
    // are reused (ChunkedBuild::spareNodes).
    // Deselected first, while the glyphs live: clear() deleted a glyph before a selected device,
    // whose deselection then had selectionChanged update that glyph (a use after free).
    clearSelection(); // the selection is restored from refs at the end
    const bool inChunks = shouldBuildInChunks();
    if (!inChunks) {
        m_labStepItem = nullptr; // clear() deletes it; placeLabStep() makes a new one
        update();                // see the chunked build's steps
        clear();
    } else {
        // The old items wait as spares (the build reuses or deletes them), with those a build
        // under way had left over or made for the scenario as it was.
        update(); // see the build's steps: no item marked dirty one by one meanwhile
        startChunkedBuild(selection, std::move(previous));
    }
    m_nodes.clear();
    m_hulls.clear();
    m_labelNodes.clear();
    m_labelHulls.clear();
    m_labelOrderStale = true;
    m_glyphs.clear();
    m_detail.clear();
    m_deviceLinks.clear();
    m_serverLinks.clear();
    m_links.clear(); // made again by finishEdit(); nothing may reach the deleted ones meanwhile
    m_dirtyHulls.clear();
    m_needsRebuild = false;
    m_nonMoveEdit = true; // a new scenario: labels laid out at once, drag or not
    m_linksReordered = true;
    m_editPending = true;

    if (inChunks) {
        // m_rebuilding stays set until the build is complete. The edge servers are made (or
        // taken from the old items) after the old items' list: the Clear stage keeps them.
        addEdgeServerItems();
        Q_EMIT buildStarted();
        return;
    }
    addEdgeServerItems();
    for (const Cluster &cluster : m_document->scenario().topology.clusters) {
        addClusterItems(cluster);
    }
    m_rebuilding = false;
    finishEdit();
    selectRefs(selection);
    if (wasBuilding) {
        Q_EMIT buildFinished(); // the build under way ends here, at once
    }
}

void TopologyScene::addNode(NodeItem *node)
{
    if (node->scene() != this) { // else an old item reused (takeSpareNode)
        addItem(node);
        if (m_build) {
            ++m_build->madeItems;
        }
    }
    m_nodes.insert(node->ref(), node);
    m_labelOrderStale = true;
    node->setPos(toScenePoint(shownPosition(node->ref())));
    refreshNode(node);
}

void TopologyScene::addClusterItems(const Cluster &cluster)
{
    const QColor color = clusterColor(cluster.id);
    ClusterHullItem *hull = nullptr;
    ClusterGlyphItem *glyph = nullptr;
    if (m_build) {
        takeSpareCluster(cluster.id, &hull, &glyph);
    }
    if (!hull) {
        hull = new ClusterHullItem(cluster.id, color);
        addItem(hull);
        addItem(hull->labelItem());
        glyph = new ClusterGlyphItem(hull, cluster.id);
        addItem(glyph);
        if (m_build) {
            m_build->madeItems += 3;
        }
    }
    hull->setMetresPerPixel(m_metresPerPixel);
    hull->setLabel(cluster.name.isEmpty() ? cluster.id : cluster.name);
    m_hulls.insert(cluster.id, hull);
    m_labelOrderStale = true;
    glyph->setVisible(false); // applyLevelOfDetail decides
    m_glyphs.insert(cluster.id, glyph);
    m_dirtyHulls.insert(cluster.id);
    const ItemRef cuRef{ItemKind::ControlUnit, cluster.controlUnit.id};
    NodeItem *cu = takeSpareNode(cuRef);
    if (cu && static_cast<ControlUnitItem *>(cu)->color() != color) {
        m_build->doomed.push_back(cu); // drawn in another cluster's colour
        --m_reusedItems;
        cu = nullptr;
    }
    addNode(cu ? cu : new ControlUnitItem(cluster.controlUnit.id, color));
    for (const Device &device : cluster.devices) {
        addDeviceItems(device.id, cluster);
    }
    syncServerLink(cluster);
}

void TopologyScene::addDeviceItems(const QString &deviceId, const Cluster &cluster)
{
    const ItemRef ref{ItemKind::Device, deviceId};
    NodeItem *device = takeSpareNode(ref);
    addNode(device ? device : new DeviceItem(deviceId));
    LinkItem *link = m_build ? takeSpareLink(&m_build->spareDeviceLinks, deviceId) : nullptr;
    if (!link) {
        link = new LinkItem(LinkItem::Kind::D2D);
        addItem(link);
        if (m_build) {
            ++m_build->madeItems;
        }
    }
    link->setMetresPerPixel(m_metresPerPixel);
    m_deviceLinks.insert(deviceId, link);
    m_linksReordered = true;
    link->setEnds(toScenePoint(shownPosition({ItemKind::ControlUnit, cluster.controlUnit.id})),
        toScenePoint(shownPosition({ItemKind::Device, deviceId})));
}

void TopologyScene::refreshNode(NodeItem *node)
{
    const ItemRef &ref = node->ref();
    if (ref.kind == ItemKind::EdgeServer) {
        const int i = m_document->edgeServerIndex(ref.id);
        const QString name
            = i >= 0 ? m_document->scenario().topology.edgeServers[size_t(i)].name : QString();
        node->setLabel(name.isEmpty() ? ref.id : name);
    } else if (ref.kind == ItemKind::Device) {
        int ci = -1;
        int di = -1;
        if (m_document->deviceIndex(ref.id, &ci, &di)) {
            const Device &d
                = m_document->scenario().topology.clusters[size_t(ci)].devices[size_t(di)];
            node->setLabel(d.id); // names repeat ("Mid-range phone"); ids are unique
            static_cast<DeviceItem *>(node)->setAppearance(d.preset, d.computeFlops);
        }
    } else {
        node->setLabel(ref.id);
    }
}

void TopologyScene::syncServerLink(const Cluster &cluster)
{
    const int si = m_document->edgeServerIndex(cluster.edgeServerId);
    if (si < 0) {
        deleteLink(&m_serverLinks, cluster.id);
        return;
    }
    LinkItem *link = m_serverLinks.value(cluster.id);
    if (!link) {
        link = m_build ? takeSpareLink(&m_build->spareServerLinks, cluster.id) : nullptr;
        if (!link) {
            link = new LinkItem(LinkItem::Kind::D2E);
            addItem(link);
            if (m_build) {
                ++m_build->madeItems;
            }
        }
        link->setMetresPerPixel(m_metresPerPixel);
        m_serverLinks.insert(cluster.id, link);
        m_linksReordered = true;
        m_detail.remove(cluster.id); // its fade is set with the cluster's level of detail
    }
    link->setEnds(toScenePoint(shownPosition({ItemKind::ControlUnit, cluster.controlUnit.id})),
        toScenePoint(shownPosition({ItemKind::EdgeServer, cluster.edgeServerId})));
}

void TopologyScene::syncClusterLinks(const Cluster &cluster)
{
    const QPointF cu = toScenePoint(shownPosition({ItemKind::ControlUnit, cluster.controlUnit.id}));
    for (const Device &device : cluster.devices) {
        if (LinkItem *link = m_deviceLinks.value(device.id)) {
            link->setEnds(cu, toScenePoint(shownPosition({ItemKind::Device, device.id})));
        }
    }
    syncServerLink(cluster);
}

void TopologyScene::deleteLink(QHash<QString, LinkItem *> *links, const QString &key)
{
    if (LinkItem *link = links->take(key)) {
        beginStructureChange();
        delete link;
        m_linksReordered = true;
    }
}

void TopologyScene::deleteNode(const ItemRef &ref)
{
    if (NodeItem *node = m_nodes.take(ref)) {
        m_labelOrderStale = true;
        m_labelNodes.clear(); // no dangling pointer; the next pass sorts again
        m_selectionChanged = m_selectionChanged || node->isSelected();
        delete node; // its run badge (a child) goes with it; beginStructureChange dropped ours
    }
}

void TopologyScene::addEdgeServerItems()
{
    const Topology &topology = m_document->scenario().topology;
    m_nodes.reserve(static_cast<qsizetype>(topology.edgeServers.size() + topology.clusters.size()));
    for (const EdgeServer &server : topology.edgeServers) {
        NodeItem *node = takeSpareNode({ItemKind::EdgeServer, server.id});
        if (node) {
            m_build->reusedAtReset.append(node);
        }
        addNode(node ? node : new EdgeServerItem(server.id));
    }
}

void TopologyScene::beginStructureChange()
{
    if (m_structureChanging) {
        return;
    }
    m_structureChanging = true;
    if (m_tool) {
        m_tool->deactivate(); // drops any temporary item before items go
    }
    m_overlay->dropItems(); // recreated by finishEdit, matched by id
}

const Cluster *TopologyScene::clusterOf(const ItemRef &ref) const
{
    const int ci = ref.kind == ItemKind::Cluster ? m_document->clusterIndex(ref.id)
                                                 : m_document->clusterIndexOfMember(ref.id);
    return ci >= 0 ? &m_document->scenario().topology.clusters[size_t(ci)] : nullptr;
}

void TopologyScene::onItemAdded(const ItemRef &ref)
{
    if (restartBuildOnChange()) {
        return;
    }
    m_nonMoveEdit = true;
    m_editPending = true;
    if (m_needsRebuild) {
        return;
    }
    beginStructureChange();
    m_rebuilding = true;
    if (ref.kind == ItemKind::EdgeServer) {
        addNode(new EdgeServerItem(ref.id));
        for (const Cluster &cluster : m_document->scenario().topology.clusters) {
            if (cluster.edgeServerId == ref.id) {
                syncServerLink(cluster);
            }
        }
    } else if (const Cluster *cluster = clusterOf(ref)) {
        if (ref.kind == ItemKind::Cluster) {
            addClusterItems(*cluster);
        } else if (ref.kind == ItemKind::Device) {
            addDeviceItems(ref.id, *cluster);
            m_dirtyHulls.insert(cluster->id);
        }
    }
    m_rebuilding = false;
}

void TopologyScene::onItemAboutToBeRemoved(const ItemRef &ref)
{
    if (restartBuildOnChange()) {
        return;
    }
    m_nonMoveEdit = true;
    m_editPending = true;
    if (m_needsRebuild) {
        return;
    }
    beginStructureChange();
    m_rebuilding = true; // one selectedRefsChanged at the end of the edit
    if (ref.kind == ItemKind::EdgeServer) {
        deleteNode(ref);
        for (const Cluster &cluster : m_document->scenario().topology.clusters) {
            if (cluster.edgeServerId == ref.id) {
                deleteLink(&m_serverLinks, cluster.id);
            }
        }
    } else if (ref.kind == ItemKind::Device) {
        deleteNode(ref);
        deleteLink(&m_deviceLinks, ref.id);
        if (const Cluster *cluster = clusterOf(ref)) {
            m_dirtyHulls.insert(cluster->id);
        }
    } else if (const Cluster *cluster = clusterOf(ref); cluster && ref.kind == ItemKind::Cluster) {
        for (const Device &device : cluster->devices) {
            deleteNode({ItemKind::Device, device.id});
            deleteLink(&m_deviceLinks, device.id);
        }
        deleteNode({ItemKind::ControlUnit, cluster->controlUnit.id});
        deleteLink(&m_serverLinks, cluster->id);
        delete m_glyphs.take(cluster->id);
        m_detail.remove(cluster->id);
        if (ClusterHullItem *hull = m_hulls.take(cluster->id)) {
            m_labelOrderStale = true;
            m_labelHulls.clear();
            m_selectionChanged = m_selectionChanged || hull->isSelected();
            ClusterLabelItem *label = hull->labelItem(); // in the scene: the hull leaves it
            delete hull;
            delete label;
        }
        m_dirtyHulls.remove(cluster->id);
    }
    m_rebuilding = false;
}

void TopologyScene::onItemMoved(const ItemRef &ref)
{
    if (restartBuildOnChange()) {
        return;
    }
    NodeItem *node = m_nodes.value(ref);
    if (!node || m_needsRebuild) {
        return;
    }
    m_editPending = true;
    node->setPos(toScenePoint(shownPosition(ref)));
    if (ref.kind == ItemKind::EdgeServer) {
        for (const Cluster &cluster : m_document->scenario().topology.clusters) {
            if (cluster.edgeServerId == ref.id) {
                syncServerLink(cluster);
            }
        }
        return;
    }
    const Cluster *cluster = clusterOf(ref);
    if (!cluster) {
        return;
    }
    m_dirtyHulls.insert(cluster->id);
    if (ref.kind == ItemKind::ControlUnit) {
        syncClusterLinks(*cluster);
    } else if (LinkItem *link = m_deviceLinks.value(ref.id)) {
        link->setEnds(toScenePoint(shownPosition({ItemKind::ControlUnit, cluster->controlUnit.id})),
            node->pos());
    }
}

void TopologyScene::onPropertyChanged(const ItemRef &ref, const QString &key)
{
    if (ref.kind == ItemKind::Settings) {
        return; // nothing on the canvas shows settings
    }
    if (restartBuildOnChange()) {
        return;
    }
    m_editPending = true;
    m_nonMoveEdit = true;
    if (key == QLatin1String("id")) {
        m_needsRebuild = true; // every map here is keyed by id; rare enough to start over
        return;
    }
    if (m_needsRebuild) {
        return;
    }
    if (NodeItem *node = m_nodes.value(ref)) {
        refreshNode(node);
    } else if (ref.kind == ItemKind::Cluster) {
        if (const Cluster *cluster = clusterOf(ref)) {
            m_hulls.value(cluster->id)
                ->setLabel(cluster->name.isEmpty() ? cluster->id : cluster->name);
            syncServerLink(*cluster); // edge_server_id may be what changed
        }
    }
}

void TopologyScene::onClusterConnected(const QString &clusterId)
{
    if (restartBuildOnChange()) {
        return;
    }
    m_nonMoveEdit = true;
    m_editPending = true;
    if (const Cluster *cluster = clusterOf({ItemKind::Cluster, clusterId});
        cluster && !m_needsRebuild) {
        syncServerLink(*cluster);
    }
}

void TopologyScene::finishEdit()
{
    if (m_needsRebuild) {
        rebuild(); // calls finishEdit again
        return;
    }
    if (isMakingItems()) {
        return; // the build finishes the edit once its items are made
    }
    if (!m_editPending) {
        return; // e.g. the changed() after a reset, which rebuild() has finished already
    }
    m_editPending = false;
    const Topology &topology = m_document->scenario().topology;
    for (const QString &id : std::as_const(m_dirtyHulls)) {
        const int ci = m_document->clusterIndex(id);
        if (ci >= 0) {
            refreshHull(topology.clusters[size_t(ci)]);
        }
    }
    m_dirtyHulls.clear();
    if (m_linksReordered) {
        // Document order, as a rebuild makes it: the label pass is greedy, so its input order
        // must not depend on the history of edits.
        m_links.clear();
        m_links.reserve(m_deviceLinks.size() + m_serverLinks.size());
        for (const Cluster &cluster : topology.clusters) {
            for (const Device &device : cluster.devices) {
                if (LinkItem *link = m_deviceLinks.value(device.id)) {
                    m_links.append(link);
                }
            }
            if (LinkItem *link = m_serverLinks.value(cluster.id)) {
                m_links.append(link);
            }
        }
        m_linksReordered = false;
    }
    if (m_structureChanging) {
        m_structureChanging = false;
        updateFlags();
        m_overlay->sceneRebuilt(); // re-applies a shown round to the new items, matched by id
    }
    if (m_dragging && !m_nonMoveEdit) {
        // A drag step (see nextDragId()): the level of detail of the moved clusters (cheap), not
        // the whole label pass, which waits for a pause or the end of the drag.
        applyLevelOfDetail();
        m_labelsStale = true;
        m_dragSettle->start();
    } else if (m_build) {
        // The build lays the labels out in steps once the views have fitted the topology.
    } else if (!deferLabelsWhileHidden()) {
        layoutLabels();
    }
    m_nonMoveEdit = false;
    updateSceneRect();
    m_overlay->syncGeometry();
    placeLabStep();
    if (m_selectionChanged) {
        m_selectionChanged = false;
        Q_EMIT selectedRefsChanged(selectedRefs());
    }
}

void TopologyScene::refreshHull(const Cluster &cluster)
{
    ClusterHullItem *hull = m_hulls.value(cluster.id);
    if (!hull) {
        return;
    }
    QList<QPointF> points{
        toScenePoint(shownPosition({ItemKind::ControlUnit, cluster.controlUnit.id}))};
    points.reserve(static_cast<qsizetype>(cluster.devices.size() + 1));
    for (const Device &device : cluster.devices) {
        points.append(toScenePoint(shownPosition({ItemKind::Device, device.id})));
    }
    hull->setPoints(points);
    const QRectF extent = QPolygonF(points.toVector()).boundingRect();
    ClusterGlyphItem *glyph = m_glyphs.value(cluster.id);
    glyph->setPos(points.front());
    glyph->setDeviceCount(static_cast<int>(cluster.devices.size()));
    glyph->setExtentM(std::max(extent.width(), extent.height()));
    m_detail.remove(cluster.id); // members may be new: applyLevelOfDetail sets them all again
}

void TopologyScene::syncGeometry()
{
    // Every node, link and hull (mobility: the shown round moved nodes, or stopped moving them).
    for (NodeItem *node : std::as_const(m_nodes)) {
        node->setPos(toScenePoint(shownPosition(node->ref())));
    }
    for (const Cluster &cluster : m_document->scenario().topology.clusters) {
        syncClusterLinks(cluster);
        m_dirtyHulls.insert(cluster.id);
    }
    m_editPending = true;
    m_nonMoveEdit = true; // the round's positions, not a drag step
    finishEdit();
}

void TopologyScene::applyLevelOfDetail()
{
    for (const Cluster &cluster : m_document->scenario().topology.clusters) {
        applyClusterLevelOfDetail(cluster);
    }
}

void TopologyScene::applyClusterLevelOfDetail(const Cluster &cluster)
{
    ClusterGlyphItem *glyph = m_glyphs.value(cluster.id);
    if (!glyph) {
        return;
    }
    const double room = glyph->extentM() / m_metresPerPixel
        / std::sqrt(double(std::max(glyph->deviceCount(), 1)));
    const double x = std::clamp((room - kGlyphRoomPx) / (kDetailRoomPx - kGlyphRoomPx), 0.0, 1.0);
    const double detail = x * x * (3.0 - 2.0 * x); // smoothstep: no jump at either end
    const auto known = m_detail.constFind(cluster.id);
    if (known == m_detail.cend() || *known != detail) {
        m_detail.insert(cluster.id, detail);
        setClusterDetail(cluster, detail);
    }
    if (detail < 0.5) {
        // The name goes above or below the glyph instead of the hull (which the hull's zoom
        // update has just put back).
        const double r = glyph->iconBounds().height() / 2.0 * m_metresPerPixel;
        const QPointF at = glyph->pos();
        glyph->hull()->labelItem()->setAnchors(at - QPointF(0, r), at + QPointF(0, r));
    }
}

void TopologyScene::setClusterDetail(const Cluster &cluster, double detail)
{
    ClusterGlyphItem *glyph = m_glyphs.value(cluster.id);
    glyph->setOpacity(1.0 - detail);
    glyph->setVisible(detail < 1.0);
    glyph->setAcceptedMouseButtons(detail < 0.5 ? Qt::LeftButton : Qt::NoButton);
    setDetailOpacity(m_hulls.value(cluster.id), detail);
    if (NodeItem *cu = m_nodes.value({ItemKind::ControlUnit, cluster.controlUnit.id})) {
        setDetailOpacity(cu, detail);
    }
    if (LinkItem *link = m_serverLinks.value(cluster.id)) {
        // Zoomed out, a hundred links converging on the servers drowned the glyphs: the link of
        // a glyph recedes, and comes back with the cluster's detail.
        setDetailOpacity(link, kGlyphLinkOpacity + (1.0 - kGlyphLinkOpacity) * detail);
    }
    for (const Device &device : cluster.devices) {
        if (NodeItem *node = m_nodes.value({ItemKind::Device, device.id})) {
            setDetailOpacity(node, detail);
        }
        if (LinkItem *link = m_deviceLinks.value(device.id)) {
            setDetailOpacity(link, detail);
        }
    }
}

} // namespace collapipe
