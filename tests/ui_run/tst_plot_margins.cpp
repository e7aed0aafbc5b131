// SPDX-License-Identifier: MIT
// Every live plot panel, empty or filled, few devices or aggregates, keeps its title, tick
// labels, axis labels and "no data yet" note inside the panel at the sizes the plots dock gives
// it at 1280 × 800 and 1600 × 1000 (before: at 1280 × 800 the narrow panels clipped
// the empty note's first and last letters, the hidden legend of an empty panel kept its column so
// the title ran out of the narrower one on the left, and a panel without devices squashed its
// axis rect to 4 px under the empty legend's height).
#include "ui/plots/axis_ticks.h"
#include "ui/plots/latency_plot.h"
#include "ui/plots/memory_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/queue_plot.h"
#include "ui/plots/round_plot.h"
#include "ui_run_fixtures.h"

#include <QDir>
#include <QFontMetrics>
#include <QPainterPath>
#include <QPainterPathStroker>
#include <QScrollArea>
#include <QTest>

#include <cmath>

using namespace collapipe;

namespace plot_margins {

/// Where QCustomPlot draws `axis`' label (QCPAxisPainterPrivate::draw): beyond its widest tick
/// label by the label padding, one line of the label font thick, centred along the axis rect.
QRect axisLabelRect(const QCPAxis *axis)
{
    if (!axis->visible() || axis->label().isEmpty()) {
        return {};
    }
    const QFontMetrics fm(axis->labelFont());
    const QRect area = axis->axisRect()->rect();
    int reach = std::max(axis->tickLengthOut(), axis->subTickLengthOut()) + axis->tickLabelPadding()
        + axis->offset();
    int tickExtent = 0;
    for (const QRect &r : tickLabelRects(axis)) {
        tickExtent
            = std::max(tickExtent, axis->orientation() == Qt::Horizontal ? r.height() : r.width());
    }
    reach += tickExtent + axis->labelPadding();
    const int thick = fm.height();
    const int length = fm.horizontalAdvance(axis->label());
    switch (axis->axisType()) {
    case QCPAxis::atLeft:
        return {area.left() - reach - thick, area.center().y() - length / 2, thick, length};
    case QCPAxis::atRight:
        return {area.right() + 1 + reach, area.center().y() - length / 2, thick, length};
    case QCPAxis::atBottom:
        return {area.center().x() - length / 2, area.bottom() + 1 + reach, length, thick};
    case QCPAxis::atTop:
        return {area.center().x() - length / 2, area.top() - reach - thick, length, thick};
    }
    return {};
}

/// The texts of `plot` that its widget clips, one line each ("yAxis label …").
QStringList clippedTexts(RoundPlot *plot)
{
    QStringList clipped;
    const QRect widget = plot->rect();
    const auto check = [&](const QString &what, const QRect &r) {
        if (!r.isEmpty() && !widget.contains(r)) {
            clipped << QStringLiteral("%1 %2: %3,%4 %5x%6 outside %7x%8")
                           .arg(plot->objectName(), what)
                           .arg(r.x())
                           .arg(r.y())
                           .arg(r.width())
                           .arg(r.height())
                           .arg(widget.width())
                           .arg(widget.height());
        }
    };
    const std::pair<QCPAxis *, QString> axes[] = {{plot->xAxis, QStringLiteral("x")},
        {plot->yAxis, QStringLiteral("y")}, {plot->yAxis2, QStringLiteral("y2")}};
    for (const auto &[axis, name] : axes) {
        for (const QRect &r : tickLabelRects(axis)) {
            check(name + QStringLiteral(" tick label"), r);
        }
        const QRect label = axisLabelRect(axis);
        check(name + QStringLiteral(" axis label \"") + axis->label() + QLatin1Char('"'), label);
        // A vertical label longer than its axis runs into the title above or the x axis below.
        if (axis->orientation() == Qt::Vertical && label.height() > axis->axisRect()->height()) {
            clipped << QStringLiteral("%1 %2 axis label \"%3\" longer than its axis (%4 > %5 px)")
                           .arg(plot->objectName(), name, axis->label())
                           .arg(label.height())
                           .arg(axis->axisRect()->height());
        }
    }
    if (auto *title = qobject_cast<QCPTextElement *>(plot->plotLayout()->element(0, 0))) {
        const QFontMetrics fm(title->font());
        const QRect text = fm.boundingRect(title->text());
        check(QStringLiteral("title"),
            QRect(title->rect().center().x() - text.width() / 2, title->rect().top(), text.width(),
                text.height()));
    }
    // A shown legend is laid out, inside the panel.
    if (plot->legend->visible()) {
        if (plot->legend->layout() != plot->plotLayout()
            && plot->legend->layout() != plot->axisRect()->insetLayout()) {
            clipped << QStringLiteral("%1 legend shown but not laid out").arg(plot->objectName());
        } else {
            check(QStringLiteral("legend"), plot->legend->outerRect());
        }
    }
    // The "no data yet" note: inside the axis rect (it is drawn centred on it).
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto *note = qobject_cast<QCPItemText *>(plot->item(i));
        if (!note || !note->visible() || note->text().isEmpty()) {
            continue;
        }
        const QRect text
            = QFontMetrics(note->font())
                  .boundingRect(QRect(), Qt::AlignHCenter | Qt::TextDontClip, note->text());
        const QPoint at = note->position->pixelPosition().toPoint();
        const QRect r = QRect(
            at.x() - text.width() / 2, at.y() - text.height() / 2, text.width(), text.height())
                            .marginsAdded(note->padding());
        if (!plot->axisRect()->rect().contains(r)) {
            clipped << QStringLiteral("%1 note \"%2\" wider than its axis rect (%3 > %4 px)")
                           .arg(plot->objectName(), note->text().section(QLatin1Char('\n'), 0, 0))
                           .arg(r.width())
                           .arg(plot->axisRect()->rect().width());
        }
    }
    return clipped;
}

