// SPDX-License-Identifier: MIT
#include "ui/canvas/canvas_extents.h"

#include "ui/canvas/cluster_glyph_item.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/item_fade.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/node_item.h"

#include <QGraphicsScene>

namespace collapipe {

QList<CanvasBox> drawnCanvasBoxes(const QGraphicsScene *scene, const QTransform &vt)
{
    using Kind = CanvasBox::Kind;
    QList<CanvasBox> boxes;
    for (QGraphicsItem *item : scene->items()) {
        if (!item->isVisible()) {
            continue;
        }
        if (auto *glyph = dynamic_cast<ClusterGlyphItem *>(item)) {
            if (glyph->opacity() > 0.5) {
                boxes.append({Kind::Icon, QStringLiteral("glyph ") + glyph->clusterId(),
                    glyph->deviceTransform(vt).mapRect(glyph->iconBounds())});
            }
        } else if (auto *node = dynamic_cast<NodeItem *>(item)) {
            if (detailOpacity(node) < 0.5) {
                continue; // faint or not drawn: its cluster is (mostly) a glyph
            }
            const QTransform t = node->deviceTransform(vt);
            boxes.append({Kind::Icon, node->ref().id, t.mapRect(node->iconBounds())});
            if (node->isLabelVisible() && !node->labelRect().isNull()) {
                boxes.append({Kind::Label, QStringLiteral("label ") + node->ref().id,
                    t.mapRect(node->labelRect())});
            }
        } else if (auto *label = dynamic_cast<ClusterLabelItem *>(item)) {
            if (!label->boundingRect().isNull()) {
                boxes.append({Kind::Label, QStringLiteral("cluster ") + label->text(),
                    label->deviceTransform(vt).mapRect(label->boundingRect())});
            }
        } else if (auto *hull = dynamic_cast<ClusterHullItem *>(item)) {
            if (detailOpacity(hull) >= 0.5) {
                boxes.append({Kind::Hull, QStringLiteral("hull ") + hull->ref().id,
                    vt.mapRect(hull->sceneBoundingRect())});
            }
        } else if (auto *badge = dynamic_cast<DeviceRunBadge *>(item)) {
            if (badge->isChipShown()) {
                boxes.append({Kind::Label,
                    QStringLiteral("chip of ")
                        + static_cast<const NodeItem *>(badge->parentItem())->ref().id,
                    badge->deviceTransform(vt).mapRect(badge->chipRect())});
            }
        } else if (auto *edge = dynamic_cast<EdgeRunBadge *>(item)) {
            if (edge->isChipShown()) {
                boxes.append({Kind::Label,
                    QStringLiteral("edge-tail chip of ")
                        + static_cast<const NodeItem *>(edge->parentItem())->ref().id,
                    edge->deviceTransform(vt).mapRect(edge->chipRect())});
            }
        } else if (auto *link = dynamic_cast<LinkItem *>(item)) {
            if (link->isDistanceShown()) {
                boxes.append({Kind::Label, QStringLiteral("distance"),
                    link->distanceLabelRect().translated(vt.map(link->midpoint()))});
            }
        }
    }
    return boxes;
}

QRectF drawnCanvasExtent(const QGraphicsScene *scene, const QTransform &viewportTransform)
{
    QRectF extent;
    for (const CanvasBox &box : drawnCanvasBoxes(scene, viewportTransform)) {
        extent = extent.isNull() ? box.rect : extent.united(box.rect);
    }
    return extent;
}

} // namespace collapipe
