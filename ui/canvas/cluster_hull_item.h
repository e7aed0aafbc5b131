// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QColor>
#include <QGraphicsItem>

namespace collapipe {

/// A cluster drawn as a rounded convex hull around its control unit and devices, padded by a
/// constant number of pixels so the constant-size icons stay inside at any zoom. Selecting the
/// hull selects the cluster; dragging it moves all its members.
class ClusterHullItem : public QGraphicsItem
{
public:
    ClusterHullItem(const QString &clusterId, const QColor &color, QGraphicsItem *parent = nullptr);

    ItemRef ref() const { return {ItemKind::Cluster, m_clusterId}; }
    QColor color() const { return m_color; }
    /// Member positions in metres (control unit first).
    void setPoints(const QList<QPointF> &points);
    void setMetresPerPixel(double metresPerPixel);
    void setLabel(const QString &label);
    /// Marks the cluster as named by a validation problem (red outline).
    void setFlagged(bool flagged);
    bool isFlagged() const { return m_flagged; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    void rebuildHull();

    QString m_clusterId;
    QColor m_color;
    QString m_label;
    QList<QPointF> m_points;
    double m_metresPerPixel = 1.0;
    QPolygonF m_hull;
    bool m_flagged = false;
};

/// Convex hull (Andrew's monotone chain), counter-clockwise; exposed for tests.
QPolygonF convexHull(QList<QPointF> points);

} // namespace collapipe
