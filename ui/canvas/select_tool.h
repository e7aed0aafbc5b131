// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "ui/canvas/abstract_tool.h"
#include "ui/model/item_ref.h"

#include <QList>
#include <QPointF>

namespace collapipe {

/// Select (click, Ctrl+click, rubber band) and move: dragging a selected item moves the whole
/// selection; dragging a cluster's hull moves the cluster's control unit and devices. Every mouse
/// move pushes a move command with one drag id, so the whole drag is one undo step.
class SelectTool : public AbstractTool
{
public:
    explicit SelectTool(TopologyScene *scene);

    bool usesDefaultHandling() const override { return true; }
    QGraphicsView::DragMode dragMode() const override { return QGraphicsView::RubberBandDrag; }
    QCursor cursor() const override { return QCursor(Qt::ArrowCursor); }
    QString statusHint() const override;

    void mousePressed(QGraphicsSceneMouseEvent *event) override;
    void mouseMoved(QGraphicsSceneMouseEvent *event) override;
    void mouseReleased(QGraphicsSceneMouseEvent *event) override;
    void deactivate() override { m_dragging = false; }

private:
    bool m_dragging = false;
    int m_dragId = 0;
    QPointF m_pressPos;
    QPointF m_lastDelta;
    QList<QPair<ItemRef, Position>> m_start; ///< first entry is the anchor used for snapping
};

} // namespace collapipe
