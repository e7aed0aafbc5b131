// SPDX-License-Identifier: MIT
#pragma once

#include <QCursor>
#include <QGraphicsView>
#include <QString>

class QGraphicsSceneMouseEvent;

namespace collapipe {

class TopologyScene;

/// An interaction mode of the canvas (style.md rule 8, after Tiled's AbstractTool): the scene
/// forwards mouse events to the active tool, and the tool turns them into document edits.
class AbstractTool
{
public:
    explicit AbstractTool(TopologyScene *scene)
        : m_scene(scene)
    { }
    virtual ~AbstractTool() = default;

    /// True if the scene should run QGraphicsScene's own handling (selection) before the tool.
    virtual bool usesDefaultHandling() const { return false; }
    /// Rubber-band selection for the select tool, none for the others.
    virtual QGraphicsView::DragMode dragMode() const { return QGraphicsView::NoDrag; }
    virtual QCursor cursor() const { return QCursor(Qt::CrossCursor); }
    /// One line for the status bar, saying what a click does.
    virtual QString statusHint() const = 0;

    virtual void mousePressed(QGraphicsSceneMouseEvent *event) = 0;
    virtual void mouseMoved(QGraphicsSceneMouseEvent *event) { (void)event; }
    virtual void mouseReleased(QGraphicsSceneMouseEvent *event) { (void)event; }
    virtual void deactivate() { }

protected:
    TopologyScene *scene() const { return m_scene; }

private:
    TopologyScene *m_scene;
};

} // namespace collapipe
