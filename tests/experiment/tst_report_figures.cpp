// SPDX-License-Identifier: MIT
// The report's figures (ui/figures, issue [5/7]) from hand-made points, offscreen: every kind of
// figure in every format at the printed size, the time-to-accuracy figure from accuracy traces,
// the runs behind each plotted point (what the Studio opens on a click), and refusals.
#include "ui/figures/axis_curve_figure.h"
#include "ui/figures/pareto_figure.h"
#include "ui/figures/policy_figure.h"
#include "ui/figures/regime_map_figure.h"
#include "ui/figures/report_figures.h"
#include "ui/figures/time_to_accuracy_figure.h"

#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

#include <cmath>

using namespace collapipe;

namespace {

/// Axes a in {1, 10, 100} and b in {x, y}, policies p and q, seeds 1 and 2; run id = index + 1.
/// Accuracy rises by 0.1 per second of simulated time (q half as fast), evaluated every 2 s.
std::vector<StoredPoint> toyPoints()
{
    std::vector<StoredPoint> points;
    for (int a : {1, 10, 100}) {
        for (const char *b : {"x", "y"}) {
            for (const QString &policy : {QStringLiteral("p"), QStringLiteral("q")}) {
                for (std::uint64_t seed : {1u, 2u}) {
                    StoredPoint pt;
                    pt.index = int(points.size());
                    pt.runId = pt.index + 1;
                    pt.coordinates
                        = {{QStringLiteral("a"), a}, {QStringLiteral("b"), QLatin1String(b)}};
                    pt.policy = policy;
                    pt.seed = seed;
                    const double slow = policy == QLatin1String("q") ? 2.0 : 1.0;
                    pt.summary.meanLatencyS = slow * (a + double(seed));
                    pt.summary.meanEnergyJ = 100.0 / (a + double(seed)) / slow;
                    pt.summary.finalLoss = std::nan(""); // not measured: no figure of it
                    for (int t = 2; t <= 10; t += 2) {
                        pt.accuracyTrace.push_back({double(t), 0.1 * t / slow});
                    }
                    pt.summary.finalAccuracy = pt.accuracyTrace.back().accuracy;
                    points.push_back(pt);
                }
            }
        }
    }
    return points;
}

int graphsWithData(QCustomPlot *plot)
{
    int n = 0;
    for (int i = 0; i < plot->graphCount(); ++i) {
        n += plot->graph(i)->dataCount() > 0 ? 1 : 0;
    }
    return n;
}

} // namespace

