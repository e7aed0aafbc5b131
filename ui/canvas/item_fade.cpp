// SPDX-License-Identifier: MIT
#include "ui/canvas/item_fade.h"

#include <QGraphicsItem>

namespace collapipe {

namespace {

// QGraphicsItem::data() keys; unset means 1 (most items are never faded).
constexpr int kRunOpacityKey = 0x7001;
constexpr int kDetailOpacityKey = 0x7002;
constexpr int kButtonsKey = 0x7003;

double factor(const QGraphicsItem *item, int key)
{
    const QVariant value = item->data(key);
    return value.isValid() ? value.toDouble() : 1.0;
}

void apply(QGraphicsItem *item)
{
    item->setOpacity(factor(item, kRunOpacityKey) * factor(item, kDetailOpacityKey));
}

} // namespace

void setRunOpacity(QGraphicsItem *item, double opacity)
{
    item->setData(kRunOpacityKey, opacity);
    apply(item);
}

void clearRunOpacity(QGraphicsItem *item)
{
    if (item->data(kRunOpacityKey).isValid()) {
        item->setData(kRunOpacityKey, QVariant());
        apply(item);
    }
}

void setDetailOpacity(QGraphicsItem *item, double opacity)
{
    const double old = factor(item, kDetailOpacityKey);
    if (old == opacity) {
        return;
    }
    item->setData(kDetailOpacityKey, opacity);
    apply(item);
    if (opacity == 0.0) {
        item->setData(kButtonsKey, int(item->acceptedMouseButtons()));
        item->setAcceptedMouseButtons(Qt::NoButton);
    } else if (old == 0.0) {
        item->setAcceptedMouseButtons(Qt::MouseButtons(item->data(kButtonsKey).toInt()));
    }
}

double detailOpacity(const QGraphicsItem *item)
{
    return factor(item, kDetailOpacityKey);
}

} // namespace collapipe
