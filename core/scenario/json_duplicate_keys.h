// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario_json.h"

#include <QByteArray>

#include <vector>

namespace collapipe {

/// Appends one problem per object key that appears twice in the same object of `json`, with the
/// key's path, its line and the line of its first use. QJsonDocument keeps only the last of two
/// equal keys without a word, so an invalid first value would vanish unseen; this pass on the raw
/// text is the one place duplicates are caught. `json` must already be valid JSON (checked by
/// QJsonDocument first); the pass is a linear scan, no tree.
void findDuplicateJsonKeys(const QByteArray &json, std::vector<ScenarioProblem> *problems);

} // namespace collapipe
