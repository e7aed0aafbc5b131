// SPDX-License-Identifier: MIT
#pragma once

#include <QDeadlineTimer>
#include <QList>
#include <QRectF>

#include <memory>

namespace collapipe {

class ClusterGlyphItem;
class ClusterHullItem;
class DeviceRunBadge;
class EdgeRunBadge;
class LinkItem;
class NodeItem;

/// The canvas's label layout pass: labels never overlap each other or an icon, at any zoom.
/// Labels and icons keep a constant size in pixels while positions scale with the zoom, so the
/// check runs in view pixels (scene metres / metresPerPixel). Labels are placed greedily in
/// priority order: edge servers, cluster names, control units, devices, then link distances;
/// each tries its sides in turn (a node: below, above, right, left; a cluster: above, below the
/// hull) and takes the first one free of every icon and every label placed before it; a label
/// with no free side is hidden (zooming in reveals it).
///
/// During a run or a replay the run overlay's chips join the same pass (`runBadges`: the badges
/// shown now), ranked so the busy devices read first: edge servers, cluster names, chips of
/// devices holding blocks, control units and device names, "idle" chips, link distances. A chip
/// tries above its device, then below, each with its full text, then the compact one; else hides.
/// The gauges beside a busy device count as part of its icon.
///
/// The edge servers' edge-tail chips (`edgeChips`: the ones with a tail now) come right after the
/// edge servers' names: each tries the side RunOverlay prefers (away from the topology), then the
/// others, full, then on one line; else it hides (issue [7/7]: close servers' chips overlapped).
///
/// Level of detail (issue [7/7]): of a cluster cross-fading between its glyph and its members,
/// the level drawn at more than half is laid out: its icons are obstacles and its labels and
/// chips are placed; the fading level's labels and chips are hidden. The cluster's name sits by
/// whichever dominates (TopologyScene moves its anchors).
///
/// The pass takes nodes by importance then id, and hulls by id: a caller that keeps its lists in
/// that order (sortForLabelLayout) saves the pass its sorts (110,000 nodes at 100,000 devices).
void layoutCanvasLabels(double metresPerPixel, QList<NodeItem *> nodes,
    QList<ClusterHullItem *> hulls, const QList<LinkItem *> &links,
    QList<DeviceRunBadge *> runBadges = {}, const QList<ClusterGlyphItem *> &glyphs = {},
    QList<EdgeRunBadge *> edgeChips = {});

/// layoutCanvasLabels in steps (issue [7/7]: the pass takes ~0.7 s at 100,000 devices, and opening
/// such a file from the shown window runs it across event-loop turns so the window keeps
/// painting). The same greedy pass item by item: run to the end, in one call or many, it places
/// every label exactly as layoutCanvasLabels does (which is this class run at once). The items
/// must stay alive and unchanged between calls: TopologyScene drops a pass its edits outdate.
class CanvasLabelPass
{
public:
    CanvasLabelPass(double metresPerPixel, QList<NodeItem *> nodes, QList<ClusterHullItem *> hulls,
        QList<LinkItem *> links, QList<DeviceRunBadge *> runBadges = {},
        QList<ClusterGlyphItem *> glyphs = {}, QList<EdgeRunBadge *> edgeChips = {});
    ~CanvasLabelPass();
    CanvasLabelPass(const CanvasLabelPass &) = delete;
    CanvasLabelPass &operator=(const CanvasLabelPass &) = delete;

    /// Places labels until the pass is complete (true) or the deadline has passed (false: call
    /// again to go on). The deadline is checked every few dozen items.
    bool run(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    bool isDone() const;

private:
    struct State;
    std::unique_ptr<State> d;
};

/// Puts nodes and hulls in the order layoutCanvasLabels takes them.
void sortForLabelLayout(QList<NodeItem *> *nodes, QList<ClusterHullItem *> *hulls);

} // namespace collapipe
