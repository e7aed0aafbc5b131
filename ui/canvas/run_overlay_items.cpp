// SPDX-License-Identifier: MIT
// RunOverlay's items over the scene's edits (issue #16): made once, kept while their nodes stay,
// forgotten when their nodes go; never deleted one by one (O(n) each in the scene's list).
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/pipeline_hop_item.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"
#include "ui/model/topology_document.h"

#include <QSet>

namespace collapipe {

void RunOverlay::disarmItems()
{
    for (const BadgeEntry &entry : std::as_const(m_badges)) {
        entry.badge->setOnDestroyed({});
    }
    for (EdgeRunBadge *badge : std::as_const(m_edgeBadges)) {
        badge->setOnDestroyed({});
    }
    for (PipelineHopItem *item : m_hopItems) {
        if (item) {
            item->setOnDestroyed({});
        }
    }
}

void RunOverlay::sceneAboutToClear()
{
    // QGraphicsScene::clear() deletes every item, ours included, after this overlay may be gone.
    disarmItems();
    m_badges.clear();
    m_edgeBadges.clear();
    m_hopItems.clear();
    m_hops.clear();
    m_itemsCreated = false;
}

void RunOverlay::dropItems()
{
    // Nothing is deleted here: with the scene's NoIndex each deletion searched and shifted the
    // scene's list of every item (O(n) each, O(n²) for the overlay's ~2 items per device). The
    // items whose node goes die with it (a badge is its child) or with the scene's clear(), and
    // tell this overlay (setOnDestroyed); the others are kept and updated in place by
    // sceneRebuilt().
    m_itemsCreated = false;
    m_hops.clear();
    for (PipelineHopItem *item : m_hopItems) {
        if (item) {
            item->hide(); // its ends may go
        }
    }
}

void RunOverlay::ensureItems()
{
    if (m_itemsCreated) {
        return;
    }
    m_itemsCreated = true;
    // Kept items are reused (dropItems() deleted none); an item whose node was replaced (or
    // whose device went) is let go of: it dies with its old node.
    const auto forgetBadge = [this](const QString &id) {
        const auto it = m_badges.find(id);
        if (it != m_badges.end()) {
            it->badge->setOnDestroyed({});
            it->badge->hide();
            m_badges.erase(it);
        }
    };
    size_t hopCapacity = 0;
    QSet<QString> devices;
    for (const Cluster &cluster : m_scene->document()->scenario().topology.clusters) {
        hopCapacity += cluster.devices.size() + 1; // CU → s1 → … → sS → edge server
        for (const Device &device : cluster.devices) {
            NodeItem *node = m_scene->nodeItem({ItemKind::Device, device.id});
            if (!node) {
                continue;
            }
            devices.insert(device.id);
            const auto it = m_badges.constFind(device.id);
            if (it != m_badges.constEnd() && it->badge->parentItem() == node) {
                ++m_itemsReused;
                continue;
            }
            forgetBadge(device.id);
            auto *badge = new DeviceRunBadge(node);
            badge->hide();
            badge->setOnDestroyed([this, id = device.id] { m_badges.remove(id); });
            m_badges.insert(device.id, BadgeEntry{badge, false});
            ++m_itemsCreatedCount;
        }
    }
    if (devices.size() != m_badges.size()) {
        const QStringList ids = m_badges.keys();
        for (const QString &id : ids) {
            if (!devices.contains(id)) {
                forgetBadge(id);
            }
        }
    }
    QSet<QString> servers;
    for (const EdgeServer &server : m_scene->document()->scenario().topology.edgeServers) {
        NodeItem *node = m_scene->nodeItem({ItemKind::EdgeServer, server.id});
        if (!node) {
            continue;
        }
        servers.insert(server.id);
        EdgeRunBadge *kept = m_edgeBadges.value(server.id);
        if (kept && kept->parentItem() == node) {
            ++m_itemsReused;
            continue;
        }
        if (kept) {
            kept->setOnDestroyed({});
            kept->hide();
        }
        auto *badge = new EdgeRunBadge(node);
        badge->hide();
        badge->setOnDestroyed([this, id = server.id] { m_edgeBadges.remove(id); });
        m_edgeBadges.insert(server.id, badge);
        ++m_itemsCreatedCount;
    }
    for (auto it = m_edgeBadges.begin(); it != m_edgeBadges.end();) {
        if (servers.contains(it.key())) {
            ++it;
            continue;
        }
        it.value()->setOnDestroyed({});
        it.value()->hide();
        it = m_edgeBadges.erase(it);
    }
    // The hop pool only grows; a slot whose item the scene deleted (clear()) is filled again.
    if (m_hopItems.size() < hopCapacity) {
        m_hopItems.resize(hopCapacity, nullptr);
    }
    m_hops.reserve(m_hopItems.size());
    for (size_t i = 0; i < m_hopItems.size(); ++i) {
        if (m_hopItems[i]) {
            ++m_itemsReused;
            continue;
        }
        auto *item = new PipelineHopItem;
        item->hide();
        item->setOnDestroyed([this, i] { m_hopItems[i] = nullptr; });
        m_scene->addItem(item);
        m_hopItems[i] = item;
        ++m_itemsCreatedCount;
    }
}

} // namespace collapipe
