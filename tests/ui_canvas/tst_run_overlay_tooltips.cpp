// SPDX-License-Identifier: MIT
// The canvas's run badges build their tooltips on hover (issue [7/7] "The Studio keeps up with the
// engine"): a round of 1,000 devices no longer formats 1,000 rich-text tooltips nobody reads.
#include "run_overlay_fixture.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/model/topology_document.h"

#include <QHelpEvent>
#include <QtTest>

#include <cmath>

using namespace collapipe;
using namespace collapipe::run_overlay_fixture;

class TestRunOverlayToolTips : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hoverShowsTheLatestRoundsToolTip();
};

// The badges' tooltips are built lazily on hover (issue [7/7]): hovering a device through the
// view builds its tooltip from the round shown now, and a newer round never shows an older
// round's text.
void TestRunOverlayToolTips::hoverShowsTheLatestRoundsToolTip()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    TopologyView view(&scene);
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.fitTopology();
    const QString device = QStringLiteral("c1-d4");
    const NodeItem *node = scene.nodeItem({ItemKind::Device, device});
    QVERIFY(node);
    const auto hover = [&] {
        const QPoint at = view.mapFromScene(node->scenePos());
        QHelpEvent help(QEvent::ToolTip, at, view.viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(view.viewport(), &help);
    };

    scene.showRound(syntheticRound());
    const DeviceRunBadge *badge = scene.runOverlay()->badge(device);
    QVERIFY(badge && badge->isVisible());
    QVERIFY(badge->toolTip().isEmpty());
    hover();
    QVERIFY2(badge->toolTip().contains(QStringLiteral("round 7")), qPrintable(badge->toolTip()));
    QVERIFY2(badge->toolTip().contains(QStringLiteral("busy 1.5 s")), qPrintable(badge->toolTip()));

    RoundRecord next = syntheticRound();
    next.round = 8;
    for (DeviceRound &d : next.devices) {
        d.busyS = d.deviceId == device ? 0.25 : d.busyS;
    }
    scene.showRound(next);
    QVERIFY(badge->toolTip().isEmpty()); // round 7's text is gone before anyone hovers
    hover();
    const QString tip = badge->toolTip();
    QVERIFY2(tip.contains(QStringLiteral("round 8")) && !tip.contains(QStringLiteral("round 7")),
        qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("busy 0.25 s")), qPrintable(tip));
}

QTEST_MAIN(TestRunOverlayToolTips)
#include "tst_run_overlay_tooltips.moc"
