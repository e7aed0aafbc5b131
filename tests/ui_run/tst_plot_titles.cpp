// SPDX-License-Identifier: MIT
// Issue #16, "every view reads at a glance at 1280 × 800 and 1600 × 1000", the plots: in the real
// main window at both sizes, after a short run of the default scenario, campus-day and a 100 × 10
// grid, every panel's title fits the width the panel gives it (QFontMetrics) on one line, and
// reads whole: the full title, or the title shortened at a clause (after a comma) or after a
// whole word, never cut inside a word (before, the narrow panels at 1280 × 800 showed
// "Energy queues Q(t) [J], - - bud…"). The shortening rules themselves are checked on their own.
#include "tests/test_settings.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/memory_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/plots/round_plot.h"
#include "ui/plots/title_fit.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"
#include "ui_run_fixtures.h"

#include <QCheckBox>
#include <QDateTime>
#include <QFontMetrics>
#include <QHash>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace collapipe;

namespace plot_titles {

/// The first problem with `shown` as the title `full` in `room` pixels of `font`, else empty:
/// wider than the room, more than one line, or not the whole title, a clause of it or whole words
/// of it.
QString titleProblem(
    const QString &what, const QString &full, const QString &shown, const QFont &font, int room)
{
    const int width = QFontMetrics(font).horizontalAdvance(shown);
    if (width > room) {
        return QStringLiteral("%1: \"%2\" is %3 px in %4 px").arg(what, shown).arg(width).arg(room);
    }
    if (shown.contains(QLatin1Char('\n'))) {
        return QStringLiteral("%1: \"%2\" is more than one line").arg(what, shown);
    }
    if (shown == full) {
        return {};
    }
    const QChar ellipsis(0x2026);
    const bool elided = shown.endsWith(ellipsis);
    const QString head = elided ? shown.chopped(1) : shown;
    const QChar next
        = full.startsWith(head) && head.size() < full.size() ? full[head.size()] : QChar();
    const bool clause = !elided && next == QLatin1Char(',');
    const bool words = elided && next == QLatin1Char(' ') && !head.endsWith(QLatin1Char(' '));
    if (head.isEmpty() || !(clause || words)) {
        return QStringLiteral("%1: \"%2\" cuts \"%3\" inside a word").arg(what, shown, full);
    }
    return {};
}

/// The width a panel's title gets: the panel less a legend beside the plot.
int titleRoom(const RoundPlot *plot)
{
    int room = plot->width();
    if (plot->legend->visible() && plot->legendPlace() == RoundPlot::LegendPlace::Beside) {
        room -= plot->legend->outerRect().width();
    }
    return room;
}

/// A round of `scenario` in which every device took part and the trainer measured memory (the
/// memory panel then names its three kinds of line in its title).
RoundRecord measuredRound(const Scenario &scenario, int t)
{
    RoundRecord r = collapipe::testing::syntheticRound(t);
    r.devices.clear();
    int ci = 0;
    for (const Cluster &cluster : scenario.topology.clusters) {
        for (std::size_t d = 0; d < cluster.devices.size(); ++d) {
            DeviceRound dev;
            dev.cluster = ci;
            dev.device = static_cast<int>(d);
            dev.deviceId = cluster.devices[d].id;
            dev.energyJ = 1.0 + static_cast<double>(d);
            dev.energyQueueJ = 0.1 * t;
            dev.memoryPredictedBytes = 1e9;
            dev.memoryCapacityBytes = 4e9;
            dev.memoryPredictedTrainerBytes = 3e6;
            dev.memoryMeasuredBytes = 2.5e6;
            r.devices.push_back(dev);
        }
        ++ci;
    }
    return r;
}

} // namespace plot_titles

