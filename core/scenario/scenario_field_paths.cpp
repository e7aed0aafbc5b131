// SPDX-License-Identifier: MIT
#include "core/scenario/scenario_field_paths.h"

#include "core/scenario/device_count.h"

#include <QRegularExpression>

namespace collapipe {
namespace {

template <typename T>
void add(
    std::vector<FieldPath> *out, const QString &prefix, const std::vector<FieldSpec<T>> &fields)
{
    for (const FieldSpec<T> &f : fields) {
        out->push_back({prefix + f.key, &f});
    }
}

} // namespace

const std::vector<FieldPath> &scenarioFieldPaths()
{
    static const std::vector<FieldPath> paths = [] {
        std::vector<FieldPath> out;
        add(&out, QString(), scenarioFields());
        add(&out, QStringLiteral("edge_servers[i]."), edgeServerFields());
        add(&out, QStringLiteral("clusters[i]."), clusterFields());
        // K is structural (it resizes the device list), not a member of Cluster: listed here so
        // that every place choosing a path by this list offers it.
        out.push_back({QStringLiteral("clusters[i].device_count"), &deviceCountField()});
        out.push_back({QStringLiteral("clusters[*].device_count"), &deviceCountField()});
        add(&out, QStringLiteral("clusters[i].control_unit."), controlUnitFields());
        add(&out, QStringLiteral("clusters[i].control_unit.mobility."), mobilityFields());
        add(&out, QStringLiteral("clusters[i].devices[k]."), deviceFields());
        add(&out, QStringLiteral("clusters[i].devices[k].mobility."), mobilityFields());
        add(&out, QStringLiteral("clusters[i].devices[k].mobility.waypoints[j]."),
            waypointFields());
        add(&out, QStringLiteral("d2d."), channelFields());
        add(&out, QStringLiteral("d2e."), channelFields());
        add(&out, QStringLiteral("model."), modelFields());
        add(&out, QStringLiteral("model.trainer."), transformerDimsFields());
        add(&out, QStringLiteral("model.profiled."), transformerDimsFields());
        add(&out, QStringLiteral("training."), trainingFields());
        add(&out, QStringLiteral("optimizer."), optimizerFields());
        return out;
    }();
    return paths;
}

const FieldInfo *findFieldByPath(const QString &path)
{
    static const QRegularExpression firstIndex(QStringLiteral("^(\\w+)\\[\\d+\\]"));
    static const QRegularExpression secondIndex(QStringLiteral("(\\.\\w+)\\[\\d+\\]"));
    QString pattern = path;
    pattern.replace(firstIndex, QStringLiteral("\\1[i]"));
    pattern.replace(secondIndex, QStringLiteral("\\1[k]"));
    for (const FieldPath &f : scenarioFieldPaths()) {
        if (f.pattern == pattern) {
            return f.info;
        }
    }
    return nullptr;
}

} // namespace collapipe
