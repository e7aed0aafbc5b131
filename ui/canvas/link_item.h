// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QGraphicsItem>
#include <QString>

namespace collapipe {

/// A radio link between two positions (metres): D2D inside a cluster (dashed) or D2E from a
/// cluster's control unit to its edge server (solid). The distance, which drives path loss
/// (spec §2.2), is printed at the middle in metres, at a constant on-screen size.
/// The canvas's background colour (TopologyView paints it; faded links mix with it).
inline QColor canvasBackground()
{
    return QColor(250, 250, 247);
}

class LinkItem : public QGraphicsItem
{
public:
    enum class Kind {
        D2D,
        D2E
    };
    explicit LinkItem(Kind kind, QGraphicsItem *parent = nullptr);

    Kind kind() const { return m_kind; }
    void setEnds(const QPointF &from, const QPointF &to);
    /// Scene metres per screen pixel, so the label's box can be sized in pixels.
    void setMetresPerPixel(double metresPerPixel);
    /// The run overlay hides distances while the pipeline's hops carry the numbers.
    void setShowDistance(bool show);
    /// The label layout hides the distance where it would collide with another label or icon.
    void setDistanceFits(bool fits);
    /// The distance label's rectangle in pixels around the link's midpoint (scene point
    /// midpoint()); null when the link does not want one (hidden, or too short on screen).
    QRectF distanceLabelRect() const;
    QPointF midpoint() const { return m_line.center(); }
    /// The distance label is drawn now.
    bool isDistanceShown() const { return m_distanceFits && !distanceLabelRect().isNull(); }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    Kind m_kind;
    QLineF m_line;
    QString m_distanceText;         ///< "123 m", set with the ends
    double m_distanceWidthPx = 0.0; ///< its label box's width
    double m_metresPerPixel = 1.0;
    bool m_showDistance = true;
    bool m_distanceFits = true;
};

} // namespace collapipe
