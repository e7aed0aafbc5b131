// SPDX-License-Identifier: MIT
// The canvas's run texts: the key ("Round n · key" or the whole legend) follows the round the
// canvas shows (a round that changes no item under it still repaints it; a cleared round removes
// it), and a chip names one block as one block.
#include "run_overlay_fixture.h"
#include "ui/canvas/device_run_badge.h"
#include "ui/canvas/run_overlay.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/model/topology_document.h"

#include <QPaintEvent>
#include <QRegion>
#include <QtTest>

using namespace collapipe;
using namespace collapipe::run_overlay_fixture;

namespace run_legend_test {

/// The viewport region each paint event of `widget` asked for, united.
class PaintedRegion : public QObject
{
public:
    explicit PaintedRegion(QWidget *widget) { widget->installEventFilter(this); }
    QRegion region;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            region += static_cast<QPaintEvent *>(event)->region();
        }
        return false;
    }
};

} // namespace run_legend_test

using run_legend_test::PaintedRegion;

class TestRunLegend : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void legendFollowsTheRound();
    void oneBlockIsNamedAsOne();
};

void TestRunLegend::legendFollowsTheRound()
{
    // The first hour (guiprobe, 1280 x 800): after a live run and while scrubbing a replay, the
    // canvas key said "Round 12" and "Round 7" while the Gantt and the replay bar showed round
    // 14 and 10. The key is drawn over the scene; a round that changes no item under it must
    // still repaint it.
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    TopologyView view(&scene);
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.fitTopology();
    RoundRecord record = syntheticRound();
    scene.showRound(record);
    QTRY_VERIFY(!view.legendRect().isNull());
    QTest::qWait(50);
    PaintedRegion painted(view.viewport());
    for (const int round : {8, 9, 30}) {
        painted.region = QRegion();
        record.round = round; // the same decision, another round: no chip or gauge changes
        scene.showRound(record);
        QCOMPARE(scene.runOverlay()->round(), round);
        const QRect legend = view.legendRect().toAlignedRect();
        QTRY_VERIFY2(painted.region.contains(legend),
            qPrintable(QStringLiteral("round %1: the key was not repainted").arg(round)));
    }
    // Cleared: the key goes, so its pixels are repainted too.
    const QRect last = view.legendRect().toAlignedRect();
    painted.region = QRegion();
    scene.clearRound();
    QVERIFY(view.legendRect().isNull());
    QTRY_VERIFY2(painted.region.contains(last), "the key stayed after the round was cleared");
}

void TestRunLegend::oneBlockIsNamedAsOne()
{
    TopologyDocument document;
    QVERIFY(loadDefault(&document));
    TopologyScene scene(&document);
    // The first hour (guiprobe): a device holding one block read "blocks 11–11".
    RoundRecord single = syntheticRound();
    for (DeviceRound &d : single.devices) {
        if (d.deviceId == QStringLiteral("c1-d5")) {
            d.firstBlock = d.lastBlock = 11;
        }
    }
    scene.showRound(single);
    DeviceRunBadge *one = scene.runOverlay()->badge(QStringLiteral("c1-d5"));
    one->setCompact(false);
    QCOMPARE(one->segmentText(), QStringLiteral("block 11"));
    one->setCompact(true);
    QCOMPARE(one->segmentText(), QStringLiteral("11"));
}

QTEST_MAIN(TestRunLegend)
#include "tst_run_legend.moc"