/// The "no data yet" note's box (its text and padding) in `plot`'s pixels; empty when none shows.
QRectF noteBox(RoundPlot *plot)
{
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto *note = qobject_cast<QCPItemText *>(plot->item(i));
        if (note && note->visible() && note->text().startsWith(QLatin1String("no data yet"))) {
            return QRectF(note->topLeft->pixelPosition(), note->bottomRight->pixelPosition());
        }
    }
    return {};
}

/// The first line drawn across the note's box or within 4 px of it, else empty: a budget or a
/// limit passing behind the note's text read as struck through.
QString lineByTheNote(RoundPlot *plot)
{
    const QRectF box = noteBox(plot).adjusted(-4, -4, 4, 4);
    if (box.isEmpty()) {
        return {};
    }
    const QRectF area = QRectF(plot->axisRect()->rect());
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto *line = qobject_cast<QCPItemStraightLine *>(plot->item(i));
        if (!line || !line->visible()) {
            continue;
        }
        // Clipped to the axis rect, as QCustomPlot draws it: a long segment through it.
        const QPointF a = line->point1->pixelPosition();
        const QPointF b = line->point2->pixelPosition();
        const QPointF dir = b - a;
        const double reach = area.width() + area.height();
        const double length = std::hypot(dir.x(), dir.y());
        if (length <= 0.0) {
            continue;
        }
        const QPointF unit = dir / length;
        QPainterPath drawn;
        drawn.moveTo(a - unit * reach * 4);
        drawn.lineTo(a + unit * reach * 4);
        QPainterPath clip;
        clip.addRect(area);
        QPainterPath noteArea;
        noteArea.addRect(box);
        const QPainterPathStroker stroker;
        if (stroker.createStroke(drawn).intersected(clip).intersects(noteArea)) {
            return QStringLiteral("%1: a line at %2,%3 runs by the note \"%4\"")
                .arg(plot->objectName())
                .arg(a.x())
                .arg(a.y())
                .arg(plot->title().section(QLatin1Char(','), 0, 0));
        }
    }
    return {};
}

} // namespace plot_margins

