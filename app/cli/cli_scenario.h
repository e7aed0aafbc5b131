// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

/// Scenario loading with `--set key=value` overrides, shared by `run` and `sweep`.
/// A key is the dotted path of the scenario JSON (scenario_json.h), e.g. `optimizer.v`,
/// `training.learning_rate`, `clusters[0].devices[1].memory_bytes`. Overrides patch the JSON and
/// the result is re-validated, so every error names the field and the bad value.
namespace collapipe::cli {

struct SetAssignment
{
    QString path;
    QString value;
};

/// Options that are sugar for one scenario field each, validated (and named in errors) exactly
/// like that field: --policy optimizer.policy, --schedule optimizer.schedule, --rounds
/// training.rounds, --seed training.seed, --train training.train.
struct ScenarioShortcut
{
    const char *option;
    const char *path;
};
inline constexpr ScenarioShortcut kScenarioShortcuts[]
    = {{"policy", "optimizer.policy"}, {"schedule", "optimizer.schedule"},
        {"rounds", "training.rounds"}, {"seed", "training.seed"}, {"train", "training.train"}};

/// The --set assignments of `parser` (each checked by parseAssignment), then one assignment per
/// shortcut of kScenarioShortcuts named in `options` that is set, so a shortcut wins over a --set
/// of the same field. False + message for the first malformed --set.
bool collectScenarioSets(const QCommandLineParser &parser, const QStringList &options,
    std::vector<SetAssignment> *sets, QString *error);

/// Splits "key=value". False + message for a missing '=' or an empty key.
bool parseAssignment(const QString &text, SetAssignment *out, QString *error);

/// Applies one assignment to the JSON tree. The key must exist (the saved form has every field);
/// the value is read as the field's JSON type (number, true/false/on/off, string).
bool applyAssignment(QJsonObject *root, const SetAssignment &set, QString *error);

/// Loads FILE, applies `sets` in order, parses and validates. False + every problem, one per
/// line, each naming the field path (or the file) and the value.
bool loadScenarioWithSets(const QString &path, const std::vector<SetAssignment> &sets,
    Scenario *out, QStringList *problems);

/// The same for an already loaded scenario (sweeps patch one base scenario many times).
bool patchScenario(const Scenario &base, const std::vector<SetAssignment> &sets, Scenario *out,
    QStringList *problems);

} // namespace collapipe::cli
