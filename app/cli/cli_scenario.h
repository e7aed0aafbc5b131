// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/scenario/scenario_patch.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

/// Scenario loading with `--set key=value` overrides, shared by `run`, `plan` and `sweep`. The
/// assignments themselves (paths, typed values, re-validation) are core/scenario/scenario_patch.h.
namespace collapipe::cli {

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

/// Loads FILE, applies `sets` in order, parses and validates. False + every problem, one per
/// line, each naming the field path (or the file) and the value.
bool loadScenarioWithSets(const QString &path, const std::vector<SetAssignment> &sets,
    Scenario *out, QStringList *problems);

} // namespace collapipe::cli
