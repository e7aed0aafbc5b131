// SPDX-License-Identifier: MIT
// Issue #16, "every view reads at a glance at 1280 × 800 and 1600 × 1000", the canvas, on every
// bundled scenario and a generated 100 × 10 in the real main window at both sizes:
//  - at fit zoom every label, run chip, icon and hull lies whole inside the viewport (before,
//    the fit framed the nodes with fixed margins, and "Bus depot" of default.json was cut at the
//    top at 1600 × 1000);
//  - at fit, at every zoom step out and in, and with each cluster's name scrolled into each
//    corner of the view, nothing drawn lies under the scale bar (before, it was drawn over the
//    bottom-left corner and covered a cluster name scrolled there).
#include "canvas_scale_fixture.h"
#include "core/types/round_record.h"
#include "label_overlap.h"
#include "tests/test_settings.h"
#include "ui/canvas/cluster_hull_item.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/lab/lab_workspace.h"
#include "ui/main_window.h"
#include "ui/model/topology_document.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_workspace.h"

#include <QDir>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace collapipe;
using namespace collapipe::test;

namespace canvas_fit {

const QString kGenerated = QStringLiteral("generated 100x10");

/// Everything drawn (labels, chips, icons) and the clusters' hulls, in viewport pixels.
QList<Box> drawnBoxes(
    const TopologyView *view, const TopologyScene *scene, const Scenario &scenario, bool withHulls)
{
    QList<Box> labels;
    QList<Box> icons;
    collect(view, &labels, &icons);
    QList<Box> all = labels + icons;
    if (withHulls) {
        for (const Cluster &c : scenario.topology.clusters) {
            const ClusterHullItem *hull = scene->hullItem(c.id);
            if (hull && hull->isVisible() && hull->opacity() >= 0.5) {
                all.append({QStringLiteral("hull of ") + c.id,
                    view->mapFromScene(hull->shape()).boundingRect()});
            }
        }
    }
    return all;
}

/// The first thing drawn that is not whole inside the viewport, else empty.
QString outsideTheView(
    const TopologyView *view, const TopologyScene *scene, const Scenario &scenario)
{
    const QRectF port = QRectF(view->viewport()->rect());
    for (const Box &box : drawnBoxes(view, scene, scenario, true)) {
        if (!port.contains(box.rect)) {
            return QStringLiteral("%1 at %2,%3 %4x%5 not inside the %6x%7 view")
                .arg(box.what)
                .arg(box.rect.x())
                .arg(box.rect.y())
                .arg(box.rect.width())
                .arg(box.rect.height())
                .arg(port.width())
                .arg(port.height());
        }
    }
    return {};
}

/// The first label or icon whose visible part lies under the scale bar, else empty.
QString underTheScaleBar(
    const TopologyView *view, const TopologyScene *scene, const Scenario &scenario)
{
    const QRectF port = QRectF(view->viewport()->rect());
    const QRectF bar = view->scaleBarRect();
    if (bar.isEmpty()) {
        return QStringLiteral("no scale bar");
    }
    for (const Box &box : drawnBoxes(view, scene, scenario, false)) {
        const QRectF seen = box.rect.intersected(port);
        if (!seen.isEmpty() && seen.intersects(bar)) {
            return QStringLiteral("the scale bar covers ") + box.what;
        }
    }
    return {};
}

/// The Studio as app/studio/main.cpp builds it (the run and lab docks around the canvas), shown
/// on `scenario` (a bundled file or kGenerated) at `size`; it closes without asking to save.
struct Studio
{
    Studio(const QString &scenarioName, QSize size)
    {
        RunWorkspace::install(&window);
        LabWorkspace::install(&window);
        window.resize(size);
        if (scenarioName == kGenerated) {
            // What `collapipe generate --clusters 100 --devices-per-cluster 10` writes.
            window.openInitial(QString());
            window.document()->reset(generatedScenario(100, 10));
        } else {
            window.openInitial(
                QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/") + scenarioName);
        }
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::processEvents();
    }
    ~Studio() { window.document()->undoStack()->setClean(); }
    Studio(const Studio &) = delete;
    Studio &operator=(const Studio &) = delete;

    const Scenario &scenario() const { return window.document()->scenario(); }
    /// The first thing drawn not whole inside the viewport, else empty.
    QString outside() const { return outsideTheView(view, scene, scenario()); }

    MainWindow window;
    TopologyView *const view = window.view();
    TopologyScene *const scene = window.scene();
};

} // namespace canvas_fit

class TestCanvasFit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(useTestSettings(m_settingsDir.path())); }

    void fitShowsEveryLabelWhole_data() { scenarios(); }
    void fitShowsEveryLabelWhole()
    {
        QFETCH(QString, scenario);
        QFETCH(QSize, size);
        canvas_fit::Studio studio(scenario, size);
        TopologyView *view = studio.view;
        // The window's own first fit (queued by openInitial before the window was laid out).
        QString problem = studio.outside();
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("opened: ") + problem));
        QVERIFY(view->isFitted());
        // The window resized to the other size: still fitted, still whole.
        const QSize other = size.width() == 1280 ? QSize(1600, 1000) : QSize(1280, 800);
        for (const QSize to : {other, size}) {
            studio.window.resize(to);
            QTRY_VERIFY(view->viewport()->size() != QSize());
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();
            problem = studio.outside();
            QVERIFY2(problem.isEmpty(),
                qPrintable(QStringLiteral("resized to %1x%2: ").arg(to.width()).arg(to.height())
                    + problem));
        }
        view->fitTopology();
        problem = studio.outside();
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("fit: ") + problem));
        // Fit again after zooming far in: the same frame, still whole.
        const double fitZoom = view->zoom();
        for (int i = 0; i < 6; ++i) {
            view->zoomIn();
        }
        QVERIFY(!view->isFitted());
        view->fitTopology();
        QCOMPARE(view->zoom(), fitZoom);
        problem = studio.outside();
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("fit again: ") + problem));
        // During a run the chips join the labels: fit frames them too.
        studio.scene->showRound(roundOnEveryDevice(studio.scenario()));
        view->fitTopology();
        problem = studio.outside();
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("fit in a run: ") + problem));
        // Zoomed by the user, a resize keeps the user's zoom.
        view->zoomIn();
        const double zoomed = view->zoom();
        studio.window.resize(other);
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(view->zoom(), zoomed);
    }

    /// Labels keep their pixel size whatever the zoom: long names at the topology's edges need
    /// more room than any fixed margin (before, a margin of 72 px beside the outermost nodes).
    void fitFramesLongNames_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1280x800") << QSize(1280, 800);
        QTest::newRow("1600x1000") << QSize(1600, 1000);
    }
    void fitFramesLongNames()
    {
        QFETCH(QSize, size);
        canvas_fit::Studio studio(QStringLiteral("default.json"), size);
        Scenario s = studio.scenario();
        // Flattened, so the width binds: the names at the left and right ends decide the zoom.
        for (Cluster &c : s.topology.clusters) {
            c.name += QStringLiteral(" (loading bay, level 2)");
            c.controlUnit.position.yM *= 0.2;
            for (Device &d : c.devices) {
                d.position.yM *= 0.2;
            }
        }
        for (EdgeServer &e : s.topology.edgeServers) {
            e.position.yM *= 0.2;
        }
        studio.window.document()->reset(s);
        studio.view->fitTopology();
        const QString problem = studio.outside();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        int named = 0;
        for (const Cluster &c : s.topology.clusters) {
            named += studio.scene->hullItem(c.id)->labelItem()->isVisible() ? 1 : 0;
        }
        QVERIFY(named >= 2);
    }

    void scaleBarCoversNothing_data() { scenarios(); }
    void scaleBarCoversNothing()
    {
        QFETCH(QString, scenario);
        QFETCH(QSize, size);
        const canvas_fit::Studio studio(scenario, size);
        TopologyView *view = studio.view;
        const Scenario &s = studio.scenario();
        const auto check = [&](const QString &where) {
            QCoreApplication::processEvents();
            const QString problem = canvas_fit::underTheScaleBar(view, studio.scene, s);
            return problem.isEmpty() ? problem : where + QStringLiteral(": ") + problem;
        };
        view->fitTopology();
        QString problem = check(QStringLiteral("fit"));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // Every zoom step from two out of fit to eight in.
        view->zoomOut();
        view->zoomOut();
        for (int step = -2; step <= 8; ++step) {
            problem = check(QStringLiteral("zoom step %1").arg(step));
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            view->zoomIn();
        }
        // Each cluster's name scrolled into each corner of the view, at fit and three steps in.
        for (const int steps : {0, 3}) {
            view->fitTopology();
            for (int i = 0; i < steps; ++i) {
                view->zoomIn();
            }
            int named = 0;
            for (const Cluster &c : s.topology.clusters) {
                const ClusterLabelItem *label = studio.scene->hullItem(c.id)->labelItem();
                if (!label->isVisible()) {
                    continue;
                }
                ++named;
                for (const Qt::Corner corner : {Qt::BottomLeftCorner, Qt::BottomRightCorner,
                         Qt::TopLeftCorner, Qt::TopRightCorner}) {
                    scrollIntoCorner(view, label, corner);
                    problem = check(QStringLiteral("%1 in corner %2, %3 steps in")
                                        .arg(c.name)
                                        .arg(int(corner))
                                        .arg(steps));
                    QVERIFY2(problem.isEmpty(), qPrintable(problem));
                }
                if (scenario == canvas_fit::kGenerated && named >= 12) {
                    break; // a dozen names of the 100 clusters: the rest are alike
                }
            }
            QVERIFY(named > 0);
        }
    }

