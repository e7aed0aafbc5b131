// SPDX-License-Identifier: MIT
// The label check shared by the canvas tests (tst_canvas_labels, tst_canvas_scale): every label
// and run-overlay chip (device segment chips, edge-tail chips) drawn and every icon in viewport
// pixels, and the first overlap among them.
#pragma once

#include "core/scenario/scenario.h"
#include "core/types/round_record.h"
#include "ui/canvas/cluster_glyph_item.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/item_fade.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/topology_view.h"

#include <QGraphicsScene>
#include <QList>
#include <QString>

namespace collapipe::test {

struct Box
{
    QString what;
    QRectF rect;
};

/// Which icons of a level-of-detail cross-fade count: those of the level drawn at more than
/// half (Dominant), or every icon drawn at all, however faintly (Drawn).
enum class FadedIcons {
    Dominant,
    Drawn
};

/// Every label drawn now and every icon, in viewport pixels, computed through Qt's own
/// item-to-device transforms (ItemIgnoresTransformations included).
inline void collect(const TopologyView *view, QList<Box> *labels, QList<Box> *icons,
    FadedIcons faded = FadedIcons::Dominant)
{
    const QTransform vt = view->viewportTransform();
    const double least = faded == FadedIcons::Drawn ? 0.0 : 0.5;
    for (QGraphicsItem *item : view->scene()->items()) {
        if (auto *glyph = dynamic_cast<ClusterGlyphItem *>(item)) {
            if (glyph->isVisible() && glyph->opacity() > least) {
                icons->append({QStringLiteral("glyph ") + glyph->clusterId(),
                    glyph->deviceTransform(vt).mapRect(glyph->iconBounds())});
            }
        } else if (auto *node = dynamic_cast<NodeItem *>(item)) {
            const bool drawn = node->isVisible() && node->opacity() > 0.0;
            if (faded == FadedIcons::Drawn ? !drawn : detailOpacity(node) < 0.5) {
                continue; // faint or not drawn: its cluster is (mostly) a glyph
            }
            const QTransform t = node->deviceTransform(vt);
            icons->append({node->ref().id, t.mapRect(node->iconBounds())});
            if (node->isLabelVisible() && !node->labelRect().isNull()) {
                labels->append(
                    {QStringLiteral("label ") + node->ref().id, t.mapRect(node->labelRect())});
            }
        } else if (auto *label = dynamic_cast<ClusterLabelItem *>(item)) {
            if (label->isVisible()) {
                labels->append({QStringLiteral("cluster ") + label->text(),
                    label->deviceTransform(vt).mapRect(label->boundingRect())});
            }
        } else if (auto *badge = dynamic_cast<DeviceRunBadge *>(item)) {
            if (badge->isVisible() && badge->isChipShown()) {
                labels->append(
                    {QStringLiteral("chip ") + badge->segmentText() + QStringLiteral(" of ")
                            + static_cast<NodeItem *>(badge->parentItem())->ref().id,
                        badge->deviceTransform(vt).mapRect(badge->chipRect())});
            }
        } else if (auto *edge = dynamic_cast<EdgeRunBadge *>(item)) {
            if (edge->isVisible() && edge->isChipShown()) {
                labels->append({QStringLiteral("edge-tail chip of ")
                        + static_cast<NodeItem *>(edge->parentItem())->ref().id,
                    edge->deviceTransform(vt).mapRect(edge->chipRect())});
            }
        } else if (auto *link = dynamic_cast<LinkItem *>(item)) {
            if (link->isDistanceShown()) {
                labels->append({QStringLiteral("distance"),
                    link->distanceLabelRect().translated(vt.map(link->midpoint()))});
            }
        }
    }
}

/// A round in which every device of `scenario` takes part: in each cluster, the devices hold
/// blocks in turn (2 each, 12 in all), except every fourth device, which is idle.
inline RoundRecord roundOnEveryDevice(const Scenario &scenario)
{
    RoundRecord r;
    r.round = 7;
    r.latencyS = 100.0;
    int ci = 0;
    for (const Cluster &cluster : scenario.topology.clusters) {
        int stage = 0;
        for (size_t di = 0; di < cluster.devices.size(); ++di) {
            DeviceRound d;
            d.cluster = ci;
            d.device = static_cast<int>(di);
            d.deviceId = cluster.devices[di].id;
            if (di % 4 != 3 && stage < 6) {
                d.stage = stage;
                d.firstBlock = 2 * stage;
                d.lastBlock = 2 * stage + 1;
                ++stage;
            }
            d.busyS = 40.0;
            d.memoryPredictedBytes = 1e9;
            d.memoryCapacityBytes = 4e9;
            r.devices.push_back(d);
        }
        ++ci;
    }
    return r;
}

inline QString overlaps(const TopologyView *view, FadedIcons faded = FadedIcons::Dominant)
{
    QList<Box> labels;
    QList<Box> icons;
    collect(view, &labels, &icons, faded);
    if (labels.isEmpty()) {
        return QStringLiteral("no label at all");
    }
    const auto hit = [](const QRectF &a, const QRectF &b) {
        return a.adjusted(0.5, 0.5, -0.5, -0.5).intersects(b.adjusted(0.5, 0.5, -0.5, -0.5));
    };
    for (qsizetype i = 0; i < labels.size(); ++i) {
        for (qsizetype j = i + 1; j < labels.size(); ++j) {
            if (hit(labels[i].rect, labels[j].rect)) {
                return labels[i].what + QStringLiteral(" overlaps ") + labels[j].what;
            }
        }
        for (const Box &icon : std::as_const(icons)) {
            if (hit(labels[i].rect, icon.rect)) {
                return labels[i].what + QStringLiteral(" covers the icon of ") + icon.what;
            }
        }
    }
    return QString();
}

} // namespace collapipe::test
