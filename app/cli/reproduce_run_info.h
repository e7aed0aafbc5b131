// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// Where and on what `collapipe reproduce` ran, for the report's first lines.
namespace collapipe::cli {

/// "host · Debian GNU/Linux 12 · x86_64 · AMD EPYC 7B13 · 2 logical cores".
QString machineDescription();
/// The 1, 5 and 15 minute load averages ("1.02 0.80 0.66"), or "unknown".
QString loadAverage();
/// The source commit of this build ("abc1234"; "abc1234 + local changes" when the checkout has
/// uncommitted changes), asked of git in the source tree; why not when that cannot be known.
QString sourceCommit();

} // namespace collapipe::cli
