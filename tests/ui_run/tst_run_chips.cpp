// SPDX-License-Identifier: MIT
// The canvas's run chips (device segment chips, edge-tail chips) in the Compare and Replay views
// of the real main window at 1280 × 800 and 1600 × 1000, on every bundled scenario and on a
// generated 100 × 10 one: no two chips shown at once overlap, nor a chip a label or an icon, at
// fit zoom and at every zoom step in to full detail, for every replayed round (a review of the
// last landing found chips piled on each other in both views at 1280 × 800). The Compare view's
// plot legends are the size of their entries there too.
#include "../ui_canvas/label_overlap.h"
#include "tests/test_settings.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/edge_run_badge.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/plots_view.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_panel.h"
#include "ui/run/run_workspace.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/replay_bar.h"
#include "ui/runs/replay_controller.h"
#include "ui/runs/runs_browser.h"
#include "ui_run_fixtures.h"

#include <QDir>
#include <QDockWidget>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace collapipe;

namespace run_chips {

/// Every chip shown now, in viewport pixels (the chips keep their pixel size at any zoom).
QList<test::Box> shownChips(const TopologyView *view)
{
    QList<test::Box> chips;
    const QTransform vt = view->viewportTransform();
    for (QGraphicsItem *item : view->scene()->items()) {
        if (auto *badge = dynamic_cast<DeviceRunBadge *>(item)) {
            if (badge->isVisible() && badge->isChipShown()) {
                chips.append({QStringLiteral("chip \"%1\" of %2")
                                  .arg(badge->segmentText(),
                                      static_cast<NodeItem *>(badge->parentItem())->ref().id),
                    badge->deviceTransform(vt).mapRect(badge->chipRect())});
            }
        } else if (auto *edge = dynamic_cast<EdgeRunBadge *>(item)) {
            if (edge->isVisible() && edge->isChipShown()) {
                chips.append({QStringLiteral("edge-tail chip of %1")
                                  .arg(static_cast<NodeItem *>(edge->parentItem())->ref().id),
                    edge->deviceTransform(vt).mapRect(edge->chipRect())});
            }
        }
    }
    return chips;
}

/// The first two shown chips whose rects intersect, else empty.
QString chipsOverlap(const QList<test::Box> &chips)
{
    for (qsizetype i = 0; i < chips.size(); ++i) {
        for (qsizetype j = i + 1; j < chips.size(); ++j) {
            if (chips[i].rect.intersects(chips[j].rect)) {
                return chips[i].what + QStringLiteral(" overlaps ") + chips[j].what;
            }
        }
    }
    return {};
}

} // namespace run_chips

