// SPDX-License-Identifier: MIT
#include "ui/plots/gantt_bars_item.h"

#include "ui/plots/gantt_row_labels.h"

#include <algorithm>
#include <cmath>

namespace collapipe {

GanttBarsItem::GanttBarsItem(QCustomPlot *plot)
    : QCPAbstractItem(plot)
{
    setSelectable(false);
    setClipToAxisRect(false); // label bands lie left of it; draw() clips the rest
}

void GanttBarsItem::draw(QCPPainter *painter)
{
    QCPAxis *x = parentPlot()->xAxis;
    QCPAxis *y = parentPlot()->yAxis;
    const QCPRange xs = x->range();
    QCPRange ys = y->range();
    // Only the rows in sight, plus a margin, when drawing for the screen; an export (pmNoCaching:
    // QCustomPlot's toPixmap, savePdf, ...) draws them all and leaves the screen's record alone.
    if (!painter->modes().testFlag(QCPPainter::pmNoCaching)) {
        m_drawnPixels = QRect();
        const QRect inSight = parentPlot()->visibleRegion().boundingRect();
        if (!inSight.isEmpty() && inSight.height() < parentPlot()->height()) {
            m_drawnPixels = inSight.adjusted(0, -inSight.height() / 2, 0, inSight.height() / 2);
            const double a = y->pixelToCoord(m_drawnPixels.top());
            const double b = y->pixelToCoord(m_drawnPixels.bottom() + 1);
            ys = QCPRange(std::max(ys.lower, std::min(a, b)), std::min(ys.upper, std::max(a, b)));
        }
    }
    painter->setAntialiasing(false);
    const QRectF area = parentPlot()->axisRect()->rect();
    // A 100-cluster round has ~60,000 rects, most in a few colours: the pen and brush change
    // only when their colour does (each change costs the raster engine more than the rect).
    QColor pen;
    QColor fill;
    bool first = true;
    const auto use = [&](const QColor &p, const QColor &f) {
        if (first || p != pen) {
            painter->setPen(p.isValid() ? QPen(p, 1) : QPen(Qt::NoPen));
            pen = p;
        }
        if (first || f != fill) {
            painter->setBrush(f);
            fill = f;
        }
        first = false;
    };
    // A 100-cluster round's summary lanes are ~70,000 stretches, most under a pixel wide.
    bool pending = false;
    QRectF pendingRect;
    QColor pendingFill;
    const auto drawPending = [&] {
        if (pending) {
            use(QColor(), pendingFill);
            painter->drawRect(pendingRect);
            pending = false;
        }
    };
    for (const Rect &r : m_rects) {
        if (r.labelBand) {
            drawPending();
            if (r.y1 < ys.lower || r.y0 > ys.upper) {
                continue;
            }
            const double top = y->coordToPixel(r.y0);
            const double bottom = y->coordToPixel(r.y1);
            const QRectF band(QPointF(0.0, std::min(top, bottom)),
                QPointF(area.left() - 1.0, std::max(top, bottom)));
            use(QColor(), r.fill);
            painter->drawRect(
                band.intersected(QRectF(0.0, area.top(), area.left(), area.height())));
            continue;
        }
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
        QRectF px = QRectF(QPointF(x->coordToPixel(r.x0), y->coordToPixel(r.y0)),
            QPointF(x->coordToPixel(x1), y->coordToPixel(r.y1)))
                        .normalized();
        if (r.swept && px.width() < 1.0) {
            px.setWidth(1.0); // a bar shorter than a pixel still shows (a 0.03 s forward at 400 s)
        }
        px = px.intersected(area);
        if (px.isEmpty()) {
            continue;
        }
        if (!r.pen.isValid() && px.width() < 1.5) {
            // A stretch of a summary lane under a pixel wide: merged with the lane's previous
            // ones in the same pixel column, in the darkest shade among them (most busy).
            if (pending && pendingRect.top() == px.top() && pendingRect.bottom() == px.bottom()
                && std::floor(px.left()) <= std::floor(pendingRect.right())
                && pendingRect.united(px).width() <= 2.0) {
                pendingRect = pendingRect.united(px);
                if (r.fill.lightness() < pendingFill.lightness()) {
                    pendingFill = r.fill;
                }
                continue;
            }
            drawPending();
            pending = true;
            pendingRect = px;
            pendingFill = r.fill;
            continue;
        }
        drawPending();
        use(r.pen, r.fill);
        painter->drawRect(px);
    }
    drawPending();
    if (m_labels) {
        // Where QCustomPlot put a left axis' tick labels: past the offset, the outer ticks and
        // the label padding.
        const double gap = y->offset() + std::max({0, y->tickLengthOut(), y->subTickLengthOut()})
            + y->tickLabelPadding();
        painter->setAntialiasing(true);
        m_labels->draw(painter, y, area, gap, int(std::floor(ys.lower)), int(std::ceil(ys.upper)));
    }
}

} // namespace collapipe
