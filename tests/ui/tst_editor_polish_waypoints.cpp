// SPDX-License-Identifier: MIT
// Issue [6/7], part of tst_editor_polish: a waypoint path edited on the canvas through its
// handles (drag, Esc, insert, remove, refusals), driven by the events a view sends the scene.
#include "tests/ui/tst_editor_polish_waypoints.h"

#include "tests/ui/editor_test_util.h"
#include "ui/canvas/select_tool.h"
#include "ui/canvas/topology_scene.h"
#include "ui/canvas/topology_view.h"
#include "ui/canvas/waypoint_handles.h"
#include "ui/canvas/waypoint_path_item.h"
#include "ui/canvas/waypoint_tool.h"
#include "ui/docks/waypoint_list_editor.h"
#include "ui/model/topology_document.h"

#include <QAction>
#include <QGraphicsSceneMouseEvent>
#include <QKeyEvent>
#include <QTableWidget>
#include <QUndoStack>
#include <QtTest>

namespace collapipe::test {

namespace {

/// A mouse event as a view delivers it to the scene (through the scene's event filters).
bool sendMouse(QGraphicsScene *scene, QEvent::Type type, const QPointF &scenePos,
    Qt::MouseButton button, Qt::MouseButtons buttons)
{
    QGraphicsSceneMouseEvent event(type);
    event.setScenePos(scenePos);
    event.setButton(button);
    event.setButtons(buttons);
    event.setButtonDownScenePos(button, scenePos);
    event.setAccepted(false);
    QCoreApplication::sendEvent(scene, &event);
    return event.isAccepted();
}

bool sendKey(QGraphicsScene *scene, QEvent::Type type, Qt::Key key)
{
    QKeyEvent event(type, key, Qt::NoModifier);
    event.setAccepted(false);
    QCoreApplication::sendEvent(scene, &event);
    return event.isAccepted();
}

} // namespace

void checkWaypointHandles()
{
    // Issue [6/7]: the selected node's waypoints are edited on the canvas with the Select tool.
    // Dragging a handle moves exactly that waypoint, live (Properties' table follows), and the
    // drag is ONE undo step; Esc cancels it without a step; a double-click on a segment inserts
    // a waypoint, a right-click or Delete on a handle removes one; refusals name the waypoint.
    TopologyDocument document;
    QString error;
    QVERIFY(document.load(defaultScenarioPath(), &error));
    TopologyScene scene(&document); // no view: 1 m per pixel, handles picked within 7 m
    auto *overlay = new WaypointPathOverlay(&scene, &document); // owned by the scene
    WaypointHandles *handles = overlay->handles();
    SelectTool select(&scene);
    scene.setTool(&select);
    WaypointListEditor table(&document);
    const ItemRef ref{ItemKind::Device, QStringLiteral("c1-d1")};              // at (220, 20)
    QVERIFY(document.setProperty(ref, QStringLiteral("mobility.model"), 1.0)); // waypoints
    const std::vector<Position> path{{150, 20}, {150, 100}, {220, 100}};
    QVERIFY(document.setWaypoints(ref, path));
    scene.selectRefs({ref});
    table.setItem(ref);
    QVERIFY(overlay->isEditable() && handles->isActive());
    QCOMPARE(handles->handleAt(QPointF(151, 99)), 1);
    QCOMPARE(handles->handleAt(QPointF(185, 60)), -1);
    QUndoStack *undo = document.undoStack();
    const int start = undo->index();
    const int count = undo->count();
    const auto cell = [&table](int row, int column) {
        return table.findChild<QTableWidget *>()->item(row, column)->text();
    };

    // Drag waypoint 1, grabbed 1 m off its centre: it keeps that offset.
    QVERIFY(sendMouse(
        &scene, QEvent::GraphicsSceneMousePress, QPointF(151, 99), Qt::LeftButton, Qt::LeftButton));
    QCOMPARE(overlay->hotHandle(), 1);
    sendMouse(
        &scene, QEvent::GraphicsSceneMouseMove, QPointF(171, 119), Qt::NoButton, Qt::LeftButton);
    QCOMPARE(document.waypoints(ref)[1], (Position{170, 120})); // live
    QCOMPARE(cell(1, 0), QStringLiteral("170"));                // Properties follows
    QCOMPARE(overlay->drawnPath()[2], QPointF(170, 120));       // so does the polyline
    sendMouse(
        &scene, QEvent::GraphicsSceneMouseMove, QPointF(181, 129), Qt::NoButton, Qt::LeftButton);
    QVERIFY(sendMouse(&scene, QEvent::GraphicsSceneMouseRelease, QPointF(181, 129), Qt::LeftButton,
        Qt::NoButton));
    std::vector<Position> dragged = path;
    dragged[1] = {180, 130};
    QVERIFY(document.waypoints(ref) == dragged);      // exactly that waypoint
    QCOMPARE(undo->index(), start + 1);               // one step for the whole drag
    QCOMPARE(scene.selectedRefs(), ItemRefList{ref}); // the press did not reach the Select tool
    QCOMPARE(document.position(ref), (Position{220, 20}));
    undo->undo();
    QVERIFY(document.waypoints(ref) == path);
    QCOMPARE(cell(1, 1), QStringLiteral("100"));
    undo->redo();
    QVERIFY(document.waypoints(ref) == dragged);
    QCOMPARE(cell(1, 1), QStringLiteral("130"));

    // Esc during a drag puts the waypoint back and leaves no step.
    QVERIFY(sendMouse(
        &scene, QEvent::GraphicsSceneMousePress, QPointF(150, 20), Qt::LeftButton, Qt::LeftButton));
    sendMouse(
        &scene, QEvent::GraphicsSceneMouseMove, QPointF(120, 0), Qt::NoButton, Qt::LeftButton);
    QCOMPARE(document.waypoints(ref)[0], (Position{120, 0}));
    QVERIFY(sendKey(&scene, QEvent::ShortcutOverride, Qt::Key_Escape)); // not the Select action
    QVERIFY(sendKey(&scene, QEvent::KeyPress, Qt::Key_Escape));
    QVERIFY(!handles->isDragging());
    sendMouse(
        &scene, QEvent::GraphicsSceneMouseMove, QPointF(110, -10), Qt::NoButton, Qt::LeftButton);
    sendMouse(
        &scene, QEvent::GraphicsSceneMouseRelease, QPointF(110, -10), Qt::LeftButton, Qt::NoButton);
    QVERIFY(document.waypoints(ref) == dragged);
    QCOMPARE(undo->index(), start + 1);
    QCOMPARE(undo->count(), count + 1);
    QVERIFY(!sendKey(&scene, QEvent::ShortcutOverride, Qt::Key_Escape)); // no drag: the action's

    // A double-click on the segment from waypoint 0 to waypoint 1 inserts waypoint 1 there.
    const QPointF mid(165, 75);
    QCOMPARE(handles->segmentAt(mid), 1);
    QVERIFY(sendMouse(&scene, QEvent::GraphicsSceneMousePress, mid, Qt::LeftButton,
        Qt::LeftButton)); // kept: the node stays selected
    sendMouse(&scene, QEvent::GraphicsSceneMouseRelease, mid, Qt::LeftButton, Qt::NoButton);
    QVERIFY(sendMouse(
        &scene, QEvent::GraphicsSceneMouseDoubleClick, mid, Qt::LeftButton, Qt::LeftButton));
    sendMouse(&scene, QEvent::GraphicsSceneMouseRelease, mid, Qt::LeftButton, Qt::NoButton);
    const std::vector<Position> inserted{{150, 20}, {165, 75}, {180, 130}, {220, 100}};
    QVERIFY(document.waypoints(ref) == inserted);
    QCOMPARE(undo->index(), start + 2);
    QCOMPARE(scene.selectedRefs(), ItemRefList{ref});
    QCOMPARE(table.findChild<QTableWidget *>()->rowCount(), 4);

    // A right-click on a handle removes its waypoint.
    QVERIFY(sendMouse(&scene, QEvent::GraphicsSceneMousePress, mid + QPointF(2, -2),
        Qt::RightButton, Qt::RightButton));
    QVERIFY(document.waypoints(ref) == dragged);
    QCOMPARE(undo->index(), start + 3);

    // Delete with the mouse over a handle removes that waypoint (not the node).
    sendMouse(
        &scene, QEvent::GraphicsSceneMouseMove, QPointF(219, 101), Qt::NoButton, Qt::NoButton);
    QCOMPARE(overlay->hotHandle(), 2);
    QVERIFY(sendKey(&scene, QEvent::ShortcutOverride, Qt::Key_Delete));
    QVERIFY(sendKey(&scene, QEvent::KeyPress, Qt::Key_Delete));
    const std::vector<Position> removed{{150, 20}, {180, 130}};
    QVERIFY(document.waypoints(ref) == removed);
    QVERIFY(document.contains(ref));
    QCOMPARE(undo->index(), start + 4);
    sendMouse(
        &scene, QEvent::GraphicsSceneMouseMove, QPointF(300, 200), Qt::NoButton, Qt::NoButton);
    QCOMPARE(overlay->hotHandle(), -1);
    QVERIFY(!sendKey(&scene, QEvent::ShortcutOverride, Qt::Key_Delete)); // the palette's again
    undo->undo();
    QVERIFY(document.waypoints(ref) == dragged);
    undo->redo();

    // Refused as Properties refuses: outside the valid area; the reason names waypoint 1's x.
    QVERIFY(sendMouse(&scene, QEvent::GraphicsSceneMousePress, QPointF(180, 130), Qt::LeftButton,
        Qt::LeftButton));
    sendMouse(
        &scene, QEvent::GraphicsSceneMouseMove, QPointF(2e5, 130), Qt::NoButton, Qt::LeftButton);
    QVERIFY2(handles->errorText().contains(QLatin1String("mobility.waypoints[1].x_m")),
        qPrintable(handles->errorText()));
    QVERIFY(document.waypoints(ref) == removed);
    sendMouse(
        &scene, QEvent::GraphicsSceneMouseRelease, QPointF(2e5, 130), Qt::LeftButton, Qt::NoButton);
    QCOMPARE(undo->index(), start + 4);

    // Another tool: the handles let the events pass.
    scene.setTool(nullptr);
    QVERIFY(handles->isActive());
    WaypointTool pathTool(&scene, overlay);
    scene.setTool(&pathTool);
    QVERIFY(!handles->isActive());
    sendMouse(&scene, QEvent::GraphicsSceneMousePress, QPointF(180, 130), Qt::RightButton,
        Qt::RightButton); // the Path tool's "finish" (nothing clicked: nothing stored)
    QVERIFY(document.waypoints(ref) == removed);
    QCOMPARE(undo->index(), start + 4);
    pathTool.deactivate();

    // Through a view, as in the Studio: a drag with the real mouse moves the waypoint, not the
    // node and no rubber band; Delete over a handle removes it although the window has a
    // Delete shortcut (the handles take the shortcut override).
    scene.setTool(&select);
    TopologyView view(&scene);
    int deletes = 0;
    QAction action(&view);
    action.setShortcut(QKeySequence::Delete);
    action.setShortcutContext(Qt::WidgetWithChildrenShortcut);
    view.addAction(&action);
    QObject::connect(&action, &QAction::triggered, [&deletes] { ++deletes; });
    view.resize(640, 480);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.activateWindow();
    view.setFocus();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    view.centerOn(QPointF(165, 75));
    const double mpp = scene.metresPerPixel();
    const QPoint from = view.mapFromScene(QPointF(150, 20));
    QTest::mousePress(view.viewport(), Qt::LeftButton, {}, from);
    QTest::mouseMove(view.viewport(), from + QPoint(10, 0));
    QTest::mouseMove(view.viewport(), from + QPoint(20, 0));
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, from + QPoint(20, 0));
    QCOMPARE(undo->index(), start + 5);
    QVERIFY2(std::abs(document.waypoints(ref)[0].xM - (150 + 20 * mpp)) < 1.01 * mpp,
        qPrintable(QString::number(document.waypoints(ref)[0].xM)));
    QCOMPARE(document.waypoints(ref)[1], (Position{180, 130}));
    QCOMPARE(document.position(ref), (Position{220, 20}));
    QCOMPARE(scene.selectedRefs(), ItemRefList{ref});
    QTest::mouseMove(view.viewport(), view.mapFromScene(QPointF(180, 130)));
    QCOMPARE(overlay->hotHandle(), 1);
    {
        QGraphicsSceneEvent leave(QEvent::GraphicsSceneLeave); // as the view sends on leaving
        leave.setWidget(view.viewport());
        QCoreApplication::sendEvent(&scene, &leave);
        QCOMPARE(overlay->hotHandle(), -1);
    }
    QTest::mouseMove(view.viewport(), view.mapFromScene(QPointF(180, 130)) + QPoint(1, 1));
    QCOMPARE(overlay->hotHandle(), 1);
    QTest::keyClick(&view, Qt::Key_Delete);
    QCOMPARE(deletes, 0);
    QCOMPARE(document.waypoints(ref).size(), std::size_t(1));
    QCOMPARE(undo->index(), start + 6);
    scene.setTool(nullptr);
}

} // namespace collapipe::test
