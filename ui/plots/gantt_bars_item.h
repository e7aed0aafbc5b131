// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <qcustomplot.h>

#include <limits>
#include <vector>

namespace collapipe {

class GanttRowLabels;

/// Every lane and bar of the Gantt as one QCustomPlot item that paints them in one pass (issue
/// [7/7]). One QCPItemRect per event made "expand all" on a 100 × 10 round (~20,000 events)
/// take seconds: QCustomPlot adds and removes items one list search at a time. Coordinates are
/// plot coordinates (time in s, row); rects outside the visible range are skipped, the others
/// clipped to the axis rect (label bands to the strip left of it).
class GanttBarsItem : public QCPAbstractItem
{
public:
    struct Rect
    {
        double x0 = 0.0;
        double x1 = 0.0;
        double y0 = 0.0;
        double y1 = 0.0;
        QColor fill;
        QColor pen;         ///< invalid: no outline
        bool swept = false; ///< follows the sweep (bars), or always whole (lanes)
        /// Drawn behind the row's tick label (left of the axis rect) instead: a search match.
        bool labelBand = false;
    };

    explicit GanttBarsItem(QCustomPlot *plot);

    void setRects(std::vector<Rect> rects) { m_rects = std::move(rects); }
    void clearRects() { m_rects.clear(); }
    /// The rects' buffer, emptied, for the next setRects() (keeps its capacity).
    std::vector<Rect> takeRects()
    {
        std::vector<Rect> buffer;
        buffer.swap(m_rects);
        buffer.clear();
        return buffer;
    }
    int count() const { return int(m_rects.size()); }
    /// Swept rects are drawn up to `t` (those starting later not at all); +inf: whole.
    void setSweep(double t) { m_sweep = t; }
    /// The widget pixels the last on-screen draw covered (issue [7/7]): the Gantt scrolls in its
    /// dock and is as tall as its rows (~7,000 px at 100 × 10 expanded), so a draw for the screen
    /// skips the rows scrolled out of sight; GanttPlot replots when more comes into sight.
    /// Null when everything was drawn (an export, or the plot not on screen).
    QRect drawnPixels() const { return m_drawnPixels; }
    /// The row names drawn left of the axis rect, for the same rows as the bars (not owned).
    void setRowLabels(const GanttRowLabels *labels) { m_labels = labels; }

    double selectTest(const QPointF &, bool, QVariant * = nullptr) const override { return -1.0; }

protected:
    void draw(QCPPainter *painter) override;

private:
    std::vector<Rect> m_rects;
    double m_sweep = std::numeric_limits<double>::infinity();
    QRect m_drawnPixels;
    const GanttRowLabels *m_labels = nullptr;
};

} // namespace collapipe
