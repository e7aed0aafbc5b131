// SPDX-License-Identifier: MIT
#pragma once

#include <QGraphicsItem>
#include <QStringList>

#include <functional>

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
    ~EdgeRunBadge() override;
    /// Run once by the destructor, whoever deletes the item (its parent, the scene's
    /// clear()): RunOverlay forgets it there instead of deleting its items one by one.
    void setOnDestroyed(std::function<void()> callback) { m_onDestroyed = std::move(callback); }

    /// Where the chip sits around the server's icon; RunOverlay picks the side facing away from
    /// the topology's other nodes so the chip covers none of them, and the canvas's label pass
    /// (layoutCanvasLabels) moves it to another side where that one would cover a label or icon.
    enum class Side {
        Right,
        Left,
        Above,
        Below
    };
    void setSide(Side side);
    Side side() const { return m_side; }
    /// The side RunOverlay chose; the label pass tries it first.
    void setPreferredSide(Side side);
    Side preferredSide() const { return m_preferred; }

    /// One entry per cluster with a tail, e.g. "Campus cafe: blocks 4–11"; empty hides nothing by
    /// itself. `compactLine` is the one-line form for crowded views ("tail 4–11 · 12 clusters").
    void setLines(const QStringList &lines, const QString &compactLine = QString());
    const QStringList &lines() const { return m_lines; }
    QString compactLine() const { return m_compactLine; }
    /// The one-line chip (set by the label pass where the full one would cover something).
    void setCompact(bool compact);
    bool isCompact() const { return m_compact && !m_compactLine.isEmpty(); }
    /// Hidden by the label pass where no side is free, even compact (zooming in shows it).
    void setChipShown(bool shown);
    bool isChipShown() const { return m_chipShown; }
    /// The chip drawn now, and where it would be, in pixels around the server's origin.
    QRectF chipRect() const { return chipRectAt(m_side, isCompact()).translated(m_shift); }
    QRectF chipRectAt(Side side, bool compact) const;
    /// Moves the chip away from its side's spot (pixels) where that spot is taken; a thin leader
    /// line then ties it to the server (set by the label pass).
    void setShift(const QPointF &shift);
    QPointF shift() const { return m_shift; }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    std::function<void()> m_onDestroyed;
    QStringList m_lines;
    QString m_compactLine;
    QSizeF m_fullSize;    ///< pixels, measured once per text
    QSizeF m_compactSize; ///< pixels; empty without a compact line
    Side m_side = Side::Right;
    Side m_preferred = Side::Right;
    QPointF m_shift;
    bool m_compact = false;
    bool m_chipShown = true;
};

} // namespace collapipe
