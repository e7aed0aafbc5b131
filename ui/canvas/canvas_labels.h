// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QRectF>

namespace collapipe {

class ClusterHullItem;
class LinkItem;
class NodeItem;

/// The canvas's label layout pass: labels never overlap each other or an icon, at any zoom.
/// Labels and icons keep a constant size in pixels while positions scale with the zoom, so the
/// check runs in view pixels (scene metres / metresPerPixel). Labels are placed greedily in
/// priority order: edge servers, cluster names, control units, devices, then link distances;
/// each tries its sides in turn (a node: below, above, right, left; a cluster: above, below the
/// hull) and takes the first one free of every icon and every label placed before it; a label
/// with no free side is hidden (zooming in reveals it).
void layoutCanvasLabels(double metresPerPixel, QList<NodeItem *> nodes,
    QList<ClusterHullItem *> hulls, const QList<LinkItem *> &links);

} // namespace collapipe
