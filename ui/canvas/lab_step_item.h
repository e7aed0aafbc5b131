// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QGraphicsItem>

namespace collapipe {

/// The Pipeline Lab's current op as the canvas shows it (issue [4/7] "The Lab"): which device
/// computes what, and which link carries its output where.
struct LabStepMark
{
    ItemRef device; ///< the device that runs the op
    QString opText; ///< "F · micro-batch 3" (drawn next to the device)
    ItemRef to; ///< where the op's output goes (device, control unit, edge server); null: none (W)
    QString linkText; ///< "activation of mb 3" (drawn on the arrow)

    friend bool operator==(const LabStepMark &a, const LabStepMark &b)
    {
        return a.device == b.device && a.opText == b.opText && a.to == b.to
            && a.linkText == b.linkText;
    }
};

/// Draws a LabStepMark: an orange ring around the device with the op's caption, and a dashed
/// orange arrow to the output's receiver with the link's caption. Ends in metres, everything
/// else in pixels (any zoom). A view only: no mouse buttons. Owned by TopologyScene.
class LabStepItem : public QGraphicsItem
{
public:
    explicit LabStepItem(QGraphicsItem *parent = nullptr);

    /// `to` equal to `from`: no arrow.
    void setEnds(const QPointF &from, const QPointF &to);
    void setTexts(const QString &opText, const QString &linkText);
    void setMetresPerPixel(double metresPerPixel);
    static QColor color();

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QPointF m_from;
    QPointF m_to;
    QString m_opText;
    QString m_linkText;
    double m_metresPerPixel = 1.0;
};

} // namespace collapipe