class TestPlotMargins : public QObject
{
    Q_OBJECT

private:
    /// Lays `view` out at `size`, replots every panel and returns what each panel clips.
    static QStringList clippedAt(PlotsView &view, QSize size)
    {
        view.resize(size);
        view.show();
        for (int pass = 0; pass < 3; ++pass) { // minimum heights follow the first layouts
            QCoreApplication::processEvents();
            for (RoundPlot *p : view.panels()) {
                p->replot(QCustomPlot::rpImmediateRefresh);
            }
        }
        QStringList clipped;
        for (RoundPlot *p : view.panels()) {
            clipped << plot_margins::clippedTexts(p);
        }
        return clipped;
    }

private Q_SLOTS:
    void panelsKeepTheirTextsInside_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("clusters");
        QTest::addColumn<int>("devicesPerCluster");
        QTest::addColumn<int>("rounds");
        // The plots dock's size in the main window at 1280 × 800 and 1600 × 1000.
        for (const QSize size : {QSize(637, 320), QSize(797, 495)}) {
            const QString at = QStringLiteral("%1x%2 ").arg(size.width()).arg(size.height());
            QTest::newRow(qPrintable(at + QStringLiteral("empty"))) << size << 0 << 0 << 0;
            QTest::newRow(qPrintable(at + QStringLiteral("no devices"))) << size << 1 << 0 << 0;
            QTest::newRow(qPrintable(at + QStringLiteral("3x5 empty"))) << size << 3 << 5 << 0;
            QTest::newRow(qPrintable(at + QStringLiteral("3x5"))) << size << 3 << 5 << 12;
            QTest::newRow(qPrintable(at + QStringLiteral("100x10 empty")))
                << size << 100 << 10 << 0;
            QTest::newRow(qPrintable(at + QStringLiteral("100x10"))) << size << 100 << 10 << 6;
        }
    }

    void panelsKeepTheirTextsInside()
    {
        QFETCH(QSize, size);
        QFETCH(int, clusters);
        QFETCH(int, devicesPerCluster);
        QFETCH(int, rounds);
        PlotsView view;
        if (clusters > 0) {
            view.hub()->setScenario(collapipe::testing::gridScenario(clusters, devicesPerCluster));
        }
        view.resize(size);
        view.show();
        for (int run = 0; run < 2; ++run) { // a run, then another one (cleared, refilled)
            view.hub()->clear();
            for (int t = 0; t < rounds; ++t) {
                view.hub()->appendRound(
                    collapipe::testing::gridRound(t, clusters, devicesPerCluster));
                view.hub()->flushNow(); // live: a flush per round or two
                QCoreApplication::processEvents();
            }
        }
        const QStringList clipped = clippedAt(view, size);
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char('\n'))));
    }

    /// Opening each bundled scenario (the empty panels after the scenario changed, then a few
    /// synthetic rounds) keeps every text inside at both dock sizes.
    void bundledScenariosKeepTheirTextsInside_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QSize>("size");
        const QDir dir(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios"));
        for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
            for (const QSize size : {QSize(637, 320), QSize(797, 495)}) {
                QTest::newRow(qPrintable(
                    QStringLiteral("%1 %2x%3").arg(name).arg(size.width()).arg(size.height())))
                    << dir.filePath(name) << size;
            }
        }
    }

    void bundledScenariosKeepTheirTextsInside()
    {
        QFETCH(QString, file);
        QFETCH(QSize, size);
        Scenario scenario;
        std::vector<ScenarioProblem> problems;
        QVERIFY2(loadScenarioFile(file, &scenario, &problems), qPrintable(file));
        PlotsView view;
        view.hub()->setScenario(collapipe::testing::gridScenario(100, 10)); // a previous run's
        view.hub()->clear();
        view.hub()->setScenario(scenario);
        QStringList clipped = clippedAt(view, size);
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char('\n'))));
        // Issue #16: the energy panels drew their budget lines (and the memory panel its limits)
        // behind the "no data yet" note, each cut off at the note's white box and showing at
        // both ends of its text: no line across the note or within 4 px of it.
        for (RoundPlot *p : view.panels()) {
            QVERIFY2(p->showsEmptyState(), qPrintable(p->objectName()));
            const QString line = plot_margins::lineByTheNote(p);
            QVERIFY2(line.isEmpty(), qPrintable(line));
        }
        // Nothing of the previous scenario's frame stays (its 100 % memory limit, its budgets).
        const QCPRange memory = view.memoryPlot()->yAxis->range();
        QVERIFY2(memory.upper < 100.0, qPrintable(QString::number(memory.upper)));
        // The queue panel's budgets (dashed), when the scenario has them, are drawn from the
        // first round.
        const auto drawnLines = [&view] {
            int n = 0;
            QueuePlot *queue = view.queuePlot();
            for (int i = 0; i < queue->itemCount(); ++i) {
                auto *line = qobject_cast<QCPItemStraightLine *>(queue->item(i));
                n += line && line->visible() && line->pen().style() == Qt::DashLine ? 1 : 0;
            }
            return n;
        };
        QCOMPARE(drawnLines(), 0);
        view.hub()->appendRound(collapipe::testing::syntheticRound(0));
        view.hub()->flushNow();
        QCoreApplication::processEvents();
        QCOMPARE(drawnLines() > 0, scenario.optimizer.energyBudgets);
    }

    /// The latency panel's 7 causes, wrapped in 3 columns below a narrow plot, are 7 entries,
    /// not the 9 cells of their grid: the legend stays shown (it vanished at 1280 × 800).
    void wrappedLegendStaysShown()
    {
        LatencyPlot plot;
        plot.show();
        plot.appendRounds(
            {collapipe::testing::syntheticRound(0), collapipe::testing::syntheticRound(1)});
        plot.flush();
        QSet<int> wraps;
        for (int width = 240; width <= 420; width += 15) { // 2 to 7 columns below the plot
            plot.resize(width, 240);
            plot.appendRounds({collapipe::testing::syntheticRound(2 + width)}); // a live round
            plot.flush();
            for (int pass = 0; pass < 3; ++pass) {
                QCoreApplication::processEvents();
                plot.replot(QCustomPlot::rpImmediateRefresh);
            }
            if (plot.legendPlace() != RoundPlot::LegendPlace::Below) {
                continue;
            }
            wraps.insert(plot.legend->columnCount());
            QVERIFY2(plot.legend->visible(),
                qPrintable(QStringLiteral("%1 px, %2 columns")
                               .arg(width)
                               .arg(plot.legend->columnCount())));
            const QStringList clipped = plot_margins::clippedTexts(&plot);
            QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char('\n'))));
        }
        QVERIFY2(wraps.contains(3), "no width wrapped the 7 causes in 3 columns");
    }

    /// A panel whose legend is hidden (no data yet, or too many series to name) gives the
    /// legend's column back to the plot: its axis rect and title span the panel.
    void hiddenLegendsTakeNoRoom()
    {
        PlotsView view;
        view.hub()->setScenario(collapipe::testing::gridScenario(3, 5));
        view.hub()->clear();
        clippedAt(view, QSize(637, 320));
        for (RoundPlot *p : view.panels()) {
            QVERIFY(p->showsEmptyState());
            if (p->legend->visible()) {
                continue; // the per-device panels name their devices before the first round
            }
            QVERIFY2(p->axisRect()->outerRect().right() >= p->width() - 12,
                qPrintable(QStringLiteral("%1: axis rect ends at %2 of %3 px")
                               .arg(p->objectName())
                               .arg(p->axisRect()->outerRect().right())
                               .arg(p->width())));
        }
    }
};

QTEST_MAIN(TestPlotMargins)
#include "tst_plot_margins.moc"
