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
    /// Hidden when neighbours are too close on screen for the label to be readable.
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
    QRectF labelRect() const;

    ItemRef m_ref;
    QString m_label;
    bool m_labelVisible = true;
    bool m_flagged = false;
};

} // namespace collapipe
