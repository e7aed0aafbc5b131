// SPDX-License-Identifier: MIT
// Every live plot panel's legends (its series legend and its churn-marker row) are the size of
// their entries at the sizes the plots dock gives the panels at 1280 × 800 and 1600 × 1000, with
// few devices, with aggregates (100 × 10) and with picked clusters, while the legend sits inside,
// beside or below the plot. Before: a legend beside the plot took its layout cell's whole height
// (the loss panel's two entries in a box as tall as the plot, "loss" at the top, "accuracy" at
// the bottom; the latency panel's causes spread the same way).
#include "ui/plots/churn_markers.h"
#include "ui/plots/fitted_legend.h"
#include "ui/plots/latency_plot.h"
#include "ui/plots/loss_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/round_plot.h"
#include "ui_run_fixtures.h"

#include <QMap>
#include <QTest>

using namespace collapipe;

namespace plot_legends {

/// The height `legend`'s entries need, from the entries alone: per grid row its tallest entry,
/// plus the row spacing between rows and the legend's margins. Independent of the legend's
/// own minimumOuterSizeHint(), which the fitting uses.
int entriesHeight(const QCPLegend *legend)
{
    QMap<int, int> rowHeights;
    for (int i = 0; i < legend->elementCount(); ++i) {
        const QCPLayoutElement *entry = legend->elementAt(i);
        if (!entry) {
            continue;
        }
        int row = 0;
        int column = 0;
        legend->indexToRowCol(i, row, column);
        rowHeights[row] = std::max(rowHeights.value(row), entry->minimumOuterSizeHint().height());
    }
    int height = 0;
    for (const int h : std::as_const(rowHeights)) {
        height += h;
    }
    height += legend->rowSpacing() * std::max(0, int(rowHeights.size()) - 1);
    return height + legend->margins().top() + legend->margins().bottom();
}

/// What is wrong with `legend`'s box (empty when nothing): taller than its entries (by more than
/// rounding), or shorter (entries clipped).
QString legendProblem(const QString &what, const QCPLegend *legend)
{
    if (!legend || !legend->visible() || legend->itemCount() == 0 || !legend->layout()) {
        return {};
    }
    const int box = legend->outerRect().height();
    const int needed = entriesHeight(legend);
    if (box > needed + 1 || box < needed - 1) {
        return QStringLiteral("%1: legend %2 px tall for %3 px of entries (%4 entries)")
            .arg(what)
            .arg(box)
            .arg(needed)
            .arg(legend->itemCount());
    }
    return {};
}

QStringList panelProblems(RoundPlot *plot)
{
    QStringList problems;
    const QString place = plot->legendPlace() == RoundPlot::LegendPlace::Inside
        ? QStringLiteral("inside")
        : plot->legendPlace() == RoundPlot::LegendPlace::Beside ? QStringLiteral("beside")
                                                                : QStringLiteral("below");
    const QString series
        = legendProblem(plot->objectName() + QLatin1Char(' ') + place, plot->legend);
    if (!series.isEmpty()) {
        problems << series;
    }
    // The first hour (guiprobe): the latency legend below the plot and the loss legend beside
    // it sat on the panel's edge, their box's border cut off on screen and in a 7 x 4.5 in
    // export. A boxed legend stays a pixel inside the panel.
    if (plot->legend->visible() && plot->legend->layout()
        && plot->legend->borderPen().style() != Qt::NoPen
        && !plot->rect().adjusted(1, 1, -1, -1).contains(plot->legend->outerRect())) {
        const QRect r = plot->legend->outerRect();
        problems << QStringLiteral("%1 %2: legend box %3,%4 %5x%6 on the edge of a %7x%8 panel")
                        .arg(plot->objectName(), place)
                        .arg(r.x())
                        .arg(r.y())
                        .arg(r.width())
                        .arg(r.height())
                        .arg(plot->width())
                        .arg(plot->height());
    }
    const QString markers = legendProblem(
        plot->objectName() + QStringLiteral(" churn markers"), plot->churnMarkers().legend());
    if (!markers.isEmpty()) {
        problems << markers;
    }
    return problems;
}

/// Ten rounds of `clusters` × `devices` with a dropout, a re-plan, a deadline miss and a
/// rejoin, so every panel also shows its churn-marker row.
std::vector<RoundRecord> roundsWithChurn(int clusters, int devices)
{
    std::vector<RoundRecord> rounds;
    for (int t = 0; t < 10; ++t) {
        RoundRecord r = clusters > 0 ? collapipe::testing::gridRound(t, clusters, devices)
                                     : collapipe::testing::syntheticRound(t);
        r.devices[1].present = t < 2 || t >= 6;
        r.clusters[0].dropouts = t == 3 ? 1 : 0;
        r.clusters[0].aggregated = t != 4 && t != 8;
        rounds.push_back(r);
    }
    return rounds;
}

} // namespace plot_legends

