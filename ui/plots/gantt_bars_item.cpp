// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_bars_item.h"

#include <algorithm>

namespace collapipe {

GanttBarsItem::GanttBarsItem(QCustomPlot *plot)
    : QCPAbstractItem(plot)
{
    setSelectable(false);
}

void GanttBarsItem::draw(QCPPainter *painter)
{
    QCPAxis *x = parentPlot()->xAxis;
    QCPAxis *y = parentPlot()->yAxis;
    const QCPRange xs = x->range();
    const QCPRange ys = y->range();
    painter->setAntialiasing(false);
    for (const Rect &r : m_rects) {
        double x1 = r.x1;
        if (r.swept) {
            if (r.x0 > m_sweep) {
                continue;
            }
            x1 = std::min(x1, m_sweep);
        }
        if (x1 < xs.lower || r.x0 > xs.upper || r.y1 < ys.lower || r.y0 > ys.upper) {
            continue;
        }
        const QRectF px = QRectF(QPointF(x->coordToPixel(r.x0), y->coordToPixel(r.y0)),
            QPointF(x->coordToPixel(x1), y->coordToPixel(r.y1)))
                              .normalized();
        painter->setPen(r.pen.isValid() ? QPen(r.pen, 1) : QPen(Qt::NoPen));
        painter->setBrush(r.fill);
        painter->drawRect(px);
    }
}

} // namespace collapipe
