// SPDX-License-Identifier: MIT
#pragma once

#include "ui/plots/round_plot.h"

namespace collapipe {

/// Panel 3: memory per device (spec §2.4), one colour per device, two scales that are never
/// mixed. Left axis, GB, the model the cost model charges for (model.profiled): predicted
/// (solid) against the device's capacity (dashed). Right axis, MB, shown once the trainer runs:
/// the same formula at the trainer's width (model.trainer; dash-dot) and the peak the trainer
/// measured (dotted), the pair that can be compared.
class MemoryPlot : public RoundPlot
{
    Q_OBJECT

public:
    explicit MemoryPlot(QWidget *parent = nullptr);

    void clearData() override;
    /// A series per device up to kDeviceSeriesLimit devices, else the aggregates of each
    /// device's prediction (profiled width) as a share of its own capacity, in %, against the
    /// 100 % limit (the legend names each curve and the limit).
    void setScenario(const Scenario &scenario) override;
    /// True once a round carried trainer-width memory (the right axis is shown).
    bool showsTrainerWidth() const { return m_trainerWidth; }

protected:
    void takeRound(const RoundRecord &record) override;

private:
    void setTrainerWidthShown(bool shown);

    bool m_trainerWidth = false;
};

} // namespace collapipe
