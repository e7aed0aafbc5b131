// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario_fields.h"

#include <QString>

#include <vector>

/// The scenario's fields by path, as `--set`, experiment axes and `collapipe validate --fields`
/// write them ("d2d.bandwidth_hz", "clusters[i].devices[k].memory_bytes"): one list built from
/// the field tables (scenario_fields.h), so every place that names a field by path agrees.
namespace collapipe {

struct FieldPath
{
    /// "clusters[i].devices[k].memory_bytes": [i], [k] stand for any index; [*] (only in
    /// "clusters[*].device_count") is literal: every cluster.
    QString pattern;
    const FieldInfo *info = nullptr;
};

/// Every field path in the order `collapipe validate --fields` lists them.
const std::vector<FieldPath> &scenarioFieldPaths();

/// The field a concrete path names ("clusters[0].devices[1].memory_bytes"), or null.
const FieldInfo *findFieldByPath(const QString &path);

} // namespace collapipe
