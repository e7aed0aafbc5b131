// SPDX-License-Identifier: MIT
#pragma once

#include "ui/plots/round_plot.h"

namespace collapipe {

/// Panel 1: virtual energy queue Q_{n,k}(t) per device (spec §5) and each device's energy
/// budget Ē_k as a dashed line in the same colour (the queue grows while E_k(t) > Ē_k).
class QueuePlot : public RoundPlot
{
    Q_OBJECT

public:
    explicit QueuePlot(QWidget *parent = nullptr);
    void setScenario(const Scenario &scenario) override;

protected:
    void takeRound(const RoundRecord &record) override;
};

} // namespace collapipe