class TestPlotLegends : public QObject
{
    Q_OBJECT

private:
    static void settle(PlotsView &view)
    {
        for (int pass = 0; pass < 3; ++pass) { // minimum heights follow the first layouts
            QCoreApplication::processEvents();
            for (RoundPlot *p : view.panels()) {
                p->replot(QCustomPlot::rpImmediateRefresh);
            }
        }
    }

private Q_SLOTS:
    void everyPanelsLegendFitsItsEntries_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("clusters");
        QTest::addColumn<int>("devicesPerCluster");
        QTest::addColumn<QString>("pick");
        // The plots dock's size in the main window at 1280 × 800 and 1600 × 1000, and a tall
        // dock (the plots dock alone on a 1600 × 1000 screen), where a stretched box shows most.
        for (const QSize size : {QSize(637, 320), QSize(797, 495), QSize(1200, 900)}) {
            const QString at = QStringLiteral("%1x%2 ").arg(size.width()).arg(size.height());
            QTest::newRow(qPrintable(at + QStringLiteral("one cluster")))
                << size << 0 << 0 << QString();
            QTest::newRow(qPrintable(at + QStringLiteral("3x5"))) << size << 3 << 5 << QString();
            QTest::newRow(qPrintable(at + QStringLiteral("100x10")))
                << size << 100 << 10 << QString();
            QTest::newRow(qPrintable(at + QStringLiteral("100x10 picked")))
                << size << 100 << 10 << QStringLiteral("c1, c2");
        }
    }

    void everyPanelsLegendFitsItsEntries()
    {
        QFETCH(QSize, size);
        QFETCH(int, clusters);
        QFETCH(int, devicesPerCluster);
        QFETCH(QString, pick);
        PlotsView view;
        if (clusters > 0) {
            view.hub()->setScenario(collapipe::testing::gridScenario(clusters, devicesPerCluster));
        }
        view.resize(size);
        view.show();
        view.hub()->appendRounds(plot_legends::roundsWithChurn(clusters, devicesPerCluster));
        view.hub()->flushNow();
        if (!pick.isEmpty()) {
            QVERIFY(view.pickClusters(pick) > 0);
            view.hub()->flushNow();
        }
        settle(view);
        QStringList problems;
        int shown = 0;
        for (RoundPlot *p : view.panels()) {
            shown += p->legend->visible() ? 1 : 0;
            problems << plot_legends::panelProblems(p);
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY2(shown > 0, "no panel shows a legend: nothing was checked");
    }

    /// The defect as it was found: the loss panel's legend beside the plot, at every height a
    /// panel gets, is as tall as its two entries, at the top of its column.
    void lossLegendBesideThePlotIsTwoEntriesTall()
    {
        LossPlot plot;
        plot.show();
        plot.appendRounds(plot_legends::roundsWithChurn(0, 0));
        plot.flush();
        for (const int height : {150, 240, 400, 700}) {
            plot.resize(640, height);
            for (int pass = 0; pass < 3; ++pass) {
                QCoreApplication::processEvents();
                plot.replot(QCustomPlot::rpImmediateRefresh);
            }
            QCOMPARE(plot.legendPlace(), RoundPlot::LegendPlace::Beside);
            QVERIFY(plot.legend->visible());
            QCOMPARE(plot.legend->itemCount(), 2);
            const QString problem = plot_legends::legendProblem(
                QStringLiteral("loss panel %1 px").arg(plot.height()), plot.legend);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            // At the top of the plot's row, entries inside the box.
            QCOMPARE(plot.legend->outerRect().top(), plot.axisRect()->outerRect().top());
            for (int i = 0; i < plot.legend->itemCount(); ++i) {
                QVERIFY(plot.legend->outerRect().contains(plot.legend->item(i)->outerRect()));
            }
        }
    }

    /// Below a narrow plot the latency panel's causes wrap in rows; the box is those rows tall
    /// and no wider than the entries, at the left of the row.
    void legendBelowThePlotIsItsRowsTall()
    {
        LatencyPlot plot;
        plot.show();
        plot.appendRounds(plot_legends::roundsWithChurn(0, 0));
        plot.flush();
        bool below = false;
        for (int width = 240; width <= 420; width += 30) {
            plot.resize(width, 300);
            for (int pass = 0; pass < 3; ++pass) {
                QCoreApplication::processEvents();
                plot.replot(QCustomPlot::rpImmediateRefresh);
            }
            if (plot.legendPlace() != RoundPlot::LegendPlace::Below) {
                continue;
            }
            below = true;
            const QString problem = plot_legends::legendProblem(
                QStringLiteral("latency panel %1 px wide").arg(width), plot.legend);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QVERIFY(plot.legend->outerRect().width()
                <= plot.legend->minimumOuterSizeHint().width() + 1);
        }
        QVERIFY2(below, "no width put the latency legend below the plot");
    }

    /// fitLegendToEntries() on a plain QCustomPlot (the compare view's plots): a legend in a
    /// grid cell taller and wider than its entries shrinks to them; one inside the axis rect
    /// is left alone.
    void plainPlotLegendInACell()
    {
        QCustomPlot plot;
        plot.resize(600, 400);
        plot.addGraph()->setName(QStringLiteral("a"));
        plot.addGraph()->setName(QStringLiteral("b"));
        plot.legend->setVisible(true);
        plot.replot(QCustomPlot::rpImmediateRefresh);
        const QRect inside = plot.legend->outerRect();
        fitLegendToEntries(plot.legend);
        QCOMPARE(plot.legend->outerRect(), inside);
        plot.axisRect()->insetLayout()->take(plot.legend);
        plot.plotLayout()->addElement(0, 1, plot.legend);
        plot.replot(QCustomPlot::rpImmediateRefresh);
        QVERIFY(!plot_legends::legendProblem(QStringLiteral("unfitted"), plot.legend).isEmpty());
        keepLegendFitted(&plot);
        plot.replot(QCustomPlot::rpImmediateRefresh);
        const QString problem
            = plot_legends::legendProblem(QStringLiteral("plain plot"), plot.legend);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(plot.legend->outerRect().width() <= plot.legend->minimumOuterSizeHint().width());
    }
};

QTEST_MAIN(TestPlotLegends)
#include "tst_plot_legends.moc"
