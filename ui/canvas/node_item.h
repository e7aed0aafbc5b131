// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QGraphicsItem>

namespace collapipe {

/// A point-like topology item (device, control unit, edge server) drawn at a constant size on
/// screen: its position is in metres (scene units), its icon and label in pixels
/// (ItemIgnoresTransformations), so zooming spreads the topology without blowing up the icons.
/// Items are views: they never change the scenario; tools push commands to the document.
class NodeItem : public QGraphicsItem
{
public:
    explicit NodeItem(const ItemRef &ref, QGraphicsItem *parent = nullptr);

    const ItemRef &ref() const { return m_ref; }
    void setLabel(const QString &label);
    QString label() const { return m_label; }
    /// Where the label sits around the icon; TopologyScene's label layout picks the first side
    /// where it collides with no other label or icon, and hides it when none is free.
    enum class LabelSide {
        Below,
        Above,
        Right,
        Left
    };
    void setLabelSide(LabelSide side);
    LabelSide labelSide() const { return m_side; }
    /// The label's rectangle on `side`, in pixels around the item's origin; null if no label.
    QRectF labelRectAt(LabelSide side) const;
    /// The label shown now (pixels around the origin); null when hidden.
    QRectF labelRect() const;
    /// The icon's extent in pixels around the item's origin.
    QRectF iconBounds() const { return iconRect(); }
    /// Hidden when no side is free of other labels and icons.
    void setLabelVisible(bool visible);
    bool isLabelVisible() const { return m_labelVisible; }
    /// Marks the item as named by a validation problem (a red ring).
    void setFlagged(bool flagged);
    bool isFlagged() const { return m_flagged; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    /// The icon's extent in pixels around the item's origin.
    virtual QRectF iconRect() const = 0;
    virtual void paintIcon(QPainter *painter, bool selected) const = 0;

private:
    ItemRef m_ref;
    QString m_label;
    /// In pixels, measured once per label text when first asked for (labelRectAt): at fit zoom
    /// on 100,000 devices no device label is ever placed, so none is measured at load.
    mutable QSizeF m_labelSize;
    bool m_labelVisible = true;
    LabelSide m_side = LabelSide::Below;
    bool m_flagged = false;
};

} // namespace collapipe
