// SPDX-License-Identifier: MIT
#include "ui/canvas/run_overlay.h"

#include "ui/canvas/cluster_glyph_item.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/item_fade.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/topology_scene.h"
#include "ui/model/topology_document.h"

#include <QCoreApplication>
#include <QMap>

#include <algorithm>
#include <cmath>

namespace collapipe {

namespace {

constexpr double kIdleOpacity = 0.35;
constexpr double kAwayOpacity = 0.6;      // faded, but its red cross and "away" chip stay legible
constexpr qsizetype kEdgeTailLines = 4;   // an edge-tail chip lists at most this many clusters
constexpr double kPlainLinkOpacity = 0.3; // the editor's star links recede behind the pipeline

QString bytesText(double bytes)
{
    if (!std::isfinite(bytes)) {
        return QStringLiteral("—");
    }
    return bytes >= 1e9 ? QStringLiteral("%1 GB").arg(bytes / 1e9, 0, 'f', 2)
                        : QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 1);
}

QString rateText(double bps)
{
    if (!(bps > 0.0)) {
        return QStringLiteral("—");
    }
    return bps >= 1e9 ? QStringLiteral("%1 Gbit/s").arg(bps / 1e9, 0, 'f', 2)
                      : QStringLiteral("%1 Mbit/s").arg(bps / 1e6, 0, 'f', 1);
}

QString percent(double fraction)
{
    return std::isfinite(fraction) ? QStringLiteral("%1 %").arg(100.0 * fraction, 0, 'f', 0)
                                   : QStringLiteral("—");
}

DeviceRunState stateOf(const DeviceRound &d, double latencyS)
{
    DeviceRunState s;
    s.idle = d.firstBlock < 0 || d.stage < 0;
    s.away = !d.present;
    s.firstBlock = d.firstBlock;
    s.lastBlock = d.lastBlock;
    s.loadFraction = latencyS > 0.0 ? d.busyS / latencyS : 0.0;
    const double capacity = d.memoryCapacityBytes;
    const bool known = capacity > 0.0;
    s.memoryFraction = known ? d.memoryPredictedBytes / capacity : kNotMeasured;
    s.measuredFraction = known && std::isfinite(d.memoryMeasuredBytes)
        ? d.memoryMeasuredBytes / capacity
        : kNotMeasured;
    s.overCapacity = known
        && (d.memoryPredictedBytes > capacity
            || (std::isfinite(d.memoryMeasuredBytes) && d.memoryMeasuredBytes > capacity));
    return s;
}

QString deviceToolTip(const DeviceRound &d, const DeviceRunState &s, int round, double latencyS)
{
    QStringList lines{QStringLiteral("<b>%1</b> — round %2").arg(d.deviceId).arg(round)};
    if (s.away) {
        lines.append(QStringLiteral("away: not present at the round's start (left its cluster; "
                                    "the plan went over the devices left)"));
    } else if (s.idle) {
        lines.append(QStringLiteral("idle: no encoder blocks this round"));
    } else {
        lines.append(QStringLiteral("stage %1: blocks %2–%3 (%4), %5 micro-batches")
                         .arg(d.stage)
                         .arg(d.firstBlock)
                         .arg(d.lastBlock)
                         .arg(d.lastBlock - d.firstBlock + 1)
                         .arg(d.microbatches));
    }
    lines.append(QStringLiteral("load %1 (busy %2 s of a %3 s round)")
                     .arg(percent(s.loadFraction))
                     .arg(d.busyS, 0, 'g', 3)
                     .arg(latencyS, 0, 'g', 3));
    lines.append(QStringLiteral("memory %1 predicted, %2 measured, of %3 (%4)%5")
                     .arg(bytesText(d.memoryPredictedBytes), bytesText(d.memoryMeasuredBytes),
                         bytesText(d.memoryCapacityBytes), percent(s.memoryFraction),
                         s.overCapacity ? QStringLiteral(" <b>over capacity</b>") : QString()));
    lines.append(QStringLiteral("bandwidth %1, power %2 W, energy %3 J, queue %4 J")
                     .arg(percent(d.bandwidthShare))
                     .arg(d.powerW, 0, 'g', 3)
                     .arg(d.energyJ, 0, 'g', 3)
                     .arg(d.energyQueueJ, 0, 'g', 3));
    if (!s.idle) {
        lines.append(QStringLiteral("out-link %1 m, SNR %2 dB, %3")
                         .arg(d.linkDistanceM, 0, 'f', 0)
                         .arg(d.linkSnrDb, 0, 'f', 1)
                         .arg(rateText(d.linkRateBps)));
    }
    return lines.join(QStringLiteral("<br>"));
}

} // namespace

