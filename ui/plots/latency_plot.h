// SPDX-License-Identifier: MIT
#pragma once

#include "ui/plots/round_plot.h"

namespace collapipe {

/// Panel 2: system latency T(t) per round split by cause (spec §2.3; LatencySplit) as stacked
/// areas: compute, D2D, D2E, decoder, upload, aggregation, bubble. Each series holds the
/// cumulative sum up to its part, filled (opaque) down to the part below, drawn as steps so
/// each round reads like a bar. The top edge is T(t).
class LatencyPlot : public RoundPlot
{
    Q_OBJECT

public:
    explicit LatencyPlot(QWidget *parent = nullptr);
    static constexpr int kParts = 7;
    /// Part names in stacking order (bottom first).
    static QStringList partNames();

protected:
    void takeRound(const RoundRecord &record) override;
};

} // namespace collapipe
