// SPDX-License-Identifier: MIT
#pragma once
// Checks of the Gantt view at scale (issue [7/7]) for tst_run_views: the fixed time axis and
// colour legend stay in view however the rows scroll; summary rows show structure in lanes.
#include "ui/plots/gantt_plot.h"
#include "ui/plots/gantt_view.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QFontMetrics>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>

namespace collapipe::testing {

/// Issue [7/7] at 1280 x 800: the summary rows of a 100-cluster round scroll, and the time
/// axis (ticks and its unit) stays in the dock's view, aligned with the bars, wherever the
/// rows are scrolled to.
inline void expectTimeAxisInView(GanttView *view, QDockWidget *dock)
{
    GanttPlot *gantt = view->plot();
    QVERIFY(dock->isVisible());
    QScrollArea *scroll = view->scrollArea();
    for (int pass = 0; pass < 3; ++pass) { // the strip follows the plot's replot and layout
        gantt->replot();
        QCoreApplication::processEvents();
    }
    QVERIFY2(gantt->height() > scroll->viewport()->height(),
        qPrintable(QStringLiteral("plot %1 px, viewport %2 px")
                       .arg(gantt->height())
                       .arg(scroll->viewport()->height())));
    QCustomPlot *strip = view->axisStrip();
    QCPAxis *axis = view->stripAxis();
    for (const int scrolled : {0, 1, 2}) { // top, middle, bottom
        QScrollBar *bar = scroll->verticalScrollBar();
        bar->setValue(bar->maximum() * scrolled / 2);
        QCoreApplication::processEvents();
        strip->replot();
        QVERIFY(strip->isVisible());
        QVERIFY2(axis->label().contains(QStringLiteral("[s]")), qPrintable(axis->label()));
        QCOMPARE(axis->range().lower, gantt->xAxis->range().lower);
        QCOMPARE(axis->range().upper, gantt->xAxis->range().upper);
        // The axis line, ticks, tick labels and label: inside the dock, below the rows.
        const QRect rect = axis->axisRect()->rect();
        const QRect area(strip->mapTo(dock, QPoint(rect.left(), rect.bottom())),
            strip->mapTo(dock, QPoint(rect.right(), strip->height() - 1)));
        const QRect rows(scroll->viewport()->mapTo(dock, QPoint(0, 0)), scroll->viewport()->size());
        QVERIFY2(dock->rect().contains(area) && !rows.intersects(area),
            qPrintable(QStringLiteral("axis %1,%2 %3x%4; dock %5x%6")
                           .arg(area.x())
                           .arg(area.y())
                           .arg(area.width())
                           .arg(area.height())
                           .arg(dock->width())
                           .arg(dock->height())));
        // The colour legend too: whole, in the dock, not over the rows, naming the lanes.
        QLabel *legend = view->legendStrip();
        QVERIFY(legend->isVisible());
        const QRect legendArea(legend->mapTo(dock, QPoint(0, 0)), legend->size());
        QVERIFY2(dock->rect().contains(legendArea) && !rows.intersects(legendArea)
                && legendArea.height() >= legend->heightForWidth(legend->width()),
            qPrintable(QStringLiteral("legend %1,%2 %3x%4; dock %5x%6")
                           .arg(legendArea.x())
                           .arg(legendArea.y())
                           .arg(legendArea.width())
                           .arg(legendArea.height())
                           .arg(dock->width())
                           .arg(dock->height())));
        // One line (it wrapped to three at 1280 x 800, leaving ~6 rows of campus-day in view),
        // a swatch for every colour, each named (its short name in the strip, every full name
        // in the tooltip), not elided at this size.
        const QFontMetrics fm(legend->font());
        QVERIFY2(legend->height() < 2 * fm.lineSpacing(),
            qPrintable(QStringLiteral("legend %1 px tall, a line is %2 px")
                           .arg(legend->height())
                           .arg(fm.lineSpacing())));
        QVERIFY2(view->legendForm() < 4, qPrintable(legend->text()));
        QCOMPARE(int(legend->text().count(QStringLiteral("&#9632;"))),
            int(GanttPlot::legendKinds().size()) + kGanttLanes);
        QVERIFY(!legend->text().contains(QStringLiteral("…")));
        for (EventKind k : GanttPlot::legendKinds()) {
            QVERIFY2(
                legend->toolTip().contains(GanttPlot::kindName(k)), qPrintable(legend->toolTip()));
            QVERIFY(legend->text().contains(GanttPlot::kindColor(k).name()));
        }
        for (int lane = 0; lane < kGanttLanes; ++lane) {
            const auto l = static_cast<GanttLane>(lane);
            QVERIFY2(legend->toolTip().contains(GanttPlot::laneName(l).toHtmlEscaped()),
                qPrintable(legend->toolTip()));
        }
        // Aligned with the bars: the same time at the same x.
        for (const double t : {gantt->xAxis->range().lower, gantt->xAxis->range().upper}) {
            const int stripX = strip->mapTo(dock, QPoint(int(axis->coordToPixel(t)), 0)).x();
            const int plotX = gantt->mapTo(dock, QPoint(int(gantt->xAxis->coordToPixel(t)), 0)).x();
            QVERIFY2(std::abs(stripX - plotX) <= 1,
                qPrintable(QStringLiteral("t %1: %2 vs %3").arg(t).arg(stripX).arg(plotX)));
        }
    }
    scroll->verticalScrollBar()->setValue(0);
}

/// On 100 x 10 links and uploads keep some resource of a cluster busy almost always: its
/// merged busy spans were one solid bar. A summary row now draws a lane per kind of resource
/// (compute, transfers, upload + aggregate), each stretch shaded by how many of the lane's
/// resources are busy, and its tooltip gives the counts.
inline void expectSummaryLanes(GanttPlot *gantt, const RoundRecord &record)
{
    int solid = 0; // rows whose merged busy spans are one bar (> 90 % of their busy time)
    for (int row = 0; row < gantt->rowCount(); ++row) {
        QVERIFY(gantt->isSummaryRow(row));
        const GanttRow &r = gantt->rows()[std::size_t(row)];
        double roundEnd = 0.0;
        double pipelineEnd = 0.0;
        for (const TimelineEvent &e : record.events) {
            if (e.cluster == r.cluster) {
                roundEnd = std::max(roundEnd, e.endS);
                if (ganttLaneOf(e.kind, e.resource.kind) != GanttLane::Upload) {
                    pipelineEnd = std::max(pipelineEnd, e.endS);
                }
            }
        }
        QVERIFY(roundEnd > 0.0 && pipelineEnd > 0.0);
        double merged = 0.0;
        double longest = 0.0;
        for (const auto &[start, end] : r.spans) {
            merged += end - start;
            longest = std::max(longest, end - start);
        }
        solid += longest > 0.9 * merged ? 1 : 0;
        // Every lane drawn, each stretch within its lane's resource count.
        std::array<int, kGanttLanes> spans{};
        for (const LaneSpan &span : r.lanes) {
            const auto lane = std::size_t(span.lane);
            ++spans[lane];
            QVERIFY(span.end > span.start);
            QVERIFY2(span.busy >= 1 && span.busy <= r.laneResources[lane],
                qPrintable(QStringLiteral("%1: %2 of %3")
                               .arg(r.label)
                               .arg(span.busy)
                               .arg(r.laneResources[lane])));
        }
        for (int lane = 0; lane < kGanttLanes; ++lane) {
            QVERIFY2(spans[std::size_t(lane)] >= 1,
                qPrintable(r.label + QStringLiteral(" lane %1").arg(lane)));
        }
        // Structure, not one bar: compute is idle for a good part of the pipeline, in
        // several stretches, and the upload is a lane of its own.
        const auto compute = std::size_t(GanttLane::Compute);
        QVERIFY2(spans[compute] >= 2, qPrintable(r.label));
        QVERIFY2(r.laneBusyS[compute] < 0.9 * pipelineEnd,
            qPrintable(QStringLiteral("%1: compute busy %2 of %3 s")
                           .arg(r.label)
                           .arg(r.laneBusyS[compute])
                           .arg(pipelineEnd)));
        QVERIFY(r.laneResources[std::size_t(GanttLane::Upload)] >= 1);
    }
    // The case this is about: most rows were one solid bar.
    QVERIFY2(solid > gantt->rowCount() / 2, qPrintable(QString::number(solid)));
    // The tooltip gives the counts.
    const GanttRow &first = gantt->rows().front();
    const QString text = gantt->summaryText(0, first.lanes.front().start);
    QVERIFY2(text.contains(QStringLiteral(" of %1 busy now")
                               .arg(first.laneResources[std::size_t(first.lanes.front().lane)]))
            && text.contains(GanttPlot::laneName(GanttLane::Upload)),
        qPrintable(text));
}

} // namespace collapipe::testing
