// SPDX-License-Identifier: MIT
#pragma once

#include "ui/plots/round_plot.h"

namespace collapipe {

/// Panel 5: energy E_k(t) each device spent in the round (spec §2.5), with its long-term budget
/// Ē_k dashed in the same colour.
class EnergyPlot : public RoundPlot
{
    Q_OBJECT

public:
    explicit EnergyPlot(QWidget *parent = nullptr);
    void setScenario(const Scenario &scenario) override;

protected:
    void takeRound(const RoundRecord &record) override;
};

} // namespace collapipe