RunOverlay::RunOverlay(TopologyScene *scene)
    : m_scene(scene)
{ }

RunOverlay::~RunOverlay()
{
    disarmItems(); // the scene deletes the items after this (~QGraphicsScene)
}

DeviceRunBadge *RunOverlay::badge(const QString &deviceId) const
{
    return m_badges.value(deviceId).badge;
}

EdgeRunBadge *RunOverlay::edgeBadge(const QString &serverId) const
{
    return m_edgeBadges.value(serverId);
}

QList<DeviceRunBadge *> RunOverlay::shownBadges() const
{
    QList<DeviceRunBadge *> shown;
    for (const BadgeEntry &entry : m_badges) {
        if (entry.badge->isVisible()) {
            shown.append(entry.badge);
        }
    }
    return shown;
}

QList<EdgeRunBadge *> RunOverlay::shownEdgeBadges() const
{
    QList<EdgeRunBadge *> shown;
    for (EdgeRunBadge *badge : m_edgeBadges) {
        if (badge->isVisible()) {
            shown.append(badge);
        }
    }
    return shown;
}

QList<PipelineHop> RunOverlay::activeHops() const
{
    return QList<PipelineHop>(m_hops.begin(), m_hops.end());
}

void RunOverlay::showRound(const RoundRecord &record)
{
    m_shown = true;
    m_round = record.round;
    m_latencyS = record.latencyS;
    m_devices.assign(record.devices.begin(), record.devices.end()); // reuses the capacity
    m_clusters.assign(record.clusters.begin(), record.clusters.end());
    ensureItems();
    apply();
}

void RunOverlay::clearRound()
{
    if (!m_shown) {
        return;
    }
    m_shown = false;
    m_devices.clear();
    m_clusters.clear();
    m_hops.clear();
    for (EdgeRunBadge *badge : std::as_const(m_edgeBadges)) {
        badge->hide();
    }
    for (auto it = m_badges.begin(); it != m_badges.end(); ++it) {
        it->badge->hide();
        setRunOpacity(it->badge->parentItem(), 1.0);
    }
    for (PipelineHopItem *item : m_hopItems) {
        if (item) {
            item->hide();
        }
    }
    setPlainLinksDimmed(false);
    applyClusterLoads();
    m_scene->layoutLabels();
}

void RunOverlay::ensureToolTip(const QString &deviceId)
{
    const auto it = m_badges.find(deviceId);
    if (!m_shown || it == m_badges.end() || !it->seen || it->tipBuilt
        || it->device >= m_devices.size()) {
        return;
    }
    const DeviceRound &d = m_devices[it->device];
    it->badge->setToolTip(deviceToolTip(d, stateOf(d, m_latencyS), m_round, m_latencyS));
    it->tipBuilt = true;
}

void RunOverlay::ensureToolTip(const DeviceRunBadge *badge)
{
    if (const auto *node = badge ? dynamic_cast<const NodeItem *>(badge->parentItem()) : nullptr) {
        ensureToolTip(node->ref().id);
    }
}

void RunOverlay::sceneRebuilt()
{
    if (m_shown) {
        ensureItems();
        apply();
    }
}

void RunOverlay::syncGeometry()
{
    if (!m_itemsCreated) {
        return;
    }
    // The badges' chips (full, compact or hidden) are placed by the label pass (layoutLabels).
    for (size_t i = 0; i < m_hops.size(); ++i) {
        const NodeItem *from = m_scene->nodeItem(m_hops[i].from);
        const NodeItem *to = m_scene->nodeItem(m_hops[i].to);
        if (from && to) {
            m_hopItems[i]->setEnds(from->pos(), to->pos());
            // Fades with the cluster's detail (the glyph's load ring stands for it).
            setDetailOpacity(m_hopItems[i], std::min(detailOpacity(from), detailOpacity(to)));
        }
        m_hopItems[i]->setMetresPerPixel(m_scene->metresPerPixel());
    }
}

