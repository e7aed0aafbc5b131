// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QColor>
#include <QGraphicsItem>

namespace collapipe {

class ClusterLabelItem;

/// A cluster drawn as a rounded convex hull around its control unit and devices, padded by a
/// constant number of pixels so the constant-size icons stay inside at any zoom. Selecting the
/// hull selects the cluster; dragging it moves all its members.
class ClusterHullItem : public QGraphicsItem
{
public:
    ClusterHullItem(const QString &clusterId, const QColor &color, QGraphicsItem *parent = nullptr);
    /// Deletes the label item only if no scene owns it (a scene deletes both in clear()).
    ~ClusterHullItem() override;

    ItemRef ref() const { return {ItemKind::Cluster, m_clusterId}; }
    QColor color() const { return m_color; }
    /// Member positions in metres (control unit first).
    void setPoints(const QList<QPointF> &points);
    void setMetresPerPixel(double metresPerPixel);
    /// The cluster's name, shown by labelItem() (created with the hull; the scene adds it).
    void setLabel(const QString &label);
    ClusterLabelItem *labelItem() const { return m_labelItem; }
    /// Marks the cluster as named by a validation problem (red outline).
    void setFlagged(bool flagged);
    bool isFlagged() const { return m_flagged; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    void rebuildHull();

    QString m_clusterId;
    QColor m_color;
    ClusterLabelItem *m_labelItem;
    QPolygonF m_corners; ///< convex hull of the members' positions (metres)
    double m_metresPerPixel = 1.0;
    QPolygonF m_hull;
    bool m_flagged = false;
};

/// A cluster's name, drawn by its own item above the links (so a link never runs through it) at a
/// constant pixel size, centred above the hull (or below it when the label layout says so).
/// Clicking it selects the cluster, like clicking inside the hull.
class ClusterLabelItem : public QGraphicsItem
{
public:
    explicit ClusterLabelItem(ClusterHullItem *hull);

    ClusterHullItem *hull() const { return m_hull; }
    void setText(const QString &text);
    QString text() const { return m_text; }
    /// The hull's top and bottom centre, in metres.
    void setAnchors(const QPointF &top, const QPointF &bottom);
    /// The label's rectangle (pixels around its anchor) above or below the hull.
    QRectF rectAt(bool below) const;
    QPointF anchor(bool below) const { return below ? m_bottom : m_top; }
    void setBelow(bool below) { setPlace(below, false); }
    bool isBelow() const { return m_below; }
    /// The hull's own top and bottom centre (metres), kept while setAnchors() puts the name by
    /// the cluster's glyph: where the label pass moves the name while the cluster cross-fades
    /// and its faded members surround the glyph (issue #16).
    void setHullAnchors(const QPointF &top, const QPointF &bottom);
    QPointF hullAnchor(bool below) const { return below ? m_hullBottom : m_hullTop; }
    /// Puts the name at anchor(below), or at hullAnchor(below) when `atHull`.
    void setPlace(bool below, bool atHull);
    bool isAtHull() const { return m_atHull; }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;

private:
    ClusterHullItem *m_hull;
    QString m_text;
    QSizeF m_size; ///< the label's box in pixels, measured once per text
    QPointF m_top;
    QPointF m_bottom;
    QPointF m_hullTop;
    QPointF m_hullBottom;
    bool m_below = false;
    bool m_atHull = false;
};

/// A press on an item standing for the cluster (its name, its glyph): a left click selects the
/// cluster alone, Ctrl+click toggles it; other buttons pass on.
void pressSelectsCluster(ClusterHullItem *hull, QGraphicsSceneMouseEvent *event);

/// A cluster's colour, derived from its id alone, so deleting or reordering clusters never
/// recolours the others. Ids ending in a number (c1, c2, cluster7) take consecutive palette
/// entries, so up to eight such clusters are all told apart. The palette has no red: red marks
/// errors on this canvas.
QColor clusterColor(const QString &clusterId);

/// Convex hull (Andrew's monotone chain), counter-clockwise; exposed for tests.
QPolygonF convexHull(QList<QPointF> points);

} // namespace collapipe
