// SPDX-License-Identifier: MIT
#pragma once

#include "ui/canvas/abstract_tool.h"

#include <QString>

class QGraphicsLineItem;

namespace collapipe {

/// Drag from a cluster (its hull, control unit or a device) to an edge server, or the other way
/// round, to make that server serve the cluster (its D2E link).
class ConnectTool : public AbstractTool
{
public:
    explicit ConnectTool(TopologyScene *scene);
    ~ConnectTool() override;

    QString statusHint() const override;
    void mousePressed(QGraphicsSceneMouseEvent *event) override;
    void mouseMoved(QGraphicsSceneMouseEvent *event) override;
    void mouseReleased(QGraphicsSceneMouseEvent *event) override;
    void deactivate() override;

private:
    QString clusterOf(const QPointF &scenePos) const;
    QString serverAt(const QPointF &scenePos) const;

    QGraphicsLineItem *m_line = nullptr;
    QString m_clusterId;
    QString m_serverId;
};

} // namespace collapipe
