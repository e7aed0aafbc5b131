// SPDX-License-Identifier: MIT
#pragma once

#include "ui/canvas/node_item.h"

namespace collapipe {

/// An edge server / base station (spec §1.1: hosts the decoder, aggregates): a rack with an
/// antenna.
class EdgeServerItem : public NodeItem
{
public:
    explicit EdgeServerItem(const QString &serverId, QGraphicsItem *parent = nullptr);

protected:
    QRectF iconRect() const override;
    void paintIcon(QPainter *painter, bool selected) const override;
};

} // namespace collapipe
