// SPDX-License-Identifier: MIT
#pragma once

// Warm mode of bench_optimizer (issue 17, core/optimizer/DSSDA.md "Warm start"):
// `bench_optimizer warm FILE [rounds] [variant…]` runs DSSDA variants that solve in full only
// every F rounds (optimizer.replan_every) and in between track the kept plan (today's F > 1) or
// warm-solve it (track + exact polish), each on its own decisions and queues over `rounds`
// cost-only rounds (default 2000), and prints per variant: the decisions' CPU per round (and the
// rounds/s it alone would allow), the loop's CPU per round (decision, channel, cost, queues; no
// store), mean system latency, mean energy queue per present device (Q after each round), mean
// summed objective, the share of cluster-rounds not solved in full, and against the full solver
// re-solving every cluster-round state of the variant (not timed; WARM_NO_COMPARE=1 skips it):
// the share of solves worse / better than it and the worst ratio with its round (the comparison:
// tests/optimizer/warm_compare.h, shared with tst_warm_quality). Without variant names all of
// them run; `full` is F = 1; `option-MODE-FN` is optimizer.warm_start = MODE with replan_every N;
// `fast-*-FN` is `track` before its second pass (warm-struct, no 5 % trigger) with one of the
// second pass's changes (order, split1/2, keepbw, power10) or all of them (all1 = the option now,
// all2 with two split devices); DSSDA.md "Second pass: a cheaper warm solve".
#include <QString>
#include <QStringList>

namespace collapipe::bench_warm {

int benchWarm(const QString &file, int rounds, const QStringList &only);

} // namespace collapipe::bench_warm
