// SPDX-License-Identifier: MIT
#pragma once

#include <QGraphicsItem>
#include <QStringList>

namespace collapipe {

/// Run overlay of one edge server, a child of its EdgeServerItem: a chip right of the icon with
/// one line per cluster whose encoder tail the server ran this round ("Campus cafe: blocks 4–11", the name its hull shows), under
/// the heading "edge tail". RunOverlay hides it when no cluster it serves has a tail (the devices
/// then ran every block and the server only the head). Like DeviceRunBadge a view only: it takes
/// no mouse buttons, so the server item below still selects and drags; its tooltip has details.
class EdgeRunBadge : public QGraphicsItem
{
public:
    explicit EdgeRunBadge(QGraphicsItem *edgeServerItem);

    /// Where the chip sits around the server's icon; RunOverlay picks the side facing away from
    /// the topology's other nodes so the chip covers none of them.
    enum class Side {
        Right,
        Left,
        Above,
        Below
    };
    void setSide(Side side);
    Side side() const { return m_side; }

    /// One entry per cluster with a tail, e.g. "Campus cafe: blocks 4–11"; empty hides nothing by itself.
    void setLines(const QStringList &lines);
    const QStringList &lines() const { return m_lines; }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QRectF chipRect() const;

    QStringList m_lines;
    Side m_side = Side::Right;
};

} // namespace collapipe