class TestReportFigures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rendersEveryFigureInEveryFormat()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // COLLAPIPE_KEEP_FIGURES=1 keeps the folder (its path is printed) to look at the figures.
        dir.setAutoRemove(qEnvironmentVariableIsEmpty("COLLAPIPE_KEEP_FIGURES"));
        if (!dir.autoRemove()) {
            qInfo("figures kept in %s", qPrintable(dir.path()));
        }
        ReportFigureOptions options;
        options.metrics = {QStringLiteral("mean_latency_s"), QStringLiteral("final_loss")};
        QStringList written;
        std::vector<ReportFigure> figures;
        QString error;
        QVERIFY2(renderReportFigures(toyPoints(), dir.path(), options, &written, &error, &figures),
            qPrintable(error));
        // final_loss has no value (NaN): no figure of it. Curves along a and b, one regime map,
        // the Pareto plane, time to accuracy.
        QStringList stems;
        for (const ReportFigure &f : figures) {
            stems << f.stem;
            QVERIFY2(!f.caption.isEmpty(), qPrintable(f.stem));
        }
        QCOMPARE(stems,
            (QStringList{QStringLiteral("curve-mean_latency_s-vs-a"),
                QStringLiteral("curve-mean_latency_s-vs-b"),
                QStringLiteral("regime-mean_latency_s-a-b"), QStringLiteral("pareto"),
                QStringLiteral("time-to-accuracy")}));
        QCOMPARE(written.size(), 5 * 3);
        for (const QString &path : written) {
            QVERIFY2(QFileInfo(path).size() > 1000, qPrintable(path));
        }
        const QImage png(dir.filePath(QStringLiteral("time-to-accuracy.png")));
        QCOMPARE(png.size(), QSize(2100, 1350));
        QCOMPARE(png.dotsPerMeterX(), qRound(300 / 0.0254));
    }

    void refusesUnknownFormat()
    {
        QTemporaryDir dir;
        ReportFigureOptions options;
        options.formats = {QStringLiteral("png"), QStringLiteral("bmp")};
        QStringList written;
        QString error;
        QVERIFY(!renderReportFigures(toyPoints(), dir.path(), options, &written, &error));
        QVERIFY2(error.contains(QStringLiteral("'bmp'")), qPrintable(error));
        QVERIFY(written.isEmpty());
    }

    void curvePointsKnowTheirRuns()
    {
        QCustomPlot plot;
        plot.resize(672, 432);
        figures::FigureRuns runs;
        QVERIFY(figures::drawAxisCurves(
            &plot, toyPoints(), {QStringLiteral("a")}, QStringLiteral("mean_latency_s"), &runs));
        // 2 policies x 2 settings of b = 4 lines of 3 values of a, each the mean of two seeds.
        QCOMPARE(graphsWithData(&plot), 4 * 3); // each line has its CI band's two edges
        QCOMPARE(runs.pointCount(), 4 * 3);
        // The first line is p at b=x: a=1 is points 0 and 1 (runs 1, 2), a=10 points 8, 9.
        QCPGraph *first = plot.graph(2); // after its band's two edges
        QCOMPARE(runs.at(first, 0), (std::vector<std::int64_t>{1, 2}));
        QCOMPARE(runs.at(first, 1), (std::vector<std::int64_t>{9, 10}));
        QVERIFY(runs.at(first, 7).empty());
        // a spans 100x: drawn on a log scale.
        QCOMPARE(plot.xAxis->scaleType(), QCPAxis::stLogarithmic);
    }

    // Issue 17 item 3: policies and seeds, no axes: a dot per policy at its mean over seeds with
    // the 95 % interval as an error bar (the numbers of metricPerPolicy), in the report too.
    void policiesOnlyExperimentGetsPolicyFigure()
    {
        // p: seeds 10, 12, 17 (mean 13, half-width 8.956784); q: 4, 6 (mean 5, 12.7062).
        std::vector<StoredPoint> points;
        const std::pair<const char *, std::vector<double>> seeds[]
            = {{"p", {10, 12, 17}}, {"q", {4, 6}}};
        for (const auto &[policy, values] : seeds) {
            for (std::size_t s = 0; s < values.size(); ++s) {
                StoredPoint pt;
                pt.index = int(points.size());
                pt.runId = pt.index + 1;
                pt.policy = QLatin1String(policy);
                pt.seed = s + 1;
                pt.summary.meanLatencyS = values[s];
                pt.summary.meanEnergyJ = 1.0;
                pt.summary.finalLoss = std::nan("");
                points.push_back(pt);
            }
        }
        QCustomPlot plot;
        plot.resize(672, 432);
        figures::FigureRuns runs;
        QVERIFY(figures::drawPolicySummary(&plot, points, QStringLiteral("mean_latency_s"), &runs));
        QCOMPARE(graphsWithData(&plot), 2);
        QCOMPARE(plot.graph(0)->data()->at(0)->value, 13.0);
        QCOMPARE(plot.graph(1)->data()->at(0)->value, 5.0);
        QCOMPARE(runs.at(plot.graph(0), 0), (std::vector<std::int64_t>{1, 2, 3}));
        std::vector<double> halfWidths;
        for (int i = 0; i < plot.plottableCount(); ++i) {
            if (auto *bars = qobject_cast<QCPErrorBars *>(plot.plottable(i));
                bars && bars->dataCount() > 0) {
                halfWidths.push_back(bars->data()->at(0).errorPlus);
            }
        }
        QCOMPARE(halfWidths.size(), std::size_t(2));
        QVERIFY(std::abs(halfWidths[0] - 8.956784) < 1e-5);
        QVERIFY(std::abs(halfWidths[1] - 12.7062) < 1e-4);
        QVERIFY(plot.xAxis->label().contains(QLatin1String("policy")));
        QVERIFY2(
            plot.yAxis->label().contains(QLatin1String("(s)")), qPrintable(plot.yAxis->label()));
        QStringList legend; // the legend's grid may have empty cells (two columns)
        for (int i = 0; i < plot.legend->itemCount(); ++i) {
            if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot.legend->item(i))) {
                legend << item->plottable()->name();
            }
        }
        QCOMPARE(legend,
            (QStringList{QStringLiteral("p: mean of 3 seeds"), QStringLiteral("q: mean of 2 seeds"),
                QStringLiteral("error bar: 95 % CI over seeds (Student t)")}));
        // With axes the curves show the policies: no policy figure.
        QVERIFY(!figures::drawPolicySummary(&plot, toyPoints(), QStringLiteral("mean_latency_s")));

        QTemporaryDir dir;
        ReportFigureOptions options;
        options.formats = {QStringLiteral("png")};
        options.metrics = {QStringLiteral("mean_latency_s")};
        std::vector<ReportFigure> figures;
        QStringList written;
        QString error;
        QVERIFY2(renderReportFigures(points, dir.path(), options, &written, &error, &figures),
            qPrintable(error));
        QCOMPARE(figures.front().stem, QStringLiteral("policies-mean_latency_s"));
    }

    void paretoAndRegimeAndTimeFigures()
    {
        QCustomPlot plot;
        plot.resize(672, 432);
        figures::FigureRuns runs;
        QVERIFY(figures::drawParetoFronts(&plot, toyPoints(), &runs));
        QCOMPARE(runs.pointCount(), 12); // 2 policies x 6 settings
        QVERIFY(figures::drawRegimeMap(&plot, toyPoints(), {QStringLiteral("a")},
            {QStringLiteral("b")}, QStringLiteral("mean_latency_s")));
        QCOMPARE(plot.itemCount(), 6 * 2);     // a rect and a label per cell
        QCOMPARE(plot.legend->itemCount(), 2); // one swatch per policy
        QVERIFY(figures::drawTimeToAccuracy(&plot, toyPoints(), 0.5, &runs));
        QCOMPARE(graphsWithData(&plot), 2 * 6);
        // p reaches 0.5 at 6 s (evaluations at 2, 4, 6 s); q (half as fast) at 10 s.
        const QString pName = plot.graph(0)->name();
        QVERIFY2(
            pName.startsWith(QStringLiteral("p, a=1 b=x: 6 s (2/2 seeds)")), qPrintable(pName));
        const QString qName = plot.graph(1)->name();
        QVERIFY2(qName.contains(QStringLiteral("10 s (2/2 seeds)")), qPrintable(qName));
        // Without accuracy the figure is not drawn.
        std::vector<StoredPoint> costOnly = toyPoints();
        for (StoredPoint &p : costOnly) {
            p.accuracyTrace.clear();
        }
        QVERIFY(!figures::drawTimeToAccuracy(&plot, costOnly, 0.5));
    }
};

QTEST_MAIN(TestReportFigures)
#include "tst_report_figures.moc"