class TestRunChips : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    RunWorkspace *m_ws = nullptr;
    int m_chipsSeen = 0; ///< the most chips shown at once in a check (a test that saw none is void)

    bool runToEnd(int rounds, const QString &policy)
    {
        return testing::runToEnd(m_ws, m_window->document(), rounds, 300'000, policy);
    }

    /// Fit, then every zoom step in until the devices are far apart, and back out: at each the
    /// shown chips overlap nothing. Returns the first problem, naming `state` and the zoom.
    QString checkEveryZoom(const QString &state)
    {
        TopologyView *view = m_window->view();
        const auto check = [&](const QString &zoom) -> QString {
            QCoreApplication::processEvents();
            const QList<test::Box> chips = run_chips::shownChips(view);
            m_chipsSeen = std::max(m_chipsSeen, int(chips.size()));
            QString problem = run_chips::chipsOverlap(chips);
            // The run legend (the key in a corner of the canvas) goes where it covers no chip
            // while some corner has room for the whole key.
            const QRectF legend = view->legendRect();
            for (qsizetype i = 0; problem.isEmpty() && !view->isLegendCompact() && i < chips.size();
                 ++i) {
                if (chips[i].rect.intersects(legend)) {
                    problem = QStringLiteral("the run legend covers ") + chips[i].what;
                }
            }
            if (problem.isEmpty()) {
                problem = test::overlaps(view);
                if (problem == QStringLiteral("no label at all")) {
                    problem.clear();
                }
            }
            return problem.isEmpty() ? problem
                                     : QStringLiteral("%1, %2 (%3 px/m): %4")
                                           .arg(state, zoom)
                                           .arg(view->zoom())
                                           .arg(problem);
        };
        QString problem = check(QStringLiteral("as shown"));
        view->fitTopology();
        for (int step = 0; problem.isEmpty() && step <= 12; ++step) {
            problem = check(QStringLiteral("fit + %1 steps in").arg(step));
            view->zoomIn();
        }
        for (int step = 0; problem.isEmpty() && step < 6; ++step) {
            view->zoomOut();
            problem = check(QStringLiteral("%1 steps back out").arg(step + 1));
        }
        view->fitTopology();
        return problem;
    }

    /// Two runs, the comparison of both (laid out as the README's screenshot: the Compare dock
    /// raised and given 70 % of the height), then the first run replayed round by round.
    void compareAndReplay(QSize size)
    {
        const int rounds = 4;
        QVERIFY(runToEnd(rounds, QStringLiteral("dssda")));
        const qint64 first = m_ws->controller()->runId();
        QVERIFY(runToEnd(rounds, QStringLiteral("uniform")));
        const qint64 second = m_ws->controller()->runId();
        QVERIFY(first > 0 && second > first);

        // Compare.
        QDockWidget *compareDock = m_ws->dock(QStringLiteral("compareDock"));
        QSignalSpy loaded(m_ws->compareView(), &CompareView::loaded);
        Q_EMIT m_ws->runsBrowser()->compareRequested(
            m_ws->runPanel()->databasePath(), {first, second});
        QVERIFY(loaded.count() > 0 || loaded.wait(60'000));
        compareDock->raise();
        m_ws->dock(QStringLiteral("ganttDock"))->hide();
        m_ws->dock(QStringLiteral("decisionDock"))->hide();
        m_window->resizeDocks({compareDock}, {size.height() * 7 / 10}, Qt::Vertical);
        QTest::qWait(50);
        QVERIFY(m_window->scene()->runOverlay()->isShown());
        for (QCustomPlot *plot : m_ws->compareView()->findChildren<QCustomPlot *>()) {
            plot->replot(QCustomPlot::rpImmediateRefresh);
            const QRect box = plot->legend->outerRect();
            const QSize needed = plot->legend->minimumOuterSizeHint();
            QVERIFY2(plot->legend->itemCount() >= 2 && box.width() <= needed.width() + 1
                    && box.height() <= needed.height() + 1,
                qPrintable(QStringLiteral("%1: legend of %2 entries %3x%4 px for %5x%6")
                               .arg(plot->objectName())
                               .arg(plot->legend->itemCount())
                               .arg(box.width())
                               .arg(box.height())
                               .arg(needed.width())
                               .arg(needed.height())));
            for (int i = 0; i < plot->legend->itemCount(); ++i) {
                QVERIFY2(box.contains(plot->legend->item(i)->outerRect()),
                    qPrintable(plot->objectName() + QStringLiteral(": an entry outside the box")));
            }
        }
        const QString compared = checkEveryZoom(QStringLiteral("compare"));
        QVERIFY2(compared.isEmpty(), qPrintable(compared));

        // Replay, every round.
        m_ws->dock(QStringLiteral("ganttDock"))->show();
        m_ws->dock(QStringLiteral("plotsDock"))->raise();
        m_window->resizeDocks(
            {m_ws->dock(QStringLiteral("plotsDock"))}, {size.height() / 2}, Qt::Vertical);
        QSignalSpy opened(m_ws->replay(), &ReplayController::opened);
        QVERIFY(m_ws->openReplay(m_ws->runPanel()->databasePath(), first, true));
        QVERIFY(opened.wait(60'000 * collapipe::test::kSlowdown));
        QSlider *slider = m_ws->replayBar()->slider();
        QCOMPARE(slider->maximum(), rounds - 1);
        for (int round = 0; round <= slider->maximum(); ++round) {
            slider->setValue(round);
            QCOMPARE(m_window->scene()->runOverlay()->round(), round);
            const QString replayed = checkEveryZoom(QStringLiteral("replay round %1").arg(round));
            QVERIFY2(replayed.isEmpty(), qPrintable(replayed));
        }
    }

    void openWindow(QSize size)
    {
        m_window = std::make_unique<MainWindow>();
        m_ws = RunWorkspace::install(m_window.get());
        m_window->resize(size);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_ws->runPanel()->setDatabasePath(m_dir.filePath(
            QStringLiteral("runs-%1.sqlite").arg(QDateTime::currentMSecsSinceEpoch())));
        m_ws->runsBrowser()->setDatabasePath(m_ws->runPanel()->databasePath());
        m_chipsSeen = 0;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(test::useTestSettings(m_settingsDir.path())); }

    void cleanup()
    {
        if (m_ws) {
            m_ws->controller()->shutdown();
        }
        m_window.reset();
        m_ws = nullptr;
    }

    void bundledScenarios_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QSize>("size");
        const QDir dir(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios"));
        for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
            for (const QSize size : {QSize(1280, 800), QSize(1600, 1000)}) {
                QTest::newRow(qPrintable(
                    QStringLiteral("%1 %2x%3").arg(name).arg(size.width()).arg(size.height())))
                    << dir.filePath(name) << size;
            }
        }
    }

    void bundledScenarios()
    {
        QFETCH(QString, file);
        QFETCH(QSize, size);
        openWindow(size);
        m_window->openInitial(file);
        QVERIFY(!m_window->document()->scenario().topology.clusters.empty());
        compareAndReplay(size);
        QVERIFY2(m_chipsSeen > 1, "never more than one chip shown: the check saw nothing");
    }

    void generated100x10_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1280x800") << QSize(1280, 800);
        QTest::newRow("1600x1000") << QSize(1600, 1000);
    }

    void generated100x10()
    {
        QFETCH(QSize, size);
        openWindow(size);
        m_window->openInitial(QString());
        const Scenario big = collapipe::testing::scaleScenarioFromDefault();
        QVERIFY(!big.topology.clusters.empty());
        m_window->document()->reset(big, QString());
        compareAndReplay(size);
        QVERIFY2(m_chipsSeen > 1, "never more than one chip shown: the check saw nothing");
    }
};

QTEST_MAIN(TestRunChips)
#include "tst_run_chips.moc"
