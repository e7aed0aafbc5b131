// SPDX-License-Identifier: MIT
#pragma once

#include "core/experiment/experiment.h"

/// Private to core/experiment: the file reader behind experimentFromJson() and readExperiment().
namespace collapipe::experiment_detail {

/// experimentFromJson(); `expandable` (optional) tells whether the spec, even with problems, holds
/// a base scenario and at most kMaxExperimentPoints points made of the parts that were valid, so
/// its points can be checked too (readExperiment).
bool parseExperiment(const QByteArray &json, const QString &baseDir, ExperimentSpec *out,
    std::vector<ExperimentProblem> *problems, bool *expandable);

} // namespace collapipe::experiment_detail
