// SPDX-License-Identifier: MIT
#pragma once

#include "ui/canvas/node_item.h"

namespace collapipe {

/// A cluster's control unit (spec §1.1: holds the data, runs the embedding, uploads the encoder):
/// a diamond in the cluster's colour.
class ControlUnitItem : public NodeItem
{
public:
    ControlUnitItem(
        const QString &controlUnitId, const QColor &clusterColor, QGraphicsItem *parent = nullptr);

    QColor color() const { return m_color; }

protected:
    QRectF iconRect() const override;
    void paintIcon(QPainter *painter, bool selected) const override;

private:
    QColor m_color;
};

} // namespace collapipe