private:
    static void scenarios()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QSize>("size");
        const QDir dir(QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios"));
        QStringList names = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
        names.append(canvas_fit::kGenerated);
        for (const QString &name : std::as_const(names)) {
            for (const QSize size : {QSize(1280, 800), QSize(1600, 1000)}) {
                QTest::addRow("%s %dx%d", qPrintable(name), size.width(), size.height())
                    << name << size;
            }
        }
    }

    /// Scrolls the view so that `label` sits 2 px inside `corner` of the viewport (as far as the
    /// scroll bars go).
    static void scrollIntoCorner(
        TopologyView *view, const ClusterLabelItem *label, Qt::Corner corner)
    {
        const QRectF port = QRectF(view->viewport()->rect());
        const QRectF rect
            = label->deviceTransform(view->viewportTransform()).mapRect(label->boundingRect());
        const bool right = corner == Qt::TopRightCorner || corner == Qt::BottomRightCorner;
        const bool bottom = corner == Qt::BottomLeftCorner || corner == Qt::BottomRightCorner;
        const double dx
            = right ? rect.right() - (port.right() - 2) : rect.left() - (port.left() + 2);
        const double dy
            = bottom ? rect.bottom() - (port.bottom() - 2) : rect.top() - (port.top() + 2);
        view->horizontalScrollBar()->setValue(view->horizontalScrollBar()->value() + qRound(dx));
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->value() + qRound(dy));
    }

    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestCanvasFit)
#include "tst_canvas_fit.moc"
