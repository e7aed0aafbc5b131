// SPDX-License-Identifier: MIT
// The canvas's run badges build their tooltips on hover (issue [7/7] "The Studio keeps up with the
// engine"): a round of 1,000 devices no longer formats 1,000 rich-text tooltips nobody reads.
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

namespace {

const QString kDefaultScenario
    = QStringLiteral(COLLAPIPE_SOURCE_DIR "/resources/scenarios/default.json");

DeviceRound row(const QString &id, int stage, int first, int last, double predicted,
    double measured, double capacity, double busyS, double rateBps)
{
    DeviceRound d;
    d.cluster = 0;
    d.deviceId = id;
    d.stage = stage;
    d.firstBlock = first;
    d.lastBlock = last;
    d.microbatches = stage >= 0 ? 4 : 0;
    d.memoryPredictedBytes = predicted;
    d.memoryMeasuredBytes = measured;
    d.memoryCapacityBytes = capacity;
    d.busyS = busyS;
    d.linkRateBps = rateBps;
    d.linkDistanceM = 40.0;
    d.linkSnrDb = 25.0;
    return d;
}

/// Cluster c1 of default.json: a two-stage pipeline c1-d4 (blocks 0–5) → c1-d5 (6–11), the
/// other three idle; c1-d5 predicted over its 12 GB. Rows deliberately out of stage order.
RoundRecord syntheticRound()
{
    RoundRecord r;
    r.round = 7;
    r.latencyS = 2.0;
    r.devices.push_back(row(QStringLiteral("c1-d5"), 1, 6, 11, 13e9, kNotMeasured, 12e9, 0.5, 2e8));
    r.devices.push_back(row(QStringLiteral("c1-d1"), -1, -1, -1, 0.0, kNotMeasured, 1.2e9, 0, 0));
    r.devices.push_back(row(QStringLiteral("c1-d4"), 0, 0, 5, 1.5e9, 1.8e9, 3e9, 1.5, 5e7));
    r.devices.push_back(row(QStringLiteral("c1-d2"), -1, -1, -1, 0.0, kNotMeasured, 2e9, 0, 0));
    r.devices.push_back(row(QStringLiteral("c1-d3"), -1, -1, -1, 0.0, kNotMeasured, 2e9, 0, 0));
    return r;
}

bool loadDefault(TopologyDocument *document)
{
    QString error;
    const bool ok = document->load(kDefaultScenario, &error);
    if (!ok) {
        qWarning("%s", qPrintable(error));
    }
    return ok;
}

} // namespace

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
