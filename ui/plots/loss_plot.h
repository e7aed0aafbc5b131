// SPDX-License-Identifier: MIT
#pragma once

#include "ui/plots/round_plot.h"

namespace collapipe {

/// Panel 4: mean training loss (left axis) and validation accuracy (right axis, 0–1; measured
/// every evalEvery rounds, so drawn as dots joined by a line).
class LossPlot : public RoundPlot
{
    Q_OBJECT

public:
    explicit LossPlot(QWidget *parent = nullptr);

protected:
    void takeRound(const RoundRecord &record) override;

private:
    int m_loss = -1;
    int m_accuracy = -1;
};

} // namespace collapipe
