// SPDX-License-Identifier: MIT
#pragma once

#include "ui/plots/round_plot.h"

#include <vector>

namespace collapipe {

/// Panel 2: system latency T(t) per round split by cause (spec §2.3; LatencySplit) as stacked
/// areas: compute, D2D, D2E, decoder, upload, aggregation, bubble. Each series holds the
/// cumulative sum up to its part, filled (opaque) to zero under the smaller sums, drawn as steps
/// so each round reads like a bar. The top edge is T(t).
class LatencyPlot : public RoundPlot
{
    Q_OBJECT

public:
    explicit LatencyPlot(QWidget *parent = nullptr);
    static constexpr int kParts = 7;
    /// Part names in stacking order (bottom first).
    static QStringList partNames();
    /// Series index of part k (0 = compute … 6 = bubble); the series of part 6 is T(t).
    static int seriesOfPart(int k) { return kParts - 1 - k; }

    /// Above this many rounds the areas are drawn as lines only: rasterising filled polygons
    /// costs ~0.2 s per replot at 2·10³ rounds, ~0.6 s at 2·10⁴ and ~1 s at 10⁶ (QPainter's raster
    /// engine scan-converts every edge); lines cost ~0.1 s at 10⁶
    /// (tests/bench/bench_replot.cpp).
    static constexpr std::size_t kMaxFilledRounds = 500;
    bool isFilled() const { return m_filled; }

protected:
    void takeRound(const RoundRecord &record) override;
    void dataChanged() override;

private:
    std::vector<QColor> m_fills;
    bool m_filled = true;
};

} // namespace collapipe
