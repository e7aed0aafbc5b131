// SPDX-License-Identifier: MIT
#pragma once

#include "ui/plots/round_plot.h"

namespace collapipe {

/// Panel 3: memory per device (spec §2.4): predicted by the cost model (solid), measured by the
/// trainer (dotted; only when training is on) and the device's capacity (dashed). In GB.
class MemoryPlot : public RoundPlot
{
    Q_OBJECT

public:
    explicit MemoryPlot(QWidget *parent = nullptr);

protected:
    void takeRound(const RoundRecord &record) override;
};

} // namespace collapipe
