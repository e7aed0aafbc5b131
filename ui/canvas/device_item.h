// SPDX-License-Identifier: MIT
#pragma once

#include "ui/canvas/node_item.h"

#include <QColor>

namespace collapipe {

/// A mobile device: a phone, or a small board for Jetson-class presets; the fill tells the
/// compute class so a heterogeneous cluster reads at a glance.
class DeviceItem : public NodeItem
{
public:
    explicit DeviceItem(const QString &deviceId, QGraphicsItem *parent = nullptr);
    /// Preset id and compute (FLOP/s) pick the icon and its colour.
    void setAppearance(const QString &preset, double computeFlops);

protected:
    QRectF iconRect() const override;
    void paintIcon(QPainter *painter, bool selected) const override;

private:
    bool m_board = false;
    QColor m_fill;
};

} // namespace collapipe
