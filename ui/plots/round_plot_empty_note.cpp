// SPDX-License-Identifier: MIT
// RoundPlot's "no data yet" note, in the longest form its axis rect holds.
#include "ui/plots/round_plot.h"

namespace collapipe {

QStringList RoundPlot::emptyNoteForms()
{
    return {tr("no data yet:\nstart a run or open a stored one"), tr("no data yet:\nstart a run"),
        tr("no data yet")};
}

void RoundPlot::fitEmptyNote()
{
    // The note is centred on the axis rect: in a narrow panel (1280 × 800, a legend beside the
    // plot) the long form lost its first and last letters. The longest form that fits.
    const QStringList forms = emptyNoteForms();
    const QFontMetrics metrics(m_empty->font());
    const int room
        = axisRect()->width() - 8 - m_empty->padding().left() - m_empty->padding().right();
    QString shown = forms.back();
    for (const QString &form : forms) {
        if (metrics.boundingRect(QRect(), Qt::AlignHCenter, form).width() <= room) {
            shown = form;
            break;
        }
    }
    if (shown != m_empty->text()) {
        m_empty->setText(shown);
    }
}

} // namespace collapipe
