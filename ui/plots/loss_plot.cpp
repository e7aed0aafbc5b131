// SPDX-License-Identifier: MIT
#include "ui/plots/loss_plot.h"

namespace collapipe {

LossPlot::LossPlot(QWidget *parent)
    : RoundPlot(tr("Training loss and validation accuracy"), parent)
{
    setObjectName(QStringLiteral("loss-accuracy"));
    placeLegendOutside(); // loss starts top left, accuracy ends top right: no corner is free
    yAxis->setLabel(tr("loss"));
    yAxis2->setVisible(true);
    yAxis2->setLabel(tr("accuracy"));
    m_loss = ensureSeries(QStringLiteral("loss"), tr("loss"), QPen(seriesColor(0)));
    m_accuracy
        = ensureSeries(QStringLiteral("accuracy"), tr("accuracy"), QPen(seriesColor(1)), yAxis2);
    // Accuracy arrives every few rounds only: mark each measurement.
    graphOf(m_accuracy)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
    setIncludeZero(yAxis2, true);
}

void LossPlot::takeRound(const RoundRecord &record)
{
    appendPoint(m_loss, record, record.loss);         // NaN (not measured) is skipped
    appendPoint(m_accuracy, record, record.accuracy); // idem between evaluations
}

} // namespace collapipe