class TestPlotTitles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_dir;

    /// Every panel's and the Gantt's title problems, one line each.
    static QStringList problems(RunWorkspace *ws, const QString &state)
    {
        QStringList found;
        for (RoundPlot *plot : ws->plots()->panels()) {
            plot->replot(QCustomPlot::rpImmediateRefresh);
            const QFont font(plot->font().family(), 8, QFont::Bold);
            const QString problem
                = plot_titles::titleProblem(state + QLatin1Char(' ') + plot->objectName(),
                    plot->title(), plot->shownTitle(), font, plot_titles::titleRoom(plot));
            if (!problem.isEmpty()) {
                found << problem;
            }
            // The first hour (guiprobe): a trained run's memory panel was titled "GB profiled
            // —, MB trainer -·-, measured ···", naming no quantity. Each title, as shown, starts
            // with what the panel plots.
            static const QHash<QString, QString> subjects{
                {QStringLiteral("latency-by-cause"), QStringLiteral("Latency")},
                {QStringLiteral("energy-queues"), QStringLiteral("Energy queues")},
                {QStringLiteral("memory"), QStringLiteral("Memory")},
                {QStringLiteral("energy-per-round"), QStringLiteral("Energy")},
                {QStringLiteral("loss-accuracy"), QStringLiteral("Training loss")}};
            const QString subject = subjects.value(plot->objectName());
            if (subject.isEmpty() || !plot->shownTitle().startsWith(subject)) {
                found << QStringLiteral("%1 %2: the title \"%3\" does not start with \"%4\"")
                             .arg(state, plot->objectName(), plot->shownTitle(), subject);
            }
        }
        return found;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(test::useTestSettings(m_settingsDir.path())); }

    void shortenedAtAClauseOrAWord()
    {
        const QFont font(QStringLiteral("DejaVu Sans"), 8, QFont::Bold);
        const QFontMetrics metrics(font);
        const QString title = QStringLiteral("Energy queues Q(t) [J], - - mean budget Ē");
        QCOMPARE(fitTitleText(title, font, 2000), title); // fits: untouched
        for (int width = 20; width <= metrics.horizontalAdvance(title) + 10; width += 3) {
            const QString shown = fitTitleText(title, font, width);
            const QString problem = plot_titles::titleProblem(QString::number(width), title, shown,
                font, std::max(width, metrics.horizontalAdvance(QStringLiteral("Energy…"))));
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        // The clause before the comma keeps the unit.
        const int unit = metrics.horizontalAdvance(QStringLiteral("Energy queues Q(t) [J]"));
        QCOMPARE(fitTitleText(title, font, unit + 2), QStringLiteral("Energy queues Q(t) [J]"));
        // Not inside brackets: "[% of capacity]," is one clause.
        const QString memory = QStringLiteral("Memory used [% of, capacity], profiled model");
        QCOMPARE(fitTitleText(memory, font,
                     metrics.horizontalAdvance(QStringLiteral("Memory used [% of, capacity]")) + 2),
            QStringLiteral("Memory used [% of, capacity]"));
        // Narrower than the first clause: whole words and an ellipsis.
        const QString words = QStringLiteral("Energy queues Q(t)…");
        QVERIFY(metrics.horizontalAdvance(words) < unit);
        QCOMPARE(fitTitleText(title, font, metrics.horizontalAdvance(words) + 1), words);
        // The old elision cut inside a word: the check sees it.
        QVERIFY(!plot_titles::titleProblem(
            QString(), title, QStringLiteral("Energy queues Q(t) [J], - - bud…"), font, 1000)
                     .isEmpty());
    }

    void titlesReadInFull_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QSize>("size");
        for (const QString &name : {QStringLiteral("default.json"),
                 QStringLiteral("campus-day.json"), QStringLiteral("grid 100x10")}) {
            for (const QSize size : {QSize(1280, 800), QSize(1600, 1000)}) {
                QTest::addRow("%s %dx%d", qPrintable(name), size.width(), size.height())
                    << name << size;
            }
        }
    }

    void titlesReadInFull()
    {
        QFETCH(QString, scenario);
        QFETCH(QSize, size);
        MainWindow window;
        RunWorkspace *ws = RunWorkspace::install(&window);
        if (scenario.endsWith(QLatin1String(".json"))) {
            window.openInitial(
                QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/") + scenario);
        } else {
            window.openInitial(QString());
            window.document()->reset(collapipe::testing::scaleScenarioFromDefault(), QString());
        }
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ws->runPanel()->setDatabasePath(m_dir.filePath(
            QStringLiteral("runs-%1.sqlite").arg(QDateTime::currentMSecsSinceEpoch())));
        QStringList found = problems(ws, QStringLiteral("empty"));
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));

        // A short run, cost only.
        RunPanel *panel = ws->runPanel();
        panel->setMode(RunPanel::Mode::Fast);
        panel->roundsBox()->setValue(3);
        panel->trainBox()->setChecked(false);
        window.document()->undoStack()->setClean();
        QSignalSpy finished(ws->controller(), &RunController::runFinished);
        panel->startRun();
        QVERIFY(finished.wait(300'000));
        ws->plots()->hub()->flushNow();
        QCoreApplication::processEvents();
        found = problems(ws, QStringLiteral("after a run"));
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));

        // The trainer's measured memory (a trained run) gives the memory panel its longest title.
        PlotHub *hub = ws->plots()->hub();
        hub->appendRound(plot_titles::measuredRound(window.document()->scenario(), 3));
        hub->flushNow();
        QCoreApplication::processEvents();
        found = problems(ws, QStringLiteral("trained"));
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
        ws->controller()->shutdown();
    }
};

QTEST_MAIN(TestPlotTitles)
#include "tst_plot_titles.moc"
