// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

/// Changing one scenario field by its path, written once: `collapipe run --set`, `sweep` and the
/// experiment files' axes (core/experiment) all go through these functions. A path is the dotted
/// path of the scenario JSON (scenario_json.h), e.g. `optimizer.v`, `training.learning_rate`,
/// `clusters[0].devices[1].memory_bytes`, and the one structural path, K of a cluster or of every
/// cluster: `clusters[0].device_count`, `clusters[*].device_count` (device_count.h). Patches are applied to the JSON tree and the result is
/// parsed and validated again, so every error names the field and the bad value.
namespace collapipe {

struct SetAssignment
{
    QString path;
    QString value; ///< as text; read as the field's JSON type (number, on/off, string)
    /// How the user wrote the path, for messages about it ("axes[1].path"); empty: "--set PATH".
    QString origin = {};
};

/// Splits "key=value". False + message for a missing '=' or an empty key.
bool parseAssignment(const QString &text, SetAssignment *out, QString *error);

/// Applies one assignment to the JSON tree. The key must exist (the saved form has every field);
/// the value is read as the field's JSON type (number, true/false/on/off, string).
bool applyAssignment(QJsonObject *root, const SetAssignment &set, QString *error);

/// Applies `sets` in order to `base`, then parses and validates. False + every problem, one per
/// line (control characters escaped), each naming the field path and the value.
bool patchScenario(const Scenario &base, const std::vector<SetAssignment> &sets, Scenario *out,
    QStringList *problems);

} // namespace collapipe
