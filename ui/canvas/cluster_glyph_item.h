// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QGraphicsItem>
#include <QString>

namespace collapipe {

class ClusterHullItem;

/// A cluster drawn as one glyph when it is too small on screen for its devices (issue [7/7]
/// "Scale", level of detail): a disc in the cluster's colour, sized by its device count (the
/// count written inside), a red ring when validation names the cluster or a member, the
/// selection of its hull, and during a run an arc for the round's load (mean busy time / round
/// latency of the devices that took part) with their number. Sits on the control unit; constant
/// size in pixels; the cluster's name label moves under it. Clicking it selects the cluster.
class ClusterGlyphItem : public QGraphicsItem
{
public:
    ClusterGlyphItem(ClusterHullItem *hull, const QString &clusterId);

    QString clusterId() const { return m_clusterId; }
    ClusterHullItem *hull() const { return m_hull; }

    void setDeviceCount(int count);
    int deviceCount() const { return m_devices; }
    /// Largest extent of the cluster's members, metres: decides the level of detail.
    void setExtentM(double extentM) { m_extentM = extentM; }
    double extentM() const { return m_extentM; }
    void setFlagged(bool flagged);
    bool isFlagged() const { return m_flagged; }
    /// load < 0: no round shown, or none of the cluster's devices took part.
    void setLoad(double load, int activeDevices);
    double load() const { return m_load; }
    int activeDevices() const { return m_active; }

    /// The disc (and load ring) in pixels around the item's origin.
    QRectF iconBounds() const;
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;

private:
    double radiusPx() const;

    ClusterHullItem *m_hull;
    QString m_clusterId;
    int m_devices = 0;
    double m_extentM = 0.0;
    bool m_flagged = false;
    double m_load = -1.0;
    int m_active = 0;
};

} // namespace collapipe
