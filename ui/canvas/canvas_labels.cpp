// SPDX-License-Identifier: MIT
#include "ui/canvas/canvas_labels.h"

#include "ui/canvas/cluster_glyph_item.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/item_fade.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/node_item.h"

#include <QHash>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <optional>

namespace collapipe {

// Named, not anonymous: CanvasLabelPass::State holds one, and a type with linkage must not
// hold a member of an anonymous-namespace type (GCC -Wsubobject-linkage in unity builds).
namespace canvas_label_detail {

/// Rectangles taken so far, bucketed on a coarse pixel grid so a scenario with a thousand
/// devices stays linear rather than quadratic.
class TakenRects
{
public:
    bool isFree(const QRectF &rect) const
    {
        bool free = true;
        forCells(rect, [&](qint64 key) {
            for (const QRectF &other : m_cells.value(key)) {
                if (other.intersects(rect)) {
                    free = false;
                }
            }
        });
        return free;
    }
    void take(const QRectF &rect)
    {
        forCells(rect, [&](qint64 key) { m_cells[key].append(rect); });
    }

private:
    static constexpr double kCell = 96.0;
    template <typename F> static void forCells(const QRectF &rect, F &&f)
    {
        const auto lo = [](double v) { return static_cast<qint64>(std::floor(v / kCell)); };
        for (qint64 x = lo(rect.left()); x <= lo(rect.right()); ++x) {
            for (qint64 y = lo(rect.top()); y <= lo(rect.bottom()); ++y) {
                f((x << 32) ^ (y & 0xffffffff));
            }
        }
    }
    QHash<qint64, QList<QRectF>> m_cells;
};

} // namespace canvas_label_detail

using canvas_label_detail::TakenRects;

namespace {

int nodeRank(const NodeItem *node)
{
    switch (node->ref().kind) {
    case ItemKind::EdgeServer:
        return 0;
    case ItemKind::ControlUnit:
        return 1;
    default:
        return 2;
    }
}

bool labelOrder(const NodeItem *a, const NodeItem *b)
{
    const int ra = nodeRank(a);
    const int rb = nodeRank(b);
    return ra != rb ? ra < rb : a->ref().id < b->ref().id;
}

bool hullOrder(const ClusterHullItem *a, const ClusterHullItem *b)
{
    return a->ref().id < b->ref().id;
}

const NodeItem *deviceOf(const DeviceRunBadge *badge)
{
    return static_cast<const NodeItem *>(badge->parentItem());
}

} // namespace

void sortForLabelLayout(QList<NodeItem *> *nodes, QList<ClusterHullItem *> *hulls)
{
    std::sort(nodes->begin(), nodes->end(), labelOrder);
    std::sort(hulls->begin(), hulls->end(), hullOrder);
}

enum class LabelPassStage {
    NodeIcons,
    GlyphIcons,
    RunBadgeGauges,
    ServerLabels,
    EdgeChips,
    ClusterNames,
    BusyChips,
    NodeLabels,
    IdleChips,
    HullOutlines,
    LinkDistances,
    Done,
};

struct CanvasLabelPass::State
{
    double toPx = 1.0;
    QList<NodeItem *> nodes;
    QList<ClusterHullItem *> hulls;
    QList<LinkItem *> links;
    QList<DeviceRunBadge *> runBadges;
    QList<ClusterGlyphItem *> glyphs;
    QList<EdgeRunBadge *> edgeChips;
    TakenRects taken;
    LabelPassStage stage = LabelPassStage::NodeIcons;
    qsizetype next = 0;     ///< the next item of the stage's list
    qsizetype hullNext = 0; ///< the next cluster name (ClusterNames keeps `next` for nodes)
    // Distance labels (LinkDistances): the hulls drawn, their bounds in pixels, their outlines
    // made when a label first comes near.
    QTransform scale;
    QList<QRectF> hullBounds;
    QList<const ClusterHullItem *> drawnHulls;
    QList<std::optional<QPainterPath>> hullPaths;

