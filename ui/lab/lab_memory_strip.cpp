// SPDX-License-Identifier: MIT
#include "ui/lab/lab_memory_strip.h"

#include "ui/lab/lab_schedule_source.h"

#include <qcustomplot.h>

#include <algorithm>

namespace collapipe {

namespace {

constexpr double kLaneHalf = 0.4; ///< of a lane's unit height

} // namespace

LabMemoryStrip::LabMemoryStrip(QCustomPlot *plot, int row)
    : m_plot(plot)
    , m_rect(new QCPAxisRect(plot))
{
    plot->plotLayout()->addElement(row, 0, m_rect);
    QCPAxis *y = m_rect->axis(QCPAxis::atLeft);
    y->setRangeReversed(true);
    y->grid()->setVisible(false);
    y->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    y->setTickLabelFont(QFont(plot->font().family(), 8));
    y->setLabel(QObject::tr("stashed"));
    y->setLabelFont(QFont(plot->font().family(), 8));
    QCPAxis *x = m_rect->axis(QCPAxis::atBottom);
    x->setTickLabelFont(QFont(plot->font().family(), 8));
    x->setLabel(QObject::tr("time in the iteration [s]"));
    m_cursor = new QCPItemStraightLine(plot);
    m_cursor->setClipAxisRect(m_rect);
    m_cursor->point1->setAxes(x, y);
    m_cursor->point2->setAxes(x, y);
    m_cursor->setPen(QPen(Qt::black, 1.5));
    m_cursor->setVisible(false);
}

void LabMemoryStrip::setOps(
    const std::vector<LabEvent> &ops, const QStringList &stageNames, int microbatches)
{
    for (QCPGraph *g : m_graphs) {
        m_plot->removeGraph(g);
    }
    m_graphs.clear();
    m_ops = ops;
    m_stageNames = stageNames;
    QCPAxis *x = m_rect->axis(QCPAxis::atBottom);
    QCPAxis *y = m_rect->axis(QCPAxis::atLeft);
    double end = 0.0;
    int peak = microbatches;
    for (const LabEvent &e : ops) {
        end = std::max(end, e.endS);
    }
    for (int s = 0; s < int(stageNames.size()); ++s) {
        int count = 0;
        for (const LabEvent &e : ops) {
            if (e.stage == s) {
                count += stashDelta(e);
                peak = std::max(peak, count);
            }
        }
    }
    // Chunk activations may outnumber the micro-batches (v chunks): scale to the higher.
    const double scale = 2.0 * kLaneHalf / std::max(1, peak);
    for (int s = 0; s < int(stageNames.size()); ++s) {
        const double base = s + kLaneHalf;
        QCPGraph *baseline = m_plot->addGraph(x, y);
        baseline->setPen(QPen(QColor(200, 200, 200)));
        baseline->addData({0.0, end}, {base, base}, true);
        QCPGraph *fill = m_plot->addGraph(x, y);
        fill->setLineStyle(QCPGraph::lsStepLeft);
        fill->setPen(QPen(QColor(60, 60, 140)));
        fill->setBrush(QColor(150, 160, 220));
        fill->setChannelFillGraph(baseline);
        QVector<double> t{0.0};
        QVector<double> v{base};
        int count = 0;
        // Compute ops are sorted by start; a device runs one at a time, so by end too.
        for (const LabEvent &e : ops) {
            if (e.stage == s) {
                count += stashDelta(e);
                t << e.endS;
                v << base - scale * count;
            }
        }
        t << end;
        v << v.last();
        fill->setData(t, v, true);
        m_graphs.push_back(fill);
        m_graphs.push_back(baseline);
    }
    y->setRange(-0.5, std::max<qsizetype>(1, stageNames.size()) - 0.5);
    y->setRangeReversed(true);
    relabel();
}

void LabMemoryStrip::setCursor(double t)
{
    m_cursorS = t;
    m_cursor->setVisible(t >= 0.0);
    m_cursor->point1->setCoords(t, 0.0);
    m_cursor->point2->setCoords(t, 1.0);
    relabel();
}

int LabMemoryStrip::valueAtCursor(int stage) const
{
    return m_cursorS < 0.0 ? 0 : stashedAt(m_ops, stage, m_cursorS);
}

void LabMemoryStrip::relabel()
{
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(m_rect->axis(QCPAxis::atLeft)->ticker());
    ticker->clear();
    m_laneLabels.clear();
    for (int s = 0; s < int(m_stageNames.size()); ++s) {
        QString label = QStringLiteral("S%1").arg(s);
        if (m_cursorS >= 0.0) {
            label += QStringLiteral(": %1").arg(valueAtCursor(s), 2);
        }
        m_laneLabels << label;
        ticker->addTick(s, label);
    }
}

} // namespace collapipe