void RunOverlay::apply()
{
    for (auto it = m_badges.begin(); it != m_badges.end(); ++it) {
        it->seen = false;
    }
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        const DeviceRound &d = m_devices[i];
        auto it = m_badges.find(d.deviceId);
        if (it == m_badges.end()) {
            continue; // removed from the topology since the round ran
        }
        const DeviceRunState state = stateOf(d, m_latencyS);
        it->badge->setState(state);
        it->device = i;
        if (it->tipBuilt) { // an older round's: built again on the next hover
            it->badge->setToolTip(QString());
            it->tipBuilt = false;
        }
        it->badge->show();
        setRunOpacity(
            it->badge->parentItem(), state.away ? kAwayOpacity : (state.idle ? kIdleOpacity : 1.0));
        it->seen = true;
    }
    for (auto it = m_badges.begin(); it != m_badges.end(); ++it) {
        if (!it->seen) { // added since the round ran: drawn plain
            it->badge->hide();
            setRunOpacity(it->badge->parentItem(), 1.0);
        }
    }
    setPlainLinksDimmed(true);
    applyHops();
    applyEdgeTails();
    applyClusterLoads();
    m_scene->layoutLabels(); // chips and link distances changed: place every label again
    syncGeometry();
}

void RunOverlay::applyClusterLoads()
{
    // Zoomed out, the overlay aggregates to the glyphs: per cluster the devices that took part
    // and their mean load (issue [7/7]).
    QHash<QString, std::pair<double, int>> loads; // cluster id -> (sum of loads, devices)
    const TopologyDocument *document = m_scene->document();
    for (const DeviceRound &d : m_devices) {
        const int ci = document->clusterIndexOfMember(d.deviceId);
        const DeviceRunState state = stateOf(d, m_latencyS);
        if (ci < 0 || state.idle) {
            continue;
        }
        auto &load = loads[document->scenario().topology.clusters[size_t(ci)].id];
        load.first += state.loadFraction;
        ++load.second;
    }
    for (ClusterGlyphItem *glyph : m_scene->glyphItems()) {
        const auto load = loads.value(glyph->clusterId(), {0.0, 0});
        glyph->setLoad(load.second > 0 ? load.first / load.second : -1.0, load.second);
    }
}

EdgeRunBadge::Side RunOverlay::clearestSide(const QString &serverId) const
{
    // The side whose direction is farthest (in angle) from every other node as seen from the
    // server: directions do not depend on the zoom, unlike the chip's extent in metres.
    const NodeItem *server = m_scene->nodeItem({ItemKind::EdgeServer, serverId});
    if (!server) {
        return EdgeRunBadge::Side::Right;
    }
    std::vector<double> angles;
    for (const Cluster &cluster : m_scene->document()->scenario().topology.clusters) {
        std::vector<ItemRef> refs{{ItemKind::ControlUnit, cluster.controlUnit.id}};
        for (const Device &device : cluster.devices) {
            refs.push_back({ItemKind::Device, device.id});
        }
        for (const ItemRef &ref : refs) {
            if (const NodeItem *node = m_scene->nodeItem(ref)) {
                const QPointF d = node->pos() - server->pos();
                angles.push_back(std::atan2(d.y(), d.x()));
            }
        }
    }
    // Screen y grows downwards: Below is +π/2.
    const std::pair<EdgeRunBadge::Side, double> sides[]
        = {{EdgeRunBadge::Side::Right, 0.0}, {EdgeRunBadge::Side::Left, M_PI},
            {EdgeRunBadge::Side::Below, M_PI / 2}, {EdgeRunBadge::Side::Above, -M_PI / 2}};
    EdgeRunBadge::Side best = EdgeRunBadge::Side::Right;
    double bestClearance = -1.0;
    for (const auto &[side, direction] : sides) {
        double clearance = M_PI;
        for (double a : angles) {
            const double diff = std::abs(std::remainder(a - direction, 2 * M_PI));
            clearance = std::min(clearance, diff);
        }
        if (clearance > bestClearance + 1e-9) {
            bestClearance = clearance;
            best = side;
        }
    }
    return best;
}