    // The level of detail that dominates (>= 0.5) is the one laid out: its labels are placed.
    static bool detailed(const QGraphicsItem *item) { return detailOpacity(item) >= 0.5; }
    // Anything drawn at all, however faintly, is an obstacle: during a cross-fade the fading
    // level's icons are still seen, and a label over them read as a smudge (issue #16, "Bus
    // depot" over its faded devices at 1280 x 800).
    static bool drawn(const QGraphicsItem *item)
    {
        return item->isVisible() && item->opacity() > 0.0;
    }
    void takeGauges();
    void placeChips(bool idle);
    void placeNode(NodeItem *node);
    void placeEdgeChip(EdgeRunBadge *chip);
    void placeClusterName(ClusterHullItem *hull);
    bool onAHull(const QRectF &rect);
    void placeDistance(LinkItem *link);
};

void CanvasLabelPass::State::takeGauges()
{
    // A fading device's gauges are drawn (faintly) with it: obstacles too.
    for (const DeviceRunBadge *badge : std::as_const(runBadges)) {
        const QRectF gauges = badge->gaugesRect();
        if (!gauges.isNull() && drawn(deviceOf(badge))) {
            taken.take(gauges.translated(deviceOf(badge)->pos() * toPx));
        }
    }
    runBadges.removeIf([&](DeviceRunBadge *badge) {
        if (detailed(deviceOf(badge))) {
            return false;
        }
        badge->setChipShown(false); // its cluster is (mostly) a glyph
        return true;
    });
    std::sort(
        runBadges.begin(), runBadges.end(), [](const DeviceRunBadge *a, const DeviceRunBadge *b) {
            return deviceOf(a)->ref().id < deviceOf(b)->ref().id;
        });
    // Edge-tail chips go by server id.
    std::sort(edgeChips.begin(), edgeChips.end(), [](const EdgeRunBadge *a, const EdgeRunBadge *b) {
        return static_cast<const NodeItem *>(a->parentItem())->ref().id
            < static_cast<const NodeItem *>(b->parentItem())->ref().id;
    });
}

// A chip goes above its device, else below it; full text, else compact; else it hides.
void CanvasLabelPass::State::placeChips(bool idle)
{
    for (DeviceRunBadge *badge : std::as_const(runBadges)) {
        if (badge->state().idle != idle) {
            continue;
        }
        const QPointF origin = deviceOf(badge)->pos() * toPx;
        const auto fits = [&](bool below, bool compact) {
            badge->setChipBelow(below);
            badge->setCompact(compact);
            const QRectF rect = badge->chipRect().translated(origin);
            if (!taken.isFree(rect)) {
                return false;
            }
            taken.take(rect);
            return true;
        };
        badge->setChipShown(
            fits(false, false) || fits(false, true) || fits(true, false) || fits(true, true));
    }
}

void CanvasLabelPass::State::placeNode(NodeItem *node)
{
    if (!detailed(node)) {
        node->setLabelVisible(false);
        return;
    }
    const QPointF origin = node->pos() * toPx;
    for (const auto side : {NodeItem::LabelSide::Below, NodeItem::LabelSide::Above,
             NodeItem::LabelSide::Right, NodeItem::LabelSide::Left}) {
        const QRectF rect = node->labelRectAt(side);
        if (rect.isNull()) {
            break;
        }
        if (taken.isFree(rect.translated(origin))) {
            taken.take(rect.translated(origin));
            node->setLabelSide(side);
            node->setLabelVisible(true);
            return;
        }
    }
    node->setLabelVisible(false);
}

// Edge-tail chips: the preferred side first, then the others, full; then on one line, at its
// side's spot or moved outwards along the side (up to kChipReachPx, a leader line ties it to the
// server); else hidden. Servers sit among clusters: at fit zoom the spots next to the icon are
// usually glyphs (issue [7/7], 100 x 10 with four central servers).
void CanvasLabelPass::State::placeEdgeChip(EdgeRunBadge *chip)
{
    const QPointF origin = chip->parentItem()->pos() * toPx;
    using Side = EdgeRunBadge::Side;
    QList<Side> sides{chip->preferredSide()};
    for (const Side side : {Side::Right, Side::Left, Side::Below, Side::Above}) {
        if (side != chip->preferredSide()) {
            sides.append(side);
        }
    }
    const auto tryAt = [&](Side side, bool compact, const QPointF &shift) {
        const QRectF rect = chip->chipRectAt(side, compact).translated(origin + shift);
        if (!taken.isFree(rect)) {
            return false;
        }
        taken.take(rect);
        chip->setSide(side);
        chip->setCompact(compact);
        chip->setShift(shift);
        return true;
    };
    bool placed = false;
    for (qsizetype i = 0; !placed && i < sides.size(); ++i) {
        placed = tryAt(sides[i], false, QPointF());
    }
    constexpr double kChipReachPx = 120.0;
    constexpr double kChipStepPx = 8.0;
    const bool compact = !chip->compactLine().isEmpty();
    for (double out = 0.0; !placed && out <= kChipReachPx; out += kChipStepPx) {
        for (qsizetype i = 0; !placed && i < sides.size(); ++i) {
            const Side side = sides[i];
            const QPointF along = side == Side::Right ? QPointF(1, 0)
                : side == Side::Left                  ? QPointF(-1, 0)
                : side == Side::Below                 ? QPointF(0, 1)
                                                      : QPointF(0, -1);
            const QPointF across(along.y(), along.x());
            for (const double sideways : {0.0, -1.0, 1.0}) {
                if (!placed) {
                    placed = tryAt(side, compact, along * out + across * sideways * out / 2);
                }
            }
        }
    }
    chip->setChipShown(placed);
}

// Above, else below, its anchors (the hull's, or the glyph's when the glyph dominates). While the
// cluster cross-fades with its glyph dominant, its faded members surround the glyph: then the
// hull's own top and bottom, outside them, are tried too. Else the name hides.
void CanvasLabelPass::State::placeClusterName(ClusterHullItem *hull)
{
    ClusterLabelItem *label = hull->labelItem();
    const bool crossFading = drawn(hull) && label->anchor(false) != label->hullAnchor(false);
    for (const bool atHull : {false, true}) {
        if (atHull && !crossFading) {
            break;
        }
        for (const bool below : {false, true}) {
            const QPointF at = atHull ? label->hullAnchor(below) : label->anchor(below);
            const QRectF rect = label->rectAt(below).translated(at * toPx);
            if (!rect.isNull() && taken.isFree(rect)) {
                taken.take(rect);
                label->setPlace(below, atHull);
                label->setVisible(true);
                return;
            }
        }
    }
    label->setVisible(false);
}

// Each hull's outline in pixels is made once per pass and only for hulls a label comes near (a
// long D2E link crosses many hulls' bounds).
bool CanvasLabelPass::State::onAHull(const QRectF &rect)
{
    for (qsizetype i = 0; i < drawnHulls.size(); ++i) {
        if (!hullBounds[i].intersects(rect)) {
            continue;
        }
        if (!hullPaths[i]) {
            const ClusterHullItem *hull = drawnHulls[i];
            hullPaths[i] = scale.map(hull->sceneTransform().map(hull->shape()));
        }
        if (hullPaths[i]->intersects(rect)) {
            return true;
        }
    }
    return false;
}

// A link to the edge server crosses its cluster's hull (and maybe others): its distance label is
// shown only where it covers no cluster's fill (issue [1/7], 1280 x 800).
void CanvasLabelPass::State::placeDistance(LinkItem *link)
{
    if (!detailed(link)) {
        link->setDistanceFits(false);
        return;
    }
    const QRectF rect = link->distanceLabelRect().translated(link->midpoint() * toPx);
    const bool fits = !rect.isNull() && taken.isFree(rect)
        && (link->kind() != LinkItem::Kind::D2E || !onAHull(rect));
    if (fits) {
        taken.take(rect);
    }
    link->setDistanceFits(fits);
}

CanvasLabelPass::CanvasLabelPass(double metresPerPixel, QList<NodeItem *> nodes,
    QList<ClusterHullItem *> hulls, QList<LinkItem *> links, QList<DeviceRunBadge *> runBadges,
    QList<ClusterGlyphItem *> glyphs, QList<EdgeRunBadge *> edgeChips)
    : d(std::make_unique<State>())
{
    d->toPx = metresPerPixel > 0.0 ? 1.0 / metresPerPixel : 1.0;
    d->scale = QTransform::fromScale(d->toPx, d->toPx);
    // Deterministic order: by importance, then by id.
    if (!std::is_sorted(nodes.cbegin(), nodes.cend(), labelOrder)
        || !std::is_sorted(hulls.cbegin(), hulls.cend(), hullOrder)) {
        sortForLabelLayout(&nodes, &hulls);
    }
    d->nodes = std::move(nodes);
    d->hulls = std::move(hulls);
    d->links = std::move(links);
    d->runBadges = std::move(runBadges);
    d->glyphs = std::move(glyphs);
    d->edgeChips = std::move(edgeChips);
}

CanvasLabelPass::~CanvasLabelPass() = default;

bool CanvasLabelPass::isDone() const
{
    return d->stage == LabelPassStage::Done;
}

bool CanvasLabelPass::run(QDeadlineTimer deadline)
{
    State &s = *d;
    // The clock is read every kCheckEvery items: an item takes ~1-10 us.
    constexpr int kCheckEvery = 64;
    int sinceCheck = 0;
    const auto outOfTime = [&] {
        if (++sinceCheck < kCheckEvery) {
            return false;
        }
        sinceCheck = 0;
        return deadline.hasExpired();
    };
    const auto nextStage = [&](LabelPassStage stage) {
        s.stage = stage;
        s.next = 0;
    };
    // Each stage walks its list from s.next; it returns before an item when time is up, so a
    // later call resumes at that item. Greedy order (see layoutCanvasLabels): icons first, then
    // labels by priority.
    while (s.stage != LabelPassStage::Done) {
        switch (s.stage) {
        case LabelPassStage::NodeIcons:
            for (; s.next < s.nodes.size(); ++s.next) {
                if (outOfTime()) {
                    return false;
                }
                const NodeItem *node = s.nodes[s.next];
                if (State::drawn(node)) {
                    s.taken.take(node->iconBounds().translated(node->pos() * s.toPx));
                }
            }
            nextStage(LabelPassStage::GlyphIcons);
            break;
        case LabelPassStage::GlyphIcons:
            for (; s.next < s.glyphs.size(); ++s.next) {
                if (outOfTime()) {
                    return false;
                }
                const ClusterGlyphItem *glyph = s.glyphs[s.next];
                if (State::drawn(glyph)) {
                    s.taken.take(glyph->iconBounds().translated(glyph->pos() * s.toPx));
                }
            }
            nextStage(LabelPassStage::RunBadgeGauges);
            break;
        case LabelPassStage::RunBadgeGauges:
            s.takeGauges(); // one step: a run's chips are at most one per device
            nextStage(LabelPassStage::ServerLabels);
            break;
        case LabelPassStage::ServerLabels:
            for (; s.next < s.nodes.size() && nodeRank(s.nodes[s.next]) == 0; ++s.next) {
                s.placeNode(s.nodes[s.next]);
            }
            s.stage = LabelPassStage::EdgeChips; // s.next stays: NodeLabels goes on from there
            break;
        case LabelPassStage::EdgeChips:
            for (EdgeRunBadge *chip : std::as_const(s.edgeChips)) {
                s.placeEdgeChip(chip);
            }
            s.stage = LabelPassStage::ClusterNames;
            break;
        case LabelPassStage::ClusterNames: {
            // Its own cursor: s.next belongs to the node labels, after the servers'.
            while (s.hullNext < s.hulls.size()) {
                if (outOfTime()) {
                    return false;
                }
                s.placeClusterName(s.hulls[s.hullNext++]);
            }
            s.stage = LabelPassStage::BusyChips;
            break;
        }
        case LabelPassStage::BusyChips:
            s.placeChips(false);
            s.stage = LabelPassStage::NodeLabels;
            break;
        case LabelPassStage::NodeLabels:
            for (; s.next < s.nodes.size(); ++s.next) {
                if (outOfTime()) {
                    return false;
                }
                s.placeNode(s.nodes[s.next]);
            }
            nextStage(LabelPassStage::IdleChips);
            break;
        case LabelPassStage::IdleChips:
            s.placeChips(true);
            nextStage(LabelPassStage::HullOutlines);
            break;
        case LabelPassStage::HullOutlines:
            for (; s.next < s.hulls.size(); ++s.next) {
                if (outOfTime()) {
                    return false;
                }
                const ClusterHullItem *hull = s.hulls[s.next];
                if (State::drawn(hull)) {
                    s.drawnHulls.append(hull);
                    s.hullBounds.append(s.scale.mapRect(hull->sceneBoundingRect()));
                }
            }
            s.hullPaths.resize(s.drawnHulls.size());
            nextStage(LabelPassStage::LinkDistances);
            break;
        case LabelPassStage::LinkDistances:
            for (; s.next < s.links.size(); ++s.next) {
                if (outOfTime()) {
                    return false;
                }
                s.placeDistance(s.links[s.next]);
            }
            nextStage(LabelPassStage::Done);
            break;
        case LabelPassStage::Done:
            break;
        }
    }
    return true;
}

void layoutCanvasLabels(double metresPerPixel, QList<NodeItem *> nodes,
    QList<ClusterHullItem *> hulls, const QList<LinkItem *> &links,
    QList<DeviceRunBadge *> runBadges, const QList<ClusterGlyphItem *> &glyphs,
    QList<EdgeRunBadge *> edgeChips)
{
    CanvasLabelPass(metresPerPixel, std::move(nodes), std::move(hulls), links, std::move(runBadges),
        glyphs, std::move(edgeChips))
        .run();
}

} // namespace collapipe
