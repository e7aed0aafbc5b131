// SPDX-License-Identifier: MIT
#include "ui/plots/reference_legend_item.h"

#include <algorithm>

namespace collapipe {

ReferenceLegendItem::ReferenceLegendItem(QCPLegend *legend, const QString &name, const QPen &pen)
    : QCPAbstractLegendItem(legend)
    , m_name(name)
    , m_pen(pen)
{
    setSelectable(false);
}

void ReferenceLegendItem::draw(QCPPainter *painter)
{
    // Laid out as QCPPlottableLegendItem lays a graph's entry: icon, padding, text.
    const QSize icon = mParentLegend->iconSize();
    painter->setFont(font());
    painter->setPen(QPen(textColor()));
    const QRect text
        = painter->fontMetrics().boundingRect(0, 0, 0, icon.height(), Qt::TextDontClip, m_name);
    painter->drawText(mRect.x() + icon.width() + mParentLegend->iconTextPadding(), mRect.y(),
        text.width(), std::max(text.height(), icon.height()), Qt::TextDontClip, m_name);
    const QRect iconRect(mRect.topLeft(), icon);
    painter->save();
    painter->setClipRect(iconRect, Qt::IntersectClip);
    painter->setPen(m_pen);
    const double y = iconRect.center().y() + 0.5;
    painter->drawLine(QLineF(iconRect.left(), y, iconRect.right() + 1, y));
    painter->restore();
}

QSize ReferenceLegendItem::minimumOuterSizeHint() const
{
    const QSize icon = mParentLegend->iconSize();
    const QRect text
        = QFontMetrics(font()).boundingRect(0, 0, 0, icon.height(), Qt::TextDontClip, m_name);
    return {icon.width() + mParentLegend->iconTextPadding() + text.width() + mMargins.left()
            + mMargins.right(),
        std::max(text.height(), icon.height()) + mMargins.top() + mMargins.bottom()};
}

} // namespace collapipe