int RunOverlay::documentCluster(int cluster) const
{
    for (const DeviceRound &d : m_devices) {
        if (d.cluster == cluster) {
            const int ci = m_scene->document()->clusterIndexOfMember(d.deviceId);
            if (ci >= 0) {
                return ci;
            }
        }
    }
    return -1;
}

void RunOverlay::applyEdgeTails()
{
    QHash<QString, QStringList> lines;
    QHash<QString, QStringList> tips;
    QHash<QString, QMap<std::pair<int, int>, int>> ranges; // server -> block range -> clusters
    const auto &clusters = m_scene->document()->scenario().topology.clusters;
    for (const ClusterRound &c : m_clusters) {
        if (c.edgeFirstBlock < 0 || c.edgeLastBlock < c.edgeFirstBlock) {
            continue; // the devices ran every block: the server only ran the head
        }
        const int ci = documentCluster(c.cluster);
        if (ci < 0) {
            continue;
        }
        const Cluster &cluster = clusters[static_cast<size_t>(ci)];
        // The name the cluster's hull shows on the canvas, so the chip reads without a lookup.
        const QString name = cluster.name.isEmpty() ? cluster.id : cluster.name;
        lines[cluster.edgeServerId].append(QStringLiteral("%1: blocks %2–%3")
                                               .arg(name)
                                               .arg(c.edgeFirstBlock)
                                               .arg(c.edgeLastBlock));
        ranges[cluster.edgeServerId][{c.edgeFirstBlock, c.edgeLastBlock}] += 1;
        tips[cluster.edgeServerId].append(
            QStringLiteral("%1: encoder blocks %2–%3 (%4) after the devices' blocks 0–%5, then "
                           "the head; %6 predicted for them")
                .arg(name)
                .arg(c.edgeFirstBlock)
                .arg(c.edgeLastBlock)
                .arg(c.edgeLastBlock - c.edgeFirstBlock + 1)
                .arg(c.edgeFirstBlock - 1)
                .arg(bytesText(c.edgeMemoryBytes)));
    }
    for (auto it = m_edgeBadges.begin(); it != m_edgeBadges.end(); ++it) {
        QStringList shown = lines.value(it.key());
        // The one-line form for crowded views: the block ranges and how many clusters.
        const auto &byRange = ranges[it.key()];
        QStringList rangeTexts;
        for (auto r = byRange.cbegin(); r != byRange.cend(); ++r) {
            rangeTexts.append(QStringLiteral("%1–%2").arg(r.key().first).arg(r.key().second));
        }
        if (rangeTexts.size() > 2) {
            rangeTexts = rangeTexts.mid(0, 2) << QStringLiteral("…");
        }
        const QString compact = shown.isEmpty() ? QString()
            : shown.size() == 1
            ? QStringLiteral("tail %1").arg(rangeTexts.join(QStringLiteral(", ")))
            : QCoreApplication::translate(
                "collapipe", "tail %1 · %n clusters", nullptr, int(shown.size()))
                  .arg(rangeTexts.join(QStringLiteral(", ")));
        if (shown.size() > kEdgeTailLines) {
            // A server with many clusters (issue [7/7]): one line per block range, not per
            // cluster, or the chip covers the canvas; the tooltip keeps every cluster.
            shown.clear();
            for (auto r = byRange.cbegin(); r != byRange.cend(); ++r) {
                // Counted by hand: %n has no plural without a translation ("1 clusters").
                shown.append(r.value() == 1
                        ? QCoreApplication::translate("collapipe", "1 cluster: blocks %1–%2")
                              .arg(r.key().first)
                              .arg(r.key().second)
                        : QCoreApplication::translate("collapipe", "%1 clusters: blocks %2–%3")
                              .arg(r.value())
                              .arg(r.key().first)
                              .arg(r.key().second));
            }
        }
        it.value()->setPreferredSide(clearestSide(it.key()));
        it.value()->setLines(shown, compact);
        it.value()->setVisible(!shown.isEmpty());
        it.value()->setToolTip(QStringLiteral("<b>%1</b> — round %2: edge tail<br>%3")
                                   .arg(it.key())
                                   .arg(m_round)
                                   .arg(tips.value(it.key()).join(QStringLiteral("<br>"))));
    }
}

