// SPDX-License-Identifier: MIT
#pragma once

#include <QGraphicsItem>

namespace collapipe {

/// A radio link between two positions (metres): D2D inside a cluster (dashed) or D2E from a
/// cluster's control unit to its edge server (solid). The distance, which drives path loss
/// (spec §2.2), is printed at the middle in metres, at a constant on-screen size.
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
    void setShowDistance(bool show);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    Kind m_kind;
    QLineF m_line;
    double m_metresPerPixel = 1.0;
    bool m_showDistance = true;
};

} // namespace collapipe
