// SPDX-License-Identifier: MIT
// RoundPlot's "no data yet" note, in the longest form its axis rect holds, with no reference
// line behind it.
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

void RoundPlot::setEmptyShown(bool empty)
{
    // Before the first round the references (budgets, limits) frame the value axes but are not
    // drawn: the energy panels' budget lines ran behind the note's text, cut off at both ends of
    // its white box, and read as struck through (issue #16, 1280 x 800 and 1600 x 1000). The
    // legend still names them, and they come back with the first round.
    m_empty->setVisible(empty);
    for (const Reference &ref : std::as_const(m_references)) {
        ref.line->setVisible(!empty);
    }
}

} // namespace collapipe