void RunOverlay::applyHops()
{
    m_hops.clear();
    m_order.clear();
    for (size_t i = 0; i < m_devices.size(); ++i) {
        if (m_devices[i].stage >= 0 && m_devices[i].firstBlock >= 0) {
            m_order.push_back(static_cast<int>(i));
        }
    }
    std::sort(m_order.begin(), m_order.end(), [this](int a, int b) {
        const DeviceRound &x = m_devices[static_cast<size_t>(a)];
        const DeviceRound &y = m_devices[static_cast<size_t>(b)];
        return x.cluster != y.cluster ? x.cluster < y.cluster : x.stage < y.stage;
    });
    const TopologyDocument *document = m_scene->document();
    const auto &clusters = document->scenario().topology.clusters;
    for (size_t begin = 0; begin < m_order.size();) {
        size_t end = begin;
        const int clusterOfRecord = m_devices[static_cast<size_t>(m_order[begin])].cluster;
        while (end < m_order.size()
            && m_devices[static_cast<size_t>(m_order[end])].cluster == clusterOfRecord) {
            ++end;
        }
        // The document, not the record's index, says which cluster the devices are in now.
        const DeviceRound &first = m_devices[static_cast<size_t>(m_order[begin])];
        const int ci = document->clusterIndexOfMember(first.deviceId);
        if (ci >= 0) {
            const Cluster &cluster = clusters[static_cast<size_t>(ci)];
            // Spec §1.3 step 4: CU (embedding) → stage 1 → … → stage S over D2D, S → edge (D2E).
            ItemRef previous{ItemKind::ControlUnit, cluster.controlUnit.id};
            const DeviceRound *previousRow = nullptr;
            for (size_t k = begin; k < end; ++k) {
                const DeviceRound &d = m_devices[static_cast<size_t>(m_order[k])];
                const ItemRef here{ItemKind::Device, d.deviceId};
                addHop(previous, here, PipelineHopItem::Kind::D2D,
                    previousRow ? previousRow->linkRateBps : kNotMeasured, previousRow);
                previous = here;
                previousRow = &d;
            }
            addHop(previous, {ItemKind::EdgeServer, cluster.edgeServerId},
                PipelineHopItem::Kind::D2E, previousRow->linkRateBps, previousRow);
        }
        begin = end;
    }
    for (size_t i = m_hops.size(); i < m_hopItems.size(); ++i) {
        if (m_hopItems[i]) {
            m_hopItems[i]->hide();
        }
    }
}

void RunOverlay::addHop(const ItemRef &from, const ItemRef &to, PipelineHopItem::Kind kind,
    double rateBps, const DeviceRound *source)
{
    if (m_hops.size() >= m_hopItems.size() || !m_hopItems[m_hops.size()] || !m_scene->nodeItem(from)
        || !m_scene->nodeItem(to)) {
        return; // an end is not on the canvas (e.g. the cluster lost its edge server)
    }
    PipelineHopItem *item = m_hopItems[m_hops.size()];
    m_hops.push_back(PipelineHop{from, to, kind, rateBps});
    item->setActivity(kind, rateBps);
    const QString what = kind == PipelineHopItem::Kind::D2E
        ? QStringLiteral("D2E: encoder output to the edge server")
        : QStringLiteral("D2D: activations forward, gradients back");
    QString tip = QStringLiteral("<b>%1 → %2</b><br>%3").arg(from.id, to.id, what);
    if (source) {
        tip += QStringLiteral("<br>%1 m, SNR %2 dB, %3")
                   .arg(source->linkDistanceM, 0, 'f', 0)
                   .arg(source->linkSnrDb, 0, 'f', 1)
                   .arg(rateText(source->linkRateBps));
    }
    item->setToolTip(tip);
    item->show();
}

void RunOverlay::setPlainLinksDimmed(bool dimmed)
{
    for (LinkItem *link : m_scene->linkItems()) {
        if (link->kind() == LinkItem::Kind::D2D) {
            setRunOpacity(link, dimmed ? kPlainLinkOpacity : 1.0);
            link->setShowDistance(!dimmed); // the pipeline's hops carry the numbers now
        }
    }
}

} // namespace collapipe
