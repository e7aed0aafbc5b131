// SPDX-License-Identifier: MIT
// Scenarios and a scene fingerprint for the canvas-at-scale tests and benchmarks (issue [7/7]).
#pragma once

#include "core/scenario/scenario_generator.h"
#include "core/scenario/scenario_json.h"
#include "ui/canvas/cluster_glyph_item.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/link_item.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/topology_scene.h"

#include <QStringList>

#include <algorithm>

namespace collapipe::test {

inline Scenario bundledScenario(const QString &name = QStringLiteral("default.json"))
{
    Scenario s;
    std::vector<ScenarioProblem> problems;
    loadScenarioFile(
        QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/") + name, &s, &problems);
    return s;
}

/// What `collapipe generate` makes: `clusters` × `devices` on a grid around default.json's
/// settings and presets.
inline Scenario generatedScenario(int clusters, int devices, int edgeServers = 4)
{
    const Scenario base = bundledScenario();
    GeneratorRecipe recipe;
    recipe.clusters = clusters;
    recipe.devicesPerCluster = devices;
    recipe.edgeServers = std::min(edgeServers, clusters);
    for (const Device &preset : devicePresetsOf(base)) {
        recipe.mix.push_back({preset, 1.0});
    }
    return generateScenario(base, recipe);
}

inline QString pointText(const QPointF &p)
{
    return QStringLiteral("(%1,%2)").arg(p.x(), 0, 'f', 3).arg(p.y(), 0, 'f', 3);
}

inline QString rectText(const QRectF &r)
{
    return pointText(r.topLeft()) + pointText(r.bottomRight());
}

/// Everything a user can see of the scene's topology, one sorted line per item, plus the order of
/// the link list (the label pass's input): two scenes showing the same document must agree.
inline QStringList sceneFingerprint(const TopologyScene &scene)
{
    QStringList lines;
    for (QGraphicsItem *item : scene.items()) {
        const QString common = QStringLiteral(" visible=%1 opacity=%2 selected=%3")
                                   .arg(item->isVisible())
                                   .arg(item->opacity(), 0, 'f', 3)
                                   .arg(item->isSelected());
        if (const auto *node = dynamic_cast<const NodeItem *>(item)) {
            // Where a hidden label would go is not seen (and depends on the zoom history).
            const QString label = node->isLabelVisible()
                ? QStringLiteral("shown on side %1").arg(int(node->labelSide()))
                : QStringLiteral("hidden");
            lines.append(QStringLiteral("node %1 %2 %3 label=%4 %5 flagged=%6")
                             .arg(int(node->ref().kind))
                             .arg(node->ref().id, pointText(node->pos()), node->label(), label)
                             .arg(node->isFlagged())
                + common);
        } else if (const auto *hull = dynamic_cast<const ClusterHullItem *>(item)) {
            lines.append(QStringLiteral("hull %1 %2 flagged=%3")
                             .arg(hull->ref().id, rectText(hull->boundingRect()))
                             .arg(hull->isFlagged())
                + common);
        } else if (const auto *label = dynamic_cast<const ClusterLabelItem *>(item)) {
            // Which side a hidden name would take is not seen (it depends on the edits' history,
            // a drag's path for one); the anchors are.
            const QString where = label->isVisible()
                ? QStringLiteral("at %1 below=%2")
                      .arg(pointText(label->anchor(label->isBelow())))
                      .arg(label->isBelow())
                : QStringLiteral("hidden, anchors %1 %2")
                      .arg(pointText(label->anchor(false)), pointText(label->anchor(true)));
            lines.append(QStringLiteral("cluster label %1 %2").arg(label->text(), where) + common);
        } else if (const auto *glyph = dynamic_cast<const ClusterGlyphItem *>(item)) {
            lines.append(QStringLiteral("glyph %1 %2 devices=%3 flagged=%4")
                             .arg(glyph->clusterId(), pointText(glyph->pos()))
                             .arg(glyph->deviceCount())
                             .arg(glyph->isFlagged())
                + common);
        } else if (const auto *link = dynamic_cast<const LinkItem *>(item)) {
            lines.append(QStringLiteral("link %1 %2 distance=%3")
                             .arg(int(link->kind()))
                             .arg(rectText(link->boundingRect()))
                             .arg(link->isDistanceShown())
                + common);
        }
    }
    std::sort(lines.begin(), lines.end());
    QStringList order;
    for (const LinkItem *link : scene.linkItems()) {
        order.append(pointText(link->midpoint()));
    }
    lines.append(QStringLiteral("link order ") + order.join(QLatin1Char(' ')));
    return lines;
}

} // namespace collapipe::test
